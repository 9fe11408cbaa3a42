/**
 * `npm run bench -- trie`: core/trie against @ethereumjs/mpt 10.1.3 in the same process, on
 * the workloads (both with SHA-256, so both build the identical trie; every run
 * checks that the two roots agree):
 *  - 100,000 random 32-byte keys with 64-byte values: puts, then one root;
 *  - 10,000 updates of existing keys in a stored 100,000-key trie, then a root;
 * each in memory and on LevelDB (classic-level, a sublevel per trie). Figures are puts/s.
 * Heap: the 100,000-key trie held in memory (trie + its in-memory node db), both sides.
 *
 * Fairness notes. Our root is `commit()` (hash all dirty nodes, write one batch); theirs is
 * `root()` after the puts (they hash and write on every put). The update runs open a fresh
 * trie at the stored root on both sides, so both start from a cold cache and read every
 * node they touch from the db (ours: synchronously, hash-verified; theirs: awaited). The
 * stored trie for their update runs is our committed node set written into their db in
 * their key format (identical nodes: same structure, same hash).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createMPT, type MerklePatriciaTrie } from '@ethereumjs/mpt';
import { MapDB, type BatchDBOp, type DB } from '@ethereumjs/util';
import { ClassicLevel } from 'classic-level';
import { toHex } from '../../core/encoding/hex.js';
import { LevelTrieDB, MemoryTrieDB, sha256, Trie, type NodeEntry, type TrieDB } from '../../core/trie/index.js';
import { compareTo, figure, type Figure, type Suite } from '../figure.js';
import { msSince, printFigure, repeat } from '../measure.js';

const KEYS = 100_000;
const UPDATES = 10_000;
/** Our runs are fast; theirs take seconds to tens of seconds each (in-run reference). */
const OUR_REPEATS = 5;
const THEIR_REPEATS = { memory: 2, leveldb: 1 } as const;
const TARGET = 10;

type Level = ClassicLevel<Uint8Array, Uint8Array>;
type Backend = 'memory' | 'leveldb';

/** Fixed inputs: key i = sha256("trie-bench/key" || i), value i = 64 bytes from two such hashes. */
function inputs(n: number, tag: string): { keys: Uint8Array[]; values: Uint8Array[] } {
  const enc = new TextEncoder();
  const keys: Uint8Array[] = [];
  const values: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    keys.push(sha256(enc.encode(`trie-bench/key/${i}`)));
    const v = new Uint8Array(64);
    v.set(sha256(enc.encode(`trie-bench/${tag}/${i}/a`)));
    v.set(sha256(enc.encode(`trie-bench/${tag}/${i}/b`)), 32);
    values.push(v);
  }
  return { keys, values };
}

/** @ethereumjs/util's DB interface over a classic-level sublevel (their keys: unprefixed hex). */
class EthLevelDB implements DB<string, string | Uint8Array> {
  constructor(private readonly db: ClassicLevel<string, Uint8Array> | ReturnType<Level['sublevel']>) {}
  private get sub(): ClassicLevel<string, Uint8Array> {
    return this.db as unknown as ClassicLevel<string, Uint8Array>;
  }
  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.sub.get(key)) ?? undefined;
  }
  async put(key: string, val: string | Uint8Array): Promise<void> {
    await this.sub.put(key, val as Uint8Array);
  }
  async del(key: string): Promise<void> {
    await this.sub.del(key);
  }
  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    await this.sub.batch(
      ops.map((op) => (op.type === 'put' ? { type: 'put' as const, key: op.key, value: op.value as Uint8Array } : { type: 'del' as const, key: op.key })),
    );
  }
  shallowCopy(): DB<string, string | Uint8Array> {
    return this;
  }
  async open(): Promise<void> {}
}

/** Temp classic-level databases, closed and removed at the end. */
class TempLevels {
  private readonly open: Array<{ db: Level; dir: string }> = [];
  async create(): Promise<Level> {
    const dir = mkdtempSync(path.join(tmpdir(), 'medchain-bench-trie-'));
    const db: Level = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    this.open.push({ db, dir });
    return db;
  }
  async ours(db: Level): Promise<LevelTrieDB> {
    return LevelTrieDB.open(db.sublevel<Uint8Array, Uint8Array>('trie', { keyEncoding: 'view', valueEncoding: 'view' }));
  }
  async theirs(db: Level): Promise<EthLevelDB> {
    const sub = db.sublevel<string, Uint8Array>('ethjs', { keyEncoding: 'utf8', valueEncoding: 'view' });
    await sub.open();
    return new EthLevelDB(sub as never);
  }
  async closeAll(): Promise<void> {
    for (const { db, dir } of this.open.splice(0)) {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

function theirOpts(db?: DB<string, string | Uint8Array>, root?: Uint8Array) {
  return { useKeyHashingFunction: sha256, ...(db ? { db, valueEncoding: 'view' as const } : {}), ...(root ? { root } : {}) };
}

function sameRoot(ours: Uint8Array, theirs: Uint8Array, what: string): void {
  if (toHex(ours) !== toHex(theirs)) throw new Error(`${what}: roots differ (ours ${toHex(ours)}, @ethereumjs/mpt ${toHex(theirs)})`);
}

/** The stored 100,000-key trie both update runs start from: its root and nodes. */
async function baseTrie(keys: Uint8Array[], values: Uint8Array[]): Promise<{ root: Uint8Array; nodes: NodeEntry[] }> {
  const t = new Trie();
  for (let i = 0; i < keys.length; i++) await t.put(keys[i], values[i]);
  return t.flush();
}

async function storeOurs(db: TrieDB, nodes: NodeEntry[]): Promise<void> {
  await db.batch(nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
}

async function storeTheirs(db: DB<string, string | Uint8Array>, nodes: NodeEntry[]): Promise<void> {
  await db.batch(nodes.map(([k, value]) => ({ type: 'put' as const, key: toHex(k).slice(2), value })));
}

/** A `gc()` for honest heap figures (the harness runs node without --expose-gc). */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

function memory(gc: () => void): { heap: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

export const run: Suite = async () => {
  const figures: Figure[] = [];
  const levels = new TempLevels();
  const { keys, values } = inputs(KEYS, 'v1');
  const updates = inputs(UPDATES, 'v2').values;
  // Updated keys: every 10th existing key, so all 10,000 hit stored leaves.
  const updateKeys = Array.from({ length: UPDATES }, (_, i) => keys[i * 10]);

  try {
    for (const backend of ['memory', 'leveldb'] as Backend[]) {
      // Workload 1: 100,000 puts then one root.
      let expected: Uint8Array | undefined;
      const theirs = await repeat(`puts 100k + root (${backend}) — @ethereumjs/mpt`, 'puts/s', THEIR_REPEATS[backend], async () => {
        const db = backend === 'memory' ? undefined : await levels.theirs(await levels.create());
        const t = await createMPT(theirOpts(db));
        const start = process.hrtime.bigint();
        for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
        const root = t.root();
        const ms = msSince(start);
        expected = root;
        return (KEYS / ms) * 1000;
      });
      const ours = await repeat(`puts 100k + root (${backend}) — core/trie`, 'puts/s', OUR_REPEATS, async () => {
        const db = backend === 'memory' ? new MemoryTrieDB() : await levels.ours(await levels.create());
        const t = new Trie({ db });
        const start = process.hrtime.bigint();
        for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
        const root = await t.commit();
        const ms = msSince(start);
        sameRoot(root, expected as Uint8Array, 'puts 100k');
        return (KEYS / ms) * 1000;
      }, { warmup: 1 });
      figures.push(theirs, compareTo(ours, theirs, TARGET));
      printFigure(ours);

      // Workload 2: 10,000 updates to a stored 100,000-key trie, then a root.
      const base = await baseTrie(keys, values);
      const ourDb = backend === 'memory' ? new MemoryTrieDB() : await levels.ours(await levels.create());
      await storeOurs(ourDb, base.nodes);
      const theirDb = backend === 'memory' ? new MapDB<string, string | Uint8Array>() : await levels.theirs(await levels.create());
      await storeTheirs(theirDb, base.nodes);
      let updated: Uint8Array | undefined;
      const theirUpd = await repeat(`updates 10k of 100k + root (${backend}) — @ethereumjs/mpt`, 'puts/s', 3, async () => {
        const t: MerklePatriciaTrie = await createMPT(theirOpts(theirDb, base.root));
        const start = process.hrtime.bigint();
        for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
        const root = t.root();
        const ms = msSince(start);
        updated = root;
        return (UPDATES / ms) * 1000;
      });
      const ourUpd = await repeat(`updates 10k of 100k + root (${backend}) — core/trie`, 'puts/s', OUR_REPEATS, async () => {
        const t = new Trie({ db: ourDb, root: base.root });
        const start = process.hrtime.bigint();
        for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
        const root = await t.commit();
        const ms = msSince(start);
        sameRoot(root, updated as Uint8Array, 'updates 10k');
        return (UPDATES / ms) * 1000;
      }, { warmup: 1 });
      figures.push(theirUpd, compareTo(ourUpd, theirUpd, TARGET));
      printFigure(ourUpd);
    }

    // Heap held by a 100,000-key trie in memory (trie + in-memory node db), after GC.
    const gc = gcFunction();
    const heapFigure = async (name: string, build: () => Promise<unknown>) => {
      const before = memory(gc);
      const held = await build();
      const after = memory(gc);
      const heap = figure(`heap, 100k-key trie in memory — ${name}`, 'MB', [(after.heap - before.heap) / 2 ** 20], { higherIsBetter: false });
      const buffers = figure(`ArrayBuffers, 100k-key trie in memory — ${name}`, 'MB', [(after.buffers - before.buffers) / 2 ** 20], { higherIsBetter: false });
      void held;
      return [heap, buffers];
    };
    const [theirHeap, theirBuf] = await heapFigure('@ethereumjs/mpt', async () => {
      const t = await createMPT(theirOpts());
      for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
      return t;
    });
    const [ourHeap, ourBuf] = await heapFigure('core/trie', async () => {
      const t = new Trie();
      for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
      await t.commit();
      return t;
    });
    for (const f of [theirHeap, compareTo(ourHeap, theirHeap), theirBuf, compareTo(ourBuf, theirBuf)]) {
      printFigure(f);
      figures.push(f);
    }
  } finally {
    await levels.closeAll();
  }
  return figures;
};
