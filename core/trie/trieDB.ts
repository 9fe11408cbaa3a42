/**
 * The trie's node database contract (design §5, ethereumjs' get/put/del/batch) and its
 * in-memory implementation. Reads are synchronous: a trie operation walks several nodes,
 * and an `await` per node is what makes @ethereumjs/mpt slow (classic-level's getSync
 * reads ~380,000 keys/s where one awaited get at a time gives ~26,000/s).
 */

/** One write of a batch: store `value` under `key` (a node under its hash), or delete `key`. */
export type TrieDBOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

/** Where trie nodes live, keyed by their hash. The db keeps the arrays it is given. */
export interface TrieDB {
  /** The node stored under `hash`, or undefined. */
  get(hash: Uint8Array): Uint8Array | undefined;
  /** Stores one node. */
  put(hash: Uint8Array, node: Uint8Array): Promise<void>;
  /** Deletes one node. */
  del(hash: Uint8Array): Promise<void>;
  /** Applies all ops atomically, in order. */
  batch(ops: TrieDBOp[]): Promise<void>;
}

/**
 * A byte string as a Map key: one UTF-16 unit per byte. Measured at ~160 ns for a
 * 32-byte hash plus the lookup, against ~500 ns for hex.
 */
export function bytesKey(b: Uint8Array): string {
  return String.fromCharCode.apply(null, b as unknown as number[]);
}

/** The bytes of a `bytesKey` string. */
export function keyBytes(k: string): Uint8Array {
  const out = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) out[i] = k.charCodeAt(i);
  return out;
}

/** An in-memory TrieDB (the default): a Map from hash to node. */
export class MemoryTrieDB implements TrieDB {
  readonly #map = new Map<string, Uint8Array>();

  /** Number of stored nodes. */
  get size(): number {
    return this.#map.size;
  }

  get(hash: Uint8Array): Uint8Array | undefined {
    return this.#map.get(bytesKey(hash));
  }

  async put(hash: Uint8Array, node: Uint8Array): Promise<void> {
    this.#map.set(bytesKey(hash), node);
  }

  async del(hash: Uint8Array): Promise<void> {
    this.#map.delete(bytesKey(hash));
  }

  async batch(ops: TrieDBOp[]): Promise<void> {
    for (const op of ops) {
      if (op.type === 'put') this.#map.set(bytesKey(op.key), op.value);
      else this.#map.delete(bytesKey(op.key));
    }
  }

  /** Every stored [hash, node] pair, in insertion order (for tests and tooling). */
  *entries(): IterableIterator<[Uint8Array, Uint8Array]> {
    for (const [k, v] of this.#map) yield [keyBytes(k), v];
  }
}
