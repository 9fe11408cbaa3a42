/**
 * `npm run bench -- trie`: core/trie against @ethereumjs/mpt 10.1.3 in the same process, on
 * the issue's workloads (both with SHA-256, so both build the identical trie; every run
 * checks that the two roots agree), each in memory and on LevelDB (classic-level):
 *  - puts: 100,000 random 32-byte keys with 64-byte values into a fresh trie, then one root;
 *  - updates: 10,000 updates of existing keys in a 100,000-key trie, then a root, read two
 *    ways: "same trie" continues on the trie object that just did the puts (ours keeps
 *    its nodes in memory, as a long-lived state trie does; theirs keeps none), "reopened"
 *    opens a fresh trie at the stored root, so every node touched is read from the db on
 *    both sides (ours synchronously and hash-verified, theirs awaited; their node cache
 *    is off by default). Their stored trie is our committed node set in their key format.
 * Figures are puts/s; heap: the 100,000-key trie held in memory (trie + node db).
 * Our root is `commit()` (hash all dirty nodes, write one batch); theirs is `root()` after
 * the puts (they hash and write on every put).
 *
 * Noise. The machine is shared (2 cores), so the two sides run alternately, each run after
 * a full GC and, on LevelDB, after compacting the stored trie (background compaction would
 * otherwise bill one side for the other's writes). Each figure also has a per-CPU-second
 * twin (process CPU time, all threads: LevelDB's and V8's helpers included), which time
 * spent descheduled by other processes does not distort; the target applies to puts/s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createMPT } from '@ethereumjs/mpt';
import { MapDB, type BatchDBOp, type DB } from '@ethereumjs/util';
import { ClassicLevel } from 'classic-level';
import { toHex } from '../../core/encoding/hex.js';
import { LevelTrieDB, MemoryTrieDB, sha256, Trie, type NodeEntry } from '../../core/trie/index.js';
import { compareTo, figure, type Figure, type Suite } from '../figure.js';
import { msSince, printFigure } from '../measure.js';

const KEYS = 100_000;
const UPDATES = 10_000;
/** Runs per side and workload: theirs take from ~1 s (memory updates) to ~1 min (LevelDB puts). */
const RUNS = {
  puts: { memory: { theirs: 2, ours: 5 }, leveldb: { theirs: 1, ours: 5 } },
  updates: { memory: { theirs: 3, ours: 5 }, leveldb: { theirs: 3, ours: 5 } },
} as const;
const TARGET = 10;

type Level = ClassicLevel<Uint8Array, Uint8Array>;
type Backend = 'memory' | 'leveldb';
type TheirDB = DB<string, string | Uint8Array>;
/** One timed run: its root, wall-clock ms and process CPU ms. */
type Timed = { root: Uint8Array; wallMs: number; cpuMs: number };

/** Fixed inputs: key i = sha256("trie-bench/key/" + i); values are 64 bytes of such hashes. */
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

/** Times `work` (after its setup): wall clock and process CPU. */
async function timed(work: () => Promise<Uint8Array>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const root = await work();
  const wallMs = msSince(start);
  const used = process.cpuUsage(cpu);
  return { root, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/** @ethereumjs/util's DB interface over a classic-level sublevel (their keys: unprefixed hex). */
class EthLevelDB implements TheirDB {
  constructor(private readonly db: ClassicLevel<string, Uint8Array>) {}
  async get(key: string): Promise<Uint8Array | undefined> {
    return (await this.db.get(key)) ?? undefined;
  }
  async put(key: string, val: string | Uint8Array): Promise<void> {
    await this.db.put(key, val as Uint8Array);
  }
  async del(key: string): Promise<void> {
    await this.db.del(key);
  }
  async batch(ops: BatchDBOp<string, string | Uint8Array>[]): Promise<void> {
    await this.db.batch(ops.map((op) => (op.type === 'put' ? { type: 'put' as const, key: op.key, value: op.value as Uint8Array } : { type: 'del' as const, key: op.key })));
  }
  shallowCopy(): TheirDB {
    return this;
  }
  async open(): Promise<void> {}
}

/**
 * Temp classic-level databases. A database is closed (which waits for its background
 * compaction) as soon as its run is over, and a stored trie is compacted (`settle`) before
 * each timed update run, on both sides alike.
 */
class TempLevels {
  private readonly open: Array<{ db: Level; dir: string }> = [];
  async create(): Promise<Level> {
    const dir = mkdtempSync(path.join(tmpdir(), 'medchain-bench-trie-'));
    const db: Level = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
    await db.open();
    this.open.push({ db, dir });
    return db;
  }
  ours(db: Level): Promise<LevelTrieDB> {
    return LevelTrieDB.open(db.sublevel<Uint8Array, Uint8Array>('trie', { keyEncoding: 'view', valueEncoding: 'view' }));
  }
  async theirs(db: Level): Promise<EthLevelDB> {
    const sub = db.sublevel<string, Uint8Array>('ethjs', { keyEncoding: 'utf8', valueEncoding: 'view' });
    await sub.open();
    return new EthLevelDB(sub as unknown as ClassicLevel<string, Uint8Array>);
  }
  async settle(db: Level | undefined): Promise<void> {
    if (db) await db.compactRange(Uint8Array.of(0), new Uint8Array(8).fill(0xff));
  }
  async drop(db: Level | undefined): Promise<void> {
    const i = this.open.findIndex((o) => o.db === db);
    if (i < 0) return;
    const [{ dir }] = this.open.splice(i, 1);
    await (db as Level).close();
    rmSync(dir, { recursive: true, force: true });
  }
  async closeAll(): Promise<void> {
    for (const { db } of [...this.open]) await this.drop(db);
  }
}

const theirOpts = (db?: TheirDB, root?: Uint8Array) => ({ useKeyHashingFunction: sha256, ...(db ? { db, valueEncoding: 'view' as const } : {}), ...(root ? { root } : {}) });

/** A `gc()` for clean starts and honest heap figures (the harness runs node without --expose-gc). */
function gcFunction(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Wall-clock figures (ours against theirs, with the target) and their per-CPU-second twins. */
function figures(name: string, ops: number, t: Timed[], o: Timed[]): Figure[] {
  for (const r of o) {
    if (toHex(r.root) !== toHex(t[0].root)) throw new Error(`${name}: roots differ (ours ${toHex(r.root)}, @ethereumjs/mpt ${toHex(t[0].root)})`);
  }
  const rate = (xs: Timed[], k: 'wallMs' | 'cpuMs') => xs.map((x) => (ops / x[k]) * 1000);
  const theirWall = figure(`${name} — @ethereumjs/mpt`, 'puts/s', rate(t, 'wallMs'));
  const ourWall = compareTo(figure(`${name} — core/trie`, 'puts/s', rate(o, 'wallMs')), theirWall, TARGET);
  const theirCpu = figure(`${name}, per CPU-second — @ethereumjs/mpt`, 'puts/CPU-s', rate(t, 'cpuMs'));
  const ourCpu = compareTo(figure(`${name}, per CPU-second — core/trie`, 'puts/CPU-s', rate(o, 'cpuMs')), theirCpu);
  const figs = [theirWall, ourWall, theirCpu, ourCpu];
  figs.forEach((f) => printFigure(f));
  return figs;
}

/** Runs the two sides alternately (theirs first; one unmeasured warm-up of ours before), each after a full GC. */
async function alternate(runs: { theirs: number; ours: number }, theirs: () => Promise<Timed>, ours: () => Promise<Timed>, gc: () => void) {
  const t: Timed[] = [];
  const o: Timed[] = [];
  await ours();
  for (let i = 0; i < Math.max(runs.theirs, runs.ours); i++) {
    if (i < runs.theirs) {
      gc();
      t.push(await theirs());
    }
    if (i < runs.ours) {
      gc();
      o.push(await ours());
    }
  }
  return { t, o };
}

/** The stored 100,000-key trie the update runs start from. */
async function baseTrie(keys: Uint8Array[], values: Uint8Array[]): Promise<{ root: Uint8Array; nodes: NodeEntry[] }> {
  const t = new Trie();
  for (let i = 0; i < keys.length; i++) await t.put(keys[i], values[i]);
  return t.flush();
}

export const run: Suite = async () => {
  const out: Figure[] = [];
  const levels = new TempLevels();
  const gc = gcFunction();
  const { keys, values } = inputs(KEYS, 'v1');
  // Updated keys: every 10th existing key, so all 10,000 hit stored leaves.
  const updateKeys = Array.from({ length: UPDATES }, (_, i) => keys[i * 10]);
  const updates = inputs(UPDATES, 'v2').values;

  try {
    for (const backend of ['memory', 'leveldb'] as Backend[]) {
      // Workload 1: a fresh trie (and db), 100,000 puts, one root. Then, untimed in it,
      // workload 2 "warm": 10,000 updates on that same trie object, then a root.
      const warm: { t: Timed[]; o: Timed[] } = { t: [], o: [] };
      const theirPuts = async () => {
        const level = backend === 'leveldb' ? await levels.create() : undefined;
        const t = await createMPT(theirOpts(level ? await levels.theirs(level) : undefined));
        const r = await timed(async () => {
          for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
          return t.root();
        });
        await levels.settle(level);
        gc();
        warm.t.push(
          await timed(async () => {
            for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
            return t.root();
          }),
        );
        await levels.drop(level);
        return r;
      };
      const ourPuts = async () => {
        const level = backend === 'leveldb' ? await levels.create() : undefined;
        const t = new Trie({ db: level ? await levels.ours(level) : new MemoryTrieDB() });
        const r = await timed(async () => {
          for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
          return t.commit();
        });
        await levels.settle(level);
        gc();
        warm.o.push(
          await timed(async () => {
            for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
            return t.commit();
          }),
        );
        await levels.drop(level);
        return r;
      };
      const puts = await alternate(RUNS.puts[backend], theirPuts, ourPuts, gc);
      out.push(...figures(`puts 100k + root (${backend})`, KEYS, puts.t, puts.o));
      out.push(...figures(`updates 10k of 100k + root, same trie (${backend})`, UPDATES, warm.t, warm.o.slice(1)));

      // Workload 2 "reopened": a fresh trie (and node cache) at the stored root, so every node it
      // touches is read from the db, on both sides; 10,000 updates, then a root.
      // The node list is dropped once stored, so it does not burden either side's GC.
      const theirLevel = backend === 'leveldb' ? await levels.create() : undefined;
      const theirDb: TheirDB = theirLevel ? await levels.theirs(theirLevel) : new MapDB<string, string | Uint8Array>();
      const ourLevel = backend === 'leveldb' ? await levels.create() : undefined;
      const ourDb = ourLevel ? await levels.ours(ourLevel) : new MemoryTrieDB();
      const base = await (async () => {
        const { root, nodes } = await baseTrie(keys, values);
        await theirDb.batch(nodes.map(([k, value]) => ({ type: 'put' as const, key: toHex(k).slice(2), value: value.slice() })));
        await ourDb.batch(nodes.map(([key, value]) => ({ type: 'put' as const, key, value })));
        return { root };
      })();
      const theirUpdates = async () => {
        await levels.settle(theirLevel);
        const t = await createMPT(theirOpts(theirDb, base.root));
        return timed(async () => {
          for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
          return t.root();
        });
      };
      const ourUpdates = async () => {
        await levels.settle(ourLevel);
        const t = new Trie({ db: ourDb, root: base.root });
        return timed(async () => {
          for (let i = 0; i < UPDATES; i++) await t.put(updateKeys[i], updates[i]);
          return t.commit();
        });
      };
      const cold = await alternate(RUNS.updates[backend], theirUpdates, ourUpdates, gc);
      out.push(...figures(`updates 10k of 100k + root, reopened (${backend})`, UPDATES, cold.t, cold.o));
      await levels.drop(theirLevel);
      await levels.drop(ourLevel);
    }

    // Heap held by a 100,000-key trie in memory (trie + in-memory node db), after GC.
    const held = async (name: string, build: () => Promise<unknown>): Promise<Figure[]> => {
      gc();
      gc();
      const before = process.memoryUsage();
      const trie = await build();
      gc();
      gc();
      const after = process.memoryUsage();
      void trie;
      const mb = (x: number) => [x / 2 ** 20];
      return [
        figure(`heap, 100k-key trie in memory — ${name}`, 'MB', mb(after.heapUsed - before.heapUsed), { higherIsBetter: false }),
        figure(`ArrayBuffers, 100k-key trie in memory — ${name}`, 'MB', mb(after.arrayBuffers - before.arrayBuffers), { higherIsBetter: false }),
      ];
    };
    const [theirHeap, theirBuf] = await held('@ethereumjs/mpt', async () => {
      const t = await createMPT(theirOpts());
      for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
      return t;
    });
    const [ourHeap, ourBuf] = await held('core/trie', async () => {
      const t = new Trie();
      for (let i = 0; i < KEYS; i++) await t.put(keys[i], values[i]);
      await t.commit();
      return t;
    });
    for (const f of [theirHeap, compareTo(ourHeap, theirHeap), theirBuf, compareTo(ourBuf, theirBuf)]) {
      printFigure(f);
      out.push(f);
    }
  } finally {
    await levels.closeAll();
  }
  return out;
};
