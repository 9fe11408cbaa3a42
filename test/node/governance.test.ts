/**
 * Validator governance across real processes on 127.0.0.1 (issue 8): a chain whose genesis
 * has one validator (instant blocks) and three followers that hold keys; `medchain
 * validators add/approve` grows the set to 2 — the first node hands over from its block
 * producer to Tendermint, the second starts voting — then to 3 and 4, each new node
 * following before it joins. Blocks keep coming throughout; every node agrees on every block
 * hash; headers' validatorsHash changes exactly at the effective heights and every
 * lastCommit holds more than 2/3 of its own height's set. Finally the fourth is voted out:
 * it stops voting, keeps following, and the remaining three keep finalizing; restarted with
 * an empty data dir it syncs the whole chain across the four set changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validator, validatorsHash } from '../../core/block/index.js';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { freePort } from '../fixtures/freePort.js';
import { dumpLogs, runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';
import { connect, type WsRpc } from '../fixtures/wsRpc.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-governance-'));
const procs: NodeProcess[] = [];
const rpcs: WsRpc[] = [];
afterAll(async () => {
  for (const r of rpcs) await r.close().catch(() => {});
  for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) await p.kill();
  rmSync(dir, { recursive: true, force: true });
});

async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out: ${what} (node logs: ${dumpLogs(procs, 'medchain-governance')})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Header {
  hash: string;
  validatorsHash: string;
  lastCommit: { signatures: Array<{ validatorIndex: number }> } | null;
}

describe('validator governance on a live network', () => {
  it('grows 1 → 2 → 4 validators by governance votes without halting, then removes one; all nodes agree', async () => {
    const ports = await Promise.all(Array.from({ length: 8 }, () => freePort()));
    const init = await runCli(['testnet', 'init', '--validators', '4', '--dir', dir, '--base-rpc-port', '20000', '--base-p2p-port', '21000', '--block-ms', '100']);
    expect(init.code, init.out).toBe(0);
    // One genesis validator (node 0); nodes 1-3 keep their keys and start as followers.
    const genesisFile = path.join(dir, 'genesis.json');
    const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as { validators: Array<{ publicKey: string; power: number }> };
    const keys = genesis.validators.map((v) => v.publicKey);
    genesis.validators = genesis.validators.slice(0, 1);
    writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
    // Ports picked free now (the CLI's fixed bases may be taken); quick empty blocks.
    for (let i = 0; i < 4; i++) {
      const file = path.join(dir, `node${i}`, 'config.json');
      const c = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      c.rpc = { host: '127.0.0.1', port: ports[i] };
      c.p2p = { host: '127.0.0.1', port: ports[4 + i], peers: [0, 1, 2, 3].filter((j) => j !== i).map((j) => `ws://127.0.0.1:${ports[4 + j]}`) };
      c.emptyBlockMs = 300;
      writeFileSync(file, JSON.stringify(c, null, 2));
    }
    const nodes: NodeProcess[] = [];
    const up = async (i: number) => {
      const n = await startNode(['start', '--config', path.join(dir, `node${i}`, 'config.json')]);
      procs.push(n);
      nodes[i] = n;
      const r = await connect(n.url);
      rpcs[i] = r;
    };
    const height = async (i: number) => (await rpcs[i].call<{ height: number }>('chain_getInfo')).height;
    const keyFile = (i: number) => path.join(dir, `node${i}`, 'key.json');
    const cli = async (args: string[]) => {
      const r = await runCli(['validators', ...args, '--rpc', nodes[0].url], 90_000);
      expect(r.code, r.out).toBe(0);
      return r.out;
    };
    /** The effective height of the latest scheduled change. */
    const lastFrom = async () => {
      const sched = await rpcs[0].call<Array<{ from: number }>>('state_call', { to: '0x1194cbae36b2e57d605c52f3a2bdbcc2663b5aa5', method: 'schedule', args: [] });
      return sched[sched.length - 1].from;
    };
    const setHash = (n: number) => toHex(validatorsHash(keys.slice(0, n).map((k) => validator(fromHex(k)))));
    // (4 → 3 removes the last one added, so every set is a prefix of `keys`.)

    await up(0);
    await up(1);
    await until(async () => (await height(1)) >= 2, 60_000, 'the follower syncing the first blocks');

    // 1 → 2: node 0 alone passes it; it takes effect two heights later.
    await cli(['add', '--key', keyFile(0), '--public-key', keys[1], '--wait']);
    const e1 = await lastFrom();
    await until(async () => (await height(0)) >= e1 + 5 && (await height(1)) >= e1 + 5, 90_000, 'blocks under 2 validators');
    expect(nodes[0].logs()).toMatch(/block production stops/);
    expect(nodes[1].logs()).toMatch(/consensus .*validatorIndex=1/);

    // 2 → 3 → 4: each new node follows first; the current validators approve.
    await up(2);
    await up(3);
    await cli(['add', '--key', keyFile(0), '--public-key', keys[2], '--wait']);
    const proposals = JSON.parse(await runCli(['validators', 'proposals', '--rpc', nodes[0].url]).then((r) => r.out)) as Array<{ id: number }>;
    expect(proposals).toHaveLength(1);
    await cli(['approve', '--key', keyFile(1), '--id', String(proposals[0].id), '--wait']);
    const e2 = await lastFrom();
    expect(e2).toBeGreaterThan(e1);
    await until(async () => (await height(0)) >= e2 + 1, 90_000, 'the third validator in effect');
    await cli(['add', '--key', keyFile(1), '--public-key', keys[3], '--wait']);
    await cli(['approve', '--key', keyFile(0), '--id', String(proposals[0].id + 1), '--wait']);
    await cli(['approve', '--key', keyFile(2), '--id', String(proposals[0].id + 1), '--wait']);
    const e3 = await lastFrom();
    expect(e3).toBeGreaterThan(e2);
    await until(async () => Promise.all([0, 1, 2, 3].map(height)).then((hs) => hs.every((h) => h >= e3 + 4)), 120_000, 'blocks under 4 validators on every node');

    const list = JSON.parse((await runCli(['validators', 'list', '--rpc', nodes[3].url])).out) as { validators: Array<{ publicKey: string }> };
    expect(list.validators.map((v) => v.publicKey)).toEqual(keys);

    // 4 → 3: node 3 is voted out (3 of 4 approve); it stops voting and keeps following.
    const addr3 = toHex(validator(fromHex(keys[3])).address);
    await cli(['remove', '--key', keyFile(0), '--address', addr3, '--wait']);
    await cli(['approve', '--key', keyFile(1), '--id', String(proposals[0].id + 2), '--wait']);
    await cli(['approve', '--key', keyFile(2), '--id', String(proposals[0].id + 2), '--wait']);
    const e4 = await lastFrom();
    expect(e4).toBeGreaterThan(e3);
    await until(async () => Promise.all([0, 1, 2, 3].map(height)).then((hs) => hs.every((h) => h >= e4 + 4)), 120_000, 'blocks after the removal on every node');

    // Every node holds the same blocks; validatorsHash switches exactly at e1, e2, e3, e4.
    const sizeAt = (h: number) => (h < e1 ? 1 : h < e2 ? 2 : h < e3 ? 3 : h < e4 ? 4 : 3);
    const top = Math.min(...(await Promise.all([0, 1, 2, 3].map(height))));
    for (let h = 1; h <= top; h++) {
      const blocks = await Promise.all(rpcs.map((r) => r.call<Header>('chain_getBlock', [h])));
      expect(new Set(blocks.map((b) => b.hash)).size, `block ${h}`).toBe(1);
      expect(blocks[0].validatorsHash, `validatorsHash of block ${h}`).toBe(setHash(sizeAt(h)));
      // A lastCommit certifies the previous block under that block's set: > 2/3 of it.
      if (h > 1) expect(blocks[0].lastCommit!.signatures.length * 3, `lastCommit of block ${h}`).toBeGreaterThan(sizeAt(h - 1) * 2);
      // Nobody outside the set of the previous height signed for it.
      if (h > 1) for (const s of blocks[0].lastCommit!.signatures) expect(s.validatorIndex).toBeLessThan(sizeAt(h - 1));
    }
    expect(top).toBeGreaterThanOrEqual(e4 + 4);
    // The removed node restarted its machine without a vote (it still follows: same hashes above).
    expect(nodes[3].logs()).toMatch(/validator set changed height=\d+ validators=3/);

    // Block sync across all four changes: node 3 restarted with an empty data dir verifies
    // every certificate under the set of its height and ends with the same chain.
    await rpcs[3].close();
    await nodes[3].kill();
    rmSync(path.join(dir, 'node3', 'data'), { recursive: true, force: true });
    await up(3);
    const target = await height(0);
    await until(async () => (await height(3)) >= target, 60_000, 'an empty node syncing across the set changes');
    for (let h = 1; h <= target; h++) {
      const [a, b] = await Promise.all([rpcs[0], rpcs[3]].map((r) => r.call<Header>('chain_getBlock', [h])));
      expect(b.hash, `synced block ${h}`).toBe(a.hash);
    }
    expect(nodes[3].logs()).not.toMatch(/rejected a synced block/);
  }, 300_000);
});
