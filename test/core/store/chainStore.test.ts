/**
 * ChainStore over a real classic-level in temp dirs: genesis once, one batch per block,
 * everything readable after reopening, and corrupt stored values reported as STORE_CORRUPT
 * naming where (never a crash or a wrong value).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodeBlock, headerHash, signVote, VOTE_PRECOMMIT, type Block, type Commit, type Header } from '../../../core/block/index.js';
import { sha256 } from '../../../core/crypto/index.js';
import { encode, utf8, type Value } from '../../../core/encoding/index.js';
import type { Receipt } from '../../../core/execution/index.js';
import { Bucket, ChainStore, heightKey, META_FINAL, META_HEAD, StoreError, type BlockWrite, type BucketName } from '../../../core/store/index.js';
import { Trie } from '../../../core/trie/index.js';
import { DEV, TempDirs } from '../../fixtures/chainFixtures.js';

const tmp = new TempDirs();
const open: ChainStore[] = [];
afterAll(async () => {
  for (const s of open) if (s.db.status === 'open') await s.close();
  tmp.cleanup();
});

async function openStore(dir = tmp.make('medchain-store-')): Promise<{ store: ChainStore; dir: string }> {
  const store = await ChainStore.open(dir);
  open.push(store);
  // Workaround: ChainStore.open resolves while its sublevels are still 'opening', so a
  // getSync right away throws LEVEL_DATABASE_NOT_OPEN (reported; core/store is not ours).
  await new Promise((r) => setImmediate(r));
  return { store, dir };
}

const fill = (n: number, b: number) => new Uint8Array(n).fill(b);
/** The store hands out LevelDB's Buffers for raw values; compare them as plain bytes. */
const plain = (b: Uint8Array | undefined) => (b === undefined ? undefined : new Uint8Array(b));

function header(height: number, over: Partial<Header> = {}): Header {
  return {
    chainId: 'test-chain',
    height,
    prevHash: fill(32, height),
    timeMs: 1_000 + height,
    proposer: DEV[0].address,
    txRoot: fill(32, 1),
    stateRoot: fill(32, 2),
    receiptsRoot: fill(32, 3),
    validatorsHash: fill(32, 4),
    lastCommitHash: fill(32, 5),
    ...over,
  };
}

/** A BlockWrite for `height` with `n` fake txs, receipts and some trie nodes. */
function blockWrite(height: number, n: number, over: Partial<BlockWrite> = {}): BlockWrite & { block: Block } {
  const txs = Array.from({ length: n }, (_, i) => encode(['tx', height, i]));
  const block: Block = { header: header(height), txs, lastCommit: null };
  const hash = headerHash(block.header);
  const commit: Commit = { height, round: 0, blockHash: hash, signatures: [[0, signVote('test-chain', VOTE_PRECOMMIT, height, 0, hash, DEV[0].secretKey)]] };
  const receipts: Receipt[] = txs.map((_, i) =>
    i % 2 === 0 ? { status: 'ok', gasUsed: 1000 + i, result: null, events: [] } : { status: 'reverted', gasUsed: 1000, result: null, events: [], error: 'no' },
  );
  return {
    block,
    height,
    hash,
    blockBytes: encodeBlock(block),
    commit: height === 0 ? null : commit,
    txHashes: txs.map((t) => sha256(t)),
    receipts,
    trieNodes: [[sha256(Uint8Array.of(height, 1)), Uint8Array.of(0xc1, height)]],
    final: true,
    ...over,
  };
}

function sub(store: ChainStore, name: BucketName) {
  return store.db.sublevel<Uint8Array, Uint8Array>(Bucket[name], { keyEncoding: 'view', valueEncoding: 'view' });
}

function expectStoreError(f: () => unknown, code: StoreError['code'], where?: string | RegExp): StoreError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(StoreError);
  const err = caught as StoreError;
  expect(err.code).toBe(code);
  if (typeof where === 'string') expect(err.context.where).toBe(where);
  else if (where) expect(String(err.context.where)).toMatch(where);
  return err;
}

describe('ChainStore', () => {
  it('is empty when new', async () => {
    const { store } = await openStore();
    expect(store.genesisHash()).toBeUndefined();
    expect(store.head()).toBeUndefined();
    expect(store.finalHeight()).toBe(0);
    expect(store.block(0)).toBeUndefined();
    expect(store.receipts(0)).toBeUndefined();
    expect(store.commit(1)).toBeUndefined();
    expect(store.heightOf(fill(32, 9))).toBeUndefined();
    expect(store.txLocation(fill(32, 9))).toBeUndefined();
  });

  it('keeps the consensus WAL per height in write order, with the safety record in the same batch, across a reopen', async () => {
    const { store, dir } = await openStore();
    await store.writeConsensus({ wal: [{ height: 7, seq: 0, bytes: fill(3, 1) }, { height: 7, seq: 1, bytes: fill(3, 2) }], sync: false });
    await store.writeConsensus({ wal: [{ height: 8, seq: 0, bytes: fill(3, 8) }], safety: fill(5, 0xee), sync: true });
    await store.writeConsensus({ wal: [{ height: 7, seq: 256, bytes: fill(3, 3) }], sync: false }); // seq sorts numerically
    await store.writeConsensus({ wal: [], sync: true }); // nothing to write
    expect((await store.walEntries(7)).map((b) => b[0])).toEqual([1, 2, 3]);
    expect(await store.walEntries(6)).toEqual([]);
    await store.close();
    const again = await ChainStore.open(dir);
    try {
      expect(plain(again.safetyRecord())).toEqual(fill(5, 0xee));
      expect((await again.walEntries(8)).map((b) => plain(b))).toEqual([fill(3, 8)]);
      await again.clearWal(8); // drops heights below 8 only
      expect(await again.walEntries(7)).toEqual([]);
      expect((await again.walEntries(8)).length).toBe(1);
    } finally {
      await again.close();
    }
  });

  it('writes genesis once: the same hash again is a no-op, another hash is STORE_GENESIS_MISMATCH', async () => {
    const { store } = await openStore();
    const g = blockWrite(0, 0);
    await store.writeGenesis(g);
    expect(plain(store.genesisHash())).toEqual(g.hash);
    expect(store.head()).toEqual({ height: 0, hash: g.hash });
    await store.writeGenesis(g);
    const other = blockWrite(0, 0, { hash: fill(32, 0xaa) });
    await expect(store.writeGenesis(other)).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_GENESIS_MISMATCH' });
    expect(plain(store.genesisHash())).toEqual(g.hash);
    expect(store.head()).toEqual({ height: 0, hash: g.hash });
  });

  it('writeBlock makes block, commit, receipts, tx index, trie nodes, head and final readable', async () => {
    const { store } = await openStore();
    const g = blockWrite(0, 0);
    await store.writeGenesis(g);
    const b1 = blockWrite(1, 3);
    await store.writeBlock(b1);
    expect(plain(store.blockBytes(1))).toEqual(b1.blockBytes);
    expect(store.block(1)).toEqual(b1.block);
    expect(store.heightOf(b1.hash)).toBe(1);
    expect(store.heightOf(g.hash)).toBe(0);
    expect(store.commit(1)).toEqual(b1.commit);
    expect(store.commit(0)).toBeUndefined();
    expect(store.receipts(1)).toEqual(b1.receipts);
    b1.txHashes.forEach((h, i) => expect(store.txLocation(h)).toEqual({ height: 1, index: i }));
    expect(store.trieDB.get(b1.trieNodes[0][0])).toEqual(b1.trieNodes[0][1]);
    expect(store.head()).toEqual({ height: 1, hash: b1.hash });
    expect(store.finalHeight()).toBe(1);
  });

  it('a block is readable only once its batch has completed, in the tick writeBlock calls onWritten', async () => {
    const { store } = await openStore();
    await store.writeGenesis(blockWrite(0, 0));
    // A batch big enough that LevelDB spends a while applying it on its own thread, where
    // sync reads could see it before the write's callback reaches JS.
    const nodes: Array<[Uint8Array, Uint8Array]> = Array.from({ length: 40_000 }, (_, i) => [sha256(encode(['n', i])), fill(200, i & 0xff)]);
    const b1 = blockWrite(1, 50, { trieNodes: nodes });
    const seenEarly: string[] = [];
    let written = false;
    let visibleInOnWritten = true;
    const done = store
      .writeBlock(b1, [], () => {
        written = true;
        visibleInOnWritten = store.txLocation(b1.txHashes[0]) !== undefined;
      })
      .then(() => 'done');
    const probe = () => {
      if (written) return;
      if (store.txLocation(b1.txHashes[0])) seenEarly.push('txLocation');
      if (store.receipts(1)) seenEarly.push('receipts');
      if (store.block(1)) seenEarly.push('block');
      if (store.commit(1)) seenEarly.push('commit');
      if (store.heightOf(b1.hash) !== undefined) seenEarly.push('heightOf');
      if (store.head()?.height !== 0 || store.finalHeight() !== 0) seenEarly.push('head');
    };
    let polls = 0;
    while ((await Promise.race([done, new Promise((r) => setImmediate(() => r('poll')))])) === 'poll') {
      probe();
      polls++;
    }
    expect(polls).toBeGreaterThan(0);
    expect(seenEarly).toEqual([]);
    expect(visibleInOnWritten).toBe(false);
    expect(store.txLocation(b1.txHashes[0])).toEqual({ height: 1, index: 0 });
    expect(store.head()).toEqual({ height: 1, hash: b1.hash });
    expect(store.finalHeight()).toBe(1);
  });

  it('a non-final block moves the head but not the final height', async () => {
    const { store } = await openStore();
    await store.writeGenesis(blockWrite(0, 0));
    await store.writeBlock(blockWrite(1, 0, { final: false }));
    expect(store.head()?.height).toBe(1);
    expect(store.finalHeight()).toBe(0);
  });

  it('rejects a write with a receipt count that does not match the txs, writing nothing', async () => {
    const { store } = await openStore();
    await store.writeGenesis(blockWrite(0, 0));
    const bad = blockWrite(1, 2);
    bad.receipts.pop();
    await expect(store.writeBlock(bad)).rejects.toMatchObject({ code: 'STORE_BAD_WRITE' });
    expect(store.head()?.height).toBe(0);
    expect(store.block(1)).toBeUndefined();
  });

  it('keeps everything across close and reopen', async () => {
    const { store, dir } = await openStore();
    const g = blockWrite(0, 0);
    await store.writeGenesis(g);
    const blocks = [1, 2, 3].map((h) => blockWrite(h, h));
    for (const b of blocks) await store.writeBlock(b);
    await store.close();

    const { store: again } = await openStore(dir);
    expect(plain(again.genesisHash())).toEqual(g.hash);
    expect(again.head()).toEqual({ height: 3, hash: blocks[2].hash });
    expect(again.finalHeight()).toBe(3);
    for (const b of blocks) {
      expect(again.block(b.height)).toEqual(b.block);
      expect(again.commit(b.height)).toEqual(b.commit);
      expect(again.receipts(b.height)).toEqual(b.receipts);
      expect(again.heightOf(b.hash)).toBe(b.height);
      b.txHashes.forEach((h, i) => expect(again.txLocation(h)).toEqual({ height: b.height, index: i }));
      expect(again.trieDB.get(b.trieNodes[0][0])).toEqual(b.trieNodes[0][1]);
    }
    await expect(again.writeGenesis(blockWrite(0, 0, { hash: fill(32, 1) }))).rejects.toMatchObject({ code: 'STORE_GENESIS_MISMATCH' });
  });

  it('serves a trie committed through its trieDB after reopening', async () => {
    const { store, dir } = await openStore();
    const trie = new Trie({ keyLength: 32 });
    await trie.put(fill(32, 1), Uint8Array.of(1, 2, 3));
    await trie.put(fill(32, 2), fill(100, 7));
    const { root, nodes } = trie.flush();
    await store.writeGenesis(blockWrite(0, 0, { trieNodes: nodes }));
    await store.close();
    const { store: again } = await openStore(dir);
    const back = new Trie({ db: again.trieDB, root, keyLength: 32 });
    expect(back.getSync(fill(32, 2))).toEqual(fill(100, 7));
  });

  it('refuses a second open of the same directory while the first holds it', async () => {
    const { dir } = await openStore();
    await expect(ChainStore.open(dir)).rejects.toMatchObject({ cause: { code: 'LEVEL_LOCKED' } });
  });
});

describe('ChainStore on corrupt data', () => {
  async function seeded(): Promise<{ store: ChainStore; b1: ReturnType<typeof blockWrite>; dir: string }> {
    const { store, dir } = await openStore();
    await store.writeGenesis(blockWrite(0, 0));
    const b1 = blockWrite(1, 2);
    await store.writeBlock(b1);
    return { store, b1, dir };
  }

  /** Puts `value` at meta/`key` and reopens: the head and final height are read from meta on open. */
  async function reopenWithMeta(dir: string, store: ChainStore, key: string, value: Uint8Array): Promise<ChainStore> {
    await sub(store, 'meta').put(utf8(key), value);
    await store.close();
    return (await openStore(dir)).store;
  }

  const garbage: Array<[string, Uint8Array]> = [
    ['invalid msgpack', Uint8Array.of(0xc1, 0x00)],
    ['truncated', Uint8Array.of(0x93, 0x01)],
    ['empty', new Uint8Array(0)],
  ];

  it('corrupt meta/head → STORE_CORRUPT at meta/head', async () => {
    let { store, dir } = await seeded();
    const values = [
      ...garbage.map(([, g]) => g),
      ...([5, 'head', [1], [fill(32, 1), 1], ['1', fill(32, 1)], null, [-1, fill(5, 1)], [1, fill(31, 1)], [1, fill(32, 1), 3]] as Value[]).map((v) => encode(v)),
    ];
    for (const g of values) {
      store = await reopenWithMeta(dir, store, META_HEAD, g);
      expectStoreError(() => store.head(), 'STORE_CORRUPT', 'meta/head');
      expectStoreError(() => store.block(1), 'STORE_CORRUPT', 'meta/head'); // reads are bounded by the head
    }
  });

  it('corrupt meta/final → STORE_CORRUPT at meta/final', async () => {
    let { store, dir } = await seeded();
    for (const g of [...garbage.map(([, b]) => b), encode('7'), encode([7]), encode(null), encode(-3)]) {
      store = await reopenWithMeta(dir, store, META_FINAL, g);
      expectStoreError(() => store.finalHeight(), 'STORE_CORRUPT', 'meta/final');
    }
  });

  it('corrupt tx index and block-hash index entries → STORE_CORRUPT, never a wrong location', async () => {
    const { store, b1 } = await seeded();
    const txh = b1.txHashes[0];
    for (const v of [[-1, -2], [1], ['1', 0], [1, 2, 3]] as Value[]) {
      await sub(store, 'txIndex').put(txh, encode(v));
      expectStoreError(() => store.txLocation(txh), 'STORE_CORRUPT', 'txIndex');
    }
    await sub(store, 'blockHashes').put(b1.hash, new Uint8Array(8).fill(0xff));
    expectStoreError(() => store.heightOf(b1.hash), 'STORE_CORRUPT', 'blockHashes');
  });

  it('corrupt block bytes → STORE_CORRUPT at blocks/<height>', async () => {
    const { store, b1 } = await seeded();
    const blocks = sub(store, 'blocks');
    const wrongShapes = [encode([1, 2, 3]), encode(null), b1.blockBytes.subarray(0, b1.blockBytes.length - 1)];
    for (const g of [...garbage.map(([, b]) => b), ...wrongShapes]) {
      await blocks.put(heightKey(1), g);
      expectStoreError(() => store.block(1), 'STORE_CORRUPT', 'blocks/1');
    }
  });

  it('corrupt commit → STORE_CORRUPT at commits/<height>', async () => {
    const { store } = await seeded();
    const commits = sub(store, 'commits');
    for (const g of [...garbage.map(([, b]) => b), encode([1, 0, fill(31, 0), []]), encode('commit')]) {
      await commits.put(heightKey(1), g);
      expectStoreError(() => store.commit(1), 'STORE_CORRUPT', 'commits/1');
    }
  });

  it('corrupt receipts → STORE_CORRUPT at receipts/<height>', async () => {
    const { store } = await seeded();
    const receipts = sub(store, 'receipts');
    const bads = [
      ...garbage.map(([, b]) => b),
      encode({ receipts: [] }),
      encode([[1, 0, null]]),
      encode([[1, '5', null, []]]),
      encode([[7, 100, null, []]]), // unknown status must not read as "reverted"
      encode([[0, 100, null, [], 5]]),
    ];
    for (const g of bads) {
      await receipts.put(heightKey(1), g);
      expectStoreError(() => store.receipts(1), 'STORE_CORRUPT', 'receipts/1');
    }
  });

  it('corrupt tx index entry → STORE_CORRUPT at txIndex', async () => {
    const { store, b1 } = await seeded();
    const txIndex = sub(store, 'txIndex');
    for (const g of [...garbage.map(([, b]) => b), encode(1), encode(['1', 0]), encode([1])]) {
      await txIndex.put(b1.txHashes[0], g);
      expectStoreError(() => store.txLocation(b1.txHashes[0]), 'STORE_CORRUPT', 'txIndex');
    }
    expect(store.txLocation(b1.txHashes[1])).toEqual({ height: 1, index: 1 });
  });

  it('corrupt block-hash index entry → STORE_CORRUPT at blockHashes', async () => {
    const { store, b1 } = await seeded();
    const idx = sub(store, 'blockHashes');
    for (const g of [new Uint8Array(0), fill(7, 0), fill(9, 0)]) {
      await idx.put(b1.hash, g);
      expectStoreError(() => store.heightOf(b1.hash), 'STORE_CORRUPT', 'blockHashes');
    }
  });

  it('the error names the store and the place in its message', async () => {
    const { store } = await seeded();
    await sub(store, 'receipts').put(heightKey(1), Uint8Array.of(0xc1));
    const err = expectStoreError(() => store.receipts(1), 'STORE_CORRUPT');
    expect(err.message).toMatch(/store is corrupt at receipts\/1/);
  });
});
