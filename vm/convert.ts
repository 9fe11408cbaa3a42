/**
 * Crossing the host boundary, directed by the declared type: host values (tx args, storage
 * reads, view results) are checked and converted into run-time values (`importValue`), and
 * run-time values leaving the VM (results, storage writes, events, `encode`) back into host
 * values (`exportValue`). Plus `canonicalSize`, the exact canonical msgpack size of a host
 * value, which prices bytes stored, read and emitted without encoding them here.
 */
import { VmError, type VmErrorKind } from './errors.js';
import type { HostValue } from './host.js';
import { compareKeys, Dict, isInt, makeDict, makeSeq, Seq, utf8Length, type Key, type Val } from './values.js';
import { typeToString, type Type } from './valueType.js';

/**
 * Checks host value `v` against `t` and converts it. `where` names the value in the error
 * ("argument from", "storage grants"), `kind` is the VmError kind on mismatch.
 */
export function importValue(v: HostValue | undefined, t: Type, where: string, kind: VmErrorKind): Val {
  const bad = (why: string): never => {
    throw new VmError(kind, `${where}: ${why}`, { where, expected: typeToString(t) });
  };
  const want = () => bad(`expected ${typeToString(t)}, found ${describe(v)}`);
  switch (t.k) {
    case 'int':
      if (!isInt(v)) return want();
      if (typeof v === 'bigint' && (v < -(2n ** 63n) || v > 2n ** 63n - 1n)) return bad('int out of the 64-bit signed range');
      if (typeof v === 'bigint' && v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
      return v === 0 ? 0 : v;
    case 'bool':
      return typeof v === 'boolean' ? v : want();
    case 'string':
      if (typeof v !== 'string') return want();
      // a lone surrogate has no UTF-8 form: it could never be stored, emitted or hashed
      return wellFormed(v) ? v : bad('string is not valid Unicode (lone surrogate)');
    case 'bytes':
      return v instanceof Uint8Array ? v : want();
    case 'address':
      return v instanceof Uint8Array && v.length === 20 ? v : want();
    case 'unit':
      return v === null ? null : want();
    case 'option':
      return v === null ? null : importValue(v, t.of, where, kind);
    case 'list':
      if (!Array.isArray(v)) return want();
      return makeSeq(v.map((x, i) => importValue(x, t.of, `${where}[${i}]`, kind)));
    case 'tuple':
      if (!Array.isArray(v) || v.length !== t.items.length) return want();
      return makeSeq(v.map((x, i) => importValue(x, t.items[i], `${where}.${i}`, kind)));
    case 'record': {
      if (!isObject(v)) return want();
      for (const k of Object.keys(v)) if (!t.fields.some((f) => f.name === k)) bad(`unknown field '${k}' for ${t.name}`);
      return makeSeq(
        t.fields.map((f) => {
          const has = Object.prototype.hasOwnProperty.call(v, f.name);
          if (!has && f.type.k !== 'option') bad(`missing field '${f.name}' of ${t.name}`);
          return importValue(has ? v[f.name] : null, f.type, `${where}.${f.name}`, kind);
        }),
      );
    }
    case 'map': {
      let pairs: Array<[HostValue, HostValue]>;
      if (t.key.k === 'string') {
        if (!isObject(v)) return want();
        pairs = Object.keys(v).map((k) => [k, v[k]]);
      } else {
        if (!Array.isArray(v)) return want();
        pairs = v.map((p, i) => (Array.isArray(p) && p.length === 2 ? [p[0], p[1]] : bad(`entry ${i} is not a [key, value] pair`)));
      }
      const entries = pairs.map(([k, x]) => [importValue(k, t.key, `${where} key`, kind) as Key, importValue(x, t.value, `${where}[${String(k)}]`, kind)] as const);
      entries.sort((a, b) => compareKeys(a[0], b[0]));
      for (let i = 1; i < entries.length; i++) if (compareKeys(entries[i - 1][0], entries[i][0]) === 0) bad('duplicate map key');
      return makeDict(entries.map((e) => e[0]), entries.map((e) => e[1]));
    }
  }
}

/** Converts a run-time value of type `t` into a host value; TYPE_MISMATCH if it is not one. */
export function exportValue(v: Val, t: Type): HostValue {
  const bad = (): never => {
    throw new VmError('TYPE_MISMATCH', `value is not a ${typeToString(t)}`, { expected: typeToString(t) });
  };
  switch (t.k) {
    case 'int':
      return isInt(v) ? v : bad();
    case 'bool':
      return typeof v === 'boolean' ? v : bad();
    case 'string':
      return typeof v === 'string' ? v : bad();
    case 'bytes':
      return v instanceof Uint8Array ? v : bad();
    case 'address':
      return v instanceof Uint8Array && v.length === 20 ? v : bad();
    case 'unit':
      return v === null ? null : bad();
    case 'option':
      return v === null ? null : exportValue(v, t.of);
    case 'list':
      return v instanceof Seq ? v.items.map((x) => exportValue(x, t.of)) : bad();
    case 'tuple':
      return v instanceof Seq && v.items.length === t.items.length ? v.items.map((x, i) => exportValue(x, t.items[i])) : bad();
    case 'record': {
      if (!(v instanceof Seq) || v.items.length !== t.fields.length) return bad();
      const out: { [k: string]: HostValue } = Object.create(null);
      t.fields.forEach((f, i) => (out[f.name] = exportValue(v.items[i], f.type)));
      return out;
    }
    case 'map': {
      if (!(v instanceof Dict)) return bad();
      if (t.key.k === 'string') {
        const out: { [k: string]: HostValue } = Object.create(null);
        v.keys.forEach((k, i) => (out[exportValue(k, t.key) as string] = exportValue(v.vals[i], t.value)));
        return out;
      }
      return v.keys.map((k, i) => [exportValue(k, t.key), exportValue(v.vals[i], t.value)]);
    }
  }
}

/** Deepest host value measured (core's codec limit). */
const MAX_HOST_DEPTH = 64;

/** Exact size in bytes of the canonical msgpack encoding of `v` (design §2). */
export function canonicalSize(v: HostValue, depth = 0): number {
  if (depth > MAX_HOST_DEPTH) throw new VmError('VALUE_TOO_DEEP', `host value nests deeper than ${MAX_HOST_DEPTH}`);
  if (v === null || typeof v === 'boolean') return 1;
  if (typeof v === 'number' || typeof v === 'bigint') {
    if (!isInt(v)) throw new VmError('TYPE_MISMATCH', 'a host value holds a non-integer number (no floats)');
    return intSize(v);
  }
  if (typeof v === 'string') {
    const n = utf8Length(v);
    return (n < 32 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : 5) + n;
  }
  if (v instanceof Uint8Array) return (v.length < 0x100 ? 2 : v.length < 0x10000 ? 3 : 5) + v.length;
  if (Array.isArray(v)) {
    let n = header(v.length);
    for (const x of v) n += canonicalSize(x, depth + 1);
    return n;
  }
  const keys = Object.keys(v);
  let n = header(keys.length);
  for (const k of keys) n += canonicalSize(k, depth + 1) + canonicalSize(v[k], depth + 1);
  return n;
}

function header(n: number): number {
  return n < 16 ? 1 : n < 0x10000 ? 3 : 5;
}

function intSize(v: number | bigint): number {
  const b = BigInt(v);
  if (b >= 0n) return b < 128n ? 1 : b < 0x100n ? 2 : b < 0x10000n ? 3 : b < 0x100000000n ? 5 : 9;
  return b >= -32n ? 1 : b >= -128n ? 2 : b >= -32768n ? 3 : b >= -2147483648n ? 5 : 9;
}

/** No lone surrogates (strings must have a UTF-8 encoding). */
export function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function isObject(v: HostValue | undefined): v is { [key: string]: HostValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function describe(v: HostValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint') return isInt(v) ? 'int' : 'a non-integer number';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'a map' : typeof v;
}
