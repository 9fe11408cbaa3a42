/**
 * Every chain API method against a real dev node process: happy paths and error cases,
 * over WebSocket (and HTTP for a few), with results checked against independent sources
 * (core's own encoders, Trie.verifyProof against the header's state root).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKey, generateSecretKey, getPublicKey, addressOf } from '../../../core/crypto/index.js';
import { decode, fromHex, toHex } from '../../../core/encoding/index.js';
import { accountKey, decodeAccount } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import { encodeTx, signTx, txHash, type UnsignedTx } from '../../../core/tx/index.js';
import { startNode, type NodeProcess } from '../../fixtures/nodeProcess.js';
import { connect, type WsRpc } from '../../fixtures/wsRpc.js';

let node: NodeProcess;
let rpc: WsRpc;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-rpc-'));

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '30']);
  rpc = await connect(node.url);
});
afterAll(async () => {
  await rpc?.close();
  await node?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function tx(from: number, overrides: Partial<UnsignedTx> = {}, secret = devKey(from).secretKey): string {
  const t = signTx(
    { chainId: 'medchain-dev', nonce: 0, sender: devKey(from).publicKey, to: devKey(9).address, method: 'transfer', args: [1], gasLimit: 100_000, ...overrides },
    secret,
  );
  return toHex(encodeTx(t));
}

const reason = (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { reason?: string } }) => e.data?.reason);
type Receipt = { status: string; height: number; index: number; txHash: string; blockHash: string; gasUsed: number; events: unknown[] };

describe('chain_*', () => {
  it('chain_getInfo describes the dev chain', async () => {
    const info = await rpc.call<Record<string, unknown>>('chain_getInfo');
    expect(info).toMatchObject({ chainId: 'medchain-dev', validators: [toHex(devKey(0).address)] });
    expect(info.contracts).toEqual({
      registry: '0xa7a20683000fbc500f5a8ad4a220b7536dfd66db',
      consent: '0xa230fca2b36d7e6d2ddda5379849d9d5d7e0b205',
      records: '0xbc43feaf51c6e093ba75da0aefb6bd546226e54c',
      claims: '0x3af7c60c63af06996802ee7d30fe9af6daa9a9cd',
      validators: '0x1194cbae36b2e57d605c52f3a2bdbcc2663b5aa5',
      supplychain: '0x6d931bea99265fbf5329b7836b98763c0644479b',
      surveillance: '0xa5e41bea8d37baca2c59bec5532a512b35d0e151',
    });
    expect(info.genesisHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(info.finalizedHeight).toBe(info.height);
  });

  it('chain_getBlock by height and by hash, with hashes or full txs; null when unknown', async () => {
    const h = await rpc.call<string>('tx_send', [tx(1, { nonce: 0 })]);
    const r = await rpc.call<Receipt>('tx_wait', [h, 10_000]);
    const byHeight = await rpc.call<{ hash: string; height: number; txs: string[]; prevHash: string }>('chain_getBlock', [r.height]);
    expect(byHeight.txs).toEqual([h]);
    const byHash = await rpc.call<typeof byHeight>('chain_getBlock', { block: byHeight.hash });
    expect(byHash).toEqual(byHeight);
    const full = await rpc.call<{ txs: Array<{ hash: string; from: string; method: string; args: unknown[] }> }>('chain_getBlock', [r.height, true]);
    expect(full.txs[0]).toMatchObject({ hash: h, from: toHex(devKey(1).address), method: 'transfer', args: [1] });
    const genesis = await rpc.call<{ hash: string; height: number }>('chain_getBlock', [0]);
    expect(genesis.height).toBe(0);
    expect((await rpc.call<{ prevHash: string }>('chain_getBlock', [1])).prevHash).toBe(genesis.hash);
    expect(await rpc.call('chain_getBlock', [1_000_000])).toBeNull();
    expect(await rpc.call('chain_getBlock', ['0x' + '11'.repeat(32)])).toBeNull();
  });

  it('chain_getBlock rejects bad params naming the param', async () => {
    for (const bad of [[-1], ['0x12'], [1.5], [{}], [], ['latest']]) {
      await expect(rpc.call('chain_getBlock', bad)).rejects.toMatchObject({ code: -32602, data: { param: 'block' } });
    }
    await expect(rpc.call('chain_getBlock', [1, 'yes'])).rejects.toMatchObject({ code: -32602, data: { param: 'fullTxs' } });
  });

  it('chain_getHeader matches the block and chain_getValidators the genesis set', async () => {
    const block = await rpc.call<Record<string, unknown>>('chain_getBlock', [1]);
    const header = await rpc.call<Record<string, unknown>>('chain_getHeader', [1]);
    for (const k of ['hash', 'height', 'prevHash', 'stateRoot', 'txRoot', 'receiptsRoot', 'validatorsHash', 'proposer']) expect(header[k]).toEqual(block[k]);
    expect(await rpc.call('chain_getHeader', [999_999])).toBeNull();
    const genesisSet = [{ address: toHex(devKey(0).address), publicKey: toHex(devKey(0).publicKey), power: 1 }];
    expect(await rpc.call('chain_getValidators')).toEqual(genesisSet);
    const info = await rpc.call<{ height: number }>('chain_getInfo');
    expect(await rpc.call('chain_getValidators', [0])).toEqual(genesisSet);
    expect(await rpc.call('chain_getValidators', [info.height + 1])).toEqual(genesisSet);
    await expect(rpc.call('chain_getValidators', [info.height + 1000])).rejects.toMatchObject({ code: -32001, data: { reason: 'unknown_block' } });
    await expect(rpc.call('chain_getValidators', [-1])).rejects.toMatchObject({ code: -32602 });
    await expect(rpc.call('chain_getValidators', ['0x00'])).rejects.toMatchObject({ code: -32602 });
  });
});

describe('tx_*', () => {
  it('tx_send returns the tx hash; tx_get shows it pending or included; tx_getReceipt once final', async () => {
    const hex = tx(2, { nonce: 0, args: [7] });
    const h = await rpc.call<string>('tx_send', [hex]);
    expect(h).toBe(toHex(txHash(fromHex(hex))));
    const got = await rpc.call<{ hash: string; nonce: number } | null>('tx_get', [h]);
    expect(got).toMatchObject({ hash: h, nonce: 0 });
    const r = await rpc.call<Receipt>('tx_wait', [h]);
    expect(r).toMatchObject({ txHash: h, status: 'ok', index: 0, events: [] });
    expect(await rpc.call('tx_getReceipt', [h])).toEqual(r);
    expect(await rpc.call('tx_get', [h])).toMatchObject({ hash: h, height: r.height, index: 0, blockHash: r.blockHash });
  });

  it('unknown txs: null from tx_get/tx_getReceipt, tx_wait times out with null', async () => {
    const unknown = '0x' + 'ab'.repeat(32);
    expect(await rpc.call('tx_get', [unknown])).toBeNull();
    expect(await rpc.call('tx_getReceipt', [unknown])).toBeNull();
    expect(await rpc.call('tx_wait', [unknown, 50])).toBeNull();
    await expect(rpc.call('tx_wait', [unknown, 10_000_000])).rejects.toMatchObject({ code: -32602, data: { param: 'timeoutMs' } });
  });

  it('tx_send answers each rejection with its stable reason', async () => {
    const stranger = generateSecretKey();
    const cases: Array<[string, unknown]> = [
      ['tx_malformed', '0x' + 'c1'],
      ['tx_malformed', '0x93010203'],
      ['wrong_chain', tx(3, { chainId: 'other-chain' })],
      ['invalid_signature', tx(3, {}, devKey(4).secretKey)],
      ['nonce_too_low', tx(1, { nonce: 0 })],
      ['nonce_gap', tx(3, { nonce: 500 })],
      ['insufficient_balance', tx(3, { args: [10n ** 13n] })],
      ['insufficient_balance', toHex(encodeTx(signTx({ chainId: 'medchain-dev', nonce: 0, sender: getPublicKey(stranger), to: addressOf(getPublicKey(stranger)), method: 'transfer', args: [1], gasLimit: 100_000 }, stranger)))],
      ['invalid_gas_limit', tx(3, { gasLimit: 10 })],
      ['invalid_params', '0xzz'],
      ['invalid_params', 'not hex'],
    ];
    for (const [expected, param] of cases) expect(await reason(rpc.call('tx_send', [param])), String(param).slice(0, 40)).toBe(expected);
    const ok = tx(3, { nonce: 0 });
    await rpc.call('tx_send', [ok]);
    expect(await reason(rpc.call('tx_send', [ok]))).toMatch(/already_known|nonce_too_low/);
  });
});

describe('state_*', () => {
  it('state_getAccount returns nonce and balance; balances add up across a transfer', async () => {
    const a = await rpc.call<{ nonce: number; balance: number }>('state_getAccount', [toHex(devKey(5).address)]);
    const b = await rpc.call<{ nonce: number; balance: number }>('state_getAccount', [toHex(devKey(6).address)]);
    const h = await rpc.call<string>('tx_send', [tx(5, { nonce: a.nonce, to: devKey(6).address, args: [1234] })]);
    // pending or included, the next nonce to use is one more
    expect(await rpc.call('state_getAccount', [toHex(devKey(5).address)])).toMatchObject({ pendingNonce: a.nonce + 1 });
    await rpc.call('tx_wait', [h]);
    expect(await rpc.call('state_getAccount', [toHex(devKey(5).address)])).toMatchObject({ nonce: a.nonce + 1, balance: a.balance - 1234 });
    expect(await rpc.call('state_getAccount', [toHex(devKey(6).address)])).toMatchObject({ nonce: b.nonce, balance: b.balance + 1234 });
    expect(await rpc.call('state_getAccount', ['0x' + '00'.repeat(20)])).toEqual({ nonce: 0, pendingNonce: 0, balance: 0, codeHash: null });
    await expect(rpc.call('state_getAccount', ['0x1234'])).rejects.toMatchObject({ code: -32602, data: { param: 'address' } });
  });

  it('state_getProof proves an account against the finalized header, and proves absence', async () => {
    const info = await rpc.call<{ finalizedHeight: number }>('chain_getInfo');
    const header = await rpc.call<{ stateRoot: string }>('chain_getHeader', [info.finalizedHeight]);
    const address = devKey(7).address;
    const p = await rpc.call<{ stateRoot: string; height: number; accountProof: string[]; account: { balance: number } }>('state_getProof', [toHex(address)]);
    expect(p.stateRoot).toBe(header.stateRoot);
    const value = Trie.verifyProof(fromHex(p.stateRoot), accountKey(address), p.accountProof.map((x) => fromHex(x)));
    expect(value).toBeDefined();
    expect(decodeAccount(value!, 'proof').balance).toBe(BigInt(p.account.balance));
    expect(decode(value!)).toEqual([0, 10 ** 12, null]);

    const nobody = fromHex('0x' + '42'.repeat(20));
    const absent = await rpc.call<{ account: null; accountProof: string[] }>('state_getProof', { address: toHex(nobody), height: 0 });
    expect(absent.account).toBeNull();
    const genesisRoot = (await rpc.call<{ stateRoot: string }>('chain_getHeader', [0])).stateRoot;
    expect(Trie.verifyProof(fromHex(genesisRoot), accountKey(nobody), absent.accountProof.map((x) => fromHex(x)))).toBeUndefined();
    // a proof does not verify against another root
    expect(() => Trie.verifyProof(fromHex('0x' + '00'.repeat(32)), accountKey(address), p.accountProof.map((x) => fromHex(x)))).toThrow();
  });

  it('state_getProof of a storage slot, and errors for unknown heights and bad keys', async () => {
    const p = await rpc.call<{ storage: { value: null; proof: string[]; trieKey: string }; stateRoot: string }>('state_getProof', [toHex(devKey(7).address), '0x01']);
    expect(p.storage.value).toBeNull();
    expect(Trie.verifyProof(fromHex(p.stateRoot), fromHex(p.storage.trieKey), p.storage.proof.map((x) => fromHex(x)))).toBeUndefined();
    expect(await reason(rpc.call('state_getProof', [toHex(devKey(7).address), undefined, 10_000_000]))).toBe('unknown_block');
    await expect(rpc.call('state_getProof', [toHex(devKey(7).address), '0x1'])).rejects.toMatchObject({ code: -32602, data: { param: 'key' } });
  });
});

describe('node_* and rpc.discover', () => {
  it('node_health, node_version, node_peers', async () => {
    expect(await rpc.call('node_health')).toMatchObject({ ok: true, synced: true, mempool: expect.any(Number), finalizedHeight: expect.any(Number) });
    expect(await rpc.call('node_version')).toMatchObject({ chainId: 'medchain-dev', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(await rpc.call('node_peers')).toEqual([]);
  });

  it('rpc.discover documents every method the server dispatches', async () => {
    const doc = await rpc.call<{ openrpc: string; methods: Array<{ name: string }> }>('rpc.discover');
    const names = doc.methods.map((m) => m.name);
    for (const m of ['chain_getInfo', 'chain_getBlock', 'chain_getHeader', 'chain_getValidators', 'tx_send', 'tx_get', 'tx_getReceipt', 'tx_wait', 'state_getAccount', 'state_getProof', 'node_health', 'node_version', 'node_peers', 'subscribe', 'unsubscribe']) {
      expect(names).toContain(m);
    }
  });

  it('serves HTTP POST and GET /health on the same port', async () => {
    const res = await fetch(node.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'chain_getInfo' }) });
    expect(await res.json()).toMatchObject({ jsonrpc: '2.0', id: 7, result: { chainId: 'medchain-dev' } });
    const metrics = await fetch(node.httpUrl + '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await metrics.text();
    const height = (await rpc.call<{ height: number }>('chain_getInfo')).height;
    expect(Number(/^medchain_height (\d+)$/m.exec(text)![1])).toBeGreaterThanOrEqual(height);
    for (const m of ['medchain_peers', 'medchain_mempool_txs', 'medchain_sigpool_pending', 'medchain_blocks_total', 'medchain_consensus_round']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${m} (gauge|counter)$`, 'm'));
    }
    const health = await fetch(node.httpUrl + '/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ height: expect.any(Number) });
  });
});

describe('subscriptions', () => {
  it('newHeads arrive in height order and a tx subscription reports finality', async () => {
    const sub = await connect(node.url);
    const heads: number[] = [];
    const statuses: Array<{ hash: string; final?: boolean; status?: string }> = [];
    sub.ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { method?: string; params?: { result: { height?: number; hash: string; final?: boolean } } };
      if (m.method !== 'subscription') return;
      const r = m.params!.result;
      if (r.final !== undefined || (r as { status?: string }).status) statuses.push(r);
      else heads.push(r.height!);
    });
    await sub.call('subscribe', ['newHeads']);
    const a = await rpc.call<{ nonce: number }>('state_getAccount', [toHex(devKey(8).address)]);
    const hex = tx(8, { nonce: a.nonce });
    const hash = toHex(txHash(fromHex(hex)));
    await sub.call('subscribe', ['tx', { hash }]);
    await rpc.call('tx_send', [hex]);
    await rpc.call('tx_wait', [hash]);
    for (let i = 0; i < 100 && (heads.length < 1 || !statuses.some((s) => s.final)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(heads.length).toBeGreaterThan(0);
    expect([...heads].sort((x, y) => x - y)).toEqual(heads);
    expect(statuses.find((s) => s.final)).toMatchObject({ hash, final: true, status: 'ok' });
    await sub.close();
  });
});
