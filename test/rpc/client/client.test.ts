/**
 * The SDK against a real dev node process (compiled CLI, LevelDB, WebSocket): typed wrappers,
 * sendAndWait, nonce tracking, error mapping, subscriptions as async iterators, and the
 * slow-consumer rule. Each test uses its own dev accounts, so they do not share nonces.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, devKey, RpcClientError, ClientError, type Header, type MedchainClient } from '../../../rpc/client/index.js';
import { startNode, type NodeProcess } from '../../fixtures/nodeProcess.js';

const DEV_BALANCE = 1_000_000_000_000n;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-client-'));
let node: NodeProcess;
let client: MedchainClient;

beforeAll(async () => {
  // empty blocks every 100 ms give the head subscriptions a steady stream
  node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '50', '--empty-block-ms', '100']);
  client = await createClient(node.url, { WebSocket });
});

afterAll(async () => {
  await client?.close();
  if (node && node.proc.exitCode === null) await node.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('MedchainClient against a dev node', () => {
  it('has typed wrappers for the chain methods', async () => {
    const info = await client.getInfo();
    expect(info).toMatchObject({ chainId: 'medchain-dev', validators: [devKey(0).addressHex] });
    expect(info.finalizedHeight).toBeLessThanOrEqual(info.height);
    expect(await client.getValidators()).toEqual([{ address: devKey(0).addressHex, publicKey: expect.stringMatching(/^0x[0-9a-f]{64}$/), power: 1 }]);
    expect(await client.health()).toMatchObject({ ok: true, mempool: expect.any(Number) });
    expect(await client.version()).toMatchObject({ chainId: 'medchain-dev', version: expect.any(String) });

    const genesis = (await client.getHeader(0)) as Header;
    expect(genesis.height).toBe(0);
    expect(await client.getBlock(genesis.hash)).toMatchObject({ height: 0, hash: genesis.hash, txs: [] });
    expect(await client.getHeader(1_000_000_000)).toBeNull();

    const acct = await client.getAccount(devKey(9).address);
    expect(acct).toEqual({ nonce: 0, pendingNonce: 0, balance: DEV_BALANCE, codeHash: null });
    const unknown = '0x' + '11'.repeat(32);
    expect(await client.getTx(unknown)).toBeNull();
    expect(await client.getReceipt(unknown)).toBeNull();

    // anything else through call(), and batches
    expect(await client.call<{ openrpc: string }>('rpc.discover')).toMatchObject({ openrpc: expect.any(String) });
    const [a, b] = await client.batch([{ method: 'node_version' }, { method: 'no_such_method' }]);
    expect(a).toMatchObject({ ok: true, result: { chainId: 'medchain-dev' } });
    expect(b.ok === false && b.error.reason).toBe('method_not_found');
  });

  it('sendAndWait resolves with the receipt and balances move', async () => {
    const builder = client.txBuilder(devKey(1));
    const built = await builder.transfer(devKey(2).address, 1234);
    const receipt = await client.sendAndWait(built, { timeoutMs: 15_000 });
    expect(receipt).toMatchObject({ txHash: built.hash, status: 'ok', index: 0 });
    expect(await client.getReceipt(built.hash)).toEqual(receipt);
    expect((await client.getAccount(devKey(1).addressHex)).balance).toBe(DEV_BALANCE - 1234n);
    expect((await client.getAccount(devKey(2).addressHex)).balance).toBe(DEV_BALANCE + 1234n);
    expect(await client.getTx(built.hash)).toMatchObject({ from: devKey(1).addressHex, nonce: 0, height: receipt.height });
    const block = await client.getBlock(receipt.height, true);
    expect(block?.txs.map((t) => t.hash)).toContain(built.hash);
    expect(await client.waitTx(built.hash, 1_000)).toEqual(receipt);

    // the sender's new state, proven against the finalized root of that block
    const proof = await client.getProof(devKey(1).address, { height: receipt.height });
    expect(proof).toMatchObject({ height: receipt.height, stateRoot: block?.stateRoot, account: { nonce: 1 } });
    expect(proof.accountProof.length).toBeGreaterThan(0);
  });

  it('waitTx answers null for a tx that does not become final in time; peers is a list', async () => {
    expect(await client.waitTx('0x' + '33'.repeat(32), 50)).toBeNull();
    expect(await client.peers()).toEqual([]);
  });

  it('resolves with a reverted receipt too (a call to an account without code)', async () => {
    const receipt = await client.txBuilder(devKey(3)).sendAndWait({ to: devKey(4).address, method: 'grant', args: [1] }, { timeoutMs: 15_000 });
    expect(receipt.status).toBe('reverted');
    expect(receipt.error).toEqual(expect.any(String));
    expect((await client.getAccount(devKey(3).address)).nonce).toBe(1);
  });

  it('tracks nonces locally: several sends in a row do not collide', async () => {
    const builder = client.txBuilder(devKey(5));
    // concurrent builds share one account read and still get distinct nonces
    const built = await Promise.all([1, 2, 3].map((n) => builder.transfer(devKey(6).address, n)));
    expect(built.map((b) => b.tx.nonce).sort()).toEqual([0, 1, 2]);
    for (const b of built.sort((x, y) => x.tx.nonce - y.tx.nonce)) await builder.send(b);
    const more = [];
    for (let i = 0; i < 3; i++) more.push(await builder.send({ to: devKey(6).address, method: 'transfer', args: [10] }));
    expect(new Set(more).size).toBe(3);
    const last = await builder.sendAndWait({ to: devKey(6).address, method: 'transfer', args: [100] }, { timeoutMs: 15_000 });
    expect(last.status).toBe('ok');
    const receipts = await Promise.all([...built.map((b) => b.hash), ...more].map((h) => client.getReceipt(h)));
    expect(receipts.every((r) => r?.status === 'ok')).toBe(true);
    expect(await client.getAccount(devKey(5).address)).toMatchObject({ nonce: 7, balance: DEV_BALANCE - 6n - 30n - 100n });
    expect(await builder.nextNonce()).toBe(7);
  });

  it('maps node errors to RpcClientError with the reason, and keeps the nonce usable', async () => {
    const builder = client.txBuilder(devKey(7));
    await builder.sendAndWait({ to: devKey(8).address, method: 'transfer', args: [1] }, { timeoutMs: 15_000 });
    const stale = await builder.transfer(devKey(8).address, 1, { nonce: 0 });
    const e = await client.sendTx(stale).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RpcClientError);
    expect(e).toMatchObject({ code: -32014, reason: 'nonce_too_low', method: 'tx_send' });

    // refused by the mempool: the nonce it took is handed back for the next tx
    const tooMuch = builder.send({ to: devKey(8).address, method: 'transfer', args: [DEV_BALANCE * 2n] });
    await expect(tooMuch).rejects.toMatchObject({ reason: 'insufficient_balance' });
    expect(await builder.nextNonce()).toBe(1);
    expect((await builder.sendAndWait({ to: devKey(8).address, method: 'transfer', args: [1] }, { timeoutMs: 15_000 })).status).toBe('ok');

    const bad = await client.call('chain_getBlock', [-1]).catch((x: unknown) => x);
    expect(bad).toMatchObject({ code: -32602, reason: 'invalid_params', data: { param: 'block' } });
  });

  it('delivers newHeads through for-await in height order; break unsubscribes', async () => {
    const sub = client.subscribe('newHeads');
    await sub.ready;
    const id = sub.id as string;
    const heights: number[] = [];
    for await (const head of sub) {
      expect(head.hash).toMatch(/^0x[0-9a-f]{64}$/);
      heights.push(head.height);
      if (heights.length === 5) break;
    }
    expect(heights.slice(1).map((h, i) => h - heights[i])).toEqual([1, 1, 1, 1]);
    expect(sub.closed).toBe(true);
    // the node forgot it: unsubscribing again is an unknown subscription
    await expect(client.call('unsubscribe', [id])).rejects.toMatchObject({ reason: 'unknown_subscription' });
  });

  it('drops a subscriber that does not read, with an error, not unbounded memory', async () => {
    const sub = client.subscribe('newHeads', undefined, { maxBuffered: 3 });
    await sub.ready;
    const id = sub.id as string;
    const start = (await client.getInfo()).height;
    while ((await client.getInfo()).height < start + 6) await new Promise((r) => setTimeout(r, 50));
    expect(sub.closed).toBe(true);
    expect(sub.buffered).toBe(0);
    await expect(sub.next()).rejects.toMatchObject({ code: 'CLIENT_SLOW_CONSUMER' });
    await expect(client.call('unsubscribe', [id])).rejects.toMatchObject({ reason: 'unknown_subscription' });
    expect((await client.health()).ok).toBe(true); // the connection itself is fine
  });

  it('a closed client fails calls and subscriptions with CLIENT_CLOSED', async () => {
    const other = await createClient(node.url, { WebSocket });
    const sub = other.subscribe('newHeads');
    await sub.ready;
    await other.close();
    expect(other.state).toBe('closed');
    expect((await sub.next()).done).toBe(true);
    await expect(other.getInfo()).rejects.toBeInstanceOf(ClientError);
    await expect(other.getInfo()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await expect(other.subscribe('finalized').next()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('fails to connect with CLIENT_CONNECT_FAILED when nothing listens', async () => {
    await expect(createClient('ws://127.0.0.1:1', { WebSocket })).rejects.toMatchObject({ code: 'CLIENT_CONNECT_FAILED' });
  });
});
