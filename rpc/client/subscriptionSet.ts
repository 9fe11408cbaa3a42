/**
 * The client's subscriptions across connections. After a reconnect each live subscription is
 * made again on the new connection and resumed so that nothing is duplicated and, where the
 * node makes it possible, nothing is missed:
 * - `events`: re-subscribed with `fromHeight` = the height of the last event delivered (or the
 *   height after the head when it was first made, if none was), and replayed events at or before the
 *   last delivered (height, index) are dropped. A node that cannot replay refuses
 *   `fromHeight`; the subscription then continues live-only and counts a `resumeGaps`.
 * - `newHeads` / `finalized`: heads the node published while the client was away are fetched
 *   with `chain_getHeader` (at most MAX_BACKFILL_HEADERS), live ones wait meanwhile, and a
 *   head at or below the last delivered height is never delivered twice.
 * - `tx`: simply re-subscribed (`sendAndWait` also polls, which covers a status missed).
 */
import { ClientError, RpcClientError } from './errors.js';
import type { BatchCall, BatchOutcome, JsonRpcClient, NotificationParams, RequestOptions } from './jsonRpcClient.js';
import { Subscription } from './subscription.js';
import type { ChainInfo, SubscriptionItems, SubscriptionKind } from './types.js';

/** Most missed heads fetched after a reconnect: ~8 minutes of 500 ms blocks. Older ones are
 * skipped (counted in `resumeGaps`): a consumer that far behind should re-read the chain. */
export const MAX_BACKFILL_HEADERS = 1_000;

interface Position {
  height: number;
  index: number;
}

interface Managed {
  kind: SubscriptionKind;
  options: Record<string, unknown>;
  sub: Subscription<unknown>;
  /** Connection epoch it is established on (0: none). */
  epoch: number;
  /** Live items held while missed heads are fetched after a reconnect. */
  held: unknown[] | undefined;
  /** Last delivered head height / event position. */
  lastHeight?: number;
  lastEvent?: Position;
  /** Where an `events` subscription resumes if it has delivered nothing yet. */
  resumeFrom?: number;
}

type Rpc = Pick<JsonRpcClient, 'batch'> & {
  request<T>(method: string, params?: unknown[] | Record<string, unknown>, opts?: RequestOptions): Promise<T>;
};

/** Owns every subscription of one client. */
export class SubscriptionSet {
  readonly #all = new Set<Managed>();
  readonly #byId = new Map<string, Managed>();
  #epoch = 0;
  #open = false;

  constructor(private readonly rpc: Rpc) {}

  /** Starts a subscription (made on the node now, or when a connection opens). */
  add<K extends SubscriptionKind>(kind: K, options: Record<string, unknown>, maxBuffered: number): Subscription<SubscriptionItems[K]> {
    const m: Managed = { kind, options, sub: undefined as unknown as Subscription<unknown>, epoch: 0, held: undefined };
    m.sub = new Subscription<unknown>(kind, maxBuffered, () => this.drop(m));
    if (kind === 'events' && typeof options.fromHeight === 'number') m.resumeFrom = options.fromHeight;
    this.#all.add(m);
    if (this.#open) void this.establish(m, false);
    return m.sub as Subscription<SubscriptionItems[K]>;
  }

  /** A connection opened: (re)makes every subscription on it. */
  onOpen(reconnected: boolean): void {
    this.#epoch++;
    this.#open = true;
    for (const m of this.#all) void this.establish(m, reconnected && m.epoch === -1);
  }

  /** The connection dropped: every server id is gone with it. */
  onLost(): void {
    this.#open = false;
    this.#byId.clear();
    for (const m of this.#all) {
      // -1: it was (or was being) established, so the next open resumes it
      m.epoch = -1;
      m.held = undefined;
      m.sub.detached();
    }
  }

  /** Routes a notification to its subscription. */
  onNotification(p: NotificationParams): void {
    const m = this.#byId.get(p.subscription);
    if (!m) return; // unsubscribed meanwhile
    if (p.error) {
      this.forget(m);
      m.sub.fail(new RpcClientError(p.error, 'subscribe'));
    } else if (m.held) {
      if (m.held.length < m.sub.maxBuffered) m.held.push(p.result);
      else {
        this.drop(m);
        m.sub.fail(new ClientError('CLIENT_SLOW_CONSUMER', `${m.kind} subscription dropped: more than ${m.sub.maxBuffered} items arrived while resuming`), true);
      }
    } else this.deliver(m, p.result);
  }

  /** Ends every subscription: with `error`, or normally (their buffered items stay readable). */
  closeAll(error?: Error): void {
    for (const m of [...this.#all]) {
      this.forget(m);
      if (error) m.sub.fail(error);
      else m.sub.end();
    }
  }

  private async establish(m: Managed, resume: boolean): Promise<void> {
    const epoch = this.#epoch;
    m.epoch = epoch;
    const options = { ...m.options };
    try {
      if (m.kind === 'events') {
        const from = m.lastEvent?.height ?? m.resumeFrom;
        if (resume && from !== undefined) options.fromHeight = from;
        else if (m.resumeFrom === undefined) {
          // Where to resume if the connection drops before any event arrives: the blocks after
          // the current head (events of blocks made before subscribing are history, not missed).
          m.resumeFrom = (await this.rpc.request<ChainInfo>('chain_getInfo', [], { waitForConnection: false })).height + 1;
        }
      }
      const backfill = resume && (m.kind === 'newHeads' || m.kind === 'finalized') && m.lastHeight !== undefined;
      if (backfill) m.held = [];
      await this.subscribe(m, epoch, options);
      if (backfill) await this.backfill(m, epoch);
    } catch (e) {
      if (this.#epoch !== epoch || m.sub.closed) return; // a newer connection redoes it
      if (e instanceof ClientError && e.code === 'CLIENT_DISCONNECTED') return; // so will the next open
      const fromHeightRefused = e instanceof RpcClientError && e.reason === 'invalid_params' && e.data.param === 'options.fromHeight';
      if (fromHeightRefused && m.options.fromHeight === undefined && options.fromHeight !== undefined) {
        // this node cannot replay events: carry on live-only, and say so
        m.sub.gap();
        delete options.fromHeight;
        await this.subscribe(m, epoch, options).catch((e2: Error) => this.failIfCurrent(m, epoch, e2));
        return;
      }
      this.failIfCurrent(m, epoch, e as Error);
    }
  }

  private failIfCurrent(m: Managed, epoch: number, e: Error): void {
    if (this.#epoch !== epoch || m.sub.closed) return;
    if (e instanceof ClientError && e.code === 'CLIENT_DISCONNECTED') return;
    this.forget(m);
    m.sub.fail(e);
  }

  /** Sends `subscribe`; the id is registered as the response is read, before any notification. */
  private subscribe(m: Managed, epoch: number, options: Record<string, unknown>): Promise<unknown> {
    const params = Object.keys(options).length > 0 ? [m.kind, options] : [m.kind];
    return this.rpc.request<string>('subscribe', params, {
      waitForConnection: false,
      onResult: (id) => {
        if (typeof id !== 'string') throw new ClientError('CLIENT_BAD_RESPONSE', 'subscribe: the id is not a string');
        if (epoch !== this.#epoch) return;
        if (m.sub.closed) return void this.unsubscribe(id);
        this.#byId.set(id, m);
        m.sub.established(id);
      },
    });
  }

  /** Delivers the heads published while away, then the live ones held meanwhile. */
  private async backfill(m: Managed, epoch: number): Promise<void> {
    let headers: BatchOutcome[] = [];
    try {
      const info = await this.rpc.request<ChainInfo>('chain_getInfo', [], { waitForConnection: false });
      const tip = m.kind === 'newHeads' ? info.height : info.finalizedHeight;
      let from = (m.lastHeight as number) + 1;
      if (tip - from + 1 > MAX_BACKFILL_HEADERS) {
        m.sub.gap();
        from = tip - MAX_BACKFILL_HEADERS + 1;
      }
      const calls: BatchCall[] = [];
      for (let h = from; h <= tip; h++) calls.push({ method: 'chain_getHeader', params: [h] });
      if (calls.length > 0) headers = await this.rpc.batch(calls, { waitForConnection: false });
    } catch (e) {
      if (epoch !== this.#epoch || (e instanceof ClientError && e.code === 'CLIENT_DISCONNECTED')) return; // the next open redoes it
      m.sub.gap(); // the node would not say what was missed: carry on live
    }
    if (epoch !== this.#epoch || m.sub.closed) return;
    // a header the node would not give (rate limit) is a hole the consumer must hear about
    if (headers.some((h) => !h.ok)) m.sub.gap();
    for (const h of headers) if (h.ok && h.result !== null) this.deliver(m, h.result);
    const held = m.held ?? [];
    m.held = undefined;
    for (const item of held) this.deliver(m, item);
  }

  /** Pushes an item unless it was delivered already (by position). */
  private deliver(m: Managed, item: unknown): void {
    const o = item as { height?: unknown; index?: unknown };
    if ((m.kind === 'newHeads' || m.kind === 'finalized') && typeof o?.height === 'number') {
      if (m.lastHeight !== undefined && o.height <= m.lastHeight) return;
      m.lastHeight = o.height;
    } else if (m.kind === 'events' && typeof o?.height === 'number' && typeof o.index === 'number') {
      const pos = { height: o.height, index: o.index };
      const last = m.lastEvent;
      if (last && (pos.height < last.height || (pos.height === last.height && pos.index <= last.index))) return;
      m.lastEvent = pos;
    }
    m.sub.push(item);
  }

  /** The consumer ended it (return or overflow): unsubscribe on the node. */
  private drop(m: Managed): void {
    const id = m.sub.id ?? [...this.#byId].find(([, v]) => v === m)?.[0];
    this.forget(m);
    if (id !== undefined) void this.unsubscribe(id);
  }

  private forget(m: Managed): void {
    this.#all.delete(m);
    for (const [id, v] of this.#byId) if (v === m) this.#byId.delete(id);
  }

  private unsubscribe(id: string): Promise<unknown> {
    // best effort: if the connection is gone, so is the subscription
    return this.rpc.request('unsubscribe', [id], { waitForConnection: false }).catch(() => undefined);
  }
}
