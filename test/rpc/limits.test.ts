/**
 * The limits of issue 5: each is hit by one client while another keeps being served.
 */
import { describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { MethodSpec } from '../../rpc/methodTable.js';
import { SubscriptionHub } from '../../rpc/subscriptions.js';
import { post, recordingLogger, startServer, WsClient } from './helpers.js';

const MiB = 1024 * 1024;

async function stillServed(url: string): Promise<void> {
  const c = await WsClient.connect(url);
  expect((await c.call('get_data')).result).toEqual(['hello', 5]);
  await c.close();
}

describe('frame size', () => {
  it('closes a WebSocket that sends a frame over 1 MiB with 1009, others unaffected', async () => {
    const srv = await startServer();
    const other = await WsClient.connect(srv.ws);
    const big = await WsClient.connect(srv.ws);
    big.ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'get_data', params: ['x'.repeat(MiB)] }));
    expect((await big.closed).code).toBe(1009);
    expect((await other.call('get_data')).result).toEqual(['hello', 5]);
    await other.close();
    await srv.server.close();
  });

  it('answers an HTTP body over 1 MiB with 413 and frame_too_large', async () => {
    const srv = await startServer();
    const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ' '.repeat(MiB + 1) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: -32600, data: { reason: 'frame_too_large', limit: MiB } } });
    await stillServed(srv.ws);
    await srv.server.close();
  });
});

describe('batch length', () => {
  it('answers a 10,000-entry batch with one -32600 naming the limit, on both transports', async () => {
    const srv = await startServer();
    const batch = JSON.stringify(Array.from({ length: 10_000 }, (_, i) => ({ jsonrpc: '2.0', method: 'get_data', id: i })));
    const expected = { jsonrpc: '2.0', id: null, error: { code: -32600, data: { reason: 'batch_too_large', limit: 100 } } };
    expect(await post(srv.http, batch)).toMatchObject(expected);
    const c = await WsClient.connect(srv.ws);
    expect(await c.raw(batch)).toMatchObject(expected);
    // exactly at the limit is fine
    const full = (await c.raw(JSON.stringify(Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', method: 'get_data', id: i }))))) as unknown[];
    expect(full).toHaveLength(100);
    await c.close();
    await srv.server.close();
  });
});

describe('slow consumers', () => {
  it('drops a reader that stalls while notifications are pushed (1008), and keeps serving others', async () => {
    const hub = new SubscriptionHub();
    const logger = recordingLogger();
    const srv = await startServer({ hub, logger, limits: { maxSendBufferBytes: 256 * 1024, closeGraceMs: 5_000 } });
    const stalled = await WsClient.connect(srv.ws);
    await stalled.call('subscribe', ['newHeads']);
    const other = await WsClient.connect(srv.ws);
    await other.call('subscribe', ['newHeads']);
    stalled.ws.pause(); // stop reading: the kernel buffers fill, then the server's send buffer
    const head = { height: 0, padding: 'x'.repeat(16 * 1024) };
    let sent = 0;
    // One head per turn of the event loop, as a node publishes them; bounded at 4,000 × 16 KiB.
    while (srv.server.stats().slowConsumersDropped === 0 && sent < 4_000) {
      hub.publish('newHeads', { ...head, height: sent++ });
      await new Promise((r) => setImmediate(r));
      if (sent % 50 === 0) {
        // the healthy client reads along and is answered throughout
        expect((await other.call('get_data')).result).toEqual(['hello', 5]);
        other.messages.length = 0;
      }
    }
    expect(srv.server.stats().slowConsumersDropped).toBe(1);
    expect(logger.lines.some((l) => l.msg.includes('slow consumer'))).toBe(true);
    expect((await other.call('get_data')).result).toEqual(['hello', 5]);
    stalled.ws.resume();
    expect((await stalled.closed).code).toBe(1008);
    for (let i = 0; i < 100 && srv.server.stats().connections > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(srv.server.stats().connections).toBe(1);
    await other.close();
    await srv.server.close();
  });
});

describe('connections', () => {
  it('refuses upgrades beyond the connection cap with 503 and accepts again once one leaves', async () => {
    const srv = await startServer({ limits: { maxConnections: 3 } });
    const open = await Promise.all([1, 2, 3].map(() => WsClient.connect(srv.ws)));
    await expect(WsClient.connect(srv.ws)).rejects.toThrow('HTTP 503');
    expect(srv.server.stats().rejectedConnections).toBe(1);
    expect(await post(srv.http, '{"jsonrpc":"2.0","id":1,"method":"get_data"}')).toMatchObject({ result: ['hello', 5] });
    await open[0].close();
    await new Promise((r) => setTimeout(r, 50));
    await stillServed(srv.ws);
    await Promise.all(open.slice(1).map((c) => c.close()));
    await srv.server.close();
  });

  it('close() closes every connection with 1001 and resolves', async () => {
    const srv = await startServer();
    const cs = await Promise.all([1, 2].map(() => WsClient.connect(srv.ws)));
    await srv.server.close();
    for (const c of cs) expect((await c.closed).code).toBe(1001);
    expect(srv.server.address()).toBeUndefined();
  });
});

describe('request rate', () => {
  it('answers requests over the rate with -32005 rate_limited without disconnecting, per connection', async () => {
    const srv = await startServer({ limits: { requestsPerSecond: 10, requestBurst: 20 } });
    const greedy = await WsClient.connect(srv.ws);
    const batch = Array.from({ length: 30 }, (_, i) => ({ jsonrpc: '2.0', method: 'get_data', id: i }));
    const answers = (await greedy.raw(JSON.stringify(batch))) as Array<{ result?: unknown; error?: { code: number; data: { reason: string } } }>;
    expect(answers.filter((a) => a.result).length).toBe(20);
    const refused = answers.filter((a) => a.error);
    expect(refused.length).toBe(10);
    expect(refused.every((a) => a.error!.code === -32005 && a.error!.data.reason === 'rate_limited')).toBe(true);
    await stillServed(srv.ws);
    await new Promise((r) => setTimeout(r, 250)); // ~2 tokens refill
    expect((await greedy.call('get_data')).result).toEqual(['hello', 5]);
    await greedy.close();
    await srv.server.close();
  });

  it('bounds requests in flight per connection', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: MethodSpec = { name: 'slow', summary: 'waits', params: [], result: { name: 'r', schema: {} }, handler: async () => (await gate, 'done') };
    const srv = await startServer({ extra: [slow], limits: { maxInFlightPerConnection: 2 } });
    const c = await WsClient.connect(srv.ws);
    for (let i = 1; i <= 4; i++) c.ws.send(JSON.stringify({ jsonrpc: '2.0', id: i, method: 'slow' }));
    const refused = await c.next();
    expect(refused).toMatchObject({ error: { code: -32005, data: { reason: 'rate_limited', limit: 'inFlight' } } });
    await stillServed(srv.ws);
    release();
    const rest = [await c.next(), await c.next(), await c.next()];
    expect(rest.filter((m: any) => m.result === 'done')).toHaveLength(2);
    await c.close();
    await srv.server.close();
  });
});

describe('sockets that misbehave at the HTTP level', () => {
  /** Writes raw bytes to the port and returns the status line of the answer ('' if none). */
  function rawExchange(port: number, bytes: string): Promise<string> {
    return new Promise((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(bytes));
      let got = '';
      sock.on('data', (d) => (got += d.toString('latin1')));
      sock.on('error', () => undefined);
      sock.on('close', () => resolve(got.split('\r\n')[0]));
      sock.setTimeout(2000, () => sock.destroy());
    });
  }

  it('answers a bad upgrade and garbage bytes with 4xx and keeps serving', async () => {
    const srv = await startServer();
    const port = Number(new URL(srv.http).port);
    const badUpgrade = 'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n';
    expect(await rawExchange(port, badUpgrade)).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawExchange(port, 'GET /other HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')).toMatch(/^HTTP\/1\.1 404/);
    expect(await rawExchange(port, '\x00\x01\x02 garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    await stillServed(srv.ws);
    await srv.server.close();
  });

  it('survives clients that hang up mid-headers or mid-body', async () => {
    const srv = await startServer();
    const port = Number(new URL(srv.http).port);
    const partial = [
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc"',
      'POST / HTTP/1.1\r\nHost: x\r\n',
    ];
    for (const bytes of partial) {
      await new Promise<void>((resolve) => {
        const sock = connect(port, '127.0.0.1', () => {
          sock.write(bytes);
          setTimeout(() => (sock.destroy(), resolve()), 30);
        });
      });
    }
    expect(await post(srv.http, '{"jsonrpc":"2.0","id":1,"method":"get_data"}')).toMatchObject({ result: ['hello', 5] });
    await srv.server.close();
  });
});
