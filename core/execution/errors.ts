import { MedchainError } from '../errors.js';

/** Why a tx cannot be included in a block at all (as opposed to being included and reverting). */
export type ExecutionErrorCode =
  | 'EXEC_BAD_CHAIN_ID'
  | 'EXEC_BAD_NONCE'
  | 'EXEC_INTRINSIC_GAS'
  | 'EXEC_BLOCK_GAS_EXCEEDED';

/** A tx that is not applicable to the current state; `context` carries expected/actual. */
export class ExecutionError extends MedchainError<ExecutionErrorCode> {}
