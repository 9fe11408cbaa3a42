/**
 * `npm run bench -- testnet [--duration 30s] [--rate max] [--sync-blocks 10000]` (issue 8):
 * 1. a 4-validator testnet of separate processes on this machine, driven by the load
 *    generator through node 0: finalized tx/s and send→final latency (target ≥ 1,000 tx/s,
 *    p99 ≤ 3 s), against the dev node (n = 1) measured the same way in the same run;
 * 2. block-sync speed: a fresh follower catching up a 10,000-block chain (blocks/s, tx/s).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createPrivateKey, sign as nativeSign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { signVote, VOTE_PRECOMMIT, type Commit } from '../../core/block/index.js';
import { Chain } from '../../core/chain/index.js';
import { devKey, DOMAIN_TX, signingDigest } from '../../core/crypto/index.js';
import { envelope, UNAVAILABLE_EXECUTOR } from '../../core/execution/index.js';
import { parseGenesis } from '../../core/genesis/index.js';
import { ChainStore } from '../../core/store/index.js';
import { encodeTx, txSigningPayload, type UnsignedTx } from '../../core/tx/index.js';
import { figure, type Figure, type Suite } from '../figure.js';
import { printFigure } from '../measure.js';
import { RpcConnection } from '../load/rpcConnection.js';
import { run as runLoad } from './load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'node', 'cli.js');
const log = (m: string) => console.log(`  ${m}`);
/** Transfers per block of the sync chain: a busy but not full block. */
const SYNC_TXS_PER_BLOCK = 5;
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
}

/** A process running the medchain CLI; resolves `ready` when its RPC is listening. */
function startCli(args: string[]): { child: ChildProcess; ready: Promise<string>; logs: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    const on = (d: Buffer) => {
      out += d;
      if (out.length > 1_000_000) out = out.slice(-500_000);
      const m = /rpc listening url=(ws:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => reject(new Error(`medchain ${args[0]} exited with ${code}:\n${out.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  return { child, ready, logs: () => out };
}

async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

async function freeBase(n: number): Promise<number> {
  const can = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await Promise.all(Array.from({ length: n }, (_, i) => can(base + i)))).every(Boolean)) return base;
  }
}

/** Runs the load suite against `url` and prefixes its figure names. */
async function loadAgainst(url: string, label: string, args: readonly string[]): Promise<Figure[]> {
  // --no-targets: the dev node's targets do not apply here; run() attaches issue 8's.
  const figs = await runLoad(['--url', url, '--mix', 'transfer=100', '--rate', flag(args, '--rate', 'max'), '--duration', flag(args, '--duration', '30s'), '--no-targets']);
  return figs.map((f) => ({ ...f, name: `${label}: ${f.name}`, reference: f.reference ? `${label}: ${f.reference}` : undefined }));
}

async function testnetLoad(args: readonly string[]): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-bench-testnet-'));
  const base = await freeBase(8);
  const children: ChildProcess[] = [];
  try {
    const init = startCli(['testnet', 'init', '--validators', '4', '--dir', dir, '--base-rpc-port', String(base), '--base-p2p-port', String(base + 4), '--block-ms', '200']);
    await new Promise((r) => init.child.once('exit', r));
    const manifest = JSON.parse(readFileSync(path.join(dir, 'testnet.json'), 'utf8')) as { chainId: string; nodes: Array<{ config: string }> };
    // The load generator signs for the testnet's chain id with the dev keys, which its genesis funds.
    const nodes = manifest.nodes.map((n) => startCli(['start', '--config', path.join(dir, n.config)]));
    children.push(...nodes.map((n) => n.child));
    const urls = await Promise.all(nodes.map((n) => n.ready));
    log(`4-validator testnet up (${urls.join(', ')})`);
    const figs = await loadAgainst(urls[0], 'testnet n=4', args);
    const rounds = nodes.map((n) => (n.logs().match(/round change/g) ?? []).length);
    log(`round changes per node during the run: ${rounds.join(', ')}`);
    return figs;
  } finally {
    await stop(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds an n-block dev chain in `dir` in-process (native signing: the bench measures sync, not signing). */
async function buildChain(dir: string, blocks: number): Promise<number> {
  const spec = parseGenesis(JSON.parse(readFileSync(path.join(ROOT, 'genesis', 'dev.json'), 'utf8')));
  const store = await ChainStore.open(dir);
  const chain = await Chain.open(store, { spec, executor: UNAVAILABLE_EXECUTOR });
  const senders = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ k: devKey(i), priv: createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, devKey(i).secretKey]), format: 'der', type: 'pkcs8' }) }));
  const nonces = senders.map(() => 0);
  let txs = 0;
  let lastCommit: Commit | null = null;
  for (let h = 1; h <= blocks; h++) {
    const envs = [];
    for (let t = 0; t < SYNC_TXS_PER_BLOCK; t++) {
      const s = (h * SYNC_TXS_PER_BLOCK + t) % senders.length;
      const u: UnsignedTx = { chainId: spec.chainId, nonce: nonces[s]++, sender: senders[s].k.publicKey, to: devKey(0).address, method: 'transfer', args: [1], gasLimit: 10_000 };
      const sig = new Uint8Array(nativeSign(null, signingDigest(DOMAIN_TX, txSigningPayload(u)), senders[s].priv));
      const bytes = encodeTx({ ...u, sig });
      envs.push(envelope({ ...u, sig }, bytes));
    }
    const built = await chain.build(spec.timeMs + h * 1000, devKey(0).address, envs, lastCommit);
    const commit: Commit = { height: h, round: 0, blockHash: built.hash, signatures: [[0, signVote(spec.chainId, VOTE_PRECOMMIT, h, 0, built.hash, devKey(0).secretKey)]] };
    await chain.commit(built, commit);
    lastCommit = commit;
    txs += built.included.length;
  }
  await store.close();
  return txs;
}

async function syncSpeed(args: readonly string[]): Promise<Figure[]> {
  const blocks = Number(flag(args, '--sync-blocks', '10000'));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-bench-sync-'));
  const children: ChildProcess[] = [];
  try {
    const t0 = Date.now();
    const txs = await buildChain(path.join(dir, 'source'), blocks);
    log(`built a ${blocks}-block chain with ${txs} transfers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const p2pPort = await freeBase(1);
    const source = startCli(['dev', '--data-dir', path.join(dir, 'source'), '--rpc-port', '0', '--p2p-port', String(p2pPort), '--empty-block-ms', '3600000']);
    children.push(source.child);
    await source.ready;
    const cfg = path.join(dir, 'follower.json');
    writeFileSync(cfg, JSON.stringify({ dataDir: path.join(dir, 'follower'), genesis: path.join(ROOT, 'genesis', 'dev.json'), rpc: { port: 0 }, p2p: { port: 0, peers: [`ws://127.0.0.1:${p2pPort}`] }, }));
    const started = Date.now();
    const follower = startCli(['start', '--config', cfg]);
    children.push(follower.child);
    const url = await follower.ready;
    const rpc = await RpcConnection.open(url, { rate: 100 });
    for (;;) {
      const info = (await rpc.call('chain_getInfo', [])) as { height: number };
      if (info.height >= blocks) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - started) / 1000;
    await rpc.close();
    const bps = figure(`block sync: blocks/s (fresh follower, ${blocks}-block chain)`, 'blocks/s', [blocks / seconds]);
    const tps = figure('block sync: tx/s', 'tx/s', [txs / seconds]);
    printFigure(bps);
    printFigure(tps);
    return [bps, tps];
  } finally {
    await stop(children);
    rmSync(dir, { recursive: true, force: true });
  }
}

export const run: Suite = async (args) => {
  log(`${os.cpus().length} cores shared by every node and the generator; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const figures: Figure[] = [];
  if (!args.includes('--sync-only')) {
    const t = await testnetLoad(args);
    // Issue 8's targets replace the dev-node targets the load suite attaches: ≥ 1,000
    // finalized tx/s at max, p99 send→final ≤ 3 s at an offered 1,000 tx/s (a backlog's p99
    // at max measures the backlog, so it carries no target).
    for (const f of t) {
      delete f.target;
      delete f.met;
      if (/@max — finalized tx\/s$/.test(f.name)) {
        f.target = '>= 1,000 finalized tx/s with 4 validators (issue 8)';
        f.met = f.median >= 1000;
      }
      if (/@1000 tx\/s — send→final p99$/.test(f.name)) {
        f.target = '<= 3,000 ms at 1,000 tx/s offered (issue 8)';
        f.met = f.median <= 3000;
      }
    }
    figures.push(...t);
  }
  if (!args.includes('--load-only')) figures.push(...(await syncSpeed(args)));
  return figures;
};
