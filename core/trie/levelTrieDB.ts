/**
 * A TrieDB over classic-level (LevelDB): the node's database or, normally, its trie-nodes
 * sublevel (design §11). Kept out of the trie's pure core so that core imports no I/O.
 *
 * Reads use `getSync`. classic-level 3 has it natively and abstract-level 3's sublevels
 * forward it to their parent (`AbstractSublevel#_getSync`), so it works on a sublevel too,
 * but only once the sublevel's status is 'open': a sublevel created from an open database
 * is still 'opening' until the next tick, and getSync then throws LEVEL_DATABASE_NOT_OPEN.
 * `LevelTrieDB.open(db)` awaits that.
 */
import type { TrieDB, TrieDBOp } from './trieDB.js';

/**
 * The part of a classic-level `ClassicLevel` or sublevel this class uses; both must be
 * opened with keyEncoding 'view' and valueEncoding 'view'.
 */
export interface LevelLike {
  readonly status: string;
  open(): Promise<void>;
  getSync(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): Promise<void>;
  del(key: Uint8Array): Promise<void>;
  batch(ops: Array<{ type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array }>): Promise<void>;
}

/** Trie nodes in LevelDB, keyed by hash. */
export class LevelTrieDB implements TrieDB {
  /** Wraps an already open database or sublevel (use `open` when unsure). */
  constructor(readonly db: LevelLike) {}

  /** Waits until `db` (a database or sublevel) is open, then wraps it. */
  static async open(db: LevelLike): Promise<LevelTrieDB> {
    if (db.status !== 'open') await db.open();
    return new LevelTrieDB(db);
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    const b = this.db.getSync(hash);
    // A plain view of the Buffer LevelDB returns (its own allocation, not the Buffer pool).
    return b === undefined ? undefined : new Uint8Array(b.buffer, b.byteOffset, b.length);
  }

  put(hash: Uint8Array, node: Uint8Array): Promise<void> {
    return this.db.put(hash, node);
  }

  del(hash: Uint8Array): Promise<void> {
    return this.db.del(hash);
  }

  /** One LevelDB write batch: atomic, so a crash leaves all of it or none. */
  batch(ops: TrieDBOp[]): Promise<void> {
    return this.db.batch(ops);
  }
}
