/**
 * Keeps one WebSocket connection up: after an open connection drops, reconnects with
 * exponential backoff (capped, with jitter from an injectable random source) until it is
 * back, `close()` is called or `maxAttempts` consecutive attempts have failed.
 *
 * What happens to requests and subscriptions across a reconnect is decided above this layer
 * (jsonRpcClient.ts, subscriptionSet.ts); this file only tells them `onLost` / `onOpen`.
 */
import { ClientError } from './errors.js';
import { SocketConnection, type WebSocketConstructor } from './transport.js';

/** Backoff shape; every field has a default. */
export interface BackoffOptions {
  /** First delay. */
  initialDelayMs?: number;
  /** Largest delay. */
  maxDelayMs?: number;
  /** Growth per failed attempt. */
  factor?: number;
  /** Uniform [0, 1) source for the jitter (tests pass a fixed one). */
  random?: () => number;
}

/** Reconnect policy: backoff plus a bound on consecutive failed attempts. */
export interface ReconnectOptions extends BackoffOptions {
  /** Consecutive failed attempts before giving up (default: never give up). */
  maxAttempts?: number;
}

/** A restarting node is usually listening again within a second: start retrying quickly. */
export const DEFAULT_INITIAL_DELAY_MS = 100;
/** Cap: a client should notice a node that came back within a few seconds, not minutes. */
export const DEFAULT_MAX_DELAY_MS = 5_000;
/** Doubling is the usual trade-off between quick recovery and not hammering a down node. */
export const DEFAULT_BACKOFF_FACTOR = 2;

/**
 * Delay before reconnect attempt `attempt` (0-based): d = min(max, initial · factor^attempt),
 * then "equal jitter" — d/2 plus a random part up to d/2 — so that many clients cut off at
 * once do not come back in lockstep, yet none retries sooner than half the nominal delay.
 */
export function backoffDelay(attempt: number, opts: BackoffOptions = {}): number {
  const initial = opts.initialDelayMs ?? DEFAULT_INITIAL_DELAY_MS;
  const max = opts.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const factor = opts.factor ?? DEFAULT_BACKOFF_FACTOR;
  const random = opts.random ?? Math.random;
  const nominal = Math.min(max, initial * Math.pow(factor, Math.min(attempt, 64)));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal / 2 + (r * nominal) / 2);
}

/** What the reconnecting socket tells its owner. */
export interface ConnectionListener {
  /** A connection is open: the first one (`reconnected` false) or a new one after a drop. */
  onOpen(reconnected: boolean): void;
  onMessage(text: string): void;
  /** The open connection dropped; frames sent on it may or may not have been handled. */
  onLost(): void;
  /** No more attempts will be made (reconnect disabled, or `maxAttempts` reached). */
  onGiveUp(error: ClientError): void;
}

/** Connection state, for callers that show it. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One logical connection that survives the node restarting. */
export class ReconnectingSocket {
  #conn: SocketConnection | undefined;
  #state: ConnectionState = 'connecting';
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: string,
    private readonly Ctor: WebSocketConstructor,
    private readonly opts: { connectTimeoutMs: number; reconnect: ReconnectOptions | false },
    private readonly listener: ConnectionListener,
  ) {}

  /** Opens the first connection; rejects (without retrying) if it cannot be opened. */
  async start(): Promise<void> {
    this.#conn = await this.open();
    this.#state = 'open';
    this.listener.onOpen(false);
  }

  /** Current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /** Sends a frame on the open connection; false when there is none right now. */
  send(text: string): boolean {
    return this.#conn?.send(text) ?? false;
  }

  /** Closes for good (no more reconnects); resolves when the socket has closed. */
  async close(): Promise<void> {
    if (this.#state === 'closed' && !this.#conn) return;
    this.#state = 'closed';
    clearTimeout(this.#timer);
    const conn = this.#conn;
    this.#conn = undefined;
    await conn?.close();
  }

  private open(): Promise<SocketConnection> {
    return SocketConnection.open(this.Ctor, this.url, this.opts.connectTimeoutMs, {
      onMessage: (text) => this.listener.onMessage(text),
      onClose: () => this.dropped(),
    });
  }

  private dropped(): void {
    this.#conn = undefined;
    if (this.#state === 'closed') return;
    this.#state = 'reconnecting';
    this.listener.onLost();
    this.schedule();
  }

  private schedule(): void {
    const policy = this.opts.reconnect;
    const max = policy === false ? 0 : (policy.maxAttempts ?? Infinity);
    if (this.#attempt >= max) {
      this.#state = 'closed';
      this.listener.onGiveUp(
        new ClientError('CLIENT_CLOSED', `connection to ${this.url} lost${max > 0 ? ` and ${max} reconnect attempts failed` : ''}`, {
          url: this.url,
          attempts: this.#attempt,
        }),
      );
      return;
    }
    const delay = backoffDelay(this.#attempt++, policy === false ? {} : policy);
    this.#timer = setTimeout(() => void this.attempt(), delay);
  }

  private async attempt(): Promise<void> {
    let conn: SocketConnection;
    try {
      conn = await this.open();
    } catch {
      // refused or timed out: the node is still down; try again later
      if (this.#state !== 'closed') this.schedule();
      return;
    }
    if (this.#state === 'closed') {
      void conn.close();
      return;
    }
    this.#conn = conn;
    this.#attempt = 0;
    this.#state = 'open';
    this.listener.onOpen(true);
  }
}
