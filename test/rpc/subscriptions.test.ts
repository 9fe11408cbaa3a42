import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainEvent } from '../../rpc/eventFilter.js';
import { SubscriptionHub, type HubSources, type NotificationSink } from '../../rpc/subscriptions.js';
import { startServer, WsClient, type TestServer } from './helpers.js';

const C1 = '0x' + '11'.repeat(20);
const C2 = '0x' + '22'.repeat(20);
const HASH = '0x' + 'ab'.repeat(32);

function ev(height: number, index: number, extra: Partial<ChainEvent> = {}): ChainEvent {
  return { height, index, contract: C1, event: 'Granted', data: { patient: 'p1' }, ...extra };
}

/** A sink that records what each subscription was sent. */
function recordingSink(): NotificationSink & { frames: any[]; overflowed: string[] } {
  const frames: any[] = [];
  const overflowed: string[] = [];
  return { frames, overflowed, send: (t) => (frames.push(JSON.parse(t).params), true), writable: async () => true, overflow: (r) => void overflowed.push(r) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SubscriptionHub', () => {
  const limits = { maxSubscriptions: 64, maxPending: 100 };

  it('buffers until activation, then delivers in publication order', async () => {
    const hub = new SubscriptionHub();
    const sink = recordingSink();
    const conn = hub.connection(sink, limits);
    const id = conn.subscribe('newHeads');
    hub.publish('newHeads', { height: 1 });
    expect(sink.frames).toEqual([]);
    conn.activate(id);
    await tick();
    for (let h = 2; h <= 5; h++) hub.publish('newHeads', { height: h });
    hub.publish('finalized', { height: 1 });
    expect(sink.frames.map((f) => f.result.height)).toEqual([1, 2, 3, 4, 5]);
    expect(sink.frames.every((f) => f.subscription === id)).toBe(true);
  });

  it('matches events on contract (any case), name and field equality', async () => {
    const hub = new SubscriptionHub();
    const sink = recordingSink();
    const conn = hub.connection(sink, limits);
    const id = conn.subscribe('events', { filter: { contract: C1.toUpperCase().replace('0X', '0x'), event: 'Granted', filters: { patient: 'p1' } } });
    conn.activate(id);
    await tick();
    hub.publish('events', ev(1, 0));
    hub.publish('events', ev(1, 1, { contract: C2 }));
    hub.publish('events', ev(1, 2, { event: 'Revoked' }));
    hub.publish('events', ev(1, 3, { data: { patient: 'p2' } }));
    hub.publish('events', ev(1, 4, { data: {} }));
    hub.publish('events', ev(2, 0, { contract: C1.toUpperCase().replace('0X', '0x') }));
    expect(sink.frames.map((f) => [f.result.height, f.result.index])).toEqual([[1, 0], [2, 0]]);
  });

  it('sends a tx status only to that tx, starting with its current status, without a duplicate', async () => {
    let current: unknown = { hash: HASH, status: 'pending' };
    const hub = new SubscriptionHub({ txStatus: async () => current as { hash: string } });
    const sink = recordingSink();
    const conn = hub.connection(sink, limits);
    const id = conn.subscribe('tx', { hash: HASH.toUpperCase().replace('0X', '0x') });
    conn.activate(id);
    hub.publish('tx', { hash: HASH, status: 'pending' }); // raced with the lookup: same status
    current = undefined;
    await tick();
    hub.publish('tx', { hash: '0x' + 'cd'.repeat(32), status: 'included' });
    hub.publish('tx', { hash: HASH, status: 'included', height: 3 });
    expect(sink.frames.map((f) => f.result.status)).toEqual(['pending', 'included']);
  });

  it('resumes events from a height: replay, then live, no gap and no duplicate', async () => {
    const stored = [1, 2, 3, 4, 5].map((h) => ev(h, 0));
    let hub!: SubscriptionHub;
    const sources: HubSources = {
      async *replayEvents(_filter, from) {
        for (const e of stored.filter((x) => x.height >= from)) {
          await tick();
          // blocks keep being committed while the replay runs: 5 is both stored and published
          if (e.height === 3) {
            hub.publish('events', ev(5, 0));
            hub.publish('events', ev(6, 0));
          }
          yield e;
        }
      },
    };
    hub = new SubscriptionHub(sources);
    const sink = recordingSink();
    const conn = hub.connection(sink, limits);
    const id = conn.subscribe('events', { filter: { contract: C1 }, fromHeight: 2 });
    conn.activate(id);
    for (let i = 0; i < 20; i++) await tick();
    hub.publish('events', ev(7, 0));
    expect(sink.frames.map((f) => f.result.height)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it('enforces the per-connection limit and cleans up on unsubscribe and closeAll', () => {
    const hub = new SubscriptionHub();
    const conn = hub.connection(recordingSink(), { maxSubscriptions: 3, maxPending: 10 });
    const ids = [conn.subscribe('newHeads'), conn.subscribe('finalized'), conn.subscribe('tx', { hash: HASH })];
    expect(() => conn.subscribe('newHeads')).toThrow(expect.objectContaining({ code: -32006 }));
    expect(hub.size).toBe(3);
    expect(conn.unsubscribe(ids[0])).toBe(true);
    expect(conn.unsubscribe(ids[0])).toBe(false);
    conn.closeAll();
    expect(hub.size).toBe(0);
  });

  it('reports an overflowing pending buffer instead of growing it', () => {
    const hub = new SubscriptionHub();
    const sink = recordingSink();
    const conn = hub.connection(sink, { maxSubscriptions: 1, maxPending: 5 });
    conn.subscribe('newHeads');
    for (let i = 0; i < 7; i++) hub.publish('newHeads', i);
    expect(sink.overflowed.length).toBeGreaterThan(0);
  });
});

describe('subscriptions over WebSocket', () => {
  let srv: TestServer;
  let hub: SubscriptionHub;
  beforeAll(async () => {
    hub = new SubscriptionHub({ txStatus: () => ({ hash: HASH, status: 'pending' }), replayEvents: (_f, from) => [ev(from, 0)] });
    srv = await startServer({ hub });
  });
  afterAll(() => srv.server.close());

  it('delivers heads in order and stops after unsubscribe', async () => {
    const c = await WsClient.connect(srv.ws);
    const { result: id } = await c.call('subscribe', ['newHeads']);
    expect(id).toMatch(/^0x[0-9a-f]+$/);
    for (let h = 1; h <= 200; h++) hub.publish('newHeads', { height: h });
    const got: number[] = [];
    for (let i = 0; i < 200; i++) {
      const n = await c.notification();
      expect(n.subscription).toBe(id);
      got.push(n.result.height);
    }
    expect(got).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await c.call('unsubscribe', [id])).result).toBe(true);
    hub.publish('newHeads', { height: 201 });
    const again = await c.call('unsubscribe', { id });
    expect(again.error).toMatchObject({ code: -32007, data: { reason: 'unknown_subscription' } });
    expect(c.messages.filter((m: any) => m.method === 'subscription')).toEqual([]);
    await c.close();
  });

  it('answers subscribe before the first notification', async () => {
    const c = await WsClient.connect(srv.ws);
    c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { kind: 'tx', options: { hash: HASH } } }));
    const first = await c.next();
    expect(first).toMatchObject({ id: 1, result: expect.any(String) });
    expect(await c.notification()).toEqual({ subscription: first.result, result: { hash: HASH, status: 'pending' } });
    await c.close();
  });

  it('delivers filtered events in order, replaying from a height first', async () => {
    const c = await WsClient.connect(srv.ws);
    const { result: id } = await c.call('subscribe', ['events', { contract: C1, event: 'Granted', filters: { patient: 'p1' }, fromHeight: 3 }]);
    hub.publish('events', ev(4, 0, { data: { patient: 'p2' } }));
    hub.publish('events', ev(4, 1));
    hub.publish('events', ev(5, 0, { contract: C2 }));
    hub.publish('events', ev(5, 1));
    const got = [await c.notification(), await c.notification(), await c.notification()];
    expect(got.map((n) => [n.subscription, n.result.height, n.result.index])).toEqual([
      [id, 3, 0],
      [id, 4, 1],
      [id, 5, 1],
    ]);
    await c.close();
  });

  it('validates options per kind, naming the param', async () => {
    const c = await WsClient.connect(srv.ws);
    const cases: Array<[unknown, string]> = [
      [['tx'], 'options.hash'],
      [['tx', { hash: '0x12' }], 'options.hash'],
      [['newHeads', { contract: C1 }], 'options.contract'],
      [['events', { contract: 'nope' }], 'options.contract'],
      [['events', { hash: HASH }], 'options.hash'],
      [['events', { filters: { a: { nested: 1 } } }], 'options.filters.a'],
      [['events', { fromHeight: -1 }], 'options.fromHeight'],
      [['blocks'], 'kind'],
      [{}, 'kind'],
    ];
    for (const [params, param] of cases) {
      const r = await c.call('subscribe', params);
      expect(r.error?.code, JSON.stringify(params)).toBe(-32602);
      expect(r.error.data.param, JSON.stringify(params)).toBe(param);
    }
    await c.close();
  });

  it('refuses the 65th subscription and keeps the first 64 working; closing frees them', async () => {
    const c = await WsClient.connect(srv.ws);
    const before = hub.size;
    const ids: string[] = [];
    for (let i = 0; i < 64; i++) ids.push((await c.call('subscribe', ['finalized'])).result);
    const r = await c.call('subscribe', ['finalized']);
    expect(r.error).toMatchObject({ code: -32006, data: { reason: 'too_many_subscriptions', limit: 64 } });
    hub.publish('finalized', { height: 9 });
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) seen.add((await c.notification()).subscription);
    expect(seen).toEqual(new Set(ids));
    expect(hub.size).toBe(before + 64);
    await c.close();
    await new Promise((res) => setTimeout(res, 50));
    expect(hub.size).toBe(before);
  });
});
