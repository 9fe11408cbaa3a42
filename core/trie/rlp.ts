/**
 * Strict RLP (Ethereum Yellow Paper, appendix B), the node encoding of the trie.
 *
 * Strict means the decoder accepts exactly the bytes the encoder produces: a single byte
 * below 0x80 must be encoded as itself, lengths use the short form up to 55 bytes and the
 * long form without leading zero bytes above, items never run past their parent, and
 * nothing may follow the top-level item. Anything else is `TRIE_INVALID_RLP`.
 *
 * The low-level helpers (`readHeader`, `writeString`, ...) are what the node codec uses on
 * the hot path, so they avoid intermediate arrays.
 */
import { TrieError } from './errors.js';

/** A decoded RLP item: a byte string or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

/** Position of one item's payload within a buffer, filled in by `readHeader`. */
export interface RlpHeader {
  /** Whether the item is a list (else a byte string). */
  list: boolean;
  /** Offset of the payload's first byte. */
  start: number;
  /** Offset just past the payload (and so past the item). */
  end: number;
}

/** Deepest list nesting `decode` follows, so hostile input cannot exhaust the call stack. */
export const MAX_RLP_DEPTH = 64;

/** Largest length a header may state (2^32 - 1): more than any buffer we could hold. */
const MAX_LENGTH_BYTES = 4;

function fail(message: string, offset: number): never {
  throw new TrieError('TRIE_INVALID_RLP', message, { offset });
}

/**
 * Reads the header of the item at `pos` (which must end by `limit`) into `out`.
 * Throws `TRIE_INVALID_RLP` on truncation or any non-canonical length.
 */
export function readHeader(buf: Uint8Array, pos: number, limit: number, out: RlpHeader): void {
  if (pos >= limit) fail('truncated: item expected', pos);
  const b = buf[pos];
  if (b < 0x80) {
    out.list = false;
    out.start = pos;
    out.end = pos + 1;
    return;
  }
  const list = b >= 0xc0;
  const base = list ? 0xc0 : 0x80;
  let len: number;
  let start: number;
  if (b - base <= 55) {
    len = b - base;
    start = pos + 1;
  } else {
    const lenOfLen = b - base - 55;
    if (lenOfLen > MAX_LENGTH_BYTES) fail('oversized length', pos);
    if (pos + 1 + lenOfLen > limit) fail('truncated: length bytes', pos);
    if (buf[pos + 1] === 0) fail('non-canonical length: leading zero', pos);
    len = 0;
    for (let i = 1; i <= lenOfLen; i++) len = len * 256 + buf[pos + i];
    if (len <= 55) fail('non-canonical length: long form for a short item', pos);
    start = pos + 1 + lenOfLen;
  }
  const end = start + len;
  if (end > limit) fail('truncated: payload runs past its end', pos);
  if (!list && len === 1 && buf[start] < 0x80) fail('non-canonical: single byte below 0x80 with a prefix', pos);
  out.list = list;
  out.start = start;
  out.end = end;
}

/** Number of bytes a header for a payload of `len` bytes takes. */
export function headerLength(len: number): number {
  if (len <= 55) return 1;
  let n = 1;
  while (len >= 256 ** n) n++;
  return 1 + n;
}

/** Writes a string (`base` 0x80) or list (`base` 0xc0) header for `len` bytes; returns the new offset. */
export function writeHeader(out: Uint8Array, pos: number, base: number, len: number): number {
  if (len <= 55) {
    out[pos] = base + len;
    return pos + 1;
  }
  const n = headerLength(len) - 1;
  out[pos] = base + 55 + n;
  for (let i = n; i >= 1; i--) {
    out[pos + i] = len & 0xff;
    len = Math.floor(len / 256);
  }
  return pos + 1 + n;
}

/** Encoded length of byte string `b`. */
export function stringLength(b: Uint8Array): number {
  if (b.length === 1 && b[0] < 0x80) return 1;
  return headerLength(b.length) + b.length;
}

/** Writes byte string `b` as RLP at `pos`; returns the new offset. */
export function writeString(out: Uint8Array, pos: number, b: Uint8Array): number {
  if (b.length === 1 && b[0] < 0x80) {
    out[pos] = b[0];
    return pos + 1;
  }
  pos = writeHeader(out, pos, 0x80, b.length);
  out.set(b, pos);
  return pos + b.length;
}

function encodedLength(item: RlpItem, depth: number): number {
  if (item instanceof Uint8Array) return stringLength(item);
  if (!Array.isArray(item)) throw new TrieError('TRIE_INVALID_RLP', 'can only encode Uint8Array or arrays of them', {});
  if (depth > MAX_RLP_DEPTH) throw new TrieError('TRIE_INVALID_RLP', 'nesting too deep', { depth });
  let n = 0;
  for (const x of item) n += encodedLength(x, depth + 1);
  return headerLength(n) + n;
}

function write(out: Uint8Array, pos: number, item: RlpItem): number {
  if (item instanceof Uint8Array) return writeString(out, pos, item);
  let n = 0;
  for (const x of item) n += encodedLength(x, 0);
  pos = writeHeader(out, pos, 0xc0, n);
  for (const x of item) pos = write(out, pos, x);
  return pos;
}

/** RLP encoding of `item`. */
export function encode(item: RlpItem): Uint8Array {
  const out = new Uint8Array(encodedLength(item, 0));
  write(out, 0, item);
  return out;
}

function decodeAt(buf: Uint8Array, pos: number, limit: number, depth: number, h: RlpHeader): RlpItem {
  readHeader(buf, pos, limit, h);
  if (!h.list) return buf.subarray(h.start, h.end);
  if (depth >= MAX_RLP_DEPTH) fail('nesting too deep', pos);
  const items: RlpItem[] = [];
  const end = h.end;
  let p = h.start;
  while (p < end) {
    const item = decodeAt(buf, p, end, depth + 1, h);
    p = h.end;
    items.push(item);
  }
  h.end = end;
  return items;
}

/**
 * Strictly decodes one RLP item that must span all of `bytes`. Byte strings in the result
 * are views into `bytes` (copy them if the input will be reused).
 */
export function decode(bytes: Uint8Array): RlpItem {
  if (!(bytes instanceof Uint8Array)) throw new TrieError('TRIE_INVALID_RLP', 'input must be a Uint8Array', {});
  const h: RlpHeader = { list: false, start: 0, end: 0 };
  const item = decodeAt(bytes, 0, bytes.length, 0, h);
  if (h.end !== bytes.length) fail('trailing bytes after the item', h.end);
  return item;
}
