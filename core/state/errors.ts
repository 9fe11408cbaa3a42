import { MedchainError } from '../errors.js';

/** State-layer errors: a stored value that doesn't decode is corruption, never a default. */
export type StateErrorCode = 'STATE_CORRUPT_ACCOUNT' | 'STATE_BAD_SNAPSHOT' | 'STATE_BAD_KEY';

/** An error of the state layer; `context` says which address or key. */
export class StateError extends MedchainError<StateErrorCode> {}
