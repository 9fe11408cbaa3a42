/**
 * The trie's node database contract (design §5, ethereumjs' get/put/del/batch) and the
 * byte-string map keys of the trie's caches. Reads are synchronous: a trie operation walks
 * several nodes, and an `await` per node is what makes @ethereumjs/mpt slow (classic-level's
 * getSync reads ~380,000 keys/s where one awaited get at a time gives ~26,000/s).
 */

/** One write of a batch: store `value` under `key` (a node under its hash), or delete `key`. */
export type TrieDBOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'del'; key: Uint8Array };

/**
 * Where trie nodes live, keyed by their hash. A db may keep the arrays it is given or copy
 * them; the trie never modifies an array after handing it over, nor one it got back.
 */
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
  if (b.length === 32) return hashKeyAt(b, 0);
  const s = String.fromCharCode.apply(null, b as unknown as number[]);
  return b.length === 16 ? s + '\u0100' : s;
}

/** `bytesKey` of the 32 bytes at `b[at..]`, without a view of them. */
export function hashKeyAt(b: Uint8Array, at: number): string {
  return String.fromCharCode(
    b[at] | (b[at + 1] << 8), b[at + 2] | (b[at + 3] << 8), b[at + 4] | (b[at + 5] << 8), b[at + 6] | (b[at + 7] << 8),
    b[at + 8] | (b[at + 9] << 8), b[at + 10] | (b[at + 11] << 8), b[at + 12] | (b[at + 13] << 8), b[at + 14] | (b[at + 15] << 8),
    b[at + 16] | (b[at + 17] << 8), b[at + 18] | (b[at + 19] << 8), b[at + 20] | (b[at + 21] << 8), b[at + 22] | (b[at + 23] << 8),
    b[at + 24] | (b[at + 25] << 8), b[at + 26] | (b[at + 27] << 8), b[at + 28] | (b[at + 29] << 8), b[at + 30] | (b[at + 31] << 8),
  );
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
