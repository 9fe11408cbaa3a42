/**
 * Subscriptions: the hub the node publishes chain happenings into, and each WebSocket
 * connection's registry of what it subscribed to. A publication is serialised once and
 * fanned out as text. A new subscription buffers live items until its `subscribe` response has
 * been sent and any history (events from a height, a tx's current status) has been replayed,
 * so clients see everything in order with no gap and no duplicate.
 */
import { randomBytes } from 'node:crypto';
import { RpcError } from './errors.js';
import { resultJson } from './dispatcher.js';
import { isAfter, matchesEvent, normalizeFilter, type ChainEvent, type EventFilter, type EventPosition } from './eventFilter.js';
import { NOOP_LOGGER, type RpcLogger } from './logger.js';

/** Subscription topics (issue 5). */
export type SubscriptionKind = 'newHeads' | 'finalized' | 'events' | 'tx';

/** A transaction's status update, keyed by its hash (other members are passed through). */
export interface TxStatus {
  hash: string;
  [extra: string]: unknown;
}

/** What each kind publishes. Heads and blocks are whatever JSON the chain defines for them. */
export interface Publications {
  newHeads: unknown;
  finalized: unknown;
  events: ChainEvent;
  tx: TxStatus;
}

/** Options of `subscribe`, per kind (already validated by subscriptionMethods.ts). */
export interface SubscribeOptions {
  filter?: EventFilter;
  fromHeight?: number;
  hash?: string;
}

/** History the node can replay into new subscriptions; both are optional. */
export interface HubSources {
  /** Past events matching `filter` at heights ≥ `fromHeight`, in chain order. Must include every event already published. */
  replayEvents?(filter: EventFilter, fromHeight: number): AsyncIterable<ChainEvent> | Iterable<ChainEvent>;
  /** A tx's current status, sent first to a new `tx` subscription (it may be final already). */
  txStatus?(hash: string): TxStatus | undefined | Promise<TxStatus | undefined>;
}

/** Where a connection's notifications go (implemented by the WebSocket transport). */
export interface NotificationSink {
  /** Queues a frame; false when the connection is closing (nothing more will be sent). */
  send(text: string): boolean;
  /** Resolves true once the client has drained enough to continue a replay, false if it went away. */
  writable(): Promise<boolean>;
  /** The client cannot keep up; the transport drops it. */
  overflow(reason: string): void;
}

type State = 'pending' | 'replaying' | 'live' | 'closed';

class Subscription {
  state: State = 'pending';
  /** Live items that arrived before the subscription went live, with their positions. */
  buffer: Array<{ json: string; pos?: EventPosition }> = [];

  constructor(
    readonly id: string,
    readonly kind: SubscriptionKind,
    readonly opts: SubscribeOptions,
    readonly conn: ConnectionSubscriptions,
  ) {}

  /** Hands one published item (already JSON) to the client or to the pending buffer. */
  push(json: string, pos?: EventPosition): void {
    if (this.state === 'live') this.conn.notify(this.id, json);
    else if (this.state !== 'closed') {
      if (this.buffer.length >= this.conn.maxPending) this.conn.sink.overflow(`subscription ${this.id} buffered more than ${this.conn.maxPending} notifications`);
      else this.buffer.push({ json, pos });
    }
  }
}

// Ids: a per-process random prefix plus a counter; unique, and not guessable across processes.
const ID_PREFIX = randomBytes(6).toString('hex');
let idCounter = 0;

/** The node publishes into this; it fans out to every matching subscription. */
export class SubscriptionHub {
  private readonly heads = new Set<Subscription>();
  private readonly finals = new Set<Subscription>();
  private readonly events = new Set<Subscription>();
  private readonly txs = new Map<string, Set<Subscription>>();
  readonly logger: RpcLogger;

  constructor(readonly sources: HubSources = {}, deps: { logger?: RpcLogger } = {}) {
    this.logger = deps.logger ?? NOOP_LOGGER;
  }

  /** Publishes one item to the subscribers of `kind` (a tx status only to that tx's subscribers). */
  publish<K extends SubscriptionKind>(kind: K, value: Publications[K]): void {
    const json = resultJson(value);
    if (kind === 'newHeads' || kind === 'finalized') {
      for (const s of kind === 'newHeads' ? this.heads : this.finals) s.push(json);
    } else if (kind === 'events') {
      const e = value as ChainEvent;
      const contract = typeof e.contract === 'string' ? e.contract.toLowerCase() : '';
      const pos = { height: e.height, index: e.index };
      for (const s of this.events) if (matchesEvent(s.opts.filter ?? {}, e, contract)) s.push(json, pos);
    } else {
      const subs = this.txs.get(normalizeHash((value as TxStatus).hash));
      if (subs) for (const s of subs) s.push(json);
    }
  }

  /** Number of live subscriptions across all connections (for metrics and tests). */
  get size(): number {
    let n = this.heads.size + this.finals.size + this.events.size;
    for (const s of this.txs.values()) n += s.size;
    return n;
  }

  /** A registry for one connection. */
  connection(sink: NotificationSink, limits: { maxSubscriptions: number; maxPending: number }): ConnectionSubscriptions {
    return new ConnectionSubscriptions(this, sink, limits.maxSubscriptions, limits.maxPending);
  }

  /** @internal */
  add(s: Subscription): void {
    if (s.kind === 'tx') {
      const key = s.opts.hash as string;
      let set = this.txs.get(key);
      if (!set) this.txs.set(key, (set = new Set()));
      set.add(s);
    } else this.setOf(s.kind).add(s);
  }

  /** @internal */
  remove(s: Subscription): void {
    if (s.kind === 'tx') {
      const key = s.opts.hash as string;
      const set = this.txs.get(key);
      set?.delete(s);
      if (set?.size === 0) this.txs.delete(key);
    } else this.setOf(s.kind).delete(s);
  }

  private setOf(kind: 'newHeads' | 'finalized' | 'events'): Set<Subscription> {
    return kind === 'newHeads' ? this.heads : kind === 'finalized' ? this.finals : this.events;
  }
}

function normalizeHash(h: unknown): string {
  return typeof h === 'string' ? h.toLowerCase() : '';
}

/** One connection's subscriptions; closing the connection must call `closeAll()`. */
export class ConnectionSubscriptions {
  private readonly subs = new Map<string, Subscription>();

  constructor(
    private readonly hub: SubscriptionHub,
    readonly sink: NotificationSink,
    private readonly maxSubscriptions: number,
    readonly maxPending: number,
  ) {}

  /** Registers a subscription (buffering until `activate`); throws RpcError when over the limit. */
  subscribe(kind: SubscriptionKind, opts: SubscribeOptions = {}): string {
    if (this.subs.size >= this.maxSubscriptions) {
      throw RpcError.app('too_many_subscriptions', `at most ${this.maxSubscriptions} subscriptions per connection`, { limit: this.maxSubscriptions });
    }
    if (opts.fromHeight !== undefined && !this.hub.sources.replayEvents) {
      throw RpcError.invalidParams('options.fromHeight', 'this node cannot replay past events');
    }
    const normalized: SubscribeOptions = {
      ...(opts.filter ? { filter: normalizeFilter(opts.filter) } : {}),
      ...(opts.fromHeight !== undefined ? { fromHeight: opts.fromHeight } : {}),
      ...(opts.hash !== undefined ? { hash: normalizeHash(opts.hash) } : {}),
    };
    const id = `0x${ID_PREFIX}${(idCounter++).toString(16).padStart(8, '0')}`;
    const s = new Subscription(id, kind, normalized, this);
    this.subs.set(id, s);
    this.hub.add(s);
    return id;
  }

  /** Starts delivery: replays history if any, then the buffered and live items. */
  activate(id: string): void {
    const s = this.subs.get(id);
    if (!s || s.state !== 'pending') return;
    s.state = 'replaying';
    this.replay(s).then(
      (after) => this.goLive(s, after),
      (e) => {
        this.hub.logger.warn('rpc: subscription replay failed', { id, kind: s.kind }, e);
        if (s.state !== 'closed') this.sink.send(`{"jsonrpc":"2.0","method":"subscription","params":{"subscription":"${id}","error":${JSON.stringify(RpcError.internal())}}}`);
        this.unsubscribe(id);
      },
    );
  }

  /** Ends a subscription; false if this connection has none with that id. */
  unsubscribe(id: string): boolean {
    const s = this.subs.get(id);
    if (!s) return false;
    s.state = 'closed';
    s.buffer = [];
    this.subs.delete(id);
    this.hub.remove(s);
    return true;
  }

  /** Ends every subscription of the connection. */
  closeAll(): void {
    for (const id of [...this.subs.keys()]) this.unsubscribe(id);
  }

  /** Number of subscriptions held. */
  get count(): number {
    return this.subs.size;
  }

  /** @internal Sends one notification frame. */
  notify(id: string, json: string): void {
    this.sink.send(`{"jsonrpc":"2.0","method":"subscription","params":{"subscription":"${id}","result":${json}}}`);
  }

  /** Sends history; returns what later buffered items must come after to not be duplicates. */
  private async replay(s: Subscription): Promise<{ last?: EventPosition; sentJson?: string }> {
    const src = this.hub.sources;
    if (s.kind === 'tx' && src.txStatus) {
      const status = await src.txStatus(s.opts.hash as string);
      if (status === undefined || s.state === 'closed') return {};
      const json = resultJson(status);
      this.notify(s.id, json);
      return { sentJson: json };
    }
    if (s.kind !== 'events' || s.opts.fromHeight === undefined || !src.replayEvents) return {};
    const filter = s.opts.filter ?? {};
    let last: EventPosition | undefined;
    for await (const e of src.replayEvents(filter, s.opts.fromHeight)) {
      if (s.state === 'closed') return {};
      // the source should filter; checking again keeps a sloppy source from leaking events
      if (!matchesEvent(filter, e, String(e.contract).toLowerCase())) continue;
      const pos = { height: e.height, index: e.index };
      if (last && !isAfter(pos, last)) continue;
      this.notify(s.id, resultJson(e));
      last = pos;
      if (!(await this.sink.writable())) return {};
    }
    return { last };
  }

  private goLive(s: Subscription, after: { last?: EventPosition; sentJson?: string } = {}): void {
    if (s.state === 'closed') return;
    for (const item of s.buffer) {
      if (after.last && item.pos && !isAfter(item.pos, after.last)) continue;
      if (after.sentJson !== undefined && item.json === after.sentJson) continue;
      this.notify(s.id, item.json);
    }
    s.buffer = [];
    s.state = 'live';
  }
}
