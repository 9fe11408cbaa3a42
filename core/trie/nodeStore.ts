/**
 * Where a trie finds stored nodes, shared by every trie opened over the same database with
 * `trie.at(root)`: a bounded cache of decoded nodes, the nodes of recent flushes that may not
 * be in the database yet, and the database itself (go-ethereum's node reader).
 */
import { TrieError } from './errors.js';
import { pathToHex } from './hexPrefix.js';
import { decodeNode } from './codec.js';
import { markShared, type FullNode, type HashNode, type ShortNode } from './nodes.js';
import { bytesKey, type TrieDB } from './trieDB.js';
import { toHex } from '../encoding/hex.js';
import { digestOf, type Digest, type HashFn } from './digest.js';

export type { HashFn } from './digest.js';
/** A stored node and its key: [hash, RLP encoding]. */
export type NodeEntry = [hash: Uint8Array, node: Uint8Array];

/**
 * Decoded nodes kept per cache generation (the cache holds up to twice this). Larger keeps
 * more of a big trie decoded across blocks, reads and proofs; smaller bounds memory. The
 * top three levels of a state trie are 4,369 nodes; a cached node measured ~1.6 KB of heap
 * (200,000-key trie: the node, its path, views of its encoding, the hash node its parent
 * keeps for it), so the default caps the cache at ~50 MB.
 */
export const NODE_CACHE_SIZE = 1 << 14;

/**
 * Flushes whose nodes are kept in memory while the database may not have them yet. A
 * generation is released as soon as its root node is found in the database (the caller
 * writes each flush's nodes in one atomic batch); older unwritten ones are dropped, being
 * states that were never persisted (e.g. a block proposal that did not become final).
 */
export const MAX_UNWRITTEN_FLUSHES = 16;

/**
 * Two-generation cache, an O(1) approximation of LRU: hits in the old generation are
 * promoted, and when the current one is full it becomes the old one (the previous old one
 * is dropped whole). No per-hit reordering, no iteration.
 */
class NodeCache {
  #cur = new Map<string, ShortNode | FullNode>();
  #old = new Map<string, ShortNode | FullNode>();
  constructor(readonly generationSize: number) {}

  get(k: string): ShortNode | FullNode | undefined {
    const v = this.#cur.get(k);
    if (v !== undefined) return v;
    const o = this.#old.get(k);
    if (o !== undefined) this.set(k, o);
    return o;
  }

  set(k: string, v: ShortNode | FullNode): void {
    this.#cur.set(k, v);
    if (this.#cur.size >= this.generationSize) {
      this.#old = this.#cur;
      this.#cur = new Map();
    }
  }

  get size(): number {
    return this.#cur.size + this.#old.size;
  }
}

/** Node lookups for one database and hash function. */
export class NodeStore {
  readonly #cache: NodeCache;
  /**
   * Flushes whose nodes the database may not have yet, oldest first. Each one's lookup index
   * is built on the first cache miss while it is held, so a flush costs nothing extra when
   * (as usual) nothing misses before its batch is written.
   */
  readonly #generations: Array<{ root: Uint8Array; nodes: readonly NodeEntry[]; index?: Map<string, Uint8Array> }> = [];

  /** The node hash in the forms the hot paths use. */
  readonly digest: Digest;

  constructor(
    readonly db: TrieDB,
    readonly hash: HashFn,
    cacheSize: number = NODE_CACHE_SIZE,
  ) {
    this.#cache = new NodeCache(Math.max(1, cacheSize));
    this.digest = digestOf(hash);
  }

  /** Decoded nodes currently cached. */
  get cachedNodes(): number {
    return this.#cache.size;
  }

  /** Flushed nodes held because the database may not have them yet. */
  get pendingNodes(): number {
    let n = 0;
    for (const g of this.#generations) n += g.nodes.length;
    return n;
  }

  #pending(k: string): Uint8Array | undefined {
    for (let i = this.#generations.length - 1; i >= 0; i--) {
      const g = this.#generations[i];
      if (g.index === undefined) {
        g.index = new Map();
        for (const [h, raw] of g.nodes) g.index.set(bytesKey(h), raw);
      }
      const raw = g.index.get(k);
      if (raw !== undefined) return raw;
    }
    return undefined;
  }

  /**
   * The node `ref` points at, reached at nibble path `path[0..depth)` (for errors).
   *
   * A node read from the database is checked to hash to its key before it is decoded:
   * a flipped bit on disk then surfaces as TRIE_CORRUPT_NODE instead of a wrong answer.
   * It costs one hash per cache miss (~0.25 us for a 100-byte leaf, ~0.6 us for a 532-byte
   * branch with native SHA-256, against ~2.6-4 us for the LevelDB getSync itself); cached
   * nodes are not re-checked.
   *
   * `keep = false` is for updates: a node read from the database (or a pending flush) is
   * not cached but returned unshared, owned by the caller, which updates it in place
   * instead of copying it; a cached original would only be a second copy surviving
   * young-generation GC (measured: ~15% of an update's time). A cache hit is shared, so
   * the caller copies it.
   */
  resolve(ref: HashNode, path: Uint8Array, depth: number, keep = true): ShortNode | FullNode {
    const k = ref.key;
    const hit = this.#cache.get(k);
    if (hit !== undefined) return hit;
    const hash = ref.ref;
    let raw = this.#generations.length > 0 ? this.#pending(k) : undefined;
    // A pending node's encoding is a view into its flush's arena chunk (up to 256 KiB, see
    // hasher.ts), and a decoded node keeps views of its encoding (raw, value, child hashes):
    // one cached node would keep the whole chunk alive. Measured under load (medical mix,
    // 2,000 tx/s): ~320 chunks, 80 MiB of external memory pinned by the cache after 80 s and
    // still growing; copying the few hundred bytes of each pending hit costs what a database
    // read allocates anyway.
    if (raw !== undefined) raw = raw.slice();
    else {
      raw = this.db.get(hash);
      if (raw === undefined) {
        throw new TrieError('TRIE_MISSING_NODE', `missing trie node ${toHex(hash)}`, {
          hash: toHex(hash),
          path: pathToHex(path.subarray(0, depth)),
        });
      }
      if (this.digest.key(raw) !== k) {
        throw new TrieError('TRIE_CORRUPT_NODE', `trie node ${toHex(hash)} does not match its hash`, {
          hash: toHex(hash),
          path: pathToHex(path.subarray(0, depth)),
        });
      }
    }
    let node: ShortNode | FullNode;
    try {
      node = decodeNode(raw, raw.length < hash.length ? raw : hash);
    } catch (e) {
      throw new TrieError('TRIE_CORRUPT_NODE', `trie node ${toHex(hash)} does not decode: ${(e as Error).message}`, {
        hash: toHex(hash),
        path: pathToHex(path.subarray(0, depth)),
        cause: e,
      });
    }
    if (keep) {
      markShared(node);
      this.#cache.set(k, node);
    }
    return node;
  }

  /** Holds a flush's nodes until the database has them (see MAX_UNWRITTEN_FLUSHES). */
  addPending(root: Uint8Array, nodes: readonly NodeEntry[]): void {
    this.prunePending();
    if (nodes.length === 0) return;
    if (this.#generations.length >= MAX_UNWRITTEN_FLUSHES) this.#generations.shift();
    this.#generations.push({ root, nodes });
  }

  /** Releases the held flushes whose root node the database now has. */
  prunePending(): void {
    for (let i = 0; i < this.#generations.length; ) {
      if (this.db.get(this.#generations[i].root) !== undefined) this.#generations.splice(i, 1);
      else i++;
    }
  }
}
