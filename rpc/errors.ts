/**
 * The one place that maps errors to JSON-RPC error objects (style: "only rpc/errors.ts maps
 * errors to JSON-RPC codes"). Standard codes are JSON-RPC 2.0 §5.1; application codes live in
 * -32000..-32099 ("reserved for implementation-defined server-errors") and always carry a stable
 * snake_case `data.reason` that clients branch on. The OpenRPC document (`x-medchain-errors`) is
 * generated from the records below; rpc/ERRORS.md documents them and test/rpc/errors.test.ts
 * fails when the two disagree.
 */
import { MedchainError } from '../core/errors.js';
import { toHex } from '../core/encoding/hex.js';

/** JSON-RPC 2.0 §5.1 standard error codes. */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** An application error: its code in -32000..-32099, stable reason and one-line meaning. */
export interface AppErrorSpec {
  code: number;
  reason: string;
  summary: string;
}

/**
 * Errors the RPC layer raises itself (not from a MedchainError), keyed by reason. Codes are
 * fixed forever once published: clients hard-code them.
 */
export const RPC_ERRORS = {
  rate_limited: { code: -32005, reason: 'rate_limited', summary: 'per-connection request rate or in-flight limit exceeded; retry later' },
  too_many_subscriptions: { code: -32006, reason: 'too_many_subscriptions', summary: 'the connection already holds the maximum number of subscriptions' },
  unknown_subscription: { code: -32007, reason: 'unknown_subscription', summary: 'no subscription with this id on this connection' },
  websocket_required: { code: -32008, reason: 'websocket_required', summary: 'subscriptions need a WebSocket connection (HTTP cannot push)' },
  server_closing: { code: -32009, reason: 'server_closing', summary: 'the server is shutting down' },
} as const satisfies Record<string, AppErrorSpec>;

/**
 * MedchainError `code` → JSON-RPC error. The chain issue extends this table (one line per code);
 * a code missing here is answered as -32603 `internal_error` and logged, so an unmapped error is
 * visible rather than leaking its message. Several codes may share one reason (same meaning to a
 * client); a reason always has exactly one numeric code (checked by test/rpc/errors.test.ts).
 */
export const APP_ERRORS: Readonly<Record<string, AppErrorSpec>> = {
  // -32001..-32004: lookups (codes of the chain issue; adjust the keys when it lands)
  CHAIN_UNKNOWN_BLOCK: { code: -32001, reason: 'unknown_block', summary: 'no block with this height or hash' },
  CHAIN_UNKNOWN_TX: { code: -32002, reason: 'unknown_tx', summary: 'no transaction with this hash' },
  STATE_UNKNOWN_CONTRACT: { code: -32003, reason: 'unknown_contract', summary: 'no contract at this address' },
  NODE_NOT_SYNCED: { code: -32004, reason: 'not_synced', summary: 'the node is still syncing; state may be stale' },
  // -32010..-32029: transaction admission (tx_send), from core/tx and core/mempool
  TX_MALFORMED: { code: -32010, reason: 'tx_malformed', summary: 'the transaction bytes do not decode to a valid SignedTx; data.field names the field' },
  TX_BAD_VERSION: { code: -32010, reason: 'tx_malformed', summary: 'unknown transaction version' },
  TX_BAD_FIELD: { code: -32010, reason: 'tx_malformed', summary: 'a transaction field has the wrong type or size' },
  TX_BAD_METHOD: { code: -32010, reason: 'tx_malformed', summary: 'the method name is not allowed' },
  MEMPOOL_MALFORMED: { code: -32010, reason: 'tx_malformed', summary: 'the transaction does not decode or fails stateless checks' },
  TX_TOO_LARGE: { code: -32011, reason: 'tx_too_large', summary: 'the encoded transaction exceeds the size limit' },
  MEMPOOL_TOO_LARGE: { code: -32011, reason: 'tx_too_large', summary: 'the encoded transaction exceeds the size limit' },
  TX_BAD_SIGNATURE: { code: -32012, reason: 'invalid_signature', summary: 'the signature does not verify' },
  MEMPOOL_BAD_SIGNATURE: { code: -32012, reason: 'invalid_signature', summary: 'the signature does not verify' },
  TX_BAD_CHAIN_ID: { code: -32013, reason: 'wrong_chain', summary: 'the chainId does not match this chain' },
  MEMPOOL_WRONG_CHAIN: { code: -32013, reason: 'wrong_chain', summary: 'the chainId does not match this chain' },
  MEMPOOL_NONCE_TOO_LOW: { code: -32014, reason: 'nonce_too_low', summary: 'the nonce was already used on chain' },
  MEMPOOL_NONCE_GAP: { code: -32015, reason: 'nonce_gap', summary: 'the nonce is too far ahead of the sender\'s next nonce' },
  MEMPOOL_NONCE_TAKEN: { code: -32016, reason: 'nonce_taken', summary: 'another pooled tx of this sender has this nonce (no replacement)' },
  MEMPOOL_DUPLICATE: { code: -32017, reason: 'already_known', summary: 'the same transaction is already pooled' },
  MEMPOOL_INSUFFICIENT_BALANCE: { code: -32018, reason: 'insufficient_balance', summary: 'the transfer exceeds the balance left after the sender\'s pooled transfers' },
  MEMPOOL_GAS_LIMIT: { code: -32019, reason: 'invalid_gas_limit', summary: 'gasLimit is above the block gas limit or below the intrinsic gas' },
  MEMPOOL_FULL: { code: -32020, reason: 'mempool_full', summary: 'the mempool is full; retry later' },
  MEMPOOL_SENDER_FULL: { code: -32021, reason: 'sender_limit', summary: 'the sender already has the maximum number of pooled transactions' },
  SIGPOOL_BUSY: { code: -32022, reason: 'busy', summary: 'signature verification is saturated; retry later' },
  // -32030..-32039: execution of views (state_call); codes of the VM issue
  VM_REVERT: { code: -32030, reason: 'execution_reverted', summary: 'the call reverted; data.message says why' },
  VM_OUT_OF_GAS: { code: -32031, reason: 'out_of_gas', summary: 'the call ran out of gas' },
  VM_ERROR: { code: -32032, reason: 'execution_failed', summary: 'the call failed at run time (a VM fault such as an overflow); data.message names it' },
  STATE_BAD_CALL: { code: INVALID_PARAMS, reason: 'invalid_params', summary: 'state_call: no such view, or an argument does not fit its ABI type (data.param)' },
  // malformed hex that slipped past a schema pattern is still the caller's fault
  HEX_INVALID: { code: INVALID_PARAMS, reason: 'invalid_params', summary: 'a hex value is malformed or has the wrong length' },
};

/** A JSON-RPC error object ready to send; handlers may throw it directly. */
export class RpcError extends Error {
  readonly code: number;
  readonly data: Record<string, unknown> | undefined;

  constructor(code: number, message: string, data?: Record<string, unknown>) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    this.data = data;
  }

  /** The `error` member of a response (JSON-RPC 2.0 §5.1). */
  toJSON(): { code: number; message: string; data?: Record<string, unknown> } {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }

  /** -32700: the text is not JSON. */
  static parseError(detail: string): RpcError {
    return new RpcError(PARSE_ERROR, 'Parse error', { reason: 'parse_error', message: detail });
  }

  /** -32600: not a valid Request object (or batch); `reason` says which rule. */
  static invalidRequest(reason: string, message: string, extra: Record<string, unknown> = {}): RpcError {
    return new RpcError(INVALID_REQUEST, 'Invalid Request', { ...extra, reason, message });
  }

  /** -32601. */
  static methodNotFound(method: string): RpcError {
    return new RpcError(METHOD_NOT_FOUND, 'Method not found', { reason: 'method_not_found', method: method.slice(0, 100) });
  }

  /** -32602 naming the offending parameter (a path like `options.hash` for nested ones). */
  static invalidParams(param: string, message: string): RpcError {
    return new RpcError(INVALID_PARAMS, 'Invalid params', { param, reason: 'invalid_params', message });
  }

  /** -32603 without details: internal failures never leak messages or stacks. */
  static internal(): RpcError {
    return new RpcError(INTERNAL_ERROR, 'Internal error', { reason: 'internal_error' });
  }

  /** One of the RPC layer's own application errors. */
  static app(reason: keyof typeof RPC_ERRORS, message: string, extra: Record<string, unknown> = {}): RpcError {
    const spec = RPC_ERRORS[reason];
    return new RpcError(spec.code, message, { ...extra, reason: spec.reason });
  }
}

// Bounds on what a MedchainError's context may put into `data`: context is for diagnosis, and
// the response must stay small and free of internal object graphs.
/** Longest string copied from an error's context into `data`. */
const MAX_CONTEXT_STRING = 200;
/** Most context entries copied into `data`. */
const MAX_CONTEXT_KEYS = 16;

/**
 * Maps anything a handler threw to an RpcError. `unmapped` is called for errors that become
 * -32603 so the caller can log them (the client learns nothing beyond "internal error").
 */
export function toRpcError(err: unknown, unmapped?: (err: unknown) => void): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof MedchainError) {
    const spec = APP_ERRORS[err.code];
    if (spec) return new RpcError(spec.code, err.message, { ...safeContext(err.context), reason: spec.reason, message: err.message });
  }
  unmapped?.(err);
  return RpcError.internal();
}

/** Copies the JSON-safe primitive entries of an error context (bytes as hex, bigint as decimal). */
function safeContext(ctx: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, v] of Object.entries(ctx)) {
    if (n >= MAX_CONTEXT_KEYS) break;
    let value: unknown;
    if (typeof v === 'string') value = v.length > MAX_CONTEXT_STRING ? v.slice(0, MAX_CONTEXT_STRING) + '…' : v;
    else if (typeof v === 'number' || typeof v === 'boolean') value = Number.isFinite(v) || typeof v === 'boolean' ? v : String(v);
    else if (typeof v === 'bigint') value = v.toString();
    else if (v instanceof Uint8Array && v.length <= MAX_CONTEXT_STRING / 2) value = toHex(v);
    else continue;
    out[k] = value;
    n++;
  }
  return out;
}

/** Every application error (RPC layer's and mapped MedchainErrors), for docs and OpenRPC. */
export function applicationErrors(): Array<AppErrorSpec & { medchainCodes: string[] }> {
  const byReason = new Map<string, AppErrorSpec & { medchainCodes: string[] }>();
  for (const spec of Object.values(RPC_ERRORS)) byReason.set(spec.reason, { ...spec, medchainCodes: [] });
  for (const [code, spec] of Object.entries(APP_ERRORS)) {
    const entry = byReason.get(spec.reason) ?? { ...spec, medchainCodes: [] };
    entry.medchainCodes.push(code);
    byReason.set(spec.reason, entry);
  }
  return [...byReason.values()].sort((a, b) => b.code - a.code || a.reason.localeCompare(b.reason));
}
