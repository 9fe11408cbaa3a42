/**
 * Nibble paths and the hex-prefix ("compact") encoding of Ethereum's trie (Yellow Paper,
 * appendix C), following go-ethereum's `trie/encoding.go`.
 *
 * In memory a path is one nibble (0..15) per byte. A key's path ends with the terminator
 * nibble 16, so a leaf is simply a short node whose path ends with 16 and a value sits
 * in slot 16 of a branch: keys that are prefixes of others ("do", "dog") need no special
 * case. The compact form stores two nibbles per byte after a flag nibble:
 * 0 = extension, even length; 1 = extension, odd; 2 = leaf, even; 3 = leaf, odd.
 */
import { TrieError } from './errors.js';

/** The terminator nibble that ends every key's path (marks leaves). */
export const TERMINATOR = 16;

/**
 * The nibble path of `key`, terminator included (2 * key.length + 1 entries), written into
 * `scratch` when given (it must hold that many) and returned as it or a view of it. Tries convert
 * every key through one scratch buffer: a fresh 65-byte array for a 32-byte key is a
 * typed array over V8's 64-byte on-heap limit, measured here at ~250 ns to allocate
 * (against ~15 ns at 64 bytes) plus GC cost. Nothing may keep the view: `insert` copies
 * the part a new leaf keeps.
 */
export function keyToNibbles(key: Uint8Array, scratch?: Uint8Array): Uint8Array {
  const n = key.length;
  const out = scratch === undefined ? new Uint8Array(2 * n + 1) : scratch.length === 2 * n + 1 ? scratch : scratch.subarray(0, 2 * n + 1);
  for (let i = 0; i < n; i++) {
    const b = key[i];
    out[2 * i] = b >> 4;
    out[2 * i + 1] = b & 15;
  }
  out[2 * n] = TERMINATOR;
  return out;
}

/** Whether path `p` ends with the terminator (a leaf's path). */
export function hasTerminator(p: Uint8Array): boolean {
  return p.length > 0 && p[p.length - 1] === TERMINATOR;
}

/** Length of the common prefix of `a[aPos..]` and `b`. */
export function prefixLength(a: Uint8Array, aPos: number, b: Uint8Array): number {
  const max = Math.min(a.length - aPos, b.length);
  let i = 0;
  while (i < max && a[aPos + i] === b[i]) i++;
  return i;
}

/** Number of bytes of the compact encoding of path `p`. */
export function compactLength(p: Uint8Array): number {
  const n = hasTerminator(p) ? p.length - 1 : p.length;
  return (n >> 1) + 1;
}

/** Writes the compact encoding of path `p` at `pos`; returns the new offset. */
export function writeCompact(out: Uint8Array, pos: number, p: Uint8Array): number {
  const leaf = hasTerminator(p);
  const n = leaf ? p.length - 1 : p.length;
  const odd = n & 1;
  const flag = (leaf ? 2 : 0) + odd;
  let i = 0;
  if (odd) {
    out[pos++] = (flag << 4) | p[0];
    i = 1;
  } else {
    out[pos++] = flag << 4;
  }
  for (; i < n; i += 2) out[pos++] = (p[i] << 4) | p[i + 1];
  return pos;
}

/** The compact encoding of path `p`. */
export function toCompact(p: Uint8Array): Uint8Array {
  const out = new Uint8Array(compactLength(p));
  writeCompact(out, 0, p);
  return out;
}

/**
 * The nibble path of the compact encoding in `buf[start..end)` (terminator appended for a
 * leaf). Strict: the flag
 * must be 0..3 and the padding nibble of an even-length path must be 0, so each path has
 * exactly one encoding. Throws `TRIE_INVALID_RLP`, which the node decoder turns into
 * a corrupt-node or bad-proof error.
 */
export function compactToNibbles(buf: Uint8Array, start = 0, end = buf.length): Uint8Array {
  const len = end - start;
  if (len === 0) throw new TrieError('TRIE_INVALID_RLP', 'empty hex-prefix path', {});
  const first = buf[start];
  const flag = first >> 4;
  if (flag > 3) throw new TrieError('TRIE_INVALID_RLP', 'bad hex-prefix flag', { flag });
  const leaf = flag >= 2;
  const odd = flag & 1;
  if (!odd && (first & 15) !== 0) throw new TrieError('TRIE_INVALID_RLP', 'non-zero hex-prefix padding', {});
  const n = 2 * (len - 1) + odd;
  const out = new Uint8Array(n + (leaf ? 1 : 0));
  let j = 0;
  if (odd) out[j++] = first & 15;
  for (let i = start + 1; i < end; i++) {
    out[j++] = buf[i] >> 4;
    out[j++] = buf[i] & 15;
  }
  if (leaf) out[j] = TERMINATOR;
  return out;
}

/** A nibble path as hex digits for error context ("" for the root; the terminator is dropped). */
export function pathToHex(p: Uint8Array): string {
  let s = '';
  for (let i = 0; i < p.length; i++) if (p[i] < 16) s += p[i].toString(16);
  return s;
}
