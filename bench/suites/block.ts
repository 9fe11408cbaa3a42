/**
 * `npm run bench -- block` (issue 4): the block path on LevelDB with a 5,000-transfer block.
 * - build: execute the txs, commit the state trie, compute the roots, write the block batch
 *   (the proposer's path, what `medchain dev` does per block);
 * - validate: what a follower does with a received block — verify every signature (the pool,
 *   with the in-thread native loop as reference), re-execute, commit the trie — plus the
 *   LevelDB write; each part timed on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeReceipt, envelope, executeTxs, UNAVAILABLE_EXECUTOR, type TxEnvelope } from '../../core/execution/index.js';
import { Chain, txSigCheck } from '../../core/chain/index.js';
import { devKey, generateSecretKey, getPublicKey, addressOf, verify } from '../../core/crypto/index.js';
import { encodeBlock, orderedRoot, signVote, validator, VOTE_PRECOMMIT, type Commit, type Validator } from '../../core/block/index.js';
import type { GenesisSpec } from '../../core/genesis/index.js';
import { StateDB } from '../../core/state/index.js';
import { SigVerifyPool } from '../../core/sigpool/index.js';
import { ChainStore } from '../../core/store/index.js';
import { decodeTx, encodeTx, signTx } from '../../core/tx/index.js';
import { compareTo, figure, type Figure, type Suite } from '../figure.js';
import { msSince, printFigure, repeat } from '../measure.js';

/** Transfers per block (issue 4). */
const BLOCK_TXS = 5_000;
/** Distinct senders: 10 txs each, like a busy consortium block. */
const SENDERS = 500;
const REPEATS = 5;

interface Fixture {
  spec: GenesisSpec;
  blocks: TxEnvelope[][];
}

/** A genesis funding SENDERS fresh accounts, and REPEATS+1 blocks of transfers between them. */
function makeFixture(): Fixture {
  const keys = Array.from({ length: SENDERS }, () => generateSecretKey());
  const pubs = keys.map((k) => getPublicKey(k));
  const addrs = pubs.map((p) => addressOf(p));
  const v: Validator = validator(devKey(0).publicKey);
  const spec: GenesisSpec = {
    chainId: 'medchain-bench',
    timeMs: 1_767_225_600_000,
    blockGasLimit: 100_000_000,
    blockIntervalMs: 500,
    validators: [v],
    accounts: addrs.map((address) => ({ address, balance: 10n ** 12n })),
    regulators: [],
  };
  const perSender = BLOCK_TXS / SENDERS;
  const blocks: TxEnvelope[][] = [];
  for (let b = 0; b < REPEATS + 1; b++) {
    const txs: TxEnvelope[] = [];
    for (let n = 0; n < perSender; n++) {
      for (let s = 0; s < SENDERS; s++) {
        const tx = signTx(
          { chainId: spec.chainId, nonce: b * perSender + n, sender: pubs[s], to: addrs[(s + 1) % SENDERS], method: 'transfer', args: [1], gasLimit: 10_000 },
          keys[s],
        );
        txs.push(envelope(tx, encodeTx(tx)));
      }
    }
    blocks.push(txs);
  }
  return { spec, blocks };
}

/** The single validator's (dev key 0) commit certificate for a block. */
function commitOf(chainId: string, height: number, hash: Uint8Array): Commit {
  return { height, round: 0, blockHash: hash, signatures: [[0, signVote(chainId, VOTE_PRECOMMIT, height, 0, hash, devKey(0).secretKey)]] };
}

async function openChain(spec: GenesisSpec): Promise<{ chain: Chain; store: ChainStore; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-bench-block-'));
  const store = await ChainStore.open(dir);
  return { chain: await Chain.open(store, { spec, executor: UNAVAILABLE_EXECUTOR }), store, dir };
}

export const run: Suite = async () => {
  console.log(`  signing ${(REPEATS + 1) * BLOCK_TXS} transfers from ${SENDERS} senders…`);
  const fx = makeFixture();
  const figures: Figure[] = [];
  const proposer = devKey(0).address;
  const pool = new SigVerifyPool({ threads: 2 });

  // The proposer's path, end to end, on LevelDB.
  const a = await openChain(fx.spec);
  let i = 0;
  figures.push(
    await repeat('build+commit 5k-transfer block (LevelDB)', 'ms', REPEATS, async () => {
      const t = process.hrtime.bigint();
      const last = a.chain.head.height === 0 ? null : (a.store.commit(a.chain.head.height) ?? null);
      const built = await a.chain.build(a.chain.head.timeMs + 500, proposer, fx.blocks[i++], last);
      await a.chain.commit(built, commitOf(fx.spec.chainId, built.block.header.height, built.hash));
      return msSince(t);
    }, { higherIsBetter: false }),
  );

  // The follower's path, part by part: each repeat validates the next block of chain `a`.
  const b = await openChain(fx.spec);
  const parts = { sigsPool: [] as number[], sigsInThread: [] as number[], execute: [] as number[], trie: [] as number[], roots: [] as number[], write: [] as number[] };
  for (let h = 1; h <= REPEATS; h++) {
    const block = a.store.block(h)!;
    const envs = block.txs.map((bytes) => envelope(decodeTx(bytes), bytes));
    let t = process.hrtime.bigint();
    const checks = envs.map((e) => txSigCheck(e.tx));
    const ok = await pool.verifyBatch(checks);
    parts.sigsPool.push(msSince(t));
    if (ok.includes(false)) throw new Error('a valid signature failed');
    t = process.hrtime.bigint();
    for (const c of checks) verify(c.signature, c.message, c.publicKey);
    parts.sigsInThread.push(msSince(t));
    t = process.hrtime.bigint();
    const state = new StateDB(b.chain.trieAt(b.chain.head.stateRoot));
    const h0 = block.header;
    const exec = executeTxs('validate', state, { chainId: h0.chainId, height: h0.height, timeMs: h0.timeMs, proposer: h0.proposer }, envs, UNAVAILABLE_EXECUTOR, fx.spec.blockGasLimit);
    parts.execute.push(msSince(t));
    t = process.hrtime.bigint();
    await state.commit();
    parts.trie.push(msSince(t));
    t = process.hrtime.bigint();
    await orderedRoot(block.txs);
    await orderedRoot(exec.receipts.map(encodeReceipt));
    parts.roots.push(msSince(t));
    // the real validate + write, so chain b advances and the next block applies
    const validated = await b.chain.validate(block, async (items) => pool.verifyBatch(items));
    t = process.hrtime.bigint();
    await b.chain.commit(validated, a.store.commit(h) ?? null);
    parts.write.push(msSince(t));
  }
  const fig = (name: string, samples: number[]) => {
    const f = figure(name, 'ms', samples, { higherIsBetter: false });
    printFigure(f);
    return f;
  };
  const inThread = fig('validate: 5k signatures, in-thread native (reference)', parts.sigsInThread);
  const pooled = compareTo(fig('validate: 5k signatures, pool (2 threads)', parts.sigsPool), inThread);
  figures.push(inThread, pooled);
  figures.push(fig('validate: re-execute 5k transfers', parts.execute));
  figures.push(fig('validate: state trie commit (hash dirty nodes)', parts.trie));
  figures.push(fig('validate: tx + receipt roots', parts.roots));
  figures.push(fig('validate: LevelDB write (block, receipts, indexes, trie nodes)', parts.write));
  console.log(`  block size: ${encodeBlock(a.store.block(1)!).length} bytes`);
  await pool.close();
  for (const c of [a, b]) {
    await c.store.close();
    rmSync(c.dir, { recursive: true, force: true });
  }
  return figures;
};
