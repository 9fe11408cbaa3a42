/**
 * A follower node syncs the dev chain over p2p: real processes, real LevelDB, real sockets.
 * Blocks arrive with their commit certificates and are re-validated; txs sent to the follower
 * are gossiped to the validator and included; a follower restarted on an empty data dir
 * catches up from scratch; a tx a follower accepted before it had any peer reaches the
 * validator once they connect.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { devKey } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { encodeTx, signTx } from '../../core/tx/index.js';
import { freePort } from '../fixtures/freePort.js';
import { startNode, type NodeProcess } from '../fixtures/nodeProcess.js';
import { connect, type WsRpc } from '../fixtures/wsRpc.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];
const procs: NodeProcess[] = [];
const conns: WsRpc[] = [];
afterAll(async () => {
  for (const c of conns) await c.close();
  for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) await p.kill();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'medchain-follow-'));
  dirs.push(d);
  return d;
}

function transfer(from: number, nonce: number): string {
  const tx = signTx({ chainId: 'medchain-dev', nonce, sender: devKey(from).publicKey, to: devKey(9).address, method: 'transfer', args: [1], gasLimit: 100_000 }, devKey(from).secretKey);
  return toHex(encodeTx(tx));
}

async function follower(peer: string, dataDir = tmp()): Promise<{ node: NodeProcess; rpc: WsRpc; dataDir: string }> {
  const cfg = path.join(tmp(), 'config.json');
  writeFileSync(cfg, JSON.stringify({ dataDir, genesis: path.join(ROOT, 'genesis', 'dev.json'), rpc: { port: 0 }, p2p: { port: 0, peers: [peer] } }));
  const node = await startNode(['start', '--config', cfg]);
  procs.push(node);
  const rpc = await connect(node.url);
  conns.push(rpc);
  return { node, rpc, dataDir };
}

async function until(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('follower sync over p2p', () => {
  it('follows the validator block by block, relays its txs, and resyncs from an empty data dir', async () => {
    const dev = await startNode(['dev', '--data-dir', tmp(), '--rpc-port', '0', '--p2p-port', '0', '--block-ms', '30']);
    procs.push(dev);
    await until(async () => /p2p listening/.test(dev.logs()));
    const p2pUrl = /p2p listening url=(ws:\/\/[^\s]+)/.exec(dev.logs())![1];
    const v = await connect(dev.url);
    conns.push(v);
    for (let n = 0; n < 5; n++) await v.call('tx_send', [transfer(1, n)]);

    const f = await follower(p2pUrl);
    const height = async (rpc: WsRpc) => (await rpc.call<{ height: number }>('chain_getInfo')).height;
    const vh = async () => height(v);
    await until(async () => (await height(f.rpc)) >= 1 && (await height(f.rpc)) === (await vh()));
    // a tx sent to the follower reaches the validator by gossip and gets a receipt on both
    const h = await f.rpc.call<string>('tx_send', [transfer(2, 0)]);
    const r = await v.call<{ height: number; blockHash: string }>('tx_wait', [h, 15_000]);
    expect(r).not.toBeNull();
    const fr = await f.rpc.call<{ blockHash: string }>('tx_wait', [h, 15_000]);
    expect(fr.blockHash).toBe(r.blockHash);
    // same blocks, hash for hash
    const top = await height(f.rpc);
    for (let i = 1; i <= top; i++) {
      const a = await v.call<{ hash: string }>('chain_getBlock', [i]);
      const b = await f.rpc.call<{ hash: string }>('chain_getBlock', [i]);
      expect(b.hash).toBe(a.hash);
    }
    expect((await f.rpc.call<unknown[]>('node_peers')).length).toBe(1);

    // a fresh follower on an empty data dir catches up the whole chain
    await f.node.kill();
    const g = await follower(p2pUrl);
    const target = await vh();
    await until(async () => (await height(g.rpc)) >= target);
    expect((await g.rpc.call<{ hash: string }>('chain_getBlock', [target])).hash).toBe((await v.call<{ hash: string }>('chain_getBlock', [target])).hash);
  });

  it('sends its pending txs to a peer that connects later, so a tx accepted with no peer still gets included', async () => {
    const port = await freePort();
    const f = await follower(`ws://127.0.0.1:${port}`);
    const h = await f.rpc.call<string>('tx_send', [transfer(3, 0)]); // no validator yet: nowhere to gossip
    const dev = await startNode(['dev', '--data-dir', tmp(), '--rpc-port', '0', '--p2p-port', String(port), '--block-ms', '30']);
    procs.push(dev);
    const v = await connect(dev.url);
    conns.push(v);
    const r = await v.call<{ status: string } | null>('tx_wait', [h, 30_000]);
    expect(r?.status).toBe('ok');
    expect((await f.rpc.call<{ status: string } | null>('tx_wait', [h, 30_000]))?.status).toBe('ok');
  });
});
