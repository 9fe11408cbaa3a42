import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * Key objects kept per thread. A hit saves the raw-key import (~5 µs of a ~65 µs verify
 * measured here with Node 20.20 / OpenSSL 3.0, i.e. ~7%); each entry holds a small native
 * EVP_PKEY plus its JS wrapper (well under 1 KiB), so 4,096 entries stay below a few MiB per
 * thread while covering every validator and the hot senders of a busy mempool. Only keys seen
 * twice are admitted (see `keyFor`), so a block of one-off senders does not churn it.
 */
export const KEY_OBJECT_CACHE_SIZE = 4096;

/**
 * Bits of the "seen before" filter in front of the cache (256 KiB per thread). It is cleared
 * after SEEN_FILTER_BITS / 16 first sightings, so at most ~1.4% of new keys (two probes at
 * 1/16 fill) pass for seen and take the caching path, which costs only time.
 */
const SEEN_FILTER_BITS = 1 << 21;

/** What node:crypto's `verify` takes as a key here: a cached KeyObject, or a JWK it imports for one call. */
export type VerifyKey = KeyObject | { key: JsonWebKey; format: 'jwk' };

/**
 * A bounded LRU of node:crypto KeyObjects for raw 32-byte Ed25519 public keys. Keys are
 * imported through JWK, the fastest route from raw bytes in Node 20: ~190,000 imports/s here,
 * versus ~16,000/s for SPKI DER, whose parse goes through OpenSSL 3's generic decoder.
 */
export class KeyObjectCache {
  private readonly entries = new Map<string, KeyObject>();
  private readonly seen = new Uint32Array(SEEN_FILTER_BITS >>> 5);
  private seenMarks = 0;

  constructor(readonly capacity: number = KEY_OBJECT_CACHE_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('capacity must be a non-negative integer');
  }

  /**
   * The key to verify a signature with (the caller has checked the length). A key met for the
   * first time is not imported into the cache: node:crypto imports the JWK for that one call,
   * which skips the KeyObject wrapper and the LRU insert/evict and keeps the key out of the old
   * generation. Measured per `verify` over 10,000 distinct keys (callgrind, steady state):
   * 1.367 M instructions this way vs 1.415 M through `get`, and 1.339 M with a cached key; a
   * one-thread pool on blocks of new keys went from 0.88x to 0.95x of a cached-key verify (both
   * builds in one process, medians of 9 runs). A key met again is cached by `get`, so validators
   * and repeat senders still hit. Whether a key was met is a probabilistic filter: a false "met"
   * only costs the caching path, never a wrong answer.
   */
  keyFor(publicKey: Uint8Array): VerifyKey {
    // Two probes from disjoint key bytes; public keys are curve points, hence uniform bytes.
    const mask = SEEN_FILTER_BITS - 1;
    const h1 = (publicKey[0] | (publicKey[1] << 8) | (publicKey[2] << 16)) & mask;
    const h2 = (publicKey[3] | (publicKey[4] << 8) | (publicKey[5] << 16)) & mask;
    const seen = this.seen;
    const b1 = 1 << (h1 & 31);
    const b2 = 1 << (h2 & 31);
    if ((seen[h1 >>> 5] & b1) !== 0 && (seen[h2 >>> 5] & b2) !== 0) return this.get(publicKey);
    if (++this.seenMarks > SEEN_FILTER_BITS >>> 4) {
      seen.fill(0);
      this.seenMarks = 1;
    }
    seen[h1 >>> 5] |= b1;
    seen[h2 >>> 5] |= b2;
    return { key: { kty: 'OKP', crv: 'Ed25519', x: base64url(publicKey) }, format: 'jwk' };
  }

  /** The KeyObject of a 32-byte public key, imported and cached (the caller has checked the length); may throw on import. */
  get(publicKey: Uint8Array): KeyObject {
    // base64url is both the Map key and the JWK `x` member, so it is computed once.
    const x = base64url(publicKey);
    const hit = this.entries.get(x);
    if (hit !== undefined) {
      // Refresh recency so repeating keys (validators) survive a block of one-off senders.
      this.entries.delete(x);
      this.entries.set(x, hit);
      return hit;
    }
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    if (this.capacity === 0) return key;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    this.entries.set(x, key);
    return key;
  }

  /** Number of cached keys. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops every cached key and forgets which keys were seen. */
  clear(): void {
    this.entries.clear();
    this.seen.fill(0);
    this.seenMarks = 0;
  }
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
}
