/**
 * state_call against a real dev node process: views of the genesis contracts by position
 * and by name, JSON conversion both ways by the ABI, and every error — unknown contract,
 * unknown or non-view method, arguments that do not fit, revert (with the reason), out of
 * gas and a VM fault (on a contract deployed for the test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKey, toHex } from '../../../core/index.js';
import { createClient, devKey as clientKey, type MedchainClient } from '../../../rpc/client/index.js';
import { compile } from '../../../vm/index.js';
import { startNode, type NodeProcess } from '../../fixtures/nodeProcess.js';

const FAULTY = `contract faulty
view fn fails(why: string) -> int {
  require(why == "", why)
  return 1
}
view fn spins() -> int {
  let n = 0
  for i in range(1000000000) {
    n += 1
  }
  return n
}
view fn divides(a: int, b: int) -> int {
  return a / b
}
view fn echo(xs: list<(string, int)>, m: map<string, int>, b: bytes, big: int) -> (list<(string, int)>, map<string, int>, bytes, int) {
  return (xs, m, b, big)
}
fn write() {
}
`;

let node: NodeProcess;
let client: MedchainClient;
let contracts: Record<string, string>;
let faulty: string;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-statecall-'));
const dev0 = toHex(devKey(0).address);

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '30']);
  client = await createClient(node.url, { WebSocket });
  contracts = (await client.getInfo()).contracts as Record<string, string>;
  const deployer = client.txBuilder(clientKey(1));
  const r = await deployer.sendAndWait(await deployer.deploy(compile(FAULTY).code));
  expect(r.status).toBe('ok');
  faulty = r.result as string;
});
afterAll(async () => {
  await client?.close();
  await node?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (to: string, method: string, args?: unknown, from?: string) => client.call('state_call', { to, method, ...(args === undefined ? {} : { args }), ...(from ? { from } : {}) });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: { code?: number; reason?: string; data?: Record<string, unknown> }) => ({ code: e.code, ...e.data }),
  );

describe('state_call', () => {
  it('chain_getInfo lists the genesis contracts at their fixed addresses', () => {
    expect(contracts).toEqual({
      registry: '0xa7a20683000fbc500f5a8ad4a220b7536dfd66db',
      consent: '0xa230fca2b36d7e6d2ddda5379849d9d5d7e0b205',
      records: '0xbc43feaf51c6e093ba75da0aefb6bd546226e54c',
      claims: '0x3af7c60c63af06996802ee7d30fe9af6daa9a9cd',
      validators: '0x1194cbae36b2e57d605c52f3a2bdbcc2663b5aa5',
      supplychain: '0x6d931bea99265fbf5329b7836b98763c0644479b',
      surveillance: '0xa5e41bea8d37baca2c59bec5532a512b35d0e151',
    });
  });

  it('runs a view with positional or named args and returns its JSON result', async () => {
    const regulator = { kind: 'regulator', name: null, org: null, licence: null, specialty: null, validUntil: null, active: true };
    expect(await call(contracts.registry, 'get', [dev0])).toEqual(regulator);
    expect(await call(contracts.registry, 'get', { subject: dev0 })).toEqual(regulator);
    expect(await call(contracts.registry, 'get', [toHex(devKey(9).address)])).toBeNull();
    expect(await call(contracts.consent, 'check', [dev0, dev0, 'lab', 'TREAT'])).toBe(false);
    expect(await call(contracts.claims, 'escrowOf', [dev0])).toBe(0);
    expect(await call(contracts.claims, 'getClaim', ['nope'])).toBeNull();
  });

  it('converts tuples, string-keyed maps, bytes and big ints both ways', async () => {
    const args = [[['a', 1], ['b', -2]], { y: 2, x: 1 }, '0x00ff', '9007199254740993'];
    expect(await call(faulty, 'echo', args)).toEqual([[['a', 1], ['b', -2]], { x: 1, y: 2 }, '0x00ff', '9007199254740993']);
  });

  it('answers unknown_contract for an address without code', async () => {
    expect(await failure(call(toHex(devKey(5).address), 'get', []))).toMatchObject({ code: -32003, reason: 'unknown_contract' });
  });

  it('answers invalid_params for an unknown or non-view method and for args that do not fit', async () => {
    expect(await failure(call(contracts.registry, 'nope', []))).toMatchObject({ code: -32602, reason: 'invalid_params' });
    expect(await failure(call(contracts.registry, 'registerOrg', [dev0, 'lab', 'x']))).toMatchObject({ code: -32602, reason: 'invalid_params' });
    expect(await failure(call(faulty, 'write'))).toMatchObject({ code: -32602, reason: 'invalid_params' });
    expect(await failure(call(contracts.registry, 'get', []))).toMatchObject({ code: -32602, reason: 'invalid_params' });
    expect(await failure(call(contracts.registry, 'get', ['0x1234']))).toMatchObject({ code: -32602, reason: 'invalid_params', param: 'subject' });
    expect(await failure(call(contracts.consent, 'check', [dev0, dev0, 5, 'TREAT']))).toMatchObject({ code: -32602, param: 'category' });
    expect(await failure(call(contracts.registry, 'get', 'not-args'))).toMatchObject({ code: -32602, reason: 'invalid_params' });
  });

  it('answers execution_reverted with the revert reason, out_of_gas, and execution_failed for a VM fault', async () => {
    expect(await call(faulty, 'fails', [''])).toBe(1);
    expect(await failure(call(faulty, 'fails', ['no-consent']))).toMatchObject({ code: -32030, reason: 'execution_reverted', revert: 'no-consent' });
    expect(await failure(call(faulty, 'spins', []))).toMatchObject({ code: -32031, reason: 'out_of_gas' });
    expect(await failure(call(faulty, 'divides', [1, 0]))).toMatchObject({ code: -32032, reason: 'execution_failed' });
    expect(await call(faulty, 'divides', [7, 2])).toBe(3);
  });
});
