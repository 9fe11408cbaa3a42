/**
 * Canonical MessagePack encoder (design §2): shortest int/length forms, no floats, no ext,
 * map keys sorted by their UTF-8 bytes.
 *
 * Performance (measured with bench/suites/encoding.ts, see bench/results/encoding.json): one
 * pass into a module-level scratch buffer that grows by doubling, then one `slice` for the
 * result. Compared with a size-precomputing pass this walks the value (strings, map-key sorts)
 * once; compared with a fresh buffer per call it avoids allocating more than the output.
 * Short strings and small bins are copied with plain loops because `encodeInto`/`set` cost
 * more per call than they save below ~64 bytes.
 */
import { encodingError } from './errors.js';
import { MAX_DEPTH, MAX_LENGTH, type Encodable } from './value.js';

/** Starting scratch size: a block of 100 txs (~16 KB) fits without growing. */
const INITIAL_BUFFER = 64 * 1024;
/** Scratch kept between calls; a larger one grown by a rare huge value is dropped after use. */
const MAX_RETAINED_BUFFER = 1024 * 1024;
/** Strings at least this long go through `TextEncoder.encodeInto`; shorter ones use a JS loop. */
const LONG_STRING = 64;
/** Bins at least this long are copied with `set`; shorter ones byte by byte. */
const LONG_BIN = 64;

const textEncoder = new TextEncoder();
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as string & { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

let buf = new Uint8Array(INITIAL_BUFFER);
let pos = 0;
/** True while an `encode` call is running, so a re-entrant call (from a getter) gets its own buffer. */
let busy = false;

/** Canonical MessagePack bytes of `value` (a new array); throws `EncodingError` if it has none. */
export function encode(value: Encodable): Uint8Array {
  const nested = busy;
  const outerBuf = buf;
  const outerPos = pos;
  if (nested) buf = new Uint8Array(256);
  busy = true;
  pos = 0;
  try {
    writeValue(value, 0);
    return buf.slice(0, pos);
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
  if (!Number.isInteger(n)) throw encodingError('ENCODING_NOT_INTEGER', pos, String(n));
  if (!Number.isSafeInteger(n)) throw encodingError('ENCODING_INT_RANGE', pos, `${n} is not a safe integer; use a bigint`);
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
  // reserve the header for the worst case (3 UTF-8 bytes per UTF-16 unit), shift down after
  const max = n * 3;
  const reserved = max < 0x20 ? 1 : max < 0x100 ? 2 : max < 0x10000 ? 3 : 5;
  // + 5, not + reserved: writeHeader's own ensure must never grow (and drop) the bytes written here
  ensure(max + 5);
  const start = pos + reserved;
  const len = n < LONG_STRING ? writeUtf8(s, start) : writeLongUtf8(s, start);
  const needed = len < 0x20 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
  if (needed < reserved) buf.copyWithin(pos + needed, start, start + len);
  writeHeader(len, 0xa0, 0x20, 0xd9, 0xda, 0xdb);
  pos += len;
}

/** UTF-8 of `s` at `at` (capacity already ensured); returns the byte count. */
function writeUtf8(s: string, at: number): number {
  const b = buf;
  let p = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      const lo = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || lo < 0xdc00 || lo > 0xdfff) throw encodingError('ENCODING_LONE_SURROGATE', pos, `at index ${i}`);
      c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      i++;
      b[p++] = 0xf0 | (c >> 18);
      b[p++] = 0x80 | ((c >> 12) & 0x3f);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - at;
}

function writeLongUtf8(s: string, at: number): number {
  // encodeInto would silently turn a lone surrogate into U+FFFD: a different string
  if (!isWellFormed(s)) throw encodingError('ENCODING_LONE_SURROGATE', pos);
  return textEncoder.encodeInto(s, buf.subarray(at)).written;
}

/**
 * UTF-8 byte order of two well-formed strings, from their UTF-16 units: it equals code-point
 * order, which differs from JS `<` only when surrogates (code points ≥ U+10000) meet units
 * U+E000..U+FFFF; remapping both ranges before comparing fixes that.
 */
export function compareUtf8(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
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
