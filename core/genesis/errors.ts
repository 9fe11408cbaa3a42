import { MedchainError } from '../errors.js';

/** A genesis file that can't be used; `context.field` is the JSON path of the bad field. */
export class GenesisError extends MedchainError<'GENESIS_INVALID'> {}
