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
 * A byte string as a Map key, injective over all lengths. A 32-byte hash (the common case)
 * packs two bytes per UTF-16 unit, little-endian (16 units: the same string node:crypto
 * gives for a digest in 'utf16le'); other lengths use one unit per byte, with a marker unit
 * above 0xff appended at length 16 so no result can equal a packed hash. Measured at ~230 ns
 * per 32-byte key plus Map lookup, against ~380 ns one unit per byte and ~500 ns for hex.
 */
export function bytesKey(b: Uint8Array): string {
  if (b.length === 32) {
    return String.fromCharCode(
      b[0] | (b[1] << 8), b[2] | (b[3] << 8), b[4] | (b[5] << 8), b[6] | (b[7] << 8),
      b[8] | (b[9] << 8), b[10] | (b[11] << 8), b[12] | (b[13] << 8), b[14] | (b[15] << 8),
      b[16] | (b[17] << 8), b[18] | (b[19] << 8), b[20] | (b[21] << 8), b[22] | (b[23] << 8),
      b[24] | (b[25] << 8), b[26] | (b[27] << 8), b[28] | (b[29] << 8), b[30] | (b[31] << 8),
    );
  }
  const s = String.fromCharCode.apply(null, b as unknown as number[]);
  return b.length === 16 ? s + '\u0100' : s;
}

/** The bytes of a `bytesKey` string. */
export function keyBytes(k: string): Uint8Array {
  if (k.length === 16) {
    const out = new Uint8Array(32);
    for (let i = 0; i < 16; i++) {
      const c = k.charCodeAt(i);
      out[2 * i] = c & 0xff;
      out[2 * i + 1] = c >> 8;
    }
    return out;
  }
  const n = k.length === 17 && k.charCodeAt(16) === 0x100 ? 16 : k.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = k.charCodeAt(i);
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
