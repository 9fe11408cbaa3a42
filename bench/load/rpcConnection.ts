/**
 * A lean JSON-RPC 2.0 client over one WebSocket, built for load: requests are pipelined, paced
 * client-side under the server's per-connection rate (so a well-behaved generator is never
 * refused with rate_limited), and capped in flight under the server's in-flight limit; the rest
 * wait in a FIFO queue. Subscription notifications go to per-subscription handlers.
 */
import WebSocket from 'ws';
import { TokenBucket } from '../../core/ratelimit/tokenBucket.js';
import { MAX_IN_FLIGHT_PER_CONNECTION } from '../../rpc/limits.js';
import { LoadError, RpcCallError } from './errors.js';

/** Pacer burst: small, so pacing stays smooth and never drains the server's bucket (depth 1,000). */
const PACE_BURST = 50;
/** Time to open a connection before giving up. */
const CONNECT_TIMEOUT_MS = 10_000;

interface Waiter {
  method: string;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Queued extends Waiter {
  text: (id: number) => string;
  timing?: { sentAt: number };
}

/** Options of a connection. */
export interface RpcConnectionOptions {
  /** Requests/s this client allows itself on the connection (Infinity = unpaced). */
  rate: number;
  /** Most requests in flight at once (default: the server's per-connection limit). */
  maxInFlight?: number;
}

/** One paced, pipelined JSON-RPC connection. */
export class RpcConnection {
  readonly #ws: WebSocket;
  readonly #bucket: TokenBucket;
  readonly #maxInFlight: number;
  readonly #waiting = new Map<number, Waiter>();
  readonly #queue: Queued[] = [];
  readonly #subscriptions = new Map<string, (result: unknown) => void>();
  #queueHead = 0;
  #nextId = 1;
  #timer: NodeJS.Timeout | undefined;
  #closed: LoadError | undefined;

  private constructor(ws: WebSocket, opts: RpcConnectionOptions) {
    this.#ws = ws;
    this.#bucket = new TokenBucket(opts.rate, Math.min(PACE_BURST, Math.max(1, opts.rate)));
    this.#maxInFlight = opts.maxInFlight ?? MAX_IN_FLIGHT_PER_CONNECTION;
    ws.on('message', (data) => this.#onMessage(String(data)));
    ws.on('close', (code, reason) => this.#fail(new LoadError('LOAD_CONNECTION', `connection closed (${code} ${String(reason)})`, { code })));
    ws.on('error', (e) => this.#fail(new LoadError('LOAD_CONNECTION', `connection error: ${e.message}`)));
  }

  /** Opens a connection to `url`. */
  static async open(url: string, opts: RpcConnectionOptions): Promise<RpcConnection> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => (ws.terminate(), reject(new LoadError('LOAD_CONNECTION', `cannot connect to ${url} in ${CONNECT_TIMEOUT_MS} ms`, { url }))), CONNECT_TIMEOUT_MS);
      ws.once('open', () => (clearTimeout(timer), resolve()));
      ws.once('error', (e) => (clearTimeout(timer), reject(new LoadError('LOAD_CONNECTION', `cannot connect to ${url}: ${e.message}`, { url }))));
    });
    return new RpcConnection(ws, opts);
  }

  /** Requests sent and not yet answered plus those queued behind the pacer. */
  get outstanding(): number {
    return this.#waiting.size + this.#queue.length - this.#queueHead;
  }

  /**
   * Calls `method` with positional params given as JSON text (hot path: no re-serialisation).
   * `timing.sentAt` is set (performance.now()) when the request leaves the pacer queue.
   */
  callRaw(method: string, paramsJson: string, timing?: { sentAt: number }): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const text = (id: number) => `{"jsonrpc":"2.0","id":${id},"method":"${method}","params":${paramsJson}}`;
      this.#queue.push(timing ? { method, resolve, reject, text, timing } : { method, resolve, reject, text });
      this.#pump();
    });
  }

  /** Calls `method` with positional params. */
  call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    return this.callRaw(method, JSON.stringify(params)) as Promise<T>;
  }

  /** Subscribes to `kind`; `onItem` gets each notification's result. */
  async subscribe(kind: string, onItem: (result: unknown) => void, options?: Record<string, unknown>): Promise<string> {
    const id = await this.call<string>('subscribe', options ? [kind, options] : [kind]);
    this.#subscriptions.set(id, onItem);
    return id;
  }

  /** Closes the connection; outstanding requests fail with LOAD_CONNECTION. */
  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.#ws.once('close', () => resolve());
      this.#ws.close();
    });
  }

  /** Sends queued requests while the pacer and the in-flight cap allow; re-arms itself otherwise. */
  #pump(): void {
    while (this.#queueHead < this.#queue.length && this.#waiting.size < this.#maxInFlight) {
      if (!this.#bucket.tryTake()) {
        if (!this.#timer) this.#timer = setTimeout(() => ((this.#timer = undefined), this.#pump()), Math.max(1, this.#bucket.retryAfterMs()));
        return;
      }
      const q = this.#queue[this.#queueHead++];
      const id = this.#nextId++;
      this.#waiting.set(id, q);
      if (q.timing) q.timing.sentAt = performance.now();
      this.#ws.send(q.text(id));
    }
    // Compact the FIFO once its consumed head dominates (amortised O(1) per request).
    if (this.#queueHead > 1024 && this.#queueHead * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#queueHead);
      this.#queueHead = 0;
    }
  }

  #onMessage(text: string): void {
    const msg = JSON.parse(text) as {
      id?: number;
      result?: unknown;
      error?: { code: number; message: string; data?: Record<string, unknown> };
      method?: string;
      params?: { subscription: string; result?: unknown };
    };
    if (msg.id === undefined || msg.id === null) {
      if (msg.method === 'subscription' && msg.params) this.#subscriptions.get(msg.params.subscription)?.(msg.params.result);
      return;
    }
    const w = this.#waiting.get(msg.id);
    if (!w) return;
    this.#waiting.delete(msg.id);
    if (msg.error) w.reject(new RpcCallError(w.method, msg.error));
    else w.resolve(msg.result);
    this.#pump();
  }

  #fail(e: LoadError): void {
    if (this.#closed) return;
    this.#closed = e;
    if (this.#timer) clearTimeout(this.#timer);
    for (const w of this.#waiting.values()) w.reject(e);
    this.#waiting.clear();
    for (let i = this.#queueHead; i < this.#queue.length; i++) this.#queue[i].reject(e);
    this.#queue.length = 0;
    this.#queueHead = 0;
  }
}
