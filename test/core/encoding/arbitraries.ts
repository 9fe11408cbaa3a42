/** fast-check arbitraries and an independent reference encoder for the codec's property tests. */
import fc from 'fast-check';
import type { Encodable, Value } from '../../../core/encoding/index.js';

const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers around every form boundary, as numbers where safe and bigints everywhere. */
const boundaries = [0n, 2n ** 7n, 2n ** 8n, 2n ** 16n, 2n ** 32n, 2n ** 53n, 2n ** 63n, 2n ** 64n, -(2n ** 5n), -(2n ** 7n), -(2n ** 15n), -(2n ** 31n), -(2n ** 53n), -(2n ** 63n)]
  .flatMap((b) => [b - 1n, b, b + 1n])
  .filter((b) => b >= MIN_INT64 && b <= MAX_UINT64);

const integer: fc.Arbitrary<number | bigint> = fc.oneof(
  fc.integer({ min: -40, max: 300 }),
  fc.maxSafeInteger(),
  fc.constantFrom(...boundaries),
  fc.constantFrom(...boundaries.filter((b) => b >= -SAFE && b <= SAFE).map(Number)),
  fc.bigInt({ min: MIN_INT64, max: MAX_UINT64 }),
);

/**
 * Keys from a small alphabet so that sibling keys often share prefixes and compare across
 * the UTF-16 vs UTF-8 order trap (U+E000..U+FFFF against astral characters).
 */
const keyChar = fc.constantFrom('a', 'b', '0', '9', 'é', '\u07FF', '\uE000', '\uFFFF', '\u{10000}', '\u{1F600}', '\u{10FFFF}', '\0', '_');
export const key: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: keyChar, maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constant('__proto__'),
);

// long strings and bins (str8/str16, bin16 and the encoder's long paths) are rarer to keep runs fast
const leaf: fc.Arbitrary<Encodable> = fc.oneof(
  { arbitrary: integer, weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 20, maxLength: 300 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 60, maxLength: 200 }), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 80 }), weight: 3 },
  { arbitrary: fc.uint8Array({ minLength: 250, maxLength: 300 }), weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, -0), weight: 2 },
);

/** Arbitrary encodable values: nested arrays, plain and null-prototype objects, Maps. */
export const encodable: fc.Arbitrary<Encodable> = fc.letrec<{ value: Encodable; array: Encodable[]; object: Record<string, Encodable>; map: Map<string, Encodable> }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', maxDepth: 6 }, leaf, tie('array'), tie('object'), tie('map')),
  array: fc.array(tie('value'), { maxLength: 20 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 18 }),
  map: fc.array(fc.tuple(key, tie('value')), { maxLength: 6 }).map((entries) => new Map(entries)),
})).value;

/** What `decode(encode(v))` must return for `v`: safe bigints as numbers, -0 as 0, maps as null-prototype objects. */
export function canonical(v: Encodable): Value {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  if (typeof v === 'bigint') return v >= -SAFE && v <= SAFE ? Number(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (Array.isArray(v)) return (v as readonly Encodable[]).map(canonical);
  const out = Object.create(null) as Record<string, Value>;
  const entries = v instanceof Map ? [...(v as Map<string, Encodable>)] : Object.entries(v as Record<string, Encodable>);
  for (const [k, x] of entries) out[k] = canonical(x);
  return out;
}

function be(n: bigint, bytes: number): number[] {
  const out: number[] = [];
  for (let i = bytes - 1; i >= 0; i--) out.push(Number((n >> BigInt(8 * i)) & 0xffn));
  return out;
}

function header(len: number, fix: number | undefined, fixMax: number, ops: [number | undefined, number, number]): number[] {
  if (fix !== undefined && len <= fixMax) return [fix | len];
  if (ops[0] !== undefined && len < 2 ** 8) return [ops[0], len];
  if (len < 2 ** 16) return [ops[1], ...be(BigInt(len), 2)];
  return [ops[2], ...be(BigInt(len), 4)];
}

/**
 * A spec-literal canonical encoder (design §2), written independently of core/encoding with
 * BigInt arithmetic and Buffer's UTF-8 — slow, but obviously right, to cross-check against.
 */
export function referenceEncode(v: Encodable): number[] {
  if (v === null) return [0xc0];
  if (v === true) return [0xc3];
  if (v === false) return [0xc2];
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = BigInt(v);
    if (n >= 0n) {
      if (n < 128n) return [Number(n)];
      if (n < 2n ** 8n) return [0xcc, ...be(n, 1)];
      if (n < 2n ** 16n) return [0xcd, ...be(n, 2)];
      if (n < 2n ** 32n) return [0xce, ...be(n, 4)];
      return [0xcf, ...be(n, 8)];
    }
    const u = BigInt.asUintN(64, n);
    if (n >= -32n) return be(u, 1);
    if (n >= -(2n ** 7n)) return [0xd0, ...be(u, 1)];
    if (n >= -(2n ** 15n)) return [0xd1, ...be(u, 2)];
    if (n >= -(2n ** 31n)) return [0xd2, ...be(u, 4)];
    return [0xd3, ...be(u, 8)];
  }
  if (typeof v === 'string') {
    const utf8 = [...Buffer.from(v, 'utf8')];
    return [...header(utf8.length, 0xa0, 31, [0xd9, 0xda, 0xdb]), ...utf8];
  }
  if (v instanceof Uint8Array) return [...header(v.length, undefined, 0, [0xc4, 0xc5, 0xc6]), ...v];
  if (Array.isArray(v)) {
    const items = v as readonly Encodable[];
    return [...header(items.length, 0x90, 15, [undefined, 0xdc, 0xdd]), ...items.flatMap(referenceEncode)];
  }
  const entries = v instanceof Map ? [...(v as Map<string, Encodable>)] : Object.entries(v as Record<string, Encodable>);
  entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  return [...header(entries.length, 0x80, 15, [undefined, 0xde, 0xdf]), ...entries.flatMap(([k, x]) => [...referenceEncode(k), ...referenceEncode(x)])];
}

/**
 * Valid but not necessarily canonical MessagePack for `v`: at each item `pick(n)` chooses
 * among every form msgpack allows (longer int and length forms, signed forms for
 * non-negatives, shuffled or duplicated map entries). Choice 0 is always the canonical form.
 */
export function sloppyEncode(v: Encodable, pick: (n: number) => number): number[] {
  if (v === null || typeof v === 'boolean') return referenceEncode(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = BigInt(v);
    const u = BigInt.asUintN(64, n);
    const forms: number[][] = [referenceEncode(v)];
    if (n >= 0n && n < 128n) forms.push([Number(n)]);
    if (n >= -32n && n < 0n) forms.push(be(u, 1));
    for (const [op, bytes] of [[0xcc, 1], [0xcd, 2], [0xce, 4], [0xcf, 8]] as const) {
      if (n >= 0n && n < 2n ** BigInt(8 * bytes)) forms.push([op, ...be(n, bytes)]);
    }
    for (const [op, bytes] of [[0xd0, 1], [0xd1, 2], [0xd2, 4], [0xd3, 8]] as const) {
      const half = 2n ** BigInt(8 * bytes - 1);
      if (n >= -half && n < half) forms.push([op, ...be(u, bytes)]);
    }
    return forms[pick(forms.length)];
  }
  const sloppyHeader = (len: number, fix: number | undefined, fixMax: number, ops: (number | undefined)[]): number[] => {
    const forms: number[][] = [];
    if (fix !== undefined && len <= fixMax) forms.push([fix | len]);
    if (ops[0] !== undefined && len < 2 ** 8) forms.push([ops[0], len]);
    if (len < 2 ** 16) forms.push([ops[1]!, ...be(BigInt(len), 2)]);
    forms.push([ops[2]!, ...be(BigInt(len), 4)]);
    return forms[pick(forms.length)]; // forms[0] is the shortest
  };
  if (typeof v === 'string') {
    const utf8 = [...Buffer.from(v, 'utf8')];
    return [...sloppyHeader(utf8.length, 0xa0, 31, [0xd9, 0xda, 0xdb]), ...utf8];
  }
  if (v instanceof Uint8Array) return [...sloppyHeader(v.length, undefined, 0, [0xc4, 0xc5, 0xc6]), ...v];
  if (Array.isArray(v)) {
    const items = v as readonly Encodable[];
    return [...sloppyHeader(items.length, 0x90, 15, [undefined, 0xdc, 0xdd]), ...items.flatMap((x) => sloppyEncode(x, pick))];
  }
  const entries = v instanceof Map ? [...(v as Map<string, Encodable>)] : Object.entries(v as Record<string, Encodable>);
  entries.sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
  if (entries.length > 0 && pick(4) === 1) {
    const i = pick(entries.length); // a duplicate right after the original: sorted, but not unique
    entries.splice(i, 0, entries[i]);
  }
  if (entries.length > 1 && pick(4) === 1) {
    const i = pick(entries.length - 1); // swap two neighbours
    [entries[i], entries[i + 1]] = [entries[i + 1], entries[i]];
  }
  return [
    ...sloppyHeader(entries.length, 0x80, 15, [undefined, 0xde, 0xdf]),
    ...entries.flatMap(([k, x]) => [...sloppyEncode(k, pick), ...sloppyEncode(x, pick)]),
  ];
}
