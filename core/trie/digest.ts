/**
 * The node hash as the trie uses it internally: as bytes, as a map key, or written into a
 * small array. For the default SHA-256 the key and bytes forms skip the Buffer the digest
 * would otherwise be returned in (see sha256.ts); any other hash goes through its bytes.
 */
import { sha256, sha256Key } from './sha256.js';
import { bytesKey, keyBytes } from './trieDB.js';

/** A hash function over bytes returning 32 bytes. */
export type HashFn = (data: Uint8Array) => Uint8Array;

/** The three forms of one hash function. */
export interface Digest {
  /** The hash as given (returns bytes). */
  readonly hash: HashFn;
  /** `bytesKey(hash(data))`. */
  key(data: Uint8Array): string;
  /** `hash(data)` in a fresh 32-byte array. */
  bytes(data: Uint8Array): Uint8Array;
}

/** The digest forms of `hash`, with fast paths when it is the default SHA-256. */
export function digestOf(hash: HashFn): Digest {
  if (hash === sha256 && sha256Key !== undefined) {
    const key = sha256Key;
    return {
      hash,
      key,
      // 16 code units back to 32 bytes: cheaper than the Buffer `hash` would allocate.
      bytes: (data) => keyBytes(key(data)),
    };
  }
  return { hash, key: (data) => bytesKey(hash(data)), bytes: (data) => hash(data) };
}
