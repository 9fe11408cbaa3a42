import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthStatus } from '../../rpc/httpHandler.js';
import { SubscriptionHub } from '../../rpc/subscriptions.js';
import { startServer, WsClient, type TestServer } from './helpers.js';

let health: HealthStatus | Error = { synced: true, height: 42 };
let srv: TestServer;
beforeAll(async () => {
  srv = await startServer({
    hub: new SubscriptionHub(),
    health: () => {
      if (health instanceof Error) throw health;
      return health;
    },
    allowedOrigins: ['https://dashboard.example'],
  });
});
afterAll(() => srv.server.close());

const url = (path: string) => srv.http.replace(/\/$/, path);

describe('GET /health', () => {
  it('answers 200 with the head height when synced', async () => {
    health = { synced: true, height: 42 };
    const res = await fetch(url('/health'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ height: 42 });
  });

  it('answers 503 when not synced or when the check fails', async () => {
    health = { synced: false, height: 7n };
    let res = await fetch(url('/health'));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ height: '7', synced: false });
    health = new Error('store closed');
    res = await fetch(url('/health'));
    expect(res.status).toBe(503);
    health = { synced: true, height: 42 };
  });
});

describe('HTTP routing', () => {
  it('refuses a wrong content type with 415 and a JSON-RPC error', async () => {
    const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe('unsupported_media_type');
  });

  it('accepts application/json with a charset', async () => {
    const res = await fetch(srv.http, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: '{"jsonrpc":"2.0","id":1,"method":"get_data"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
  });

  it('answers other methods with 405 and other paths with 404', async () => {
    expect((await fetch(srv.http)).status).toBe(405);
    expect((await fetch(srv.http, { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await fetch(url('/health'), { method: 'POST' })).status).toBe(405);
    expect((await fetch(url('/nope'))).status).toBe(404);
    expect((await fetch(url('/nope'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(404);
  });

  it('answers a notification-only body with 204', async () => {
    const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jsonrpc":"2.0","method":"get_data"}' });
    expect(res.status).toBe(204);
  });

  it('refuses subscriptions over HTTP with websocket_required', async () => {
    const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"subscribe","params":["newHeads"]}' });
    const body = (await res.json()) as { error: { code: number; data: { reason: string } } };
    expect(body.error.code).toBe(-32008);
    expect(body.error.data.reason).toBe('websocket_required');
  });
});

describe('browser origins', () => {
  const rpc = (origin: string) =>
    fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: '{"jsonrpc":"2.0","id":1,"method":"get_data"}' });

  it('serves an allowed origin with CORS headers, including the preflight', async () => {
    const res = await rpc('https://dashboard.example');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    const pre = await fetch(srv.http, { method: 'OPTIONS', headers: { Origin: 'https://dashboard.example', 'Access-Control-Request-Method': 'POST' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toBe('Content-Type');
  });

  it('refuses other origins on HTTP and on the WebSocket upgrade', async () => {
    expect((await rpc('https://evil.example')).status).toBe(403);
    const { default: WebSocket } = await import('ws');
    const ws = new WebSocket(srv.ws, { origin: 'https://evil.example' });
    ws.on('error', () => undefined);
    const status = await new Promise<number>((resolve) => ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(403);
    ws.terminate();
  });

  it('lets non-browser clients (no Origin) connect', async () => {
    const c = await WsClient.connect(srv.ws);
    expect((await c.call('get_data')).result).toEqual(['hello', 5]);
    await c.close();
  });
});
