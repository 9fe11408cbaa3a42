/**
 * The bytecode container: what a deploy tx carries and what is stored on chain.
 *
 *   magic "MCVM" · version u8 · name
 *   types      n × (tag u8 · payload)         children refer to earlier entries only
 *   constants  n × (tag u8 · payload)         0 int (i64 LE) · 1 string · 2 bytes
 *   storage    n × (name · keys n × type · value type)
 *   events     n × (name · fields n × (name · type))
 *   imports    n × (interface · name · params n × (name · type) · returns type)
 *   records    n × type                      (the record declarations, for the ABI)
 *   functions  n × (name · flags u8 · params · returns · locals · code · lines n × (Δpc · line · column))
 *
 * Counts, lengths and type references are minimal unsigned LEB128 varints; names are UTF-8
 * identifiers. `decodeContainer` checks structure and tables (limits, names, type table
 * well-formed); vm/verifier.ts then checks the code.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { VerifyError } from './errors.js';
import type { Constant, EventDef, FunctionDef, LineEntry, Program, StorageVar, ViewImport } from './program.js';
import { MAX_TYPE_DEPTH, compareUtf8, isKeyType, typeDepth, typeEquals, type Field, type Type } from './valueType.js';

/** First bytes of every container. */
export const MAGIC = Uint8Array.from([0x4d, 0x43, 0x56, 0x4d]); // "MCVM"
/** The only container version this VM runs. */
export const CONTAINER_VERSION = 1;

/** Largest container: twice the largest tx (64 KiB), room for genesis-deployed contracts. */
export const MAX_CONTAINER_BYTES = 128 * 1024;
/** Names are identifiers; 64 bytes is the tx method-name limit. */
export const MAX_NAME_BYTES = 64;
/** Table sizes: far above what a rule needs, low enough that verifying is cheap. */
export const MAX_TYPES = 1024;
export const MAX_CONSTANTS = 4096;
/** A string or bytes constant (a revert reason, a code) is short. */
export const MAX_CONSTANT_BYTES = 4096;
export const MAX_STORAGE_VARS = 256;
/** Key layers of one storage variable (`map<a, map<b, …>>`). */
export const MAX_STORAGE_KEYS = 8;
export const MAX_EVENTS = 256;
export const MAX_IMPORTS = 256;
export const MAX_FUNCTIONS = 256;
/** Parameters of a function, fields of an event / record / tuple. */
export const MAX_FIELDS = 64;
/** Function body length: jump targets are 16-bit. */
export const MAX_CODE_BYTES = 0xffff;
/** Local slots: LOAD/STORE carry 8 bits. */
export const MAX_LOCAL_SLOTS = 256;
/** Source positions stay within 24 bits (no real source has 16M lines). */
const MAX_POSITION = 1 << 24;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TYPE_TAGS = ['int', 'bool', 'string', 'bytes', 'address', 'unit', 'list', 'map', 'tuple', 'record', 'option'] as const;

/** Serialises a program. */
export function encodeContainer(p: Program): Uint8Array {
  const w = new ByteWriter().raw(MAGIC).u8(CONTAINER_VERSION).str(p.name);
  const typeIndex = (t: Type): number => {
    const i = p.types.findIndex((x) => typeEquals(x, t));
    if (i < 0) throw new RangeError(`type ${JSON.stringify(t)} is not in the type table`);
    return i;
  };
  const fields = (fs: readonly Field[]) => {
    w.varuint(fs.length);
    for (const f of fs) w.str(f.name).varuint(typeIndex(f.type));
  };
  w.varuint(p.types.length);
  for (const t of p.types) {
    w.u8(TYPE_TAGS.indexOf(t.k));
    if (t.k === 'list' || t.k === 'option') w.varuint(typeIndex(t.of));
    else if (t.k === 'map') w.varuint(typeIndex(t.key)).varuint(typeIndex(t.value));
    else if (t.k === 'tuple') {
      w.varuint(t.items.length);
      t.items.forEach((x) => w.varuint(typeIndex(x)));
    } else if (t.k === 'record') {
      w.str(t.name);
      fields(t.fields);
    }
  }
  w.varuint(p.constants.length);
  for (const c of p.constants) {
    if (typeof c === 'string') w.u8(1).str(c);
    else if (c instanceof Uint8Array) w.u8(2).bytes(c);
    else w.u8(0).i64(BigInt(c));
  }
  w.varuint(p.storage.length);
  for (const v of p.storage) {
    w.str(v.name).varuint(v.keys.length);
    v.keys.forEach((k) => w.varuint(typeIndex(k)));
    w.varuint(typeIndex(v.value));
  }
  w.varuint(p.events.length);
  for (const e of p.events) {
    w.str(e.name);
    fields(e.fields);
  }
  w.varuint(p.imports.length);
  for (const v of p.imports) {
    w.str(v.iface).str(v.name);
    fields(v.params);
    w.varuint(typeIndex(v.returns));
  }
  w.varuint(p.records.length);
  p.records.forEach((r) => w.varuint(typeIndex(r)));
  w.varuint(p.functions.length);
  for (const f of p.functions) {
    w.str(f.name).u8((f.exported ? 1 : 0) | (f.view ? 2 : 0));
    fields(f.params);
    w.varuint(typeIndex(f.returns)).varuint(f.locals).bytes(f.code);
    w.varuint(f.lines.length);
    let pc = 0;
    for (const l of f.lines) {
      w.varuint(l.pc - pc).varuint(l.line).varuint(l.column);
      pc = l.pc;
    }
  }
  return w.finish();
}

/** Parses and checks the structure of a container; throws VerifyError. */
export function decodeContainer(code: Uint8Array): Program {
  if (!(code instanceof Uint8Array)) throw new VerifyError('VERIFY_MALFORMED', 'code must be bytes');
  if (code.length > MAX_CONTAINER_BYTES) throw new VerifyError('VERIFY_LIMIT', `container is ${code.length} bytes, over ${MAX_CONTAINER_BYTES}`);
  const r = new ByteReader(code);
  const magic = r.raw(MAGIC.length);
  if (!magic.every((b, i) => b === MAGIC[i])) r.fail('not a medchain VM container (bad magic)');
  const version = r.u8();
  if (version !== CONTAINER_VERSION) r.fail(`unsupported container version ${version}`);
  const name = readName(r, 'contract name');
  const types: Type[] = [];
  const typeRef = (what: string, allowUnit = false): Type => {
    const t = types[r.varuint(types.length - 1, `${what} type index`)];
    if (t === undefined) r.fail(`${what}: no types`);
    if (t.k === 'unit' && !allowUnit) r.fail(`${what}: unit is only a return type`, 'VERIFY_BAD_TYPE');
    return t;
  };
  const fieldList = (what: string): Field[] => {
    const n = r.varuint(MAX_FIELDS, `${what} count`);
    const out: Field[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const fname = readName(r, `${what} name`);
      if (seen.has(fname)) r.fail(`${what} '${fname}' appears twice`, 'VERIFY_BAD_TYPE');
      seen.add(fname);
      out.push({ name: fname, type: typeRef(what) });
    }
    return out;
  };
  const nTypes = r.varuint(MAX_TYPES, 'type count');
  for (let i = 0; i < nTypes; i++) types.push(readType(r, typeRef, fieldList));
  const constants: Constant[] = [];
  const nConst = r.varuint(MAX_CONSTANTS, 'constant count');
  for (let i = 0; i < nConst; i++) constants.push(readConstant(r));
  const storage: StorageVar[] = [];
  const nStorage = r.varuint(MAX_STORAGE_VARS, 'storage count');
  for (let i = 0; i < nStorage; i++) {
    const sname = readName(r, 'storage name');
    if (storage.some((s) => s.name === sname)) r.fail(`storage variable '${sname}' appears twice`);
    const keys: Type[] = [];
    const nKeys = r.varuint(MAX_STORAGE_KEYS, 'storage key count');
    for (let k = 0; k < nKeys; k++) {
      const kt = typeRef('storage key');
      if (!isKeyType(kt)) r.fail(`storage ${sname}: a key must be int, string, bytes, address or bool`, 'VERIFY_BAD_TYPE');
      keys.push(kt);
    }
    storage.push({ name: sname, keys, value: typeRef('storage value') });
  }
  const events: EventDef[] = [];
  const nEvents = r.varuint(MAX_EVENTS, 'event count');
  for (let i = 0; i < nEvents; i++) {
    const ename = readName(r, 'event name');
    if (events.some((e) => e.name === ename)) r.fail(`event '${ename}' appears twice`);
    events.push({ name: ename, fields: fieldList('event field') });
  }
  const imports: ViewImport[] = [];
  const nImports = r.varuint(MAX_IMPORTS, 'import count');
  for (let i = 0; i < nImports; i++) {
    const iface = readName(r, 'interface name');
    const vname = readName(r, 'view name');
    imports.push({ iface, name: vname, params: fieldList('parameter'), returns: typeRef('return', true) });
  }
  const records: Type[] = [];
  const nRecords = r.varuint(MAX_TYPES, 'record count');
  for (let i = 0; i < nRecords; i++) {
    const t = typeRef('record');
    if (t.k !== 'record') r.fail('the record list holds a type that is not a record', 'VERIFY_BAD_TYPE');
    records.push(t);
  }
  const functions: FunctionDef[] = [];
  const nFns = r.varuint(MAX_FUNCTIONS, 'function count');
  for (let i = 0; i < nFns; i++) {
    const fn = readFunction(r, typeRef, fieldList);
    if (functions.some((f) => f.name === fn.name)) r.fail(`function '${fn.name}' appears twice`);
    functions.push(fn);
  }
  if (!r.done) r.fail('trailing bytes after the last function');
  return { name, types, constants, storage, events, imports, functions, records };
}

function readName(r: ByteReader, what: string): string {
  const s = r.str(MAX_NAME_BYTES, what);
  if (!NAME_RE.test(s)) r.fail(`${what} '${s}' is not an identifier`);
  return s;
}

function readType(r: ByteReader, ref: (what: string, allowUnit?: boolean) => Type, fieldList: (what: string) => Field[]): Type {
  const tag = r.u8();
  const k = TYPE_TAGS[tag];
  let t: Type;
  switch (k) {
    case 'list':
      t = { k, of: ref('list item') };
      break;
    case 'option': {
      const of = ref('option value');
      if (of.k === 'option') r.fail('options do not nest', 'VERIFY_BAD_TYPE');
      t = { k, of };
      break;
    }
    case 'map': {
      const key = ref('map key');
      if (!isKeyType(key)) r.fail('a map key must be int, string, bytes, address or bool', 'VERIFY_BAD_TYPE');
      t = { k, key, value: ref('map value') };
      break;
    }
    case 'tuple': {
      const n = r.varuint(MAX_FIELDS, 'tuple size');
      if (n < 2) r.fail('a tuple has at least two items', 'VERIFY_BAD_TYPE');
      const items: Type[] = [];
      for (let i = 0; i < n; i++) items.push(ref('tuple item'));
      t = { k, items };
      break;
    }
    case 'record': {
      const name = readName(r, 'record name');
      const fields = fieldList('record field');
      for (let i = 1; i < fields.length; i++) {
        if (compareUtf8(fields[i - 1].name, fields[i].name) >= 0) r.fail(`record ${name}: fields must be sorted by name`, 'VERIFY_BAD_TYPE');
      }
      t = { k, name, fields };
      break;
    }
    case undefined:
      return r.fail(`unknown type tag ${tag}`, 'VERIFY_BAD_TYPE');
    default:
      t = { k };
  }
  if (typeDepth(t) > MAX_TYPE_DEPTH) r.fail(`type nests deeper than ${MAX_TYPE_DEPTH}`, 'VERIFY_LIMIT');
  return t;
}

function readConstant(r: ByteReader): Constant {
  const tag = r.u8();
  if (tag === 0) {
    const v = r.i64();
    return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  if (tag === 1) return r.str(MAX_CONSTANT_BYTES, 'string constant');
  if (tag === 2) return r.bytes(MAX_CONSTANT_BYTES, 'bytes constant');
  return r.fail(`unknown constant tag ${tag}`, 'VERIFY_BAD_CONSTANT');
}

function readFunction(r: ByteReader, ref: (what: string, allowUnit?: boolean) => Type, fieldList: (what: string) => Field[]): FunctionDef {
  const name = readName(r, 'function name');
  const flags = r.u8();
  if (flags > 3) r.fail(`function ${name}: unknown flags ${flags}`);
  const params = fieldList('parameter');
  const returns = ref('return', true);
  const locals = r.varuint(MAX_LOCAL_SLOTS, 'local count');
  if (locals < params.length) r.fail(`function ${name}: fewer locals than parameters`);
  const code = r.bytes(MAX_CODE_BYTES, 'code');
  if (code.length === 0) r.fail(`function ${name} has no code`);
  const lines: LineEntry[] = [];
  const nLines = r.varuint(code.length, 'line table size');
  let pc = 0;
  for (let i = 0; i < nLines; i++) {
    const delta = r.varuint(code.length, 'line pc delta');
    if (i > 0 && delta === 0) r.fail('line table pcs must increase');
    pc += delta;
    if (pc >= code.length) r.fail('line table pc outside the code');
    const line = r.varuint(MAX_POSITION, 'line');
    const column = r.varuint(MAX_POSITION, 'column');
    lines.push({ pc, line, column });
  }
  return { name, exported: (flags & 1) !== 0, view: (flags & 2) !== 0, params, returns, locals, code, lines };
}
