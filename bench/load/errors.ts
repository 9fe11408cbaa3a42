import { MedchainError } from '../../core/errors.js';

/** Error codes of the load generator. */
export type LoadErrorCode =
  /** A command-line flag is missing, malformed or conflicts with another (context.flag names it). */
  | 'LOAD_BAD_ARGS'
  /** The node lacks what a workload needs (a contract in chain_getInfo().contracts, an RPC method). */
  | 'LOAD_WORKLOAD_UNAVAILABLE'
  /** The chain has what the workload needs, but its tx factory is not written yet. */
  | 'LOAD_WORKLOAD_NOT_IMPLEMENTED'
  /** The node answered a JSON-RPC request with an error (context.reason is its data.reason). */
  | 'LOAD_RPC_ERROR'
  /** The WebSocket connection failed or closed while requests were outstanding. */
  | 'LOAD_CONNECTION'
  /** Funding or registering the generator's accounts failed (a setup tx was refused or reverted). */
  | 'LOAD_SETUP_FAILED'
  /** The spawned node failed to start, crashed, or did not stop. */
  | 'LOAD_NODE_FAILED'
  /** The signer threads failed or are not built. */
  | 'LOAD_SIGNER_FAILED';

/** The load generator's one error class; branch on `code`. */
export class LoadError extends MedchainError<LoadErrorCode> {}

/** A JSON-RPC error answer, with its code and `data.reason` (rpc/ERRORS.md). */
export class RpcCallError extends LoadError {
  readonly rpcCode: number;
  readonly reason: string;
  readonly data: Record<string, unknown> | undefined;

  constructor(method: string, error: { code: number; message: string; data?: Record<string, unknown> }) {
    const reason = typeof error.data?.reason === 'string' ? error.data.reason : `code_${error.code}`;
    super('LOAD_RPC_ERROR', `${method}: ${error.message} (${reason})`, { method, rpcCode: error.code, reason });
    this.rpcCode = error.code;
    this.reason = reason;
    this.data = error.data;
  }
}
