import { MedchainError } from '../errors.js';

/**
 * Why a read-only contract call (state_call) failed: no contract at the address, arguments
 * that do not fit the ABI, or the view itself reverting, running out of gas or faulting.
 * `context.revert` carries a revert's reason (e.g. "no-consent").
 */
export type ViewCallErrorCode = 'STATE_UNKNOWN_CONTRACT' | 'STATE_BAD_CALL' | 'VM_REVERT' | 'VM_OUT_OF_GAS' | 'VM_ERROR';

/** A failed view call; rpc/errors.ts maps each code to a JSON-RPC error. */
export class ViewCallError extends MedchainError<ViewCallErrorCode> {}
