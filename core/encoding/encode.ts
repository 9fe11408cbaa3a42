/**
 * Canonical MessagePack encoder (design §2): shortest int/length forms, no floats, no ext,
 * map keys sorted by their UTF-8 bytes.
 *
 * Performance (Node 20, 2 shared cores, min of 30 interleaved rounds; bench/suites/encoding.ts
 * has the figures against JSON and msgpackr): one pass into a module-level scratch buffer that
 * grows by doubling, then one `slice` for the result — a 154-byte tx in ~370 ns, a 100-tx block
 * in ~15 µs. A variant that first computed the exact size and wrote straight into the result
 * measured ~485 ns and ~23 µs: the second walk costs more than the copy it saves. Most of a
 * small encode is allocating the result (typed arrays over 64 bytes live off-heap, ~200 ns), so
 * `encodeWith` lends a view of the scratch instead (~165 ns per tx) for bytes that are only
 * hashed, signed or sent.
 */
import { encodingError } from './errors.js';
import { compareUtf8, writeUtf8, writeUtf8Long } from './utf8.js';
import { MAX_DEPTH, MAX_LENGTH, type Encodable } from './value.js';

/** Starting scratch size: a block of 100 txs (~16 KB) fits without growing. */
const INITIAL_BUFFER = 64 * 1024;
/** Scratch kept between calls; a larger one grown by a rare huge value is dropped after use. */
const MAX_RETAINED_BUFFER = 1024 * 1024;
/** Strings at least this long go through `encodeInto`, shorter ones a JS loop (measured crossover: ~28 chars). */
const LONG_STRING = 32;
/** Bins at least this long are copied with `set`; shorter ones byte by byte (measured: `set` wins from 16 bytes). */
const LONG_BIN = 16;

let buf = new Uint8Array(INITIAL_BUFFER);
let pos = 0;
/** True while an `encode` call is running, so a re-entrant call (from a getter) gets its own buffer. */
let busy = false;

/**
 * Canonical MessagePack bytes of `value` in a new array that owns its memory; throws
 * `EncodingError` if the value has no canonical encoding.
 */
export function encode(value: Encodable): Uint8Array {
  return run(value, undefined);
}

/**
 * Calls `use` with a temporary view of `value`'s canonical encoding and returns its result.
 * For bytes that are only hashed, signed or sent, this skips the copy `encode` makes (measured:
 * 360 → 165 ns for a 154-byte tx; typed arrays over 64 bytes are allocated off-heap). The view
 * is valid only during the call: copy it to keep it, and never transfer its buffer.
 */
export function encodeWith<T>(value: Encodable, use: (bytes: Uint8Array) => T): T {
  return run(value, use);
}

function run<T>(value: Encodable, use: ((bytes: Uint8Array) => T) | undefined): T {
  const nested = busy;
  const outerBuf = buf;
  const outerPos = pos;
  // a nested call (from a getter or from `use`) must not overwrite the outer encoding
  if (nested) buf = new Uint8Array(256);
  else if (buf.length === 0) buf = new Uint8Array(INITIAL_BUFFER); // detached by a transfer
  busy = true;
  pos = 0;
  try {
    writeValue(value, 0);
    return use === undefined ? (buf.slice(0, pos) as T) : use(buf.subarray(0, pos));
  } finally {
    if (nested) {
      buf = outerBuf;
      pos = outerPos;
    } else {
      busy = false;
      if (buf.length > MAX_RETAINED_BUFFER) buf = new Uint8Array(INITIAL_BUFFER);
    }
  }
}

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const bigger = new Uint8Array(size);
  bigger.set(buf.subarray(0, pos));
  buf = bigger;
}

function writeValue(v: Encodable, depth: number): void {
  switch (typeof v) {
    case 'number':
      return writeNumber(v);
    case 'string':
      return writeString(v);
    case 'boolean':
      ensure(1);
      buf[pos++] = v ? 0xc3 : 0xc2;
      return;
    case 'bigint':
      return writeBigInt(v);
    case 'object':
      if (v === null) {
        ensure(1);
        buf[pos++] = 0xc0;
        return;
      }
      if (v instanceof Uint8Array) return writeBin(v);
      // only containers count towards the depth limit (as in decode)
      if (depth >= MAX_DEPTH) throw encodingError('ENCODING_TOO_DEEP', pos, 'or the value is cyclic');
      if (Array.isArray(v)) return writeArray(v as readonly Encodable[], depth);
      if (v instanceof Map) return writeMap(v as ReadonlyMap<unknown, Encodable>, depth);
      {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto === Object.prototype || proto === null) {
          return writeObject(v as { readonly [key: string]: Encodable }, depth);
        }
      }
      throw encodingError('ENCODING_UNSUPPORTED_TYPE', pos, describe(v));
    default:
      throw encodingError('ENCODING_UNSUPPORTED_TYPE', pos, describe(v));
  }
}

function describe(v: unknown): string {
  if (typeof v !== 'object' || v === null) return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

function writeNumber(n: number): void {
  if (!Number.isSafeInteger(n)) {
    if (!Number.isInteger(n)) throw encodingError('ENCODING_NOT_INTEGER', pos, String(n));
    throw encodingError('ENCODING_INT_RANGE', pos, `${n} is not a safe integer; use a bigint`);
  }
  ensure(9);
  const b = buf;
  if (n >= 0) {
    // -0 lands here too and is written as 0
    if (n < 0x80) {
      b[pos++] = n;
    } else if (n < 0x100) {
      b[pos] = 0xcc;
      b[pos + 1] = n;
      pos += 2;
    } else if (n < 0x10000) {
      b[pos] = 0xcd;
      b[pos + 1] = n >>> 8;
      b[pos + 2] = n;
      pos += 3;
    } else if (n < 0x1_0000_0000) {
      b[pos] = 0xce;
      writeU32(b, pos + 1, n);
      pos += 5;
    } else {
      b[pos] = 0xcf;
      writeU32(b, pos + 1, Math.floor(n / 0x1_0000_0000));
      writeU32(b, pos + 5, n >>> 0);
      pos += 9;
    }
  } else if (n >= -0x20) {
    b[pos++] = n & 0xff;
  } else if (n >= -0x80) {
    b[pos] = 0xd0;
    b[pos + 1] = n;
    pos += 2;
  } else if (n >= -0x8000) {
    b[pos] = 0xd1;
    b[pos + 1] = n >> 8;
    b[pos + 2] = n;
    pos += 3;
  } else if (n >= -0x8000_0000) {
    b[pos] = 0xd2;
    writeU32(b, pos + 1, n >>> 0);
    pos += 5;
  } else {
    // two's complement: high word = floor(n / 2^32) (negative), low word = n mod 2^32
    b[pos] = 0xd3;
    const hi = Math.floor(n / 0x1_0000_0000);
    writeU32(b, pos + 1, hi >>> 0);
    writeU32(b, pos + 5, n - hi * 0x1_0000_0000);
    pos += 9;
  }
}

/** Big-endian 32-bit store; typed-array stores truncate each byte modulo 256. */
function writeU32(b: Uint8Array, at: number, n: number): void {
  b[at] = n >>> 24;
  b[at + 1] = n >>> 16;
  b[at + 2] = n >>> 8;
  b[at + 3] = n;
}

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function writeBigInt(n: bigint): void {
  // bigints in the safe range have the same canonical form as the equal number
  if (n >= -MAX_SAFE && n <= MAX_SAFE) return writeNumber(Number(n));
  if (n < MIN_INT64 || n > MAX_UINT64) throw encodingError('ENCODING_INT_RANGE', pos, `${n} is outside int64..uint64`);
  ensure(9);
  // beyond ±(2^53-1) the shortest form is always the 64-bit one
  buf[pos] = n > 0n ? 0xcf : 0xd3;
  const u = BigInt.asUintN(64, n);
  writeU32(buf, pos + 1, Number(u >> 32n));
  writeU32(buf, pos + 5, Number(u & 0xffff_ffffn));
  pos += 9;
}

/** Writes a length header: `fix` (fixstr/fixarray/fixmap base) below `fixLimit`, else 8/16/32-bit forms. */
function writeHeader(len: number, fix: number, fixLimit: number, op8: number, op16: number, op32: number): void {
  if (len > MAX_LENGTH) throw encodingError('ENCODING_TOO_LONG', pos, `length ${len}`);
  ensure(5);
  const b = buf;
  if (len < fixLimit) {
    b[pos++] = fix | len;
  } else if (len < 0x100 && op8 !== 0) {
    b[pos] = op8;
    b[pos + 1] = len;
    pos += 2;
  } else if (len < 0x10000) {
    b[pos] = op16;
    b[pos + 1] = len >>> 8;
    b[pos + 2] = len;
    pos += 3;
  } else {
    b[pos] = op32;
    writeU32(b, pos + 1, len);
    pos += 5;
  }
}

function writeBin(v: Uint8Array): void {
  const len = v.length;
  // bin has no fix form: fixLimit 0 makes the 8-bit form the shortest
  writeHeader(len, 0, 0, 0xc4, 0xc5, 0xc6);
  ensure(len);
  if (len < LONG_BIN) {
    const b = buf;
    for (let i = 0; i < len; i++) b[pos + i] = v[i];
  } else {
    buf.set(v, pos);
  }
  pos += len;
}

function writeArray(v: readonly Encodable[], depth: number): void {
  const len = v.length;
  writeHeader(len, 0x90, 16, 0, 0xdc, 0xdd);
  for (let i = 0; i < len; i++) writeValue(v[i], depth + 1);
}

function writeString(s: string): void {
  const n = s.length;
  // the UTF-8 length is known only after writing: guess the header size as if the string
  // were ASCII (usually right) and move the bytes if the guess was wrong
  const max = n * 3;
  const guess = n < 0x20 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
  // room for the largest header too: writeHeader's own ensure must never grow (and drop) these bytes
  ensure(max + 5);
  const start = pos + guess;
  const len = n < LONG_STRING ? writeUtf8(s, buf, start) : writeUtf8Long(s, buf, start);
  // a lone surrogate has no UTF-8 form (encodeInto would silently write U+FFFD instead)
  if (len < 0) throw encodingError('ENCODING_LONE_SURROGATE', pos);
  const needed = len < 0x20 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
  if (needed !== guess) buf.copyWithin(pos + needed, start, start + len);
  writeHeader(len, 0xa0, 0x20, 0xd9, 0xda, 0xdb);
  pos += len;
}

function writeObject(v: { readonly [key: string]: Encodable }, depth: number): void {
  const keys = Object.keys(v);
  if (keys.length > 1) keys.sort(compareUtf8);
  writeHeader(keys.length, 0x80, 16, 0, 0xde, 0xdf);
  for (const key of keys) {
    writeString(key);
    writeValue(v[key], depth + 1);
  }
}

function writeMap(m: ReadonlyMap<unknown, Encodable>, depth: number): void {
  const keys: string[] = [];
  for (const key of m.keys()) {
    if (typeof key !== 'string') throw encodingError('ENCODING_MAP_KEY_TYPE', pos, typeof key);
    keys.push(key);
  }
  if (keys.length > 1) keys.sort(compareUtf8);
  writeHeader(keys.length, 0x80, 16, 0, 0xde, 0xdf);
  for (const key of keys) {
    writeString(key);
    writeValue(m.get(key) as Encodable, depth + 1);
  }
}
