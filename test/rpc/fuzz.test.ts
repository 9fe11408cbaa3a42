/**
 * Fuzzed input never crashes the server: every body gets a well-formed JSON-RPC answer (or none,
 * for notifications), or a clean close, and the server keeps serving afterwards.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { internalContext } from '../../rpc/context.js';
import { Dispatcher } from '../../rpc/dispatcher.js';
import { MethodTable } from '../../rpc/methodTable.js';
import { SubscriptionHub } from '../../rpc/subscriptions.js';
import { SPEC_METHODS, startServer, WsClient, type TestServer } from './helpers.js';

const CODES = new Set([-32700, -32600, -32601, -32602, -32603, -32005, -32006, -32007, -32008]);

/** Asserts that `text` is a well-formed response or batch of responses. */
function checkResponseText(text: string | undefined): void {
  if (text === undefined) return;
  const v = JSON.parse(text) as unknown;
  const all = Array.isArray(v) ? v : [v];
  if (Array.isArray(v)) expect(v.length).toBeGreaterThan(0);
  for (const r of all as Array<Record<string, any>>) {
    expect(r.jsonrpc).toBe('2.0');
    expect(Object.hasOwn(r, 'id')).toBe(true);
    expect(Object.hasOwn(r, 'result') !== Object.hasOwn(r, 'error')).toBe(true);
    if (r.error) {
      expect(CODES.has(r.error.code), String(r.error.code)).toBe(true);
      expect(typeof r.error.message).toBe('string');
      expect(typeof r.error.data?.reason).toBe('string');
    }
  }
}

const methodName = fc.constantFrom('subtract', 'sum', 'notify_hello', 'get_data', 'rpc.discover', 'subscribe', 'unsubscribe', 'nope', '', 'rpc.x', '__proto__', 'constructor');
const requestLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.jsonValue()),
    method: fc.oneof(methodName, fc.jsonValue()),
    params: fc.oneof(fc.array(fc.jsonValue(), { maxLength: 5 }), fc.dictionary(fc.constantFrom('minuend', 'subtrahend', 'a', 'b', 'kind', 'options', 'id', 'x'), fc.jsonValue()), fc.jsonValue()),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json(),
  requestLike.map((r) => JSON.stringify(r)),
  fc.array(fc.oneof(requestLike, fc.jsonValue()), { maxLength: 120 }).map((a) => JSON.stringify(a)),
  fc.string({ unit: 'binary', maxLength: 100 }),
);

function deepArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('dispatcher fuzz', () => {
  const methods = new MethodTable().registerAll(SPEC_METHODS);
  const dispatcher = new Dispatcher(methods, { maxBatchLength: 100 });

  it('answers any text with a well-formed response or nothing', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        checkResponseText(await dispatcher.handleText(text, internalContext()));
      }),
      { numRuns: 2000 },
    );
  });

  it('survives deeply nested arrays and objects', async () => {
    const inputs = [
      deepArrays(400_000),
      '['.repeat(400_000),
      `{"jsonrpc":"2.0","id":1,"method":"sum","params":[${deepArrays(200_000)}]}`,
      `{"jsonrpc":"2.0","id":1,"method":"sum","params":{"a":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`,
      `[${Array.from({ length: 100 }, () => deepArrays(2_000)).join(',')}]`,
    ];
    for (const text of inputs) checkResponseText(await dispatcher.handleText(text, internalContext()));
  });
});

describe('server fuzz over both transports', () => {
  let srv: TestServer;
  let ws: WsClient;
  beforeAll(async () => {
    srv = await startServer({ hub: new SubscriptionHub(), limits: { requestsPerSecond: Infinity } });
    ws = await WsClient.connect(srv.ws);
  });
  afterAll(async () => {
    await ws.close();
    await srv.server.close();
  });

  it('HTTP: every fuzzed body gets 200 with a well-formed answer or 204', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
        expect([200, 204]).toContain(res.status);
        checkResponseText(res.status === 204 ? undefined : await res.text());
      }),
      { numRuns: 150 },
    );
  });

  it('WebSocket: every fuzzed frame gets a well-formed answer or none, on one connection', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        ws.messages.length = 0;
        const answer = await ws.rawMaybe(text, 40);
        if (answer !== undefined) checkResponseText(JSON.stringify(answer));
      }),
      { numRuns: 150 },
    );
    expect(ws.ws.readyState).toBe(ws.ws.OPEN);
  });

  it('WebSocket: invalid UTF-8 and deep nesting end in a clean close or an answer', async () => {
    const bad = await WsClient.connect(srv.ws);
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await bad.closed).code).toBe(1007);
    const deep = await WsClient.connect(srv.ws);
    checkResponseText(JSON.stringify(await deep.raw(deepArrays(500_000))));
    await deep.close();
    const res = await fetch(srv.http, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deepArrays(500_000) });
    checkResponseText(await res.text());
    expect((await ws.call('get_data')).result).toEqual(['hello', 5]);
  });
});
