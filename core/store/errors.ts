import { MedchainError } from '../errors.js';

/** Store errors: corruption found on open or read is fatal and names what is broken. */
export type StoreErrorCode = 'STORE_CORRUPT' | 'STORE_GENESIS_MISMATCH' | 'STORE_CLOSED' | 'STORE_BAD_WRITE';

/** An error of the chain store; `context` names the bucket, height or key involved. */
export class StoreError extends MedchainError<StoreErrorCode> {}
