/**
 * The client SDK's two error kinds: `RpcClientError` when the node answered with a JSON-RPC
 * error object (rpc/ERRORS.md), `ClientError` when the client itself gave up (timeout, lost
 * connection, slow consumer, bad input). Both are browser-safe.
 */
import { MedchainError } from '../../core/errors.js';

/** Why the client itself failed a call, iterator or send. */
export type ClientErrorCode =
  /** A request, connection attempt or `sendAndWait` ran out of time. */
  | 'CLIENT_TIMEOUT'
  /** The connection dropped while the request was on the wire: it may or may not have run. */
  | 'CLIENT_DISCONNECTED'
  /** The first connection could not be opened (wrong URL, node down, refused). */
  | 'CLIENT_CONNECT_FAILED'
  /** `close()` was called, or reconnecting gave up after `maxReconnectAttempts`. */
  | 'CLIENT_CLOSED'
  /** A subscription's consumer stopped reading and its buffer filled up. */
  | 'CLIENT_SLOW_CONSUMER'
  /** The node sent something that is not a JSON-RPC 2.0 response. */
  | 'CLIENT_BAD_RESPONSE'
  /** A caller passed something the client cannot encode or send (bad hex, float amount, …). */
  | 'CLIENT_BAD_INPUT'
  /** No WebSocket implementation: not in a browser / Node 22+, and none was injected. */
  | 'CLIENT_NO_WEBSOCKET';

/** A failure on the client side; `code` says which, `context` what it was doing. */
export class ClientError extends MedchainError<ClientErrorCode> {}

/** A JSON-RPC error object as the node sends it. */
export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * The node answered a request with an error. `code` is the JSON-RPC code and `reason` the
 * stable snake_case `data.reason` (rpc/ERRORS.md) to branch on; never branch on `message`.
 * Not a MedchainError: its code is the wire's number, kept as the server sent it.
 */
export class RpcClientError extends Error {
  readonly code: number;
  readonly reason: string;
  /** The error's `data` object (always an object; `{}` when the node sent none). */
  readonly data: Record<string, unknown>;
  /** The method that failed, when known. */
  readonly method: string | undefined;

  constructor(err: RpcErrorObject, method?: string) {
    super(err.message);
    this.name = 'RpcClientError';
    this.code = err.code;
    this.data = isObject(err.data) ? err.data : {};
    this.reason = typeof this.data.reason === 'string' ? this.data.reason : 'unknown';
    this.method = method;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether `e` is an RpcClientError with the given `data.reason`. */
export function isRpcReason(e: unknown, reason: string): e is RpcClientError {
  return e instanceof RpcClientError && e.reason === reason;
}

/** A one-line description of any client error, for logs and command-line output. */
export function describeClientError(e: unknown): string {
  if (e instanceof RpcClientError) {
    const extras = Object.entries(e.data)
      .filter(([k, v]) => k !== 'reason' && k !== 'message' && (typeof v !== 'object' || v === null))
      .map(([k, v]) => `${k}=${String(v)}`);
    const detail = typeof e.data.message === 'string' && e.data.message !== e.message ? `: ${e.data.message}` : '';
    return `${e.method ? e.method + ': ' : ''}${e.message}${detail} (code ${e.code}, reason ${e.reason}${extras.length ? ', ' + extras.join(', ') : ''})`;
  }
  if (e instanceof ClientError) return `${e.message} (${e.code})`;
  return e instanceof Error ? e.message : String(e);
}
