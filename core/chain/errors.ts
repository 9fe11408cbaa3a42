import { MedchainError } from '../errors.js';

/** Chain-level errors: lookups and imports. */
export type ChainErrorCode = 'CHAIN_UNKNOWN_BLOCK' | 'CHAIN_BAD_BLOCK' | 'CHAIN_STATE_MISSING' | 'CHAIN_BAD_VALIDATORS';

/** An error of the chain service; `context` names the height, hash or field. */
export class ChainError extends MedchainError<ChainErrorCode> {}
