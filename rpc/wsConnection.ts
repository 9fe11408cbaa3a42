/**
 * One WebSocket client: frames in, responses and notifications out, with the per-connection
 * limits (rate, in-flight requests, send buffer). A client that stops reading is dropped with
 * close code 1008 (policy violation) once its queued bytes pass the bound, instead of the
 * server buffering for it without limit; nothing it does touches other connections.
 */
import type { RawData, WebSocket } from 'ws';
import type { RpcContext } from './context.js';
import type { Dispatcher } from './dispatcher.js';
import { RpcError } from './errors.js';
import type { RpcLimits } from './limits.js';
import type { RpcLogger } from './logger.js';
import type { ConnectionSubscriptions, NotificationSink, SubscriptionHub } from './subscriptions.js';
import { TokenBucket } from '../core/ratelimit/tokenBucket.js';

/** RFC 6455 §7.4.1 close codes used here. */
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_POLICY_VIOLATION = 1008;

/** How often a paused replay re-checks whether the client drained its buffer. */
const WRITABLE_POLL_MS = 10;

/** What a connection needs from the server. */
export interface WsConnectionDeps {
  dispatcher: Dispatcher;
  hub?: SubscriptionHub;
  limits: RpcLimits;
  logger: RpcLogger;
  /** Called once when the connection is gone (closed or terminated). */
  onClose(conn: WsConnection): void;
  /** Called when the connection is dropped for not reading (for stats). */
  onSlowConsumer(conn: WsConnection): void;
}

/** A live WebSocket client of the RPC server. */
export class WsConnection implements NotificationSink {
  /** False once a ping went unanswered for a whole interval. */
  alive = true;
  private closing = false;
  private inFlight = 0;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly bucket: TokenBucket;
  private readonly subscriptions: ConnectionSubscriptions | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly id: number,
    readonly remoteAddress: string | undefined,
    private readonly deps: WsConnectionDeps,
  ) {
    const { limits } = deps;
    this.bucket = new TokenBucket(limits.requestsPerSecond, limits.requestBurst);
    this.subscriptions = deps.hub?.connection(this, {
      maxSubscriptions: limits.maxSubscriptionsPerConnection,
      maxPending: limits.maxPendingNotifications,
    });
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    // ws reports protocol violations (oversized frame → 1009, bad UTF-8 → 1007) as an error and
    // closes the socket itself; we only record it.
    ws.on('error', (e) => deps.logger.debug('rpc: websocket error', { connection: id, error: (e as Error).message }));
    ws.once('close', () => this.onClosed());
  }

  /** Queues a frame; drops the client (1008) if that pushes its unread bytes past the bound. */
  send(text: string): boolean {
    if (this.closing || this.ws.readyState !== this.ws.OPEN) return false;
    this.ws.send(text);
    if (this.ws.bufferedAmount > this.deps.limits.maxSendBufferBytes) this.dropSlow('send buffer limit exceeded');
    return true;
  }

  /** Resolves when the unread bytes fall below half the bound (true) or the connection ends (false). */
  async writable(): Promise<boolean> {
    const low = this.deps.limits.maxSendBufferBytes / 2;
    while (!this.closing && this.ws.bufferedAmount > low) {
      await new Promise((r) => setTimeout(r, WRITABLE_POLL_MS));
    }
    return !this.closing;
  }

  /** A subscription could not keep up: same treatment as a full send buffer. */
  overflow(reason: string): void {
    this.deps.logger.warn('rpc: subscription overflow', { connection: this.id, reason });
    this.dropSlow('notification backlog limit exceeded');
  }

  private dropSlow(reason: string): void {
    if (this.closing) return;
    this.deps.onSlowConsumer(this);
    this.drop(CLOSE_POLICY_VIOLATION, reason);
  }

  /** Closes with `code`, stops all traffic at once and destroys the socket after the grace period. */
  drop(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.subscriptions?.closeAll();
    this.deps.logger.info('rpc: closing connection', { connection: this.id, code, reason });
    this.ws.close(code, reason);
    // a client that does not read will never read the close frame either
    this.killTimer = setTimeout(() => this.ws.terminate(), this.deps.limits.closeGraceMs);
    this.killTimer.unref();
  }

  /** Number of subscriptions held (for stats). */
  get subscriptionCount(): number {
    return this.subscriptions?.count ?? 0;
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    // binaryType is 'nodebuffer', so data is one Buffer; binary frames are read as UTF-8 JSON too
    const text = (data as Buffer).toString('utf8');
    void isBinary;
    const hooks: Array<() => void> = [];
    const ctx: RpcContext = {
      transport: 'ws',
      connectionId: this.id,
      remoteAddress: this.remoteAddress,
      subscriptions: this.subscriptions,
      admit: () => this.admit(),
      afterResponse: (fn) => void hooks.push(fn),
    };
    this.inFlight++;
    this.deps.dispatcher.handleText(text, ctx).then(
      (response) => {
        this.inFlight--;
        if (response !== undefined) this.send(response);
        for (const fn of hooks) fn();
      },
      (e) => {
        // the dispatcher answers every failure itself; reaching here is a bug, not client input
        this.inFlight--;
        this.deps.logger.error('rpc: dispatcher failed', { connection: this.id }, e);
        this.send(`{"jsonrpc":"2.0","id":null,"error":${JSON.stringify(RpcError.internal())}}`);
      },
    );
  }

  private admit(): RpcError | undefined {
    if (this.inFlight > this.deps.limits.maxInFlightPerConnection) {
      return RpcError.app('rate_limited', `more than ${this.deps.limits.maxInFlightPerConnection} requests in flight on this connection`, { limit: 'inFlight' });
    }
    if (!this.bucket.tryTake()) {
      return RpcError.app('rate_limited', `more than ${this.deps.limits.requestsPerSecond} requests/s on this connection`, {
        limit: 'requestsPerSecond',
        retryAfterMs: this.bucket.retryAfterMs(),
      });
    }
    return undefined;
  }

  private onClosed(): void {
    this.closing = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    this.subscriptions?.closeAll();
    this.deps.onClose(this);
  }
}
