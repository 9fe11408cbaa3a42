import { SigPoolError } from './errors.js';

/**
 * Entries kept by default. An entry is a 32-character key string plus a Map slot, roughly
 * 120 bytes, so 65,536 entries cost ~8 MiB: enough for a full mempool plus the blocks that
 * follow its admission. A smaller cache only means some block signatures are checked twice.
 */
export const VERIFIED_SIG_CACHE_SIZE = 65_536;

const TX_HASH_LENGTH = 32;

/**
 * A bounded set of tx hashes whose signatures verified true, so block validation can skip
 * signatures already checked at mempool admission. Keyed by the tx hash = sha256 of the whole
 * SignedTx (design §4), which commits to the sender key, the signed fields AND the signature:
 * a hit means these exact bytes verified before. Never key it by anything that omits the
 * signature (e.g. the signing digest). Oldest entries are evicted first (FIFO): each hash is
 * typically added once at admission and looked up once per block validation.
 */
export class VerifiedSigCache {
  private readonly entries = new Set<string>();
  /** Insertion order, oldest at `next` once full (a key deleted early just leaves a stale slot). */
  private readonly ring: Array<string | undefined> = [];
  private next = 0;

  constructor(readonly capacity: number = VERIFIED_SIG_CACHE_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Whether `txHash`'s signature is known to be valid. False for anything that is not a 32-byte hash. */
  has(txHash: Uint8Array): boolean {
    if (!(txHash instanceof Uint8Array) || txHash.length !== TX_HASH_LENGTH) return false;
    return this.entries.has(keyOf(txHash));
  }

  /** Records that `txHash`'s signature verified true (only ever call this after it did). */
  add(txHash: Uint8Array): void {
    if (!(txHash instanceof Uint8Array) || txHash.length !== TX_HASH_LENGTH) {
      throw new SigPoolError('SIGPOOL_BAD_INPUT', 'a tx hash must be 32 bytes', {
        length: txHash instanceof Uint8Array ? txHash.length : typeof txHash,
      });
    }
    const k = keyOf(txHash);
    if (this.entries.has(k)) return;
    // FIFO through a ring of keys: evicting via `set.values().next()` walks the deleted slots a
    // Set keeps until it rehashes, which the load profile showed at ~6% of the node's main thread.
    const old = this.ring[this.next];
    if (old !== undefined) this.entries.delete(old);
    this.ring[this.next] = k;
    this.next = (this.next + 1) % this.capacity;
    this.entries.add(k);
  }

  /** Forgets one hash (e.g. a tx dropped from the mempool); returns whether it was there. */
  delete(txHash: Uint8Array): boolean {
    if (!(txHash instanceof Uint8Array) || txHash.length !== TX_HASH_LENGTH) return false;
    return this.entries.delete(keyOf(txHash));
  }

  /** Number of hashes held. */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
    this.ring.length = 0;
    this.next = 0;
  }
}

/** latin1 maps each byte to one char: the cheapest exact string key for 32 bytes. */
function keyOf(txHash: Uint8Array): string {
  return Buffer.from(txHash.buffer, txHash.byteOffset, txHash.length).toString('latin1');
}
