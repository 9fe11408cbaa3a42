/**
 * The dev node as a user runs it: the real compiled CLI in a child process, real LevelDB,
 * real WebSocket JSON-RPC. Transfers get receipts and move balances; SIGKILL mid-load loses
 * nothing that had a receipt and the chain carries on from the same head.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devKey } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { encodeTx, signTx } from '../../core/tx/index.js';
import { startNode, type NodeProcess } from '../fixtures/nodeProcess.js';
import { connect, type WsRpc } from '../fixtures/wsRpc.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-dev-'));
const procs: NodeProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null) await p.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<{ node: NodeProcess; rpc: WsRpc }> {
  const node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '50']);
  procs.push(node);
  return { node, rpc: await connect(node.url) };
}

function transferHex(from: number, to: number, nonce: number, amount: number): string {
  const tx = signTx(
    { chainId: 'medchain-dev', nonce, sender: devKey(from).publicKey, to: devKey(to).address, method: 'transfer', args: [amount], gasLimit: 100_000 },
    devKey(from).secretKey,
  );
  return toHex(encodeTx(tx));
}

async function waitFor<T>(fn: () => Promise<T | null | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Receipt = { status: string; height: number; txHash: string };
type Account = { nonce: number; balance: number | string };

describe('medchain dev', () => {
  let headBeforeKill = { height: 0, hash: '' };
  const receipted: string[] = [];

  it('accepts signed transfers over WebSocket, makes blocks and moves balances', async () => {
    const { node, rpc } = await start();
    const info = await rpc.call<{ chainId: string; height: number; validators: string[] }>('chain_getInfo');
    expect(info.chainId).toBe('medchain-dev');
    expect(info.validators).toEqual([toHex(devKey(0).address)]);

    const hashes: string[] = [];
    for (let n = 0; n < 10; n++) hashes.push(await rpc.call<string>('tx_send', [transferHex(1, 2, n, 100 + n)]));
    const receipts = await Promise.all(hashes.map((h) => waitFor(() => rpc.call<Receipt | null>('tx_getReceipt', [h]))));
    expect(receipts.every((r) => r.status === 'ok')).toBe(true);
    receipted.push(...hashes);

    const a1 = await rpc.call<Account>('state_getAccount', [toHex(devKey(1).address)]);
    const a2 = await rpc.call<Account>('state_getAccount', [toHex(devKey(2).address)]);
    const sent = 10 * 100 + 45;
    expect(a1).toMatchObject({ nonce: 10, balance: 1_000_000_000_000 - sent });
    expect(a2).toMatchObject({ nonce: 0, balance: 1_000_000_000_000 + sent });

    const block = await rpc.call<{ txs: string[]; height: number }>('chain_getBlock', [receipts[0].height]);
    expect(block.txs).toContain(hashes[0]);
    const tx = await rpc.call<{ from: string; nonce: number }>('tx_get', [hashes[3]]);
    expect(tx).toMatchObject({ from: toHex(devKey(1).address), nonce: 3 });

    // a stale nonce is a typed application error, not a crash
    await expect(rpc.call('tx_send', [transferHex(1, 2, 0, 1)])).rejects.toMatchObject({ data: { reason: 'nonce_too_low' } });
    await rpc.close();
    expect(await node.stop()).toBe(0);
    expect(node.logs()).toMatch(/INFO\s+block height=\d+ txs=\d+ ms=/);
  });

  it('survives SIGKILL mid-load: nothing receipted or accepted is lost and the chain extends the same head', async () => {
    // the first test's node, if it failed before stopping it, still holds the data dir
    for (const p of procs) if (p.proc.exitCode === null) await p.kill();
    const { node, rpc } = await start();
    let nonce = (await rpc.call<Account>('state_getAccount', [toHex(devKey(3).address)])).nonce;
    // keep sending until a good number of txs have receipts ...
    const inFlight: string[] = [];
    for (let round = 0; round < 40 && receipted.length < 60; round++) {
      for (let i = 0; i < 5; i++) inFlight.push(await rpc.call<string>('tx_send', [transferHex(3, 4, nonce++, 1)]));
      await new Promise((r) => setTimeout(r, 20));
      for (const h of inFlight.splice(0)) {
        const r = await rpc.call<Receipt | null>('tx_getReceipt', [h]);
        if (r) receipted.push(h);
        else inFlight.push(h);
      }
    }
    // ... then a burst that is still being accepted and blocked when the process dies
    for (let i = 0; i < 30; i++) inFlight.push(await rpc.call<string>('tx_send', [transferHex(5, 6, i, 1)]));
    const head = await rpc.call<{ height: number; headHash: string }>('chain_getInfo');
    headBeforeKill = { height: head.height, hash: head.headHash };
    await node.kill();

    const again = await start();
    const info = await again.rpc.call<{ height: number }>('chain_getInfo');
    expect(info.height).toBeGreaterThanOrEqual(headBeforeKill.height);
    const same = await again.rpc.call<{ hash: string }>('chain_getBlock', [headBeforeKill.height]);
    expect(same.hash).toBe(headBeforeKill.hash);
    for (const h of receipted) {
      expect(await again.rpc.call<Receipt | null>('tx_getReceipt', [h]), h).not.toBeNull();
    }
    // every tx the node acknowledged before dying is pooled again (journal) and gets its receipt
    for (const h of inFlight) {
      const r = await waitFor(() => again.rpc.call<Receipt | null>('tx_getReceipt', [h]));
      expect(r.status).toBe('ok');
    }
    // the restarted node keeps making blocks on top
    const n3 = (await again.rpc.call<Account>('state_getAccount', [toHex(devKey(3).address)])).nonce;
    const h = await again.rpc.call<string>('tx_send', [transferHex(3, 4, n3, 1)]);
    const r = await waitFor(() => again.rpc.call<Receipt | null>('tx_getReceipt', [h]));
    expect(r.height).toBeGreaterThan(headBeforeKill.height);
    await again.rpc.close();
    expect(await again.node.stop()).toBe(0);
  });
});
