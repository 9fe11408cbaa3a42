/**
 * The client's protocol layer without a network: id matching, batches, timeouts, the
 * disconnect rule, notifications; the bounded async-iterator subscription; backoff.
 */
import { describe, expect, it } from 'vitest';
import { backoffDelay, ClientError, JsonRpcClient, RpcClientError, Subscription, type NotificationParams } from '../../../rpc/client/index.js';

/** A JsonRpcClient whose frames land in `sent` while `connected`. */
function harness(opts: { timeoutMs?: number; maxBatchLength?: number } = {}) {
  const sent: Array<{ id?: number; method?: string; params?: unknown } | Array<{ id: number; method: string }>> = [];
  const notes: NotificationParams[] = [];
  const state = { connected: true };
  const rpc = new JsonRpcClient(
    (text) => {
      if (!state.connected) return false;
      sent.push(JSON.parse(text));
      return true;
    },
    (p) => notes.push(p),
    { timeoutMs: opts.timeoutMs ?? 5_000, maxBatchLength: opts.maxBatchLength ?? 100 },
  );
  const reply = (body: unknown) => rpc.handleMessage(JSON.stringify(body));
  return { rpc, sent, notes, state, reply };
}

describe('JsonRpcClient', () => {
  it('matches responses to requests by id, in any order', async () => {
    const { rpc, sent, reply } = harness();
    const a = rpc.request('a', [1]);
    const b = rpc.request('b', { x: 2 });
    expect(sent).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'a', params: [1] },
      { jsonrpc: '2.0', id: 2, method: 'b', params: { x: 2 } },
    ]);
    reply({ jsonrpc: '2.0', id: 2, result: 'B' });
    reply({ jsonrpc: '2.0', id: 1, result: 'A' });
    expect(await a).toBe('A');
    expect(await b).toBe('B');
    expect(rpc.pendingCount).toBe(0);
  });

  it('turns error objects into RpcClientError with code, reason and data', async () => {
    const { rpc, reply } = harness();
    const p = rpc.request('tx_send', ['0x00']);
    reply({ jsonrpc: '2.0', id: 1, error: { code: -32014, message: 'nonce too low', data: { reason: 'nonce_too_low', nonce: 0, expected: 3 } } });
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcClientError);
    expect(e).toMatchObject({ code: -32014, reason: 'nonce_too_low', method: 'tx_send', data: { nonce: 0, expected: 3 } });
  });

  it('sends big integers as numbers when safe, else decimal strings', () => {
    const { rpc, sent } = harness();
    void rpc.request('m', [5n, 2n ** 64n]).catch(() => {});
    expect(sent[0]).toMatchObject({ params: [5, '18446744073709551616'] });
  });

  it('batches: one outcome per call, split into frames of maxBatchLength', async () => {
    const { rpc, sent, reply } = harness({ maxBatchLength: 2 });
    const p = rpc.batch([{ method: 'a' }, { method: 'b' }, { method: 'c', params: [1] }]);
    expect(sent.length).toBe(2);
    expect((sent[0] as unknown[]).length).toBe(2);
    reply([
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: 'Method not found', data: { reason: 'method_not_found' } } },
      { jsonrpc: '2.0', id: 1, result: 1 },
    ]);
    reply([{ jsonrpc: '2.0', id: 3, result: 3 }]);
    const out = await p;
    expect(out[0]).toEqual({ ok: true, result: 1 });
    expect(out[1].ok).toBe(false);
    expect(!out[1].ok && out[1].error.reason).toBe('method_not_found');
    expect(out[2]).toEqual({ ok: true, result: 3 });
    expect(await rpc.batch([])).toEqual([]);
  });

  it('a batch-level error (id null) rejects that batch', async () => {
    const { rpc, reply } = harness();
    const p = rpc.batch([{ method: 'a' }, { method: 'b' }]);
    reply({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request', data: { reason: 'batch_too_large', limit: 1 } } });
    await expect(p).rejects.toMatchObject({ reason: 'batch_too_large' });
    expect(rpc.pendingCount).toBe(0);
  });

  it('times out with CLIENT_TIMEOUT and ignores a late answer', async () => {
    const { rpc, reply } = harness({ timeoutMs: 20 });
    const p = rpc.request('slow');
    await expect(p).rejects.toMatchObject({ code: 'CLIENT_TIMEOUT', context: { method: 'slow' } });
    reply({ jsonrpc: '2.0', id: 1, result: 'late' }); // no throw, no effect
    expect(rpc.pendingCount).toBe(0);
  });

  it('on disconnect: in-flight requests fail, queued ones are sent on reconnect', async () => {
    const { rpc, sent, state, reply } = harness();
    const inFlight = rpc.request('tx_send', ['0x00']);
    state.connected = false;
    rpc.connectionLost();
    await expect(inFlight).rejects.toMatchObject({ code: 'CLIENT_DISCONNECTED', context: { method: 'tx_send' } });
    const queued = rpc.request('chain_getInfo');
    const noWait = rpc.request('subscribe', ['newHeads'], { waitForConnection: false });
    await expect(noWait).rejects.toMatchObject({ code: 'CLIENT_DISCONNECTED' });
    expect(sent.length).toBe(1);
    state.connected = true;
    rpc.connectionOpened();
    expect(sent.length).toBe(2);
    expect(sent[1]).toMatchObject({ method: 'chain_getInfo' });
    reply({ jsonrpc: '2.0', id: (sent[1] as { id: number }).id, result: { height: 3 } });
    expect(await queued).toEqual({ height: 3 });
  });

  it('routes notifications and calls onResult before any later frame is handled', async () => {
    const { rpc, notes, reply } = harness();
    const order: string[] = [];
    const p = rpc.request('subscribe', ['newHeads'], { onResult: (id) => order.push(`registered ${String(id)}`) });
    // the response and the first notification arrive in one read
    reply({ jsonrpc: '2.0', id: 1, result: '0xab' });
    order.push('notification');
    reply({ jsonrpc: '2.0', method: 'subscription', params: { subscription: '0xab', result: { height: 1 } } });
    expect(order).toEqual(['registered 0xab', 'notification']);
    expect(notes).toEqual([{ subscription: '0xab', result: { height: 1 } }]);
    expect(await p).toBe('0xab');
  });

  it('after close, everything fails with the close error', async () => {
    const { rpc } = harness();
    const p = rpc.request('a');
    rpc.close(new ClientError('CLIENT_CLOSED', 'closed'));
    await expect(p).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(rpc.request('b')).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('ignores frames that are not JSON or not for it', () => {
    const { rpc, reply } = harness();
    rpc.handleMessage('not json');
    reply({ jsonrpc: '2.0', id: 99, result: 1 });
    reply(42);
    expect(rpc.pendingCount).toBe(0);
  });
});

describe('Subscription', () => {
  it('is an async iterator; break calls return() which ends it once', async () => {
    let ended = 0;
    const sub = new Subscription<number>('newHeads', 10, () => ended++);
    sub.push(1);
    sub.push(2);
    const seen: number[] = [];
    for await (const n of sub) {
      seen.push(n);
      if (n === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(ended).toBe(1);
    expect(sub.closed).toBe(true);
    await sub.return();
    expect(ended).toBe(1);
    expect(await sub.next()).toEqual({ done: true, value: undefined });
  });

  it('hands items to a waiting reader without buffering', async () => {
    const sub = new Subscription<number>('newHeads', 1, () => {});
    const next = sub.next();
    sub.push(7);
    expect(await next).toEqual({ done: false, value: 7 });
    expect(sub.buffered).toBe(0);
  });

  it('drops a consumer that does not read: CLIENT_SLOW_CONSUMER, buffer discarded, unsubscribed', async () => {
    let ended = 0;
    const sub = new Subscription<number>('newHeads', 3, () => ended++);
    for (let i = 0; i < 10_000; i++) sub.push(i);
    expect(sub.buffered).toBe(0);
    expect(ended).toBe(1);
    await expect(sub.next()).rejects.toMatchObject({ code: 'CLIENT_SLOW_CONSUMER', context: { limit: 3 } });
    expect(await sub.next()).toEqual({ done: true, value: undefined });
  });

  it('end() lets buffered items be read, then done; fail() rejects a waiting reader', async () => {
    const sub = new Subscription<number>('events', 5, () => {});
    sub.push(1);
    sub.end();
    expect(await sub.next()).toEqual({ done: false, value: 1 });
    expect((await sub.next()).done).toBe(true);
    const other = new Subscription<number>('tx', 5, () => {});
    const waiting = other.next();
    other.fail(new ClientError('CLIENT_CLOSED', 'gone'));
    await expect(waiting).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(other.ready).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });
});

describe('backoffDelay', () => {
  it('grows exponentially to the cap, with equal jitter from the injected source', () => {
    const opts = { initialDelayMs: 100, maxDelayMs: 1_000, factor: 2 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, { ...opts, random: () => 0 }))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, { ...opts, random: () => 0.999999 }))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(1, { ...opts, random: () => 0.5 })).toBe(150);
    expect(backoffDelay(1_000_000, opts)).toBeLessThanOrEqual(1_000);
  });
});
