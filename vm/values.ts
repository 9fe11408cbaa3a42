/**
 * The interpreter's run-time values and their deterministic operations.
 *
 *   int      number when a safe integer, else bigint (the codec's convention), so every
 *            int has exactly one representation and `===` is int equality; 64-bit signed,
 *            overflow is VmError INT_OVERFLOW
 *   bool, string, bytes and address (Uint8Array), none (null; `some(x)` is x)
 *   Seq      lists, tuples and records (fields in canonical order)
 *   Dict     maps: keys kept sorted, so iteration order is the key order everywhere
 *   Range    what `range(a, b)` iterates
 *
 * Values are immutable: an update builds a new value. Containers record their nesting
 * depth, capped so no recursive walk can exhaust the JS stack.
 */
import { VmError } from './errors.js';
import { compareUtf8 } from './valueType.js';

export type Int = number | bigint;
export type Key = Int | string | Uint8Array | boolean;
export type Val = Int | boolean | string | Uint8Array | null | Seq | Dict | Range;

/**
 * Deepest value nesting. Type checking keeps compiled code within the declared types
 * (MAX_TYPE_DEPTH = 16); hostile bytecode gets VALUE_TOO_DEEP here instead of building a
 * value whose equality test or export recurses without bound. Below the codec's 64.
 */
export const MAX_VALUE_DEPTH = 32;

/** A list, tuple or record. */
export class Seq {
  constructor(
    readonly items: readonly Val[],
    readonly depth: number,
  ) {}
}

/** A map with keys sorted by `compareKeys`. */
export class Dict {
  constructor(
    readonly keys: readonly Key[],
    readonly vals: readonly Val[],
    readonly depth: number,
  ) {}
}

/** The integers from ≤ i < to. */
export class Range {
  constructor(
    readonly from: Int,
    readonly to: Int,
  ) {}
}

export const EMPTY_SEQ = new Seq([], 1);

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Normalises a bigint result into an Int, or fails with INT_OVERFLOW. */
export function normInt(b: bigint): Int {
  if (b < I64_MIN || b > I64_MAX) throw new VmError('INT_OVERFLOW', 'integer overflow (64-bit signed)');
  return b >= -SAFE && b <= SAFE ? Number(b) : b;
}

export function isInt(v: unknown): v is Int {
  return (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'bigint';
}

// Fast paths on numbers are exact: if the true result is a safe integer, float arithmetic
// computes it exactly; if it is not, the rounded result is not a safe integer either.
export function add(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(BigInt(a) + BigInt(b));
}

export function sub(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (Number.isSafeInteger(r)) return r;
  }
  return normInt(BigInt(a) - BigInt(b));
}

export function mul(a: Int, b: Int): Int {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (Number.isSafeInteger(r)) return r + 0; // no -0
  }
  return normInt(BigInt(a) * BigInt(b));
}

/** Division truncating toward zero (like Go, Rust and Java). */
export function div(a: Int, b: Int): Int {
  if (b === 0) throw new VmError('DIVISION_BY_ZERO', 'division by zero');
  // a % b is exact, so a - a % b is an exact multiple of b and the quotient is exact
  if (typeof a === 'number' && typeof b === 'number') return (a - (a % b)) / b + 0;
  return normInt(BigInt(a) / BigInt(b));
}

/** Remainder with the sign of the dividend (a == (a / b) * b + a % b). */
export function mod(a: Int, b: Int): Int {
  if (b === 0) throw new VmError('DIVISION_BY_ZERO', 'modulo by zero');
  if (typeof a === 'number' && typeof b === 'number') return (a % b) + 0;
  return normInt(BigInt(a) % BigInt(b));
}

export function neg(a: Int): Int {
  return typeof a === 'number' ? 0 - a : normInt(-a);
}

/** Total order of map keys: bool < int < string < bytes, then by value (strings by UTF-8). */
export function compareKeys(a: Key, b: Key): number {
  const ra = keyRank(a);
  const rb = keyRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 1:
      return a < b ? -1 : a > b ? 1 : 0;
    case 2:
      return compareUtf8(a as string, b as string);
    default:
      return compareBytes(a as Uint8Array, b as Uint8Array);
  }
}

function keyRank(k: Key): number {
  switch (typeof k) {
    case 'boolean':
      return 0;
    case 'number':
    case 'bigint':
      return 1;
    case 'string':
      return 2;
    default:
      return 3;
  }
}

export function isKey(v: Val): v is Key {
  return typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'string' || v instanceof Uint8Array;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Index of `k` in a dict, or -(insertion point) - 1. */
export function dictFind(d: Dict, k: Key): number {
  let lo = 0;
  let hi = d.keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(d.keys[mid], k);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Nesting depth of a value (scalars 0). */
export function depthOf(v: Val): number {
  return v instanceof Seq || v instanceof Dict ? v.depth : 0;
}

/** A Seq of `items`, failing with VALUE_TOO_DEEP past MAX_VALUE_DEPTH. */
export function makeSeq(items: readonly Val[]): Seq {
  let d = 0;
  for (const v of items) if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) d = Math.max(d, depthOf(v));
  if (d + 1 > MAX_VALUE_DEPTH) throw new VmError('VALUE_TOO_DEEP', `values nest at most ${MAX_VALUE_DEPTH} levels`);
  return new Seq(items, d + 1);
}

/** A Dict of sorted, distinct keys and their values. */
export function makeDict(keys: readonly Key[], vals: readonly Val[]): Dict {
  let d = 0;
  for (const v of vals) if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) d = Math.max(d, depthOf(v));
  if (d + 1 > MAX_VALUE_DEPTH) throw new VmError('VALUE_TOO_DEEP', `values nest at most ${MAX_VALUE_DEPTH} levels`);
  return new Dict(keys, vals, d + 1);
}

/** Structural equality; `charge(n)` is called per element compared (gas as it goes). */
export function equals(a: Val, b: Val, charge: (n: number) => void): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    charge(a.length);
    return compareBytes(a, b) === 0;
  }
  if (a instanceof Seq) {
    if (!(b instanceof Seq) || a.items.length !== b.items.length) return false;
    charge(a.items.length);
    for (let i = 0; i < a.items.length; i++) if (!equals(a.items[i], b.items[i], charge)) return false;
    return true;
  }
  if (a instanceof Dict) {
    if (!(b instanceof Dict) || a.keys.length !== b.keys.length) return false;
    charge(2 * a.keys.length);
    for (let i = 0; i < a.keys.length; i++) {
      if (!equals(a.keys[i], b.keys[i], charge) || !equals(a.vals[i], b.vals[i], charge)) return false;
    }
    return true;
  }
  return b instanceof Range && a.from === b.from && a.to === b.to;
}

/** Length of a string in UTF-8 bytes, without encoding it. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // a surrogate pair is 2 units and 4 bytes
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return n;
}

/** A short description of a value's kind, for error messages. */
export function kindOf(v: Val): string {
  if (v === null) return 'none';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v !== 'object') return typeof v;
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Seq) return 'list';
  if (v instanceof Dict) return 'map';
  return 'range';
}
