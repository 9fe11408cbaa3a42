/**
 * Every example of the JSON-RPC 2.0 specification (https://www.jsonrpc.org/specification §7),
 * verbatim, over both transports. Responses are compared as parsed JSON (member order is free).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startServer, WsClient, type TestServer } from './helpers.js';

/** [title, request text, expected response (undefined = nothing is returned)] */
const EXAMPLES: Array<[string, string, unknown]> = [
  ['positional params', '{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}', { jsonrpc: '2.0', result: 19, id: 1 }],
  ['positional params, swapped', '{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}', { jsonrpc: '2.0', result: -19, id: 2 }],
  ['named params', '{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}', { jsonrpc: '2.0', result: 19, id: 3 }],
  ['named params, reordered', '{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}', { jsonrpc: '2.0', result: 19, id: 4 }],
  ['notification', '{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}', undefined],
  ['notification of a missing method', '{"jsonrpc": "2.0", "method": "foobar"}', undefined],
  ['non-existent method', '{"jsonrpc": "2.0", "method": "foobar", "id": "1"}', { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '1' }],
  ['invalid JSON', '{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]', { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null }],
  ['invalid Request object', '{"jsonrpc": "2.0", "method": 1, "params": "bar"}', { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null }],
  [
    'batch, invalid JSON',
    `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]`,
    { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' }, id: null },
  ],
  ['empty array', '[]', { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null }],
  ['invalid batch, not empty', '[1]', [{ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null }]],
  ['invalid batch', '[1,2,3]', [1, 2, 3].map(() => ({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null }))],
  [
    'mixed batch',
    `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
  {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
  {"foo": "boo"},
  {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
  {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
]`,
    [
      { jsonrpc: '2.0', result: 7, id: '1' },
      { jsonrpc: '2.0', result: 19, id: '2' },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null },
      { jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: '5' },
      { jsonrpc: '2.0', result: ['hello', 5], id: '9' },
    ],
  ],
  [
    'all-notification batch',
    `[
  {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
]`,
    undefined,
  ],
];

/**
 * Our error objects add `data` (reason, details), which §5.1 allows ("MAY be omitted"); the
 * spec's examples show code and message only, so `data` is checked to be an object and dropped.
 */
function withoutData(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutData);
  const r = v as { error?: { data?: unknown } } | undefined;
  if (r?.error) {
    const { data, ...rest } = r.error;
    expect(typeof data).toBe('object');
    return { ...r, error: rest };
  }
  return v;
}

let srv: TestServer;
let client: WsClient;
beforeAll(async () => {
  srv = await startServer();
  client = await WsClient.connect(srv.ws);
});
afterAll(async () => {
  await client.close();
  await srv.server.close();
});

describe('JSON-RPC 2.0 §7 examples over HTTP POST', () => {
  for (const [title, request, expected] of EXAMPLES) {
    it(title, async () => {
      expect(withoutData(await post(srv.http, request))).toEqual(expected);
    });
  }
});

describe('JSON-RPC 2.0 §7 examples over WebSocket', () => {
  for (const [title, request, expected] of EXAMPLES) {
    it(title, async () => {
      expect(withoutData(await client.rawMaybe(request))).toEqual(expected);
    });
  }
});

describe('request object rules beyond the examples', () => {
  const cases: Array<[string, string, number, string]> = [
    ['wrong version', '{"jsonrpc":"1.0","method":"get_data","id":1}', -32600, 'invalid_version'],
    ['missing version', '{"method":"get_data","id":1}', -32600, 'invalid_version'],
    ['params is a string', '{"jsonrpc":"2.0","method":"get_data","params":"x","id":1}', -32600, 'invalid_params_type'],
    ['params is null', '{"jsonrpc":"2.0","method":"get_data","params":null,"id":1}', -32600, 'invalid_params_type'],
    ['id is an object', '{"jsonrpc":"2.0","method":"get_data","id":{}}', -32600, 'invalid_id'],
    ['not an object', '"hello"', -32600, 'not_an_object'],
    ['too many positional params', '{"jsonrpc":"2.0","method":"subtract","params":[1,2,3],"id":1}', -32602, 'invalid_params'],
  ];
  for (const [title, request, code, reason] of cases) {
    it(title, async () => {
      const r = (await post(srv.http, request)) as { error: { code: number; data: { reason: string } } };
      expect(r.error.code).toBe(code);
      expect(r.error.data.reason).toBe(reason);
    });
  }

  it('echoes string, number and null ids unchanged', async () => {
    for (const id of ['abc', 0, -7.5, null, 'x'.repeat(1000)]) {
      const r = (await post(srv.http, JSON.stringify({ jsonrpc: '2.0', method: 'get_data', id }))) as { id: unknown };
      expect(r.id).toEqual(id);
    }
  });
});
