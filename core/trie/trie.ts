/**
 * Ethereum's Merkle Patricia trie (design §5) with a pluggable hash, SHA-256 by default.
 *
 * Modelled on go-ethereum: updates build dirty nodes along the key's path in memory and
 * hash nothing; `flush` hashes the dirty nodes once, bottom-up, caches each hash on its
 * node, and returns the root with the new nodes for the caller to store in one batch
 * (`commit` does that itself). Reads are synchronous through a `TrieDB` and a shared node
 * cache, so the async methods do no `await` per node. The trie never deletes stored nodes:
 * every committed root stays readable (historical state, proofs).
 */
import { equalBytes } from '../encoding/hex.js';
import { TrieError } from './errors.js';
import { hashRoot } from './hasher.js';
import { keyToNibbles } from './hexPrefix.js';
import { HASH_LENGTH, HashNode, type Child } from './nodes.js';
import { NodeStore, type HashFn, type NodeEntry } from './nodeStore.js';
import { getValue, insert, lastChanged, remove } from './ops.js';
import { collectProof, verifyProof } from './proof.js';
import { sha256 } from './sha256.js';
import { MemoryTrieDB } from './memoryTrieDB.js';
import type { TrieDB } from './trieDB.js';
import { checkKey, checkValue, copyBytes } from './validate.js';

/** Options of `new Trie()`. */
export interface TrieOptions {
  /** Node database (default: a fresh MemoryTrieDB). */
  db?: TrieDB;
  /** Root of a stored trie to open (default: the empty trie). */
  root?: Uint8Array;
  /** Node hash (default: SHA-256); must return 32 bytes. */
  hash?: HashFn;
  /** When set, every key must have exactly this many bytes (the state layer: 32). */
  keyLength?: number;
  /** Decoded nodes per node-cache generation (default NODE_CACHE_SIZE). */
  cacheSize?: number;
}

/** What `flush` returns: the new root and the nodes to store under their hashes. */
export interface FlushResult {
  root: Uint8Array;
  nodes: NodeEntry[];
}

const STORE = Symbol('store');
type InternalOptions = TrieOptions & { [STORE]?: NodeStore };

const EMPTY_STRING_RLP = Uint8Array.of(0x80);
/** What put/del return: their work is synchronous, so one settled promise serves every call. */
const DONE: Promise<void> = Promise.resolve();

/** A Merkle Patricia trie over raw keys (the state layer hashes keys: secure trie). */
export class Trie {
  readonly #store: NodeStore;
  readonly #keyLength: number | undefined;
  readonly #emptyRoot: Uint8Array;
  /** The current tree, including uncommitted changes. */
  #root: Child | undefined;
  /** Root hash of the last flushed (or opened) state. */
  #rootHash: Uint8Array;
  #dirty = false;
  /** Nodes `commit` flushed whose batch has not succeeded yet (retried by the next commit). */
  #unwritten: NodeEntry[] = [];
  /** Where keys are converted to nibble paths (see keyToNibbles). */
  #scratch = new Uint8Array(65);

  /** Opens the trie at `opts.root` (lazily: a missing root surfaces on first read). */
  constructor(opts: TrieOptions = {}) {
    const o = opts as InternalOptions;
    let store = o[STORE];
    if (store === undefined) {
      const hash = o.hash ?? sha256;
      if (typeof hash !== 'function') throw new TrieError('TRIE_INVALID_OPTIONS', 'hash must be a function', {});
      const cacheSize = o.cacheSize;
      if (cacheSize !== undefined && !(Number.isInteger(cacheSize) && cacheSize > 0)) {
        throw new TrieError('TRIE_INVALID_OPTIONS', 'cacheSize must be a positive integer', { cacheSize });
      }
      store = new NodeStore(o.db ?? new MemoryTrieDB(), hash, cacheSize);
    }
    this.#store = store;
    const empty = store.hash(EMPTY_STRING_RLP);
    if (!(empty instanceof Uint8Array) || empty.length !== HASH_LENGTH) {
      throw new TrieError('TRIE_INVALID_OPTIONS', `hash must return ${HASH_LENGTH} bytes`, {});
    }
    this.#emptyRoot = empty;
    if (o.keyLength !== undefined && !(Number.isInteger(o.keyLength) && o.keyLength >= 0)) {
      throw new TrieError('TRIE_INVALID_OPTIONS', 'keyLength must be a non-negative integer', { keyLength: o.keyLength });
    }
    this.#keyLength = o.keyLength;
    const root = o.root ?? empty;
    if (!(root instanceof Uint8Array) || root.length !== HASH_LENGTH) {
      throw new TrieError('TRIE_INVALID_ROOT', `root must be ${HASH_LENGTH} bytes`, {
        length: root instanceof Uint8Array ? root.length : typeof root,
      });
    }
    this.#rootHash = copyBytes(root);
    this.#root = equalBytes(root, empty) ? undefined : new HashNode(this.#rootHash);
  }

  /** A trie at `root` over the same database, hash and node cache (historical state, proofs). */
  at(root: Uint8Array): Trie {
    return new Trie({ root, keyLength: this.#keyLength, [STORE]: this.#store } as InternalOptions);
  }

  /** The node database. */
  get db(): TrieDB {
    return this.#store.db;
  }

  /** The node hash function. */
  get hash(): HashFn {
    return this.#store.hash;
  }

  /** The empty trie's root, hash(rlp("")). */
  get emptyRoot(): Uint8Array {
    return copyBytes(this.#emptyRoot);
  }

  /** Node-cache and pending-flush sizes (shared by tries made with `at`), for metrics and tests. */
  get stats(): { cachedNodes: number; pendingNodes: number } {
    return { cachedNodes: this.#store.cachedNodes, pendingNodes: this.#store.pendingNodes };
  }

  /** Whether there are changes not yet flushed. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** The value stored at `key` (uncommitted changes included), or undefined. */
  get(key: Uint8Array): Promise<Uint8Array | undefined> {
    try {
      return Promise.resolve(this.getSync(key));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `get` without the promise, for synchronous callers (the VM's state reads). */
  getSync(key: Uint8Array): Uint8Array | undefined {
    checkKey(key, this.#keyLength);
    const v = getValue(this.#store, this.#root, this.#nibbles(key));
    return v === undefined ? undefined : copyBytes(v);
  }

  /** Stores `value` at `key`; an empty value deletes the key (as in Ethereum and @ethereumjs/mpt). */
  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    // Synchronous work behind the promise API: one shared resolved promise, no per-call allocation.
    try {
      checkKey(key, this.#keyLength);
      checkValue(value);
      if (value.length === 0) this.#remove(key);
      else this.#update(insert(this.#store, this.#root, this.#nibbles(key), 0, copyBytes(value)));
      return DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** Deletes `key` (nothing happens if it is absent). */
  del(key: Uint8Array): Promise<void> {
    try {
      checkKey(key, this.#keyLength);
      this.#remove(key);
      return DONE;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #remove(key: Uint8Array): void {
    this.#update(remove(this.#store, this.#root, this.#nibbles(key), 0));
  }

  #update(root: Child | undefined): void {
    if (lastChanged()) {
      this.#root = root;
      this.#dirty = true;
    }
  }

  /** The nibble path of `key` in the scratch buffer, resized to fit (tries mostly use one key length). */
  #nibbles(key: Uint8Array): Uint8Array {
    const n = 2 * key.length + 1;
    if (this.#scratch.length !== n) this.#scratch = new Uint8Array(n);
    return keyToNibbles(key, this.#scratch);
  }

  /**
   * Hashes the dirty nodes once and returns the new root with the new nodes, without
   * writing them: the caller stores them (e.g. in the same LevelDB batch as its block),
   * all in one atomic batch. Until the database has them, this trie and tries opened with
   * `at()` still read them from memory.
   */
  flush(): FlushResult {
    if (!this.#dirty) return { root: copyBytes(this.#rootHash), nodes: [] };
    const nodes: NodeEntry[] = [];
    const root = this.#root;
    this.#rootHash = root === undefined ? copyBytes(this.#emptyRoot) : hashRoot(root as Exclude<Child, Uint8Array>, this.#store.digest, nodes);
    this.#dirty = false;
    this.#store.addPending(this.#rootHash, nodes);
    return { root: copyBytes(this.#rootHash), nodes };
  }

  /** Flushes and writes the new nodes to the database in one batch; returns the root. */
  async commit(): Promise<Uint8Array> {
    const { root, nodes } = this.flush();
    const all = this.#unwritten.length > 0 ? this.#unwritten.concat(nodes) : nodes;
    if (all.length === 0) return root;
    this.#unwritten = all;
    const ops = new Array(all.length);
    for (let i = 0; i < all.length; i++) ops[i] = { type: 'put', key: all[i][0], value: all[i][1] };
    await this.#store.db.batch(ops);
    if (this.#unwritten === all) this.#unwritten = [];
    this.#store.prunePending();
    return root;
  }

  /** Root of the committed (last flushed or opened) state. */
  root(): Uint8Array {
    return copyBytes(this.#rootHash);
  }

  /** Proof for `key` against `root()`: its path's nodes, root first (Ethereum format). */
  async prove(key: Uint8Array): Promise<Uint8Array[]> {
    checkKey(key, this.#keyLength);
    let start: Child | undefined = this.#root;
    // Uncommitted changes have no hashes yet: prove the committed state from its stored nodes.
    if (this.#dirty) start = equalBytes(this.#rootHash, this.#emptyRoot) ? undefined : new HashNode(this.#rootHash);
    return collectProof(this.#store, start, this.#nibbles(key));
  }

  /**
   * Checks a proof for `key` against `root`; returns the value, or undefined for a valid
   * proof of absence. Throws TrieError (TRIE_BAD_PROOF, TRIE_INVALID_ROOT, TRIE_INVALID_KEY).
   */
  static verifyProof(root: Uint8Array, key: Uint8Array, proof: Uint8Array[], hash: HashFn = sha256): Uint8Array | undefined {
    return verifyProof(root, key, proof, hash);
  }
}
