/**
 * The trie's in-memory nodes and their RLP codec, modelled on go-ethereum's `trie/node.go`:
 * a short node (leaf when its path ends with the terminator, else extension), a full node
 * (branch: 16 children plus a value in slot 16), a hash node (a reference to a stored node
 * not loaded yet) and the value itself as a plain Uint8Array.
 *
 * `ref` caches what a parent embeds for the node: its 32-byte hash, or its whole encoding
 * when that is shorter than 32 bytes (Ethereum inlines such nodes). `ref === undefined`
 * means dirty: created since the last commit, owned by exactly one trie and so safe to
 * mutate in place. Clean nodes may be shared (node cache, other tries) and are never mutated.
 */
import { TrieError } from './errors.js';
import { compactLength, compactToNibbles, hasTerminator, writeCompact } from './hexPrefix.js';
import { headerLength, readHeader, stringLength, writeHeader, writeString, type RlpHeader } from './rlp.js';
import { bytesKey } from './trieDB.js';

/** Length of a hash reference; nodes whose encoding is shorter are embedded in their parent. */
export const HASH_LENGTH = 32;

/** A leaf (path ends with the terminator, `val` is the value) or an extension (`val` is a node). */
export class ShortNode {
  ref: Uint8Array | undefined;
  constructor(
    readonly key: Uint8Array,
    public val: Child,
  ) {
    this.ref = undefined;
  }
}

/** A branch: `children[0..15]` are nodes, `children[16]` is the value stored at this path. */
export class FullNode {
  ref: Uint8Array | undefined;
  readonly children: Array<Child | undefined>;
  constructor(children?: Array<Child | undefined>) {
    this.ref = undefined;
    // A literal keeps the array packed (fast element access) where new Array(17) would be holey.
    this.children = children ?? [
      undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
    ];
  }
  /** A dirty copy, for copy-on-write of a clean node. */
  copy(): FullNode {
    return new FullNode(this.children.slice());
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
    return (this.#key ??= bytesKey(this.ref));
  }
}

/** A node of the trie. */
export type TrieNode = ShortNode | FullNode | HashNode;
/** What a short node or branch slot holds: a node, or (at the end of a key's path) a value. */
export type Child = TrieNode | Uint8Array;

function refLength(ref: Uint8Array): number {
  return ref.length === HASH_LENGTH ? HASH_LENGTH + 1 : ref.length;
}

function writeRef(out: Uint8Array, pos: number, ref: Uint8Array): number {
  if (ref.length === HASH_LENGTH) out[pos++] = 0x80 + HASH_LENGTH;
  out.set(ref, pos);
  return pos + ref.length;
}

/** The ref of a clean child (a programming error if the child is still dirty). */
function childRef(c: TrieNode): Uint8Array {
  const r = c.ref;
  if (r === undefined) throw new Error('trie: encoding a node whose child has not been hashed');
  return r;
}

/** Returns `size` zeroed bytes to encode a node into. */
export type Allocator = (size: number) => Uint8Array;
const fresh: Allocator = (size) => new Uint8Array(size);

/**
 * RLP encoding of a node whose children all have refs (clean, or hashed bottom-up), written
 * into memory from `alloc` (default: a new array).
 */
export function encodeNode(n: ShortNode | FullNode, alloc: Allocator = fresh): Uint8Array {
  if (n instanceof ShortNode) {
    const kLen = compactLength(n.key);
    const kEnc = kLen === 1 ? 1 : headerLength(kLen) + kLen;
    const leaf = hasTerminator(n.key);
    const val = n.val;
    const vEnc = leaf ? stringLength(val as Uint8Array) : refLength(childRef(val as TrieNode));
    const payload = kEnc + vEnc;
    const out = alloc(headerLength(payload) + payload);
    let pos = writeHeader(out, 0, 0xc0, payload);
    // A compact path's first byte is a flag below 0x40, so a 1-byte path is its own RLP.
    if (kLen !== 1) pos = writeHeader(out, pos, 0x80, kLen);
    pos = writeCompact(out, pos, n.key);
    if (leaf) writeString(out, pos, val as Uint8Array);
    else writeRef(out, pos, childRef(val as TrieNode));
    return out;
  }
  const ch = n.children;
  let payload = 0;
  for (let i = 0; i < 16; i++) {
    const c = ch[i] as TrieNode | undefined;
    payload += c === undefined ? 1 : refLength(childRef(c));
  }
  const value = ch[16] as Uint8Array | undefined;
  payload += value === undefined ? 1 : stringLength(value);
  const out = alloc(headerLength(payload) + payload);
  let pos = writeHeader(out, 0, 0xc0, payload);
  for (let i = 0; i < 16; i++) {
    const c = ch[i] as TrieNode | undefined;
    if (c === undefined) out[pos++] = 0x80;
    else pos = writeRef(out, pos, c.ref as Uint8Array);
  }
  if (value === undefined) out[pos] = 0x80;
  else writeString(out, pos, value);
  return out;
}

function bad(message: string): never {
  throw new TrieError('TRIE_INVALID_RLP', message, {});
}

/** Decodes a child reference: a 32-byte hash, an embedded node, or (if allowed) empty. */
function decodeRef(raw: Uint8Array, itemPos: number, h: RlpHeader, allowEmpty: boolean): TrieNode | undefined {
  if (h.list) {
    const end = h.end;
    if (end - itemPos >= HASH_LENGTH) bad('embedded node of 32 bytes or more');
    return decodeAt(raw, itemPos, end, raw.subarray(itemPos, end));
  }
  const len = h.end - h.start;
  if (len === HASH_LENGTH) return new HashNode(raw, h.start);
  if (len === 0 && allowEmpty) return undefined;
  return bad(`child reference of ${len} bytes (want ${allowEmpty ? '0 or ' : ''}32)`);
}

const starts = new Int32Array(18);
const ends = new Int32Array(18);
const lists = new Uint8Array(18);

function decodeAt(raw: Uint8Array, pos: number, limit: number, ref: Uint8Array): ShortNode | FullNode {
  const h: RlpHeader = { list: false, start: 0, end: 0 };
  readHeader(raw, pos, limit, h);
  if (!h.list) bad('node is not a list');
  if (h.end !== limit) bad('trailing bytes after node');
  // Item boundaries first (at most 17), so the arity is known before anything is built.
  const start = h.start;
  const end = h.end;
  let count = 0;
  for (let p = start; p < end; p = h.end) {
    if (count === 17) bad('list of more than 17 items');
    starts[count] = p;
    readHeader(raw, p, end, h);
    ends[count] = h.end;
    lists[count] = h.list ? 1 : 0;
    count++;
  }
  if (count === 2) return decodeShort(raw, ref, h);
  if (count === 17) return decodeFull(raw, ref, h, start, end);
  return bad(`node with ${count} items (want 2 or 17)`);
}

function decodeShort(raw: Uint8Array, ref: Uint8Array, h: RlpHeader): ShortNode {
  if (lists[0]) bad('short node path is a list');
  const p0 = starts[0];
  const p1 = starts[1];
  const e1 = ends[1];
  readHeader(raw, p0, ends[0], h);
  const key = compactToNibbles(raw.subarray(h.start, h.end));
  readHeader(raw, p1, e1, h);
  let node: ShortNode;
  if (hasTerminator(key)) {
    if (h.list) bad('leaf value is a list');
    if (h.end === h.start) bad('leaf with an empty value');
    node = new ShortNode(key, raw.subarray(h.start, h.end));
  } else {
    if (key.length === 0) bad('extension with an empty path');
    const child = decodeRef(raw, p1, h, false) as TrieNode;
    if (child instanceof ShortNode) bad('extension pointing at a short node');
    node = new ShortNode(key, child);
  }
  node.ref = ref;
  return node;
}

function decodeFull(raw: Uint8Array, ref: Uint8Array, h: RlpHeader, start: number, end: number): FullNode {
  // Walk the items again: decoding an embedded child reuses the scratch boundary arrays.
  const children: Array<Child | undefined> = new FullNode().children;
  let p = start;
  for (let i = 0; i < 16; i++) {
    readHeader(raw, p, end, h);
    const next = h.end;
    children[i] = decodeRef(raw, p, h, true);
    p = next;
  }
  readHeader(raw, p, end, h);
  if (h.list) bad('branch value is a list');
  if (h.end > h.start) children[16] = raw.subarray(h.start, h.end);
  const node = new FullNode(children);
  node.ref = ref;
  return node;
}

/**
 * Decodes a stored or proof node. `ref` is what the node is known by (its hash, or its own
 * bytes when shorter than 32). Strict: throws `TRIE_INVALID_RLP` for anything our encoder
 * would not produce (bad arity, non-canonical RLP or paths, oversized embedded nodes).
 */
export function decodeNode(raw: Uint8Array, ref: Uint8Array): ShortNode | FullNode {
  return decodeAt(raw, 0, raw.length, ref);
}
