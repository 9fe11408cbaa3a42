import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationErrors } from '../../rpc/errors.js';
import { assertSchema } from '../../rpc/schema.js';
import { SubscriptionHub } from '../../rpc/subscriptions.js';
import type { OpenRpcDocument } from '../../rpc/openrpc.js';
import { post, startServer, WsClient, type TestServer } from './helpers.js';

/** The structural rules of an OpenRPC 1.x document that medchain's generator must meet. */
function checkStructure(doc: OpenRpcDocument): void {
  expect(doc.openrpc).toMatch(/^1\.\d+\.\d+$/);
  expect(typeof doc.info.title).toBe('string');
  expect(typeof doc.info.version).toBe('string');
  const names = new Set<string>();
  for (const m of doc.methods) {
    expect(m.name).toMatch(/^[A-Za-z][A-Za-z0-9_.]*$/);
    expect(names.has(m.name), `duplicate ${m.name}`).toBe(false);
    names.add(m.name);
    expect(typeof m.summary).toBe('string');
    expect(['by-name', 'by-position', 'either']).toContain(m.paramStructure);
    const paramNames = new Set<string>();
    let optional = false;
    for (const p of m.params) {
      expect(typeof p.name).toBe('string');
      expect(paramNames.has(p.name)).toBe(false);
      paramNames.add(p.name);
      expect(typeof p.required).toBe('boolean');
      if (p.required) expect(optional, `${m.name}: required ${p.name} after an optional param`).toBe(false);
      else optional = true;
      assertSchema(p.schema, `${m.name}(${p.name})`);
    }
    expect(typeof m.result.name).toBe('string');
    assertSchema(m.result.schema, `${m.name} result`);
    for (const e of m.errors) {
      expect(Number.isInteger(e.code)).toBe(true);
      expect(typeof e.message).toBe('string');
    }
  }
}

let srv: TestServer;
let ws: WsClient;
beforeAll(async () => {
  srv = await startServer({ hub: new SubscriptionHub() });
  ws = await WsClient.connect(srv.ws);
});
afterAll(async () => {
  await ws.close();
  await srv.server.close();
});

describe('rpc.discover', () => {
  it('returns a structurally valid OpenRPC document listing every registered method with its params', async () => {
    const doc = (await ws.call('rpc.discover')).result as OpenRpcDocument;
    checkStructure(doc);
    const table = srv.methods.list();
    expect(doc.methods.map((m) => m.name)).toEqual(table.map((m) => m.name));
    for (const m of table) {
      const d = doc.methods.find((x) => x.name === m.name)!;
      expect(d.params.map((p) => [p.name, p.required, p.schema])).toEqual(m.params.map((p) => [p.name, p.required === true, p.schema]));
      expect(d.result.schema).toEqual(m.result.schema);
    }
    expect(doc.methods.map((m) => m.name)).toEqual(expect.arrayContaining(['rpc.discover', 'subscribe', 'unsubscribe', 'subtract', 'sum', 'get_data']));
  });

  it('documents the application error table and each method\'s errors', async () => {
    const doc = (await post(srv.http, '{"jsonrpc":"2.0","id":1,"method":"rpc.discover"}')) as { result: OpenRpcDocument };
    expect(doc.result['x-medchain-errors']).toEqual(applicationErrors());
    const sub = doc.result.methods.find((m) => m.name === 'subscribe')!;
    expect(sub.errors.map((e) => e.data?.reason)).toEqual(expect.arrayContaining(['invalid_params', 'too_many_subscriptions', 'rate_limited']));
  });

  it('follows the table: a method registered later appears in the next document', async () => {
    srv.methods.register({ name: 'late_method', summary: 'added after start', params: [], result: { name: 'r', schema: { type: 'null' } }, handler: () => null });
    const doc = (await ws.call('rpc.discover')).result as OpenRpcDocument;
    expect(doc.methods.some((m) => m.name === 'late_method')).toBe(true);
    expect((await ws.call('late_method')).result).toBeNull();
  });
});
