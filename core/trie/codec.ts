/**
 * The RLP codec of trie nodes (Yellow Paper, appendix D): a short node is [compact path,
 * value or child reference], a branch is [16 child references, value]; a reference is the
 * child's 32-byte hash, or the child's own encoding when that is shorter than 32 bytes.
 */
import { TrieError } from './errors.js';
import { compactLength, compactToNibbles, hasTerminator, writeCompact } from './hexPrefix.js';
import { emptySlots, FullNode, HASH_LENGTH, HashNode, ShortNode, type Slot, type TrieNode } from './nodes.js';
import { headerLength, readHeader, stringLength, writeHeader, writeString, type RlpHeader } from './rlp.js';

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
    const c = ch[i];
    payload += c === undefined ? 1 : typeof c === 'number' ? HASH_LENGTH + 1 : refLength(childRef(c as TrieNode));
  }
  const value = ch[16] as Uint8Array | undefined;
  payload += value === undefined ? 1 : stringLength(value);
  const out = alloc(headerLength(payload) + payload);
  let pos = writeHeader(out, 0, 0xc0, payload);
  const raw = n.raw as Uint8Array;
  for (let i = 0; i < 16; i++) {
    const c = ch[i];
    if (c === undefined) out[pos++] = 0x80;
    else if (typeof c === 'number') {
      // Lazy slots: copy their references (0xa0 + hash) from the old encoding, a run of
      // adjacent ones at once (an updated branch is usually two runs around one child).
      let end = c + HASH_LENGTH;
      while (i + 1 < 16 && ch[i + 1] === end + 1) {
        end += HASH_LENGTH + 1;
        i++;
      }
      out.set(raw.subarray(c - 1, end), pos);
      pos += end - c + 1;
    } else pos = writeRef(out, pos, (c as TrieNode).ref as Uint8Array);
  }
  if (value === undefined) out[pos] = 0x80;
  else writeString(out, pos, value);
  return out;
}

function bad(message: string): never {
  throw new TrieError('TRIE_INVALID_RLP', message, {});
}

/** Decodes a child reference: a 32-byte hash, an embedded node, or (if allowed) empty. */
function decodeRef(raw: Uint8Array, itemPos: number, h: RlpHeader, allowEmpty: boolean, depth: number): TrieNode | undefined {
  if (h.list) {
    const end = h.end;
    if (end - itemPos >= HASH_LENGTH) bad('embedded node of 32 bytes or more');
    return decodeAt(raw, itemPos, end, raw.subarray(itemPos, end), depth + 1);
  }
  const len = h.end - h.start;
  if (len === HASH_LENGTH) return new HashNode(raw, h.start);
  if (len === 0 && allowEmpty) return undefined;
  return bad(`child reference of ${len} bytes (want ${allowEmpty ? '0 or ' : ''}32)`);
}

const starts = new Int32Array(18);
const ends = new Int32Array(18);
const lists = new Uint8Array(18);

/** Scratch headers, one per nesting level (embedded nodes are < 32 bytes, so few levels). */
const HEADERS: RlpHeader[] = Array.from({ length: 16 }, () => ({ list: false, start: 0, end: 0 }));

function decodeAt(raw: Uint8Array, pos: number, limit: number, ref: Uint8Array, depth: number): ShortNode | FullNode {
  if (depth >= HEADERS.length) bad('embedded nodes nested too deep');
  const h = HEADERS[depth];
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
  if (count === 2) return decodeShort(raw, ref, h, depth);
  if (count === 17) return decodeFull(raw, ref, h, start, end, depth);
  return bad(`node with ${count} items (want 2 or 17)`);
}

function decodeShort(raw: Uint8Array, ref: Uint8Array, h: RlpHeader, depth: number): ShortNode {
  if (lists[0]) bad('short node path is a list');
  const p0 = starts[0];
  const p1 = starts[1];
  const e1 = ends[1];
  readHeader(raw, p0, ends[0], h);
  const key = compactToNibbles(raw, h.start, h.end);
  readHeader(raw, p1, e1, h);
  let node: ShortNode;
  if (hasTerminator(key)) {
    if (h.list) bad('leaf value is a list');
    if (h.end === h.start) bad('leaf with an empty value');
    node = new ShortNode(key, raw.subarray(h.start, h.end));
  } else {
    if (key.length === 0) bad('extension with an empty path');
    const child = decodeRef(raw, p1, h, false, depth) as TrieNode;
    if (child instanceof ShortNode) bad('extension pointing at a short node');
    node = new ShortNode(key, child);
  }
  node.ref = ref;
  return node;
}

function decodeFull(raw: Uint8Array, ref: Uint8Array, h: RlpHeader, start: number, end: number, depth: number): FullNode {
  // Walk the items again: decoding an embedded child reuses the scratch boundary arrays.
  const children: Slot[] = emptySlots();
  let p = start;
  for (let i = 0; i < 16; i++) {
    readHeader(raw, p, end, h);
    const next = h.end;
    // A 32-byte hash stays a lazy slot: the offset of its first byte (see FullNode).
    if (!h.list && h.end - h.start === HASH_LENGTH) children[i] = h.start;
    else children[i] = decodeRef(raw, p, h, true, depth);
    p = next;
  }
  readHeader(raw, p, end, h);
  if (h.list) bad('branch value is a list');
  if (h.end > h.start) children[16] = raw.subarray(h.start, h.end);
  const node = new FullNode(children, raw);
  node.ref = ref;
  return node;
}

/**
 * Decodes a stored or proof node. `ref` is what the node is known by (its hash, or its own
 * bytes when shorter than 32). Strict: throws `TRIE_INVALID_RLP` for anything our encoder
 * would not produce (bad arity, non-canonical RLP or paths, oversized embedded nodes).
 */
export function decodeNode(raw: Uint8Array, ref: Uint8Array): ShortNode | FullNode {
  return decodeAt(raw, 0, raw.length, ref, 0);
}
