/**
 * The ABI: what a contract exports, in JSON, derived from its container (which carries it,
 * so `deploy` takes the code alone). Types are written as in source: `int`, `list<string>`,
 * `map<address,int>`, `(string,int,int)`, `Grant?`, record names defined under `records`.
 *
 * JSON conversion for RPC (`state_call`) and the CLI, directed by these types:
 *   int      a JSON number when |n| ≤ 2^53-1, else a decimal string (both accepted)
 *   bytes, address   0x-prefixed hex (an address is 20 bytes)
 *   list, tuple      arrays;  record  an object (optional fields may be missing or null)
 *   map<string,V>    an object;  map<K,V> otherwise  an array of [key, value] pairs
 *   T?               null for none, else the value
 */
import { wellFormed } from './convert.js';
import { AbiError } from './errors.js';
import type { HostValue } from './host.js';
import type { Program } from './program.js';
import { typeToString, type Field, type Type } from './valueType.js';

export { AbiError };

export interface AbiParam {
  name: string;
  type: string;
}

export interface AbiFunction {
  name: string;
  /** Read-only: callable by state_call without a tx. */
  view: boolean;
  params: AbiParam[];
  /** null when the function returns nothing. */
  returns: string | null;
}

export interface Abi {
  contract: string;
  functions: AbiFunction[];
  events: Array<{ name: string; fields: AbiParam[] }>;
  records: Array<{ name: string; fields: AbiParam[] }>;
  /**
   * Storage layout: the trie slot of `name[k1]…[kn]` is keyed by the canonical msgpack of
   * `[name, k1, …, kn]` (so a client can ask state_getProof for one consent grant).
   */
  storage: Array<{ name: string; keys: string[]; value: string }>;
}

/** JSON values. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const params = (fs: readonly Field[]): AbiParam[] => fs.map((f) => ({ name: f.name, type: typeToString(f.type) }));

/** The ABI of a program (exported functions only). */
export function abiOf(p: Program): Abi {
  return {
    contract: p.name,
    functions: p.functions
      .filter((f) => f.exported)
      .map((f) => ({ name: f.name, view: f.view, params: params(f.params), returns: f.returns.k === 'unit' ? null : typeToString(f.returns) })),
    events: p.events.map((e) => ({ name: e.name, fields: params(e.fields) })),
    records: p.records.map((r) => ({ name: (r as Extract<Type, { k: 'record' }>).name, fields: params((r as Extract<Type, { k: 'record' }>).fields) })),
    storage: p.storage.map((v) => ({ name: v.name, keys: v.keys.map(typeToString), value: typeToString(v.value) })),
  };
}

/** Parses an ABI type string (records resolved from `abi.records`). */
export function parseAbiType(abi: Abi, s: string): Type {
  let i = 0;
  const fail = (why: string): never => {
    throw new AbiError('ABI_BAD_TYPE', `bad ABI type '${s}': ${why}`, { type: s });
  };
  const word = () => {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (!m) fail(`expected a type at ${i}`);
    i += m![0].length;
    return m![0];
  };
  const eat = (c: string) => {
    if (s[i] !== c) fail(`expected '${c}' at ${i}`);
    i++;
  };
  const seen: string[] = [];
  const type = (): Type => {
    if (seen.length > 16) fail('nested too deeply');
    let t: Type;
    if (s[i] === '(') {
      i++;
      const items = [type()];
      while (s[i] === ',') {
        i++;
        items.push(type());
      }
      eat(')');
      t = { k: 'tuple', items };
    } else {
      const w = word();
      if (w === 'list') {
        eat('<');
        t = { k: 'list', of: type() };
        eat('>');
      } else if (w === 'map') {
        eat('<');
        const key = type();
        eat(',');
        t = { k: 'map', key, value: type() };
        eat('>');
      } else if (['int', 'bool', 'string', 'bytes', 'address'].includes(w)) {
        t = { k: w } as Type;
      } else {
        const r = abi.records.find((x) => x.name === w);
        if (!r || seen.includes(w)) fail(`unknown record '${w}'`);
        seen.push(w);
        t = { k: 'record', name: w, fields: r!.fields.map((f) => ({ name: f.name, type: parseAbiType(abi, f.type) })) };
        seen.pop();
      }
    }
    if (s[i] === '?') {
      i++;
      t = { k: 'option', of: t };
    }
    return t;
  };
  const t = type();
  if (i !== s.length) fail(`unexpected '${s.slice(i)}'`);
  return t;
}

/** The exported function `fn` of an ABI, or AbiError ABI_UNKNOWN_FUNCTION. */
export function abiFunction(abi: Abi, fn: string): AbiFunction {
  const f = abi.functions.find((x) => x.name === fn);
  if (!f) throw new AbiError('ABI_UNKNOWN_FUNCTION', `${abi.contract} has no function '${fn}'`, { fn });
  return f;
}

/** Converts JSON arguments of `fn` (positional array, or an object by name) into host values. */
export function abiJsonToArgs(abi: Abi, fn: string, json: Json[] | { [name: string]: Json }): HostValue[] {
  const f = abiFunction(abi, fn);
  const list = Array.isArray(json) ? json : f.params.map((p) => (Object.prototype.hasOwnProperty.call(json, p.name) ? json[p.name] : null));
  if (list.length !== f.params.length) {
    throw new AbiError('ABI_BAD_ARGUMENT', `${fn} takes ${f.params.length} argument(s), found ${list.length}`, { fn });
  }
  return f.params.map((p, i) => jsonToValue(list[i], parseAbiType(abi, p.type), p.name));
}

/** Converts one JSON value to a host value of type `t`; `where` names it in errors. */
export function jsonToValue(v: Json | undefined, t: Type, where: string): HostValue {
  const bad = (why: string): never => {
    throw new AbiError('ABI_BAD_ARGUMENT', `${where}: ${why}`, { param: where, expected: typeToString(t) });
  };
  const want = () => bad(`expected ${typeToString(t)}`);
  switch (t.k) {
    case 'int': {
      if (typeof v === 'number') return Number.isSafeInteger(v) ? v + 0 : bad('not a safe integer (send large ints as decimal strings)');
      if (typeof v !== 'string' || !/^-?(0|[1-9][0-9]*)$/.test(v)) return want();
      const b = BigInt(v);
      if (b < -(2n ** 63n) || b > 2n ** 63n - 1n) bad('int out of the 64-bit signed range');
      return b >= -BigInt(Number.MAX_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
    }
    case 'bool':
      return typeof v === 'boolean' ? v : want();
    case 'string':
      return typeof v === 'string' && wellFormed(v) ? v : want();
    case 'bytes':
    case 'address': {
      if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v)) return bad(`expected ${t.k} as 0x-prefixed hex`);
      const out = new Uint8Array((v.length - 2) / 2);
      for (let i = 0; i < out.length; i++) out[i] = parseInt(v.slice(2 + 2 * i, 4 + 2 * i), 16);
      if (t.k === 'address' && out.length !== 20) bad('an address is 20 bytes');
      return out;
    }
    case 'unit':
      return v === null || v === undefined ? null : want();
    case 'option':
      return v === null || v === undefined ? null : jsonToValue(v, t.of, where);
    case 'list':
      return Array.isArray(v) ? v.map((x, i) => jsonToValue(x, t.of, `${where}[${i}]`)) : want();
    case 'tuple':
      return Array.isArray(v) && v.length === t.items.length ? v.map((x, i) => jsonToValue(x, t.items[i], `${where}.${i}`)) : want();
    case 'record': {
      if (!isJsonObject(v)) return want();
      for (const k of Object.keys(v)) if (!t.fields.some((f) => f.name === k)) bad(`unknown field '${k}'`);
      const out: { [k: string]: HostValue } = Object.create(null);
      for (const f of t.fields) {
        const has = Object.prototype.hasOwnProperty.call(v, f.name);
        if (!has && f.type.k !== 'option') bad(`missing field '${f.name}'`);
        out[f.name] = jsonToValue(has ? v[f.name] : null, f.type, `${where}.${f.name}`);
      }
      return out;
    }
    case 'map': {
      if (t.key.k === 'string') {
        if (!isJsonObject(v)) return want();
        const out: { [k: string]: HostValue } = Object.create(null);
        for (const k of Object.keys(v)) out[k] = jsonToValue(v[k], t.value, `${where}[${k}]`);
        return out;
      }
      if (!Array.isArray(v)) return bad('expected an array of [key, value] pairs');
      return v.map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2) return bad(`entry ${i} is not a [key, value] pair`);
        return [jsonToValue(p[0], t.key, `${where} key ${i}`), jsonToValue(p[1], t.value, `${where}[${i}]`)];
      });
    }
  }
}

/** Converts a host value of type `t` (a result, event field or storage value) to JSON. */
export function valueToJson(v: HostValue, t: Type): Json {
  switch (t.k) {
    case 'int':
      return typeof v === 'bigint' ? (v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()) : (v as number);
    case 'bytes':
    case 'address':
      return '0x' + Array.from(v as Uint8Array, (b) => b.toString(16).padStart(2, '0')).join('');
    case 'option':
      return v === null ? null : valueToJson(v, t.of);
    case 'list':
      return (v as HostValue[]).map((x) => valueToJson(x, t.of));
    case 'tuple':
      return (v as HostValue[]).map((x, i) => valueToJson(x, t.items[i]));
    case 'record': {
      const o = v as { [k: string]: HostValue };
      const out: { [k: string]: Json } = {};
      for (const f of t.fields) out[f.name] = valueToJson(o[f.name] ?? null, f.type);
      return out;
    }
    case 'map': {
      if (t.key.k === 'string') {
        const o = v as { [k: string]: HostValue };
        const out: { [k: string]: Json } = {};
        for (const k of Object.keys(o)) out[k] = valueToJson(o[k], t.value);
        return out;
      }
      return (v as HostValue[][]).map(([k, x]) => [valueToJson(k, t.key), valueToJson(x, t.value)]);
    }
    default:
      return v as Json;
  }
}

/** JSON of the result of `fn` (null for functions that return nothing). */
export function resultToJson(abi: Abi, fn: string, v: HostValue): Json {
  const f = abiFunction(abi, fn);
  return f.returns === null ? null : valueToJson(v, parseAbiType(abi, f.returns));
}

/** JSON of an event's data. */
export function eventToJson(abi: Abi, event: string, data: { [k: string]: HostValue }): Json {
  const e = abi.events.find((x) => x.name === event);
  if (!e) throw new AbiError('ABI_UNKNOWN_EVENT', `${abi.contract} has no event '${event}'`, { event });
  const out: { [k: string]: Json } = {};
  for (const f of e.fields) out[f.name] = valueToJson(data[f.name] ?? null, parseAbiType(abi, f.type));
  return out;
}

function isJsonObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
