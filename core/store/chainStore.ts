import { ClassicLevel } from 'classic-level';
import type { AbstractSublevel } from 'abstract-level';
import { decode, encode, equalBytes, toHex, utf8, type Value } from '../encoding/index.js';
import { commitFromTuple, commitTuple, decodeBlock, type Block, type Commit } from '../block/index.js';
import { receiptFromTuple, receiptTuple, type Receipt } from '../execution/index.js';
import { LevelTrieDB } from '../trie/index.js';
import type { Hash, Height } from '../types.js';
import { Bucket, heightKey, walKey, META_FINAL, META_GENESIS, META_HEAD, type BucketName } from './buckets.js';
import { StoreError } from './errors.js';

type Bytes = Uint8Array;
type Sub = AbstractSublevel<ClassicLevel<Bytes, Bytes>, Bytes | string | Buffer, Bytes, Bytes>;

/** Everything one committed block adds to the store, written in one atomic batch. */
export interface BlockWrite {
  height: Height;
  hash: Hash;
  /** The encoded block (as hashed and gossiped). */
  blockBytes: Uint8Array;
  /** The block's own commit certificate (null for genesis and n = 1 dev blocks signed inline). */
  commit: Commit | null;
  txHashes: Hash[];
  receipts: Receipt[];
  trieNodes: Array<[Uint8Array, Uint8Array]>;
  /** Whether this block is final on commit (always, with instant finality). */
  final: boolean;
}

/** An event as indexed by the store: its position in the chain and what it says. */
export interface StoredEvent {
  height: Height;
  /** Position among all events of its block. */
  index: number;
  txIndex: number;
  contract: Uint8Array;
  event: string;
  data: Value;
}

/** Key of the one safety record in the safety bucket. */
const SAFETY_KEY = 'last-signed';

/** A non-negative safe integer (heights and indexes). */
function isHeight(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Event key: height (8 bytes BE) ‖ index within the block (4 bytes BE), so keys sort in chain order. */
function eventKey(height: Height, index: number): Uint8Array {
  const k = new Uint8Array(12);
  k.set(heightKey(height));
  new DataView(k.buffer).setUint32(8, index);
  return k;
}

/** Where a tx sits in the chain. */
export interface TxLocation {
  height: Height;
  index: number;
}

/**
 * Table files LevelDB keeps open. LevelDB memory-maps the tables it holds open (up to 1,000 on
 * 64-bit), so with the default every table of a growing chain ends up mapped and counted in the
 * node's RSS: a 10-minute medical-mix run at 2,000 tx/s passed 1 GiB, ~70% of it mapped tables
 * (`npm run bench -- load` splits RSS into anon and file-backed). 128 caps that at ~240 MiB of
 * 2 MiB tables; reads of colder tables reopen them (the OS page cache still holds their data).
 */
const MAX_OPEN_FILES = 128;

/**
 * The chain store over classic-level (design §11): typed access to the buckets, and
 * `writeBlock`, which puts a block, its receipts, trie nodes, indexes and the new head in
 * ONE batch — so a crash leaves the last complete block and nothing half-written.
 */
export class ChainStore {
  readonly db: ClassicLevel<Bytes, Bytes>;
  readonly trieDB: LevelTrieDB;
  private readonly subs: Record<BucketName, Sub>;

  private constructor(db: ClassicLevel<Bytes, Bytes>) {
    this.db = db;
    const subs = {} as Record<BucketName, Sub>;
    for (const name of Object.keys(Bucket) as BucketName[]) {
      subs[name] = db.sublevel<Bytes, Bytes>(Bucket[name], { keyEncoding: 'view', valueEncoding: 'view' }) as Sub;
    }
    this.subs = subs;
    this.trieDB = new LevelTrieDB(subs.trie as never);
  }

  /** Opens (creating if needed) the store in `dir`. */
  static async open(dir: string): Promise<ChainStore> {
    const db = new ClassicLevel<Bytes, Bytes>(dir, { keyEncoding: 'view', valueEncoding: 'view', maxOpenFiles: MAX_OPEN_FILES });
    await db.open();
    const store = new ChainStore(db);
    // Sublevels open asynchronously after their parent; sync reads before that would throw.
    await Promise.all(Object.values(store.subs).map((sub) => sub.open()));
    return store;
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.close();
  }

  /** A sync read returning a plain Uint8Array (classic-level hands out Buffers). */
  private get(sub: BucketName, key: Uint8Array): Uint8Array | undefined {
    const v = this.subs[sub].getSync(key);
    return v == null ? undefined : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  }

  private meta(key: string): Uint8Array | undefined {
    return this.get('meta', utf8(key));
  }

  /** The stored genesis hash, if the store has been initialised. */
  genesisHash(): Hash | undefined {
    const h = this.meta(META_GENESIS);
    if (h !== undefined && h.length !== 32) throw this.corrupt('meta/genesis', 'not a 32-byte hash');
    return h;
  }

  /**
   * The head and final height as last written, read from meta once and then kept in memory.
   * Readers see a block only once its batch has completed (see `writeBlock`).
   */
  #tip: { head: { height: Height; hash: Hash } | undefined; final: Height } | undefined;

  #loadTip(): { head: { height: Height; hash: Hash } | undefined; final: Height } {
    this.#tip ??= { head: this.#readHead(), final: this.#readFinal() };
    return this.#tip;
  }

  /** The highest height readers may see: nothing above it is returned by any read. */
  #visibleHeight(): number {
    return this.#loadTip().head?.height ?? -1;
  }

  #readHead(): { height: Height; hash: Hash } | undefined {
    const raw = this.meta(META_HEAD);
    if (!raw) return undefined;
    const v = this.decodeStored(raw, 'meta/head');
    if (!Array.isArray(v) || v.length !== 2 || !isHeight(v[0]) || !(v[1] instanceof Uint8Array) || v[1].length !== 32) {
      throw this.corrupt('meta/head', 'expected [height, 32-byte hash]');
    }
    return { height: v[0], hash: v[1] };
  }

  #readFinal(): Height {
    const raw = this.meta(META_FINAL);
    if (!raw) return 0;
    const v = this.decodeStored(raw, 'meta/final');
    if (!isHeight(v)) throw this.corrupt('meta/final', 'not a height');
    return v;
  }

  /** The head: the highest stored block. */
  head(): { height: Height; hash: Hash } | undefined {
    return this.#loadTip().head;
  }

  /** Highest final height. */
  finalHeight(): Height {
    return this.#loadTip().final;
  }

  /** Writes the genesis block (height 0) and its state, once, atomically. */
  async writeGenesis(w: BlockWrite): Promise<void> {
    const existing = this.genesisHash();
    if (existing) {
      if (!equalBytes(existing, w.hash)) {
        throw new StoreError(
          'STORE_GENESIS_MISMATCH',
          `the data directory holds chain ${toHex(existing)}, not genesis ${toHex(w.hash)}`,
          { stored: toHex(existing), expected: toHex(w.hash) },
        );
      }
      return;
    }
    await this.writeBlock(w, [{ type: 'put', sublevel: this.subs.meta, key: utf8(META_GENESIS), value: w.hash }]);
  }

  /**
   * Writes one committed block and everything derived from it in one atomic batch. LevelDB
   * applies a batch on a libuv thread, where sync reads can see it before the write's callback
   * reaches JS; so reads are capped at the head recorded here, and the block becomes visible
   * only once the batch has completed, in the same tick as `onWritten` (the chain moves its head
   * there), so no reader sees a receipt before the state it produced.
   */
  async writeBlock(
    w: BlockWrite,
    extra: Array<{ type: 'put'; sublevel: Sub; key: Bytes; value: Bytes }> = [],
    onWritten?: () => void,
  ): Promise<void> {
    if (w.txHashes.length !== w.receipts.length) {
      throw new StoreError('STORE_BAD_WRITE', 'one receipt per tx is required', { height: w.height });
    }
    const h = heightKey(w.height);
    const ops: Array<{ type: 'put'; sublevel: Sub; key: Bytes; value: Bytes }> = [
      { type: 'put', sublevel: this.subs.blocks, key: h, value: w.blockBytes },
      { type: 'put', sublevel: this.subs.blockHashes, key: w.hash, value: h },
      { type: 'put', sublevel: this.subs.receipts, key: h, value: encode(w.receipts.map(receiptTuple)) },
    ];
    if (w.commit) ops.push({ type: 'put', sublevel: this.subs.commits, key: h, value: encode(commitTuple(w.commit)) });
    w.txHashes.forEach((txh, i) => ops.push({ type: 'put', sublevel: this.subs.txIndex, key: txh, value: encode([w.height, i]) }));
    for (const [k, v] of w.trieNodes) ops.push({ type: 'put', sublevel: this.subs.trie, key: k, value: v });
    let eventIndex = 0;
    w.receipts.forEach((r, txIndex) => {
      for (const e of r.events) {
        const value = encode([txIndex, e.contract, e.event, e.data]);
        ops.push({ type: 'put', sublevel: this.subs.events, key: eventKey(w.height, eventIndex++), value });
      }
    });
    // Included txs leave the mempool journal in the same batch: never both lost and never twice.
    for (const txh of w.txHashes) ops.push({ type: 'del', sublevel: this.subs.pool, key: txh } as never);
    ops.push({ type: 'put', sublevel: this.subs.meta, key: utf8(META_HEAD), value: encode([w.height, w.hash]) });
    if (w.final) ops.push({ type: 'put', sublevel: this.subs.meta, key: utf8(META_FINAL), value: encode(w.height) });
    const tip = this.#loadTip();
    await this.db.batch([...ops, ...extra] as never);
    onWritten?.();
    tip.head = { height: w.height, hash: w.hash };
    if (w.final) tip.final = w.height;
  }

  /** The validator's persisted safety record (last signed consensus message), if any. */
  safetyRecord(): Uint8Array | undefined {
    return this.get('safety', utf8(SAFETY_KEY));
  }

  /**
   * Writes consensus state in one batch: WAL entries (height, seq, bytes) and, when given, the
   * safety record. `sync` (fsync before resolving) is for the node's own signed messages: they
   * and the record must be on disk before the message leaves; peers' messages need not be.
   */
  async writeConsensus(w: { wal: ReadonlyArray<{ height: Height; seq: number; bytes: Uint8Array }>; safety?: Uint8Array; sync: boolean }): Promise<void> {
    const ops: Array<{ type: 'put'; sublevel: Sub; key: Bytes; value: Bytes }> = w.wal.map((e) => ({
      type: 'put' as const,
      sublevel: this.subs.wal,
      key: walKey(e.height, e.seq),
      value: e.bytes,
    }));
    if (w.safety) ops.push({ type: 'put', sublevel: this.subs.safety, key: utf8(SAFETY_KEY), value: w.safety });
    if (ops.length === 0) return;
    await this.db.batch(ops as never, { sync: w.sync } as never);
  }

  /** The WAL entries of `height`, in write order. */
  async walEntries(height: Height): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const v of this.subs.wal.values({ gte: walKey(height, 0), lt: heightKey(height + 1) })) out.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    return out;
  }

  /** Drops the WAL entries of heights below `height` (decided: the blocks are stored). */
  async clearWal(height: Height): Promise<void> {
    await this.subs.wal.clear({ lt: heightKey(height) });
  }

  /** Journal puts waiting for the next batch, and that batch's promise. */
  #journalQueue: Array<{ type: 'put'; key: Uint8Array; value: Uint8Array }> = [];
  #journalFlush: Promise<void> | undefined;

  /**
   * Journals an accepted mempool tx (awaited before the tx is acknowledged). Puts arriving in
   * the same tick share one LevelDB batch: one write per tx was ~7% of the node under load.
   */
  journalTx(hash: Hash, bytes: Uint8Array): Promise<void> {
    this.#journalQueue.push({ type: 'put', key: hash, value: bytes });
    this.#journalFlush ??= Promise.resolve().then(() => {
      const ops = this.#journalQueue;
      this.#journalQueue = [];
      this.#journalFlush = undefined;
      return this.subs.pool.batch(ops);
    });
    return this.#journalFlush;
  }

  /** Drops txs from the mempool journal (evicted, or found stale on replay). */
  async unjournalTxs(hashes: readonly Hash[]): Promise<void> {
    if (hashes.length === 0) return;
    await this.subs.pool.batch(hashes.map((key) => ({ type: 'del' as const, key })));
  }

  /** Every journaled mempool tx, as [hash, bytes]. */
  async journaledTxs(): Promise<Array<[Hash, Uint8Array]>> {
    const out: Array<[Hash, Uint8Array]> = [];
    for await (const [k, v] of this.subs.pool.iterator()) out.push([k as Uint8Array, v]);
    return out;
  }

  /**
   * Events of blocks at heights ≥ `fromHeight`, in chain order (block, then position in the
   * block). A scan: callers filter. Bounded by what the caller consumes (it is lazy).
   */
  async *eventsFrom(fromHeight: Height): AsyncGenerator<StoredEvent> {
    for await (const [k, v] of this.subs.events.iterator({ gte: heightKey(fromHeight) })) {
      const key = k as Uint8Array;
      const dv = new DataView(key.buffer, key.byteOffset, key.byteLength);
      if (Number(dv.getBigUint64(0)) > this.#visibleHeight()) return;
      const t = this.decodeStored(v, 'events');
      if (!Array.isArray(t) || t.length !== 4 || typeof t[0] !== 'number' || !(t[1] instanceof Uint8Array) || typeof t[2] !== 'string') {
        throw this.corrupt('events', 'bad event tuple');
      }
      yield { height: Number(dv.getBigUint64(0)), index: dv.getUint32(8), txIndex: t[0], contract: t[1], event: t[2], data: t[3] };
    }
  }

  /** The encoded block at `height`. */
  blockBytes(height: Height): Uint8Array | undefined {
    if (height > this.#visibleHeight()) return undefined;
    return this.get('blocks', heightKey(height));
  }

  /** The block at `height`, decoded. */
  block(height: Height): Block | undefined {
    const raw = this.blockBytes(height);
    if (!raw) return undefined;
    try {
      return decodeBlock(raw);
    } catch (e) {
      throw this.corrupt(`blocks/${height}`, (e as Error).message);
    }
  }

  /** Height of the block with `hash`. */
  heightOf(hash: Hash): Height | undefined {
    const raw = this.get('blockHashes', hash);
    if (!raw) return undefined;
    if (raw.length !== 8) throw this.corrupt('blockHashes', 'bad height key');
    const h = new DataView(raw.buffer, raw.byteOffset, 8).getBigUint64(0);
    if (h > BigInt(Number.MAX_SAFE_INTEGER)) throw this.corrupt('blockHashes', 'height out of range');
    return Number(h) > this.#visibleHeight() ? undefined : Number(h);
  }

  /** The stored commit certificate of the block at `height`. */
  commit(height: Height): Commit | undefined {
    if (height > this.#visibleHeight()) return undefined;
    const raw = this.get('commits', heightKey(height));
    if (!raw) return undefined;
    try {
      return commitFromTuple(this.decodeStored(raw, `commits/${height}`));
    } catch (e) {
      throw this.corrupt(`commits/${height}`, (e as Error).message);
    }
  }

  /** Where tx `hash` was included. */
  txLocation(hash: Hash): TxLocation | undefined {
    const raw = this.get('txIndex', hash);
    if (!raw) return undefined;
    const v = this.decodeStored(raw, 'txIndex');
    if (!Array.isArray(v) || v.length !== 2 || !isHeight(v[0]) || !isHeight(v[1])) throw this.corrupt('txIndex', 'expected [height, index]');
    return v[0] > this.#visibleHeight() ? undefined : { height: v[0], index: v[1] };
  }

  /** The receipts of the block at `height`, in tx order. */
  receipts(height: Height): Receipt[] | undefined {
    if (height > this.#visibleHeight()) return undefined;
    const raw = this.get('receipts', heightKey(height));
    if (!raw) return undefined;
    const v = this.decodeStored(raw, `receipts/${height}`);
    if (!Array.isArray(v)) throw this.corrupt(`receipts/${height}`, 'not an array');
    try {
      return v.map(receiptFromTuple);
    } catch (e) {
      throw this.corrupt(`receipts/${height}`, (e as Error).message);
    }
  }

  private decodeStored(raw: Uint8Array, where: string): Value {
    try {
      return decode(raw);
    } catch (e) {
      throw this.corrupt(where, (e as Error).message);
    }
  }

  private corrupt(where: string, msg: string): StoreError {
    return new StoreError('STORE_CORRUPT', `store is corrupt at ${where}: ${msg}`, { where });
  }
}
