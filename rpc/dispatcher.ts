/**
 * JSON-RPC 2.0 processing, independent of the transport: text in, text (or nothing) out.
 * Section numbers refer to https://www.jsonrpc.org/specification. Nothing a client sends and
 * nothing a handler throws escapes: every failure becomes an error response (or, for a
 * notification, silence, §4.1).
 */
import type { RpcContext } from './context.js';
import { RpcError, toRpcError } from './errors.js';
import { NOOP_LOGGER, type RpcLogger } from './logger.js';
import { bindParams, type MethodTable } from './methodTable.js';

/** A request id (§4: String, Number or Null). */
type Id = string | number | null;

/** What the dispatcher needs besides the table. */
export interface DispatcherOptions {
  /** Longest batch answered; longer ones get one -32600 `batch_too_large` error. */
  maxBatchLength: number;
  logger?: RpcLogger;
}

/** A request object that passed the §4 shape checks. */
interface Request {
  id: Id;
  isNotification: boolean;
  method: string;
  params: unknown;
}

/** Either a well-formed request or the error to answer (with the id, if one was readable). */
type Checked = { ok: true; req: Request } | { ok: false; id: Id; error: RpcError };

function isId(v: unknown): v is Id {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** §4 shape rules of a Request object. */
function checkRequest(v: unknown): Checked {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { ok: false, id: null, error: RpcError.invalidRequest('not_an_object', 'a request must be a JSON object') };
  }
  const o = v as Record<string, unknown>;
  const hasId = Object.hasOwn(o, 'id');
  const id = hasId && isId(o.id) ? o.id : null;
  const bad = (reason: string, message: string): Checked => ({ ok: false, id, error: RpcError.invalidRequest(reason, message) });
  if (hasId && !isId(o.id)) return bad('invalid_id', 'id must be a string, a number or null');
  if (o.jsonrpc !== '2.0') return bad('invalid_version', 'jsonrpc must be exactly "2.0"');
  if (typeof o.method !== 'string') return bad('invalid_method', 'method must be a string');
  if (o.params !== undefined && (typeof o.params !== 'object' || o.params === null)) {
    return bad('invalid_params_type', 'params must be an array or an object when present');
  }
  return { ok: true, req: { id, isNotification: !hasId, method: o.method, params: o.params } };
}

// Responses are built by hand around each member's JSON so that a result that fails to
// serialize costs only its own entry, not the whole batch.
function errorText(id: Id, err: RpcError): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(err)}}`;
}

/** bigint (integers above 2^53-1, design §2) as decimal strings; used only when plain stringify fails. */
function bigintReplacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** Serialises a handler's result; undefined becomes null (a response must carry `result`). */
export function resultJson(result: unknown): string {
  if (result === undefined) return 'null';
  try {
    return JSON.stringify(result) ?? 'null';
  } catch (e) {
    if (!(e instanceof TypeError)) throw e; // RangeError = too deep: a bug in the handler
    return JSON.stringify(result, bigintReplacer) ?? 'null';
  }
}

/** Dispatches JSON-RPC 2.0 messages to a method table. */
export class Dispatcher {
  private readonly logger: RpcLogger;

  constructor(
    private readonly table: MethodTable,
    private readonly opts: DispatcherOptions,
  ) {
    this.logger = opts.logger ?? NOOP_LOGGER;
  }

  /** Handles one frame or body; resolves to the response text, or undefined when none is due (§6). */
  async handleText(text: string, ctx: RpcContext): Promise<string | undefined> {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (e) {
      return errorText(null, RpcError.parseError((e as Error).message.slice(0, 200)));
    }
    return this.handleMessage(msg, ctx);
  }

  /** Handles an already-parsed message (a request object or a batch array). */
  async handleMessage(msg: unknown, ctx: RpcContext): Promise<string | undefined> {
    if (!Array.isArray(msg)) return this.handleOne(msg, ctx);
    if (msg.length === 0) return errorText(null, RpcError.invalidRequest('empty_batch', 'a batch must contain at least one request'));
    if (msg.length > this.opts.maxBatchLength) {
      return errorText(
        null,
        RpcError.invalidRequest('batch_too_large', `a batch may hold at most ${this.opts.maxBatchLength} requests, got ${msg.length}`, { limit: this.opts.maxBatchLength }),
      );
    }
    // Sequential on purpose: a batch of txs from one sender is admitted in the order sent.
    const parts: string[] = [];
    for (const item of msg) {
      const r = await this.handleOne(item, ctx);
      if (r !== undefined) parts.push(r);
    }
    return parts.length === 0 ? undefined : `[${parts.join(',')}]`;
  }

  /** One request object → its response text, or undefined for a notification. */
  private async handleOne(item: unknown, ctx: RpcContext): Promise<string | undefined> {
    const checked = checkRequest(item);
    if (!checked.ok) return errorText(checked.id, checked.error);
    const { req } = checked;
    const refusal = ctx.admit();
    if (refusal) return req.isNotification ? undefined : errorText(req.id, refusal);
    const spec = this.table.get(req.method);
    if (!spec) return req.isNotification ? undefined : errorText(req.id, RpcError.methodNotFound(req.method));
    let result: unknown;
    try {
      result = await spec.handler(bindParams(spec, req.params), ctx);
    } catch (e) {
      const err = toRpcError(e, (raw) => this.logger.error('rpc: handler failed', { method: req.method, connection: ctx.connectionId }, raw));
      return req.isNotification ? undefined : errorText(req.id, err);
    }
    if (req.isNotification) return undefined;
    try {
      return `{"jsonrpc":"2.0","id":${JSON.stringify(req.id)},"result":${resultJson(result)}}`;
    } catch (e) {
      this.logger.error('rpc: result does not serialize', { method: req.method }, e);
      return errorText(req.id, RpcError.internal());
    }
  }
}
