/**
 * The trie's in-memory nodes (codec.ts encodes them), modelled on go-ethereum's `trie/node.go`:
 * a short node (leaf when its path ends with the terminator, else extension), a full node
 * (branch: 16 children plus a value in slot 16), a hash node (a reference to a stored node
 * not loaded yet) and the value itself as a plain Uint8Array.
 *
 * `ref` caches what a parent embeds for the node: its 32-byte hash, or its whole encoding
 * when that is shorter than 32 bytes (Ethereum inlines such nodes); `ref === undefined`
 * means dirty (changed since the last flush). `shared` marks nodes held by the node cache,
 * which any trie may reach and which are never mutated: an update copies them. Every other
 * node belongs to exactly one trie's tree, so an update changes it in place (clearing its
 * `ref`), clean or not: a long-lived trie does not copy its whole path on every update.
 */
import { bytesKey, hashKeyAt } from './trieDB.js';

/** Length of a hash reference; nodes whose encoding is shorter are embedded in their parent. */
export const HASH_LENGTH = 32;

/** A leaf (path ends with the terminator, `val` is the value) or an extension (`val` is a node). */
export class ShortNode {
  ref: Uint8Array | undefined;
  shared: boolean;
  constructor(
    readonly key: Uint8Array,
    public val: Child,
  ) {
    this.ref = undefined;
    this.shared = false;
  }
}

/**
 * A slot of a branch: a child node, the value (slot 16), nothing, or (in a branch decoded
 * from storage) the offset in `raw` of a child's hash not yet turned into a HashNode.
 */
export type Slot = Child | number | undefined;

/** 17 empty branch slots. A literal keeps the array packed (fast element access); new Array(17) would be holey. */
export function emptySlots(): Slot[] {
  return [
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
  ];
}

/**
 * A branch: slots 0..15 hold nodes, slot 16 the value stored at this path. A decoded branch
 * keeps its encoding and materialises a child's HashNode only when a walk asks for it: a
 * walk follows one of up to 16 children, and an update re-encodes the other 15 straight
 * from `raw` (measured: ~40% of an update's time was GC, much of it these objects).
 */
export class FullNode {
  ref: Uint8Array | undefined;
  shared: boolean;
  readonly children: Slot[];
  constructor(
    children?: Slot[],
    /** The encoding lazy slots point into (decoded branches and their copies only). */
    readonly raw?: Uint8Array,
  ) {
    this.ref = undefined;
    this.shared = false;
    this.children = children ?? emptySlots();
  }

  /**
   * Slot `i` as a node or value. A lazy slot becomes a HashNode, stored back: that changes
   * no content or hash, so it is done on clean (shared) branches too.
   */
  child(i: number): Child | undefined {
    const c = this.children[i];
    if (typeof c !== 'number') return c;
    const h = new HashNode(this.raw as Uint8Array, c);
    this.children[i] = h;
    return h;
  }

  /** A dirty, unshared copy, for copy-on-write of a shared node. */
  copy(): FullNode {
    return new FullNode(this.children.slice(), this.raw);
  }
}

/**
 * A reference to a node stored under its hash, resolved on demand. Built from a 32-byte
 * hash, or lazily from where the hash sits in a decoded parent: a decoded branch has up to
 * 16 of these and a walk follows one, so the others never materialise a view or a key.
 */
export class HashNode {
  #ref: Uint8Array | undefined;
  #key: string | undefined;
  constructor(
    private readonly raw: Uint8Array,
    private readonly offset = -1,
  ) {
    this.#ref = offset < 0 ? raw : undefined;
    this.#key = undefined;
  }
  /** The hash. */
  get ref(): Uint8Array {
    return (this.#ref ??= this.raw.subarray(this.offset, this.offset + HASH_LENGTH));
  }
  /** The hash as a `bytesKey` string (cached: upper levels are resolved again and again). */
  get key(): string {
    return (this.#key ??= this.offset < 0 ? bytesKey(this.raw) : hashKeyAt(this.raw, this.offset));
  }
}

/** A node of the trie. */
export type TrieNode = ShortNode | FullNode | HashNode;
/** What a short node or branch slot holds: a node, or (at the end of a key's path) a value. */
export type Child = TrieNode | Uint8Array;

/** Marks `n` and the nodes embedded in it as shared (they are entering the node cache). */
export function markShared(n: ShortNode | FullNode): void {
  n.shared = true;
  if (n instanceof ShortNode) {
    const v = n.val;
    if (v instanceof ShortNode || v instanceof FullNode) markShared(v);
    return;
  }
  for (let i = 0; i < 16; i++) {
    const c = n.children[i];
    if (c instanceof ShortNode || c instanceof FullNode) markShared(c);
  }
}
