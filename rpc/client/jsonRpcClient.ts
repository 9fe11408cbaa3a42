/**
 * JSON-RPC 2.0 over a frame-sending function: numbers requests, matches responses by id,
 * sends batches, times requests out and hands subscription notifications on.
 *
 * Across a reconnect (the documented rule):
 * - a request already written to a connection that then drops fails with CLIENT_DISCONNECTED:
 *   the node may or may not have run it, and not every method is safe to repeat (`tx_send`);
 * - a request made while no connection is open is queued and sent once one is, unless it was
 *   made with `waitForConnection: false`; either way it fails at its timeout.
 */
import { ClientError, RpcClientError, type RpcErrorObject } from './errors.js';

/** Per-request options. */
export interface RequestOptions {
  /** Time from the call to the answer, queueing included (default: the client's). */
  timeoutMs?: number;
  /** Queue the request while disconnected (default true); false fails it at once instead. */
  waitForConnection?: boolean;
  /**
   * Called with the result synchronously when the response frame is handled, before the
   * promise resolves: a subscription registers its id here so that a notification in the
   * same network read as the response is not missed.
   */
  onResult?: (result: unknown) => void;
}

/** One call of a batch. */
export interface BatchCall {
  method: string;
  params?: unknown[] | Record<string, unknown>;
}

/** The outcome of one call of a batch: a result or the node's error. */
export type BatchOutcome = { ok: true; result: unknown } | { ok: false; error: RpcClientError };

/** A subscription notification's params, as the node sends them. */
export interface NotificationParams {
  subscription: string;
  result?: unknown;
  error?: RpcErrorObject;
}

/** Answers take well under a second on a healthy node; 30 s means something is wrong. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The server's default `maxBatchLength`: longer batches are split into frames of this many. */
export const DEFAULT_MAX_BATCH_LENGTH = 100;
/** Frames queued while disconnected; more fail at once rather than pile up without bound. */
export const MAX_QUEUED_FRAMES = 1_000;

interface Waiter {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  onResult?: (result: unknown) => void;
}

interface Frame {
  text: string;
  waiters: Map<number, Waiter>;
  /** Fails the whole frame (timeout, disconnect, a batch-level error). */
  fail(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
  sent: boolean;
  batch: boolean;
}

/** Integers beyond 2^53-1 travel as decimal strings (design §2); safe ones as numbers. */
function bigintReplacer(_key: string, v: unknown): unknown {
  if (typeof v !== 'bigint') return v;
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Request/response matching over `send` (which returns false when no connection is open). */
export class JsonRpcClient {
  #nextId = 1;
  readonly #byId = new Map<number, Frame>();
  readonly #queue: Frame[] = [];
  readonly #inFlight = new Set<Frame>();
  #closedError: ClientError | undefined;

  constructor(
    private readonly send: (text: string) => boolean,
    private readonly onNotification: (params: NotificationParams) => void,
    private readonly defaults: { timeoutMs: number; maxBatchLength: number } = {
      timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
      maxBatchLength: DEFAULT_MAX_BATCH_LENGTH,
    },
  ) {}

  /** Calls `method`; resolves with its result, rejects with RpcClientError or ClientError. */
  request<T = unknown>(method: string, params?: unknown[] | Record<string, unknown>, opts: RequestOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.#nextId++;
      const waiters = new Map<number, Waiter>([[id, { method, resolve: resolve as (r: unknown) => void, reject, onResult: opts.onResult }]]);
      const frame = this.frame({ jsonrpc: '2.0', id, method, ...(params !== undefined ? { params } : {}) }, waiters, reject, false);
      if (frame) this.dispatch(frame, opts);
    });
  }

  /**
   * Sends calls as JSON-RPC batches (split into frames of at most `maxBatchLength`); resolves
   * with one outcome per call, in order. Rejects only for a client-side failure (timeout,
   * disconnect) or an error the node gave the whole batch.
   */
  async batch(calls: BatchCall[], opts: Omit<RequestOptions, 'onResult'> = {}): Promise<BatchOutcome[]> {
    const chunks: BatchCall[][] = [];
    for (let i = 0; i < calls.length; i += this.defaults.maxBatchLength) chunks.push(calls.slice(i, i + this.defaults.maxBatchLength));
    const results = await Promise.all(chunks.map((chunk) => this.batchFrame(chunk, opts)));
    return results.flat();
  }

  private batchFrame(calls: BatchCall[], opts: RequestOptions): Promise<BatchOutcome[]> {
    return new Promise((resolve, reject) => {
      const outcomes: BatchOutcome[] = new Array(calls.length);
      let left = calls.length;
      const waiters = new Map<number, Waiter>();
      const body = calls.map((c, i) => {
        const id = this.#nextId++;
        const settle = (o: BatchOutcome) => {
          outcomes[i] = o;
          if (--left === 0) resolve(outcomes);
        };
        waiters.set(id, {
          method: c.method,
          resolve: (result) => settle({ ok: true, result }),
          reject: (error) => (error instanceof RpcClientError ? settle({ ok: false, error }) : reject(error)),
        });
        return { jsonrpc: '2.0', id, method: c.method, ...(c.params !== undefined ? { params: c.params } : {}) };
      });
      const frame = this.frame(body, waiters, reject, true);
      if (frame) this.dispatch(frame, opts);
    });
  }

  /** Serialises a frame; rejects and returns undefined if that fails or the client is closed. */
  private frame(body: unknown, waiters: Map<number, Waiter>, fail: (e: Error) => void, batch: boolean): Frame | undefined {
    if (this.#closedError) {
      fail(this.#closedError);
      return undefined;
    }
    let text: string;
    try {
      text = JSON.stringify(body, bigintReplacer);
    } catch (e) {
      fail(new ClientError('CLIENT_BAD_INPUT', `params cannot be sent as JSON: ${(e as Error).message}`));
      return undefined;
    }
    return { text, waiters, fail, timer: undefined, sent: false, batch };
  }

  private dispatch(frame: Frame, opts: RequestOptions): void {
    const timeoutMs = opts.timeoutMs ?? this.defaults.timeoutMs;
    const method = frame.batch ? 'batch' : ([...frame.waiters.values()][0]?.method ?? 'batch');
    frame.timer = setTimeout(
      () => this.settleFrame(frame, new ClientError('CLIENT_TIMEOUT', `${method}: no answer within ${timeoutMs} ms`, { method, timeoutMs })),
      timeoutMs,
    );
    for (const id of frame.waiters.keys()) this.#byId.set(id, frame);
    if (this.send(frame.text)) {
      frame.sent = true;
      this.#inFlight.add(frame);
    } else if (opts.waitForConnection === false || this.#queue.length >= MAX_QUEUED_FRAMES) {
      this.settleFrame(frame, new ClientError('CLIENT_DISCONNECTED', `${method}: not connected`, { method }));
    } else {
      this.#queue.push(frame);
    }
  }

  /** Ends a frame: clears its timer and ids and fails whatever it still waits for. */
  private settleFrame(frame: Frame, error?: Error): void {
    clearTimeout(frame.timer);
    for (const id of frame.waiters.keys()) this.#byId.delete(id);
    this.#inFlight.delete(frame);
    const i = this.#queue.indexOf(frame);
    if (i >= 0) this.#queue.splice(i, 1);
    if (error && frame.waiters.size > 0) {
      frame.waiters.clear();
      frame.fail(error);
    }
  }

  /** Handles one text frame from the node. */
  handleMessage(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return; // not JSON: nothing to match it to, and the node never sends that
    }
    for (const item of Array.isArray(msg) ? msg : [msg]) this.handleItem(item);
  }

  private handleItem(item: unknown): void {
    if (typeof item !== 'object' || item === null) return;
    const m = item as { id?: unknown; method?: unknown; params?: unknown; result?: unknown; error?: unknown };
    if (m.id === undefined && m.method === 'subscription' && typeof m.params === 'object' && m.params !== null) {
      this.onNotification(m.params as NotificationParams);
      return;
    }
    if (m.id === null && isErrorObject(m.error)) {
      // The node could not tie the error to a request: it rejected a whole batch (too long).
      const target = [...this.#inFlight].find((f) => f.batch) ?? [...this.#inFlight][0];
      if (target) this.settleFrame(target, new RpcClientError(m.error));
      return;
    }
    if (typeof m.id !== 'number') return;
    const frame = this.#byId.get(m.id);
    const waiter = frame?.waiters.get(m.id);
    if (!frame || !waiter) return;
    frame.waiters.delete(m.id);
    this.#byId.delete(m.id);
    if (isErrorObject(m.error)) waiter.reject(new RpcClientError(m.error, waiter.method));
    else if ('result' in m) {
      try {
        waiter.onResult?.(m.result);
        waiter.resolve(m.result);
      } catch (e) {
        waiter.reject(e as Error);
      }
    } else waiter.reject(new ClientError('CLIENT_BAD_RESPONSE', `${waiter.method}: response has neither result nor error`, { method: waiter.method }));
    if (frame.waiters.size === 0) this.settleFrame(frame);
  }

  /** A connection is open: sends the frames queued while there was none. */
  connectionOpened(): void {
    while (this.#queue.length > 0) {
      const frame = this.#queue[0];
      if (!this.send(frame.text)) return;
      this.#queue.shift();
      frame.sent = true;
      this.#inFlight.add(frame);
    }
  }

  /** The connection dropped: every frame on the wire fails with CLIENT_DISCONNECTED. */
  connectionLost(): void {
    for (const frame of [...this.#inFlight]) {
      const method = frame.batch ? 'batch' : ([...frame.waiters.values()][0]?.method ?? 'batch');
      this.settleFrame(
        frame,
        new ClientError('CLIENT_DISCONNECTED', `${method}: connection lost before the answer arrived; the request may or may not have run`, { method }),
      );
    }
  }

  /** Fails everything pending and every later call with `error`. */
  close(error: ClientError): void {
    this.#closedError ??= error;
    for (const frame of [...this.#inFlight, ...this.#queue]) this.settleFrame(frame, error);
  }

  /** Requests waiting for an answer (sent or queued), for tests and diagnostics. */
  get pendingCount(): number {
    return this.#byId.size;
  }
}

function isErrorObject(e: unknown): e is RpcErrorObject {
  return typeof e === 'object' && e !== null && typeof (e as RpcErrorObject).code === 'number' && typeof (e as RpcErrorObject).message === 'string';
}
