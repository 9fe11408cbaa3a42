import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindParams, MethodDefinitionError, MethodTable, type MethodSpec } from '../../rpc/methodTable.js';
import { MedchainError } from '../../core/errors.js';
import { post, startServer, WsClient, type TestServer } from './helpers.js';

const transfer: MethodSpec = {
  name: 'test_transfer',
  summary: 'a method with a nested object param',
  params: [
    { name: 'to', schema: { type: 'string', pattern: '^0x[0-9a-f]{40}$', maxLength: 42 }, required: true },
    { name: 'amount', schema: { type: 'integer', minimum: 1 }, required: true },
    { name: 'memo', schema: { type: 'object', properties: { text: { type: 'string', maxLength: 8 } }, additionalProperties: false } },
  ],
  result: { name: 'ok', schema: { type: 'boolean' } },
  errors: ['insufficient_balance'],
  handler: ({ amount }: { amount: number }) => {
    if (amount > 100) throw new MedchainError('MEMPOOL_INSUFFICIENT_BALANCE', 'balance 100 is below 101', { balance: 100n, needed: amount });
    return true;
  },
};
const TO = '0x' + 'ab'.repeat(20);

describe('bindParams', () => {
  it('binds positional and named params to the same record', () => {
    expect(bindParams(transfer, [TO, 5])).toEqual({ to: TO, amount: 5 });
    expect(bindParams(transfer, { amount: 5, to: TO })).toEqual({ to: TO, amount: 5 });
  });

  it('treats null for an optional param as absent', () => {
    expect(bindParams(transfer, [TO, 5, null])).toEqual({ to: TO, amount: 5 });
  });

  const cases: Array<[string, unknown, string]> = [
    ['missing required (positional)', [TO], 'amount'],
    ['missing required (named)', { to: TO }, 'amount'],
    ['missing all', undefined, 'to'],
    ['wrong type', [TO, '5'], 'amount'],
    ['below minimum', { to: TO, amount: 0 }, 'amount'],
    ['bad pattern', ['0x12', 1], 'to'],
    ['unknown named param', { to: TO, amount: 1, extra: 1 }, 'extra'],
    ['too many positional', [TO, 1, {}, 4], '[3]'],
    ['nested property', [TO, 1, { text: 'way too long' }], 'memo.text'],
    ['nested unknown property', [TO, 1, { x: 1 }], 'memo.x'],
  ];
  for (const [title, params, param] of cases) {
    it(`names the bad param: ${title}`, () => {
      try {
        bindParams(transfer, params);
        expect.unreachable();
      } catch (e) {
        expect((e as { code: number }).code).toBe(-32602);
        expect((e as { data: Record<string, unknown> }).data).toMatchObject({ param, reason: 'invalid_params' });
        expect(typeof (e as { data: { message: string } }).data.message).toBe('string');
      }
    });
  }
});

describe('MethodTable registration', () => {
  const base = { summary: 's', params: [], result: { name: 'r', schema: {} }, handler: () => 1 };
  it('has rpc.discover built in and rejects other rpc.* names', () => {
    const t = new MethodTable();
    expect(t.has('rpc.discover')).toBe(true);
    expect(() => t.register({ ...base, name: 'rpc.other' })).toThrow(/reserved/);
  });

  it('rejects duplicates, bad names, bad schemas, unknown error reasons and required-after-optional', () => {
    const t = new MethodTable().register({ ...base, name: 'a_b' });
    expect(() => t.register({ ...base, name: 'a_b' })).toThrow(MethodDefinitionError);
    expect(() => t.register({ ...base, name: 'has space' })).toThrow(MethodDefinitionError);
    expect(() => t.register({ ...base, name: 'x', params: [{ name: 'p', schema: { type: 'string', pattern: 'a' } }] })).toThrow(/maxLength/);
    expect(() => t.register({ ...base, name: 'y', errors: ['no_such_reason'] })).toThrow(/unknown error reason/);
    expect(() =>
      t.register({ ...base, name: 'z', params: [{ name: 'a', schema: {} }, { name: 'b', schema: {}, required: true }] }),
    ).toThrow(/follows an optional/);
    expect(() => t.register({ ...base, name: 'w', params: [{ name: 'a', schema: {} }, { name: 'a', schema: {} }] })).toThrow(/duplicate/);
  });
});

describe('params over the wire', () => {
  let srv: TestServer;
  let ws: WsClient;
  beforeAll(async () => {
    srv = await startServer({ extra: [transfer] });
    ws = await WsClient.connect(srv.ws);
  });
  afterAll(async () => {
    await ws.close();
    await srv.server.close();
  });

  it('answers -32602 naming the param on both transports', async () => {
    const req = { jsonrpc: '2.0', id: 7, method: 'test_transfer', params: { to: TO, amount: -1 } };
    const viaHttp = (await post(srv.http, JSON.stringify(req))) as { error: unknown };
    const viaWs = await ws.raw(JSON.stringify(req));
    for (const r of [viaHttp, viaWs] as Array<{ error: { code: number; data: { param: string; reason: string } } }>) {
      expect(r.error.code).toBe(-32602);
      expect(r.error.data).toMatchObject({ param: 'amount', reason: 'invalid_params' });
    }
  });

  it('maps a MedchainError from the handler to its application code with context', async () => {
    const r = await ws.call('test_transfer', [TO, 101]);
    expect(r.error).toEqual({
      code: -32018,
      message: 'balance 100 is below 101',
      data: { reason: 'insufficient_balance', message: 'balance 100 is below 101', balance: '100', needed: 101 },
    });
  });
});
