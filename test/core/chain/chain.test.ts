/**
 * Chain: genesis on an empty store, build → commit, and validation of received blocks on a
 * second Chain over its own copy of the same genesis — which must accept honest blocks
 * (same state root) and reject every tampered field with CHAIN_BAD_BLOCK naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitHash, encodeBlock, headerHash, orderedRoot, signVote, VOTE_PRECOMMIT, type Block, type Commit } from '../../../core/block/index.js';
import { Chain, ChainError, type BuiltBlock } from '../../../core/chain/index.js';
import { toHex } from '../../../core/encoding/index.js';
import { UNAVAILABLE_EXECUTOR, type TxEnvelope } from '../../../core/execution/index.js';
import { parseGenesis, type GenesisSpec } from '../../../core/genesis/index.js';
import { Bucket, ChainStore, heightKey } from '../../../core/store/index.js';
import { Trie } from '../../../core/trie/index.js';
import { encodeTx, decodeTx } from '../../../core/tx/index.js';
import { DEV, inThreadVerify, TempDirs, transferBytes, transferEnv } from '../../fixtures/chainFixtures.js';

const CHAIN_ID = 'medchain-dev';
const GENESIS_TIME = 1_767_225_600_000;
const START = 10n ** 12n;

function spec(): GenesisSpec {
  return parseGenesis({
    chainId: CHAIN_ID,
    timeMs: GENESIS_TIME,
    blockGasLimit: 10_000_000,
    blockIntervalMs: 100,
    validators: [{ publicKey: toHex(DEV[0].publicKey), power: 1 }],
    accounts: DEV.slice(0, 6).map((k) => ({ address: toHex(k.address), balance: START.toString() })),
  });
}

const tmp = new TempDirs();
const stores: ChainStore[] = [];
afterAll(async () => {
  for (const s of stores) if (s.db.status === 'open') await s.close();
  tmp.cleanup();
});

async function openChain(dir = tmp.make('medchain-chain-'), s: GenesisSpec = spec()): Promise<{ chain: Chain; store: ChainStore; dir: string }> {
  const store = await ChainStore.open(dir);
  stores.push(store);
  try {
    return { chain: await Chain.open(store, { spec: s, executor: UNAVAILABLE_EXECUTOR }), store, dir };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The single validator's commit certificate for a built block (dev mode). */
function commitFor(b: BuiltBlock): Commit {
  const { height } = b.block.header;
  return { height, round: 0, blockHash: b.hash, signatures: [[0, signVote(CHAIN_ID, VOTE_PRECOMMIT, height, 0, b.hash, DEV[0].secretKey)]] };
}

/** Builds and commits the next block on `chain` with `txs`. */
async function extend(chain: Chain, txs: TxEnvelope[], timeMs = chain.head.timeMs + 1000): Promise<{ built: BuiltBlock; commit: Commit }> {
  const last = chain.head.height === 0 ? null : (chain.store.commit(chain.head.height) ?? null);
  const built = await chain.build(timeMs, DEV[0].address, txs, last);
  const commit = commitFor(built);
  await chain.commit(built, commit);
  return { built, commit };
}

async function expectBadBlock(p: Promise<unknown>, field: string): Promise<ChainError> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected CHAIN_BAD_BLOCK for ${field}`).toBeInstanceOf(ChainError);
  const err = caught as ChainError;
  expect(err.code).toBe('CHAIN_BAD_BLOCK');
  expect(err.context.field).toBe(field);
  return err;
}

describe('Chain: open, build, commit', () => {
  it('writes genesis into an empty store and opens at height 0', async () => {
    const { chain, store } = await openChain();
    expect(chain.head.height).toBe(0);
    expect(chain.headHash).toEqual(chain.genesisHash);
    expect(new Uint8Array(store.genesisHash()!)).toEqual(chain.genesisHash);
    expect(store.head()).toEqual({ height: 0, hash: chain.genesisHash });
    expect(chain.account(DEV[3].address)).toEqual({ nonce: 0, balance: START, codeHash: null });
    expect(chain.account(DEV[7].address)).toEqual({ nonce: 0, balance: 0n, codeHash: null });
  });

  it('build → commit extends the head, moves balances, and stores block, receipts and tx index', async () => {
    const { chain, store } = await openChain();
    const txs = [transferEnv(1, 2, 0, 100), transferEnv(1, 3, 1, 50), transferEnv(2, 1, 0, START * 2n)];
    const { built, commit } = await extend(chain, txs);
    expect(chain.head.height).toBe(1);
    expect(chain.headHash).toEqual(built.hash);
    expect(built.block.header.prevHash).toEqual(chain.genesisHash);
    expect(built.receipts.map((r) => r.status)).toEqual(['ok', 'ok', 'reverted']);
    expect(chain.account(DEV[1].address)).toEqual({ nonce: 2, balance: START - 150n, codeHash: null });
    expect(chain.account(DEV[2].address)).toEqual({ nonce: 1, balance: START + 100n, codeHash: null });
    expect(store.head()).toEqual({ height: 1, hash: built.hash });
    expect(store.block(1)).toEqual(built.block);
    expect(store.commit(1)).toEqual(commit);
    expect(store.receipts(1)).toEqual(built.receipts);
    expect(store.txLocation(txs[2].hash)).toEqual({ height: 1, index: 2 });
    expect(headerHash(built.block.header)).toEqual(built.hash);

    const { built: b2 } = await extend(chain, [transferEnv(1, 2, 2, 1)]);
    expect(chain.head.height).toBe(2);
    expect(b2.block.lastCommit).toEqual(commit);
  });

  it('build skips inapplicable candidates and reports them', async () => {
    const { chain } = await openChain();
    const stale = transferEnv(1, 2, 5, 1);
    const built = await chain.build(GENESIS_TIME + 10, DEV[0].address, [transferEnv(1, 2, 0, 1), stale], null);
    expect(built.included).toHaveLength(1);
    expect(built.skipped.map((s) => [s.tx, s.error.code])).toEqual([[stale, 'EXEC_BAD_NONCE']]);
  });

  it('build never goes back in time: timeMs is at least the parent time + 1', async () => {
    const { chain } = await openChain();
    const built = await chain.build(GENESIS_TIME - 50_000, DEV[0].address, [], null);
    expect(built.block.header.timeMs).toBe(GENESIS_TIME + 1);
  });

  it('nothing is stored until commit; commit of a block that does not extend the head is refused', async () => {
    const { chain, store } = await openChain();
    const built = await chain.build(GENESIS_TIME + 1, DEV[0].address, [transferEnv(1, 2, 0, 1)], null);
    expect(store.head()?.height).toBe(0);
    expect(chain.account(DEV[1].address).nonce).toBe(0);
    await chain.commit(built, commitFor(built));
    await expect(chain.commit(built, commitFor(built))).rejects.toMatchObject({ code: 'CHAIN_BAD_BLOCK' });
    expect(chain.head.height).toBe(1);
  });

  it('reopening a chain resumes at the stored head with its state', async () => {
    const { chain, store, dir } = await openChain();
    await extend(chain, [transferEnv(4, 5, 0, 77)]);
    const { built } = await extend(chain, [transferEnv(4, 5, 1, 23)]);
    await store.close();
    const { chain: again } = await openChain(dir);
    expect(again.head.height).toBe(2);
    expect(again.headHash).toEqual(built.hash);
    expect(again.account(DEV[5].address).balance).toBe(START + 100n);
    expect(again.account(DEV[4].address).nonce).toBe(2);
    await extend(again, [transferEnv(4, 5, 2, 1)]);
    expect(again.head.height).toBe(3);
  });

  it('refuses to open a store that holds another chain', async () => {
    const { store, dir } = await openChain();
    await store.close();
    const other = parseGenesis({ chainId: 'other-chain', timeMs: 1, blockGasLimit: 1_000_000, blockIntervalMs: 100, validators: [{ publicKey: toHex(DEV[1].publicKey) }] });
    await expect(openChain(dir, other)).rejects.toMatchObject({ code: 'STORE_GENESIS_MISMATCH' });
  });
});

describe('Chain.validate', () => {
  /** Proposer chain A and validator chain B over their own stores, same genesis. */
  let A: Chain;
  let B: Chain;
  let next: BuiltBlock;

  beforeAll(async () => {
    A = (await openChain()).chain;
    B = (await openChain()).chain;
    // one block both have
    const { built } = await extend(A, [transferEnv(1, 2, 0, 10)]);
    const v = await B.validate(built.block, inThreadVerify);
    await B.commit(v, commitFor(v));
    // the block under test: built on A (not committed), validated on B
    next = await A.build(A.head.timeMs + 500, DEV[0].address, [transferEnv(1, 2, 1, 5), transferEnv(3, 4, 0, 7), transferEnv(2, 3, 0, START * 5n)], A.store.commit(1)!);
  });

  /** A copy of `next`'s block with `f` applied to it. */
  function tampered(f: (b: Block) => void): Block {
    const b = structuredClone(next.block);
    f(b);
    return b;
  }

  /** Replaces the txs and fixes txRoot, so only the txs themselves are wrong. */
  async function withTxs(txs: Uint8Array[]): Promise<Block> {
    const b = structuredClone(next.block);
    b.txs = txs;
    b.header.txRoot = await orderedRoot(txs);
    return b;
  }

  it('accepts an honest block built on another Chain and reaches the same state root', async () => {
    const v = await B.validate(next.block, inThreadVerify);
    expect(v.hash).toEqual(next.hash);
    expect(v.block.header.stateRoot).toEqual(next.block.header.stateRoot);
    expect(v.receipts).toEqual(next.receipts);
    expect(v.included.map((e) => toHex(e.hash))).toEqual(next.included.map((e) => toHex(e.hash)));
    // the re-executed state has the same root as the header claims
    const { root } = v.trie.flush();
    expect(toHex(root)).toBe(toHex(next.block.header.stateRoot));
    // validating does not move B's head
    expect(B.head.height).toBe(1);
  });

  it('accepts a block that round-tripped through the wire encoding', async () => {
    const { decodeBlock } = await import('../../../core/block/index.js');
    const v = await B.validate(decodeBlock(encodeBlock(next.block)), inThreadVerify);
    expect(v.hash).toEqual(next.hash);
  });

  const headerCases: Array<[string, (b: Block) => void]> = [
    ['chainId', (b) => (b.header.chainId = 'other-chain')],
    ['height', (b) => (b.header.height = 3)],
    ['height', (b) => (b.header.height = 1)],
    ['prevHash', (b) => (b.header.prevHash = new Uint8Array(32).fill(1))],
    ['timeMs', (b) => (b.header.timeMs = B.head.timeMs)],
    ['timeMs', (b) => (b.header.timeMs = B.head.timeMs - 1)],
    ['validatorsHash', (b) => (b.header.validatorsHash = new Uint8Array(32).fill(2))],
    ['lastCommitHash', (b) => (b.header.lastCommitHash = new Uint8Array(32).fill(3))],
    ['lastCommitHash', (b) => (b.lastCommit = null)],
    ['txRoot', (b) => (b.header.txRoot = new Uint8Array(32).fill(4))],
    ['txRoot', (b) => b.txs.pop()],
    ['txRoot', (b) => b.txs.reverse()],
    ['stateRoot', (b) => (b.header.stateRoot = new Uint8Array(32).fill(5))],
    ['receiptsRoot', (b) => (b.header.receiptsRoot = new Uint8Array(32).fill(6))],
  ];
  for (const [field, f] of headerCases) {
    it(`rejects a tampered ${field}: ${f.toString().replace(/^\(b\) => /, '')}`, async () => {
      await expectBadBlock(B.validate(tampered(f), inThreadVerify), field);
    });
  }

  it('rejects a tx with a bad signature', async () => {
    const tx = decodeTx(next.block.txs[1]);
    const sig = tx.sig.slice();
    sig[10] ^= 0x40;
    const bad = encodeTx({ ...tx, sig });
    const err = await expectBadBlock(B.validate(await withTxs([next.block.txs[0], bad, next.block.txs[2]]), inThreadVerify), 'txs');
    expect(err.message).toMatch(/invalid signature/);
  });

  it('rejects a tx signed by someone other than its sender', async () => {
    const tx = decodeTx(next.block.txs[0]);
    const forged = encodeTx({ ...tx, sender: DEV[5].publicKey, sig: tx.sig });
    await expectBadBlock(B.validate(await withTxs([forged]), inThreadVerify), 'txs');
  });

  it('rejects a malformed tx, naming its index', async () => {
    for (const junk of [Uint8Array.of(0xc1), new Uint8Array(0), next.block.txs[0].subarray(0, 50), Uint8Array.of(0x93, 1, 2, 3)]) {
      const err = await expectBadBlock(B.validate(await withTxs([next.block.txs[0], junk]), inThreadVerify), 'txs[1]');
      expect(err.message).toMatch(/tx 1 is malformed/);
    }
  });

  it('rejects a tx with a stale nonce (already used at height 1) or a future nonce', async () => {
    const replay = transferBytes(1, 2, 0, 10);
    await expectBadBlock(B.validate(await withTxs([replay]), inThreadVerify), 'txs');
    await expectBadBlock(B.validate(await withTxs([transferBytes(3, 4, 1, 1)]), inThreadVerify), 'txs');
    // the same tx twice in one block: the second is stale
    await expectBadBlock(B.validate(await withTxs([next.block.txs[1], next.block.txs[1]]), inThreadVerify), 'txs');
  });

  it('rejects a tx for another chain', async () => {
    await expectBadBlock(B.validate(await withTxs([transferBytes(3, 4, 0, 1, { chainId: 'other-chain' })]), inThreadVerify), 'txs');
  });

  it('rejects a tx whose gasLimit exceeds the gas left in the block', async () => {
    await expectBadBlock(B.validate(await withTxs([transferBytes(3, 4, 0, 1, { gasLimit: 10_000_001 })]), inThreadVerify), 'txs');
    // the first tx uses its intrinsic gas, so a second asking for (almost) the whole block does not fit
    const txs = [transferBytes(3, 4, 0, 1), transferBytes(3, 4, 1, 1, { gasLimit: 10_000_000 - 1000 })];
    const err = await expectBadBlock(B.validate(await withTxs(txs), inThreadVerify), 'txs');
    expect(err.message).toMatch(/tx 1: .*left in the block/);
  });

  it('skips signature checks only for the hashes skipSig names', async () => {
    const seen: number[] = [];
    const counting = async (items: Parameters<typeof inThreadVerify>[0]) => {
      seen.push(items.length);
      return inThreadVerify(items);
    };
    const first = toHex(next.included[0].hash);
    await B.validate(next.block, counting, (h) => toHex(h) === first);
    // one batch: the previous block's certificate (1 signature) and the 2 txs not skipped
    expect(seen).toEqual([3]);
  });

  it('rejects a block whose lastCommit is missing, forged, or not for the parent', async () => {
    const fix = (b: Block) => (b.header.lastCommitHash = commitHash(b.lastCommit));
    await expectBadBlock(B.validate(tampered((b) => ((b.lastCommit = null), fix(b))), inThreadVerify), 'lastCommit');
    await expectBadBlock(B.validate(tampered((b) => ((b.lastCommit!.signatures[0][1] = new Uint8Array(64)), fix(b))), inThreadVerify), 'lastCommit');
    await expectBadBlock(B.validate(tampered((b) => ((b.lastCommit!.blockHash = new Uint8Array(32).fill(1)), fix(b))), inThreadVerify), 'lastCommit');
    await expectBadBlock(B.validate(tampered((b) => ((b.lastCommit!.signatures = []), fix(b))), inThreadVerify), 'lastCommit');
  });

  it('rejects a block from a proposer outside the validator set', async () => {
    await expectBadBlock(B.validate(tampered((b) => (b.header.proposer = DEV[5].address)), inThreadVerify), 'proposer');
  });

  it('a rejected block leaves the chain as it was; the honest block still validates and commits', async () => {
    await expectBadBlock(B.validate(tampered((b) => (b.header.stateRoot = new Uint8Array(32))), inThreadVerify), 'stateRoot');
    expect(B.head.height).toBe(1);
    const before = B.account(DEV[1].address);
    const v = await B.validate(next.block, inThreadVerify);
    await B.commit(v, commitFor(v));
    expect(B.head.height).toBe(2);
    expect(B.headHash).toEqual(next.hash);
    expect(B.account(DEV[1].address).nonce).toBe(before.nonce + 1);
    await A.commit(next, commitFor(next));
    expect(toHex(A.head.stateRoot)).toBe(toHex(B.head.stateRoot));
  });
});

describe('Chain.open on a damaged store', () => {
  async function chainWithBlocks(): Promise<{ dir: string; stateRoot: Uint8Array }> {
    const { chain, store, dir } = await openChain();
    await extend(chain, [transferEnv(1, 2, 0, 1)]);
    await extend(chain, [transferEnv(1, 2, 1, 1)]);
    const stateRoot = chain.head.stateRoot;
    await store.close();
    return { dir, stateRoot };
  }

  async function rawStore(dir: string): Promise<ChainStore> {
    const s = await ChainStore.open(dir);
    await new Promise((r) => setImmediate(r));
    return s;
  }

  it("CHAIN_STATE_MISSING when the head's state root node was deleted", async () => {
    const { dir, stateRoot } = await chainWithBlocks();
    const s = await rawStore(dir);
    await s.db.sublevel<Uint8Array, Uint8Array>(Bucket.trie, { keyEncoding: 'view', valueEncoding: 'view' }).del(stateRoot);
    await s.close();
    await expect(openChain(dir)).rejects.toMatchObject({ name: 'ChainError', code: 'CHAIN_STATE_MISSING', context: { height: 2 } });
  });

  it('CHAIN_STATE_MISSING when every state node is gone', async () => {
    const { dir } = await chainWithBlocks();
    const s = await rawStore(dir);
    await s.db.sublevel(Bucket.trie).clear();
    await s.close();
    await expect(openChain(dir)).rejects.toMatchObject({ code: 'CHAIN_STATE_MISSING' });
  });

  it('CHAIN_STATE_MISSING when the head block is missing', async () => {
    const { dir } = await chainWithBlocks();
    const s = await rawStore(dir);
    await s.db.sublevel<Uint8Array, Uint8Array>(Bucket.blocks, { keyEncoding: 'view', valueEncoding: 'view' }).del(heightKey(2));
    await s.close();
    await expect(openChain(dir)).rejects.toMatchObject({ code: 'CHAIN_STATE_MISSING' });
  });

  it('a state reader at an unknown root fails loudly, not with empty accounts', async () => {
    const { chain } = await openChain();
    const ghost = new Trie({ keyLength: 32 }).root().slice();
    ghost[0] ^= 1;
    expect(() => chain.stateAt(ghost).getAccount(DEV[1].address)).toThrow();
  });
});
