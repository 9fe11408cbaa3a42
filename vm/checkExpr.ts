/**
 * Type checking of expressions (bidirectional: an expected type flows into literals such as
 * `[]`, `{}`, `none` and 20-byte address literals). Annotates each node's `ty` and the
 * `ref` of names and calls for the compiler. Part of the type checker (vm/types.ts).
 */
import type { Expr, ExprOf, Pos } from './ast.js';
import { BUILTINS } from './builtins.js';
import type { CompileErrorCode } from './errors.js';
import type { StorageVar, ViewImport } from './program.js';
import { ADDRESS, BOOL, BYTES, INT, STRING, isKeyType, listOf, optionOf, typeEquals, typeToString, type Field, type Type } from './valueType.js';

export { BUILTINS };

/** A storage map indexed by `depth` of its keys so far (not a value yet). */
export type SRef = { k: 'sref'; index: number; v: StorageVar; depth: number };
/** `range(…)`: only iterable by `for`. */
export type RangeT = { k: 'range' };
/** What an expression can denote while checking. */
export type CType = Type | SRef | RangeT;

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/** A checked function's signature. */
export interface FnSig {
  index: number;
  name: string;
  view: boolean;
  params: Field[];
  returns: Type;
}

/** What the expression checker needs from the contract-level checker. */
export interface CheckCtx {
  records: Map<string, Extract<Type, { k: 'record' }>>;
  consts: Map<string, { value: Expr; type: Type }>;
  storage: Map<string, { index: number; v: StorageVar }>;
  interfaces: Map<string, Map<string, { index: number; imp: ViewImport }>>;
  fns: Map<string, FnSig>;
  fail(code: CompileErrorCode, reason: string, pos: Pos): never;
  /** Records a call edge for the recursion check. */
  edge(from: number, to: number, pos: Pos): void;
}

/** The function being checked: its scopes of locals and whether it is a view. */
export interface FnCtx {
  sig: FnSig;
  scopes: Array<Map<string, { slot: number; type: Type }>>;
  nextSlot: number;
  loops: number;
}

/** The value an absent storage slot of `v` reads as: maps read `V?`, scalars their type. */
export function readType(v: StorageVar): Type {
  return v.keys.length > 0 ? optional(v.value) : v.value;
}

/** `t?` (no nested options: an optional stays as it is). */
export function optional(t: Type): Type {
  return t.k === 'option' ? t : optionOf(t);
}

/** Whether a value of type `actual` may be used where `expected` is wanted (T fits T?). */
export function assignable(actual: Type, expected: Type): boolean {
  return typeEquals(actual, expected) || (expected.k === 'option' && typeEquals(actual, expected.of));
}

/** Finds a visible local. */
export function lookupLocal(f: FnCtx, name: string): { slot: number; type: Type } | undefined {
  for (let i = f.scopes.length - 1; i >= 0; i--) {
    const l = f.scopes[i].get(name);
    if (l) return l;
  }
  return undefined;
}

function show(t: CType): string {
  if (t.k === 'sref') return `storage.${t.v.name} (a storage map: index it)`;
  if (t.k === 'range') return 'range';
  return typeToString(t);
}

/** Checks `e` as a value of a real type (not a storage map or range; unit only if allowed). */
export function checkValue(c: CheckCtx, f: FnCtx, e: Expr, expected?: Type, allowUnit = false): Type {
  const t = checkExpr(c, f, e, expected);
  if (t.k === 'sref') c.fail('COMPILE_TYPE', `storage.${t.v.name} is a storage map: index it with [key] (${t.v.keys.length - t.depth} more key(s))`, e.pos);
  if (t.k === 'range') c.fail('COMPILE_TYPE', 'range(…) can only be iterated by for', e.pos);
  if (t.k === 'unit' && !allowUnit) c.fail('COMPILE_TYPE', 'this call returns nothing; it cannot be used as a value', e.pos);
  return t;
}

/** Checks `e` against `expected`, failing with "expected X, found Y". */
export function expectType(c: CheckCtx, f: FnCtx, e: Expr, expected: Type, what = 'expression'): Type {
  const t = checkValue(c, f, e, expected);
  if (!assignable(t, expected)) c.fail('COMPILE_TYPE', `${what}: expected ${typeToString(expected)}, found ${typeToString(t)}`, e.pos);
  return t;
}

/** Checks an expression; annotates `ty` on value-typed nodes. */
export function checkExpr(c: CheckCtx, f: FnCtx, e: Expr, expected?: Type): CType {
  const t = infer(c, f, e, expected);
  if (t.k !== 'sref' && t.k !== 'range') e.ty = t;
  return t;
}

function infer(c: CheckCtx, f: FnCtx, e: Expr, expected?: Type): CType {
  switch (e.kind) {
    case 'int':
      if (e.value < INT64_MIN || e.value > INT64_MAX) c.fail('COMPILE_TYPE', 'integer literal out of the int range (64-bit signed)', e.pos);
      return INT;
    case 'string':
      return STRING;
    case 'bytes': {
      const want = expected?.k === 'option' ? expected.of : expected;
      return want?.k === 'address' && e.value.length === 20 ? ADDRESS : BYTES;
    }
    case 'bool':
      return BOOL;
    case 'none':
      if (expected?.k !== 'option') c.fail('COMPILE_TYPE', 'cannot tell which optional type none is here; annotate the variable', e.pos);
      return expected!;
    case 'name':
      return name(c, f, e);
    case 'env':
      return e.name === 'caller' || e.name === 'self' ? ADDRESS : e.name === 'tx.hash' ? BYTES : INT;
    case 'storage':
      return c.fail('COMPILE_TYPE', 'storage must be followed by .variable', e.pos);
    case 'unary':
      if (e.op === '!') return expectType(c, f, e.operand, BOOL, "operand of '!'"), BOOL;
      return expectType(c, f, e.operand, INT, "operand of '-'"), INT;
    case 'binary':
      return binary(c, f, e, expected);
    case 'call':
      return call(c, f, e, expected);
    case 'index':
      return index(c, f, e);
    case 'field':
      return field(c, f, e);
    case 'list':
      return listLit(c, f, e, expected);
    case 'map':
      return mapLit(c, f, e, expected);
    case 'tuple': {
      const want = expected?.k === 'option' ? expected.of : expected;
      const hint = want?.k === 'tuple' && want.items.length === e.items.length ? want.items : undefined;
      return { k: 'tuple', items: e.items.map((it, i) => checkValue(c, f, it, hint?.[i])) };
    }
    case 'record':
      return recordLit(c, f, e);
  }
}

function name(c: CheckCtx, f: FnCtx, e: ExprOf<'name'>): Type {
  const local = lookupLocal(f, e.name);
  if (local) {
    e.ref = { kind: 'local', slot: local.slot };
    return local.type;
  }
  const k = c.consts.get(e.name);
  if (k) {
    e.ref = { kind: 'const', value: k.value };
    return k.type;
  }
  if (c.fns.has(e.name) || BUILTINS.has(e.name)) c.fail('COMPILE_TYPE', `${e.name} is a function: call it with (…)`, e.pos);
  return c.fail('COMPILE_UNKNOWN_NAME', `unknown name '${e.name}'`, e.pos);
}

function binary(c: CheckCtx, f: FnCtx, e: ExprOf<'binary'>, expected?: Type): Type {
  const { op, left, right } = e;
  switch (op) {
    case '&&':
    case '||':
      expectType(c, f, left, BOOL, `left of '${op}'`);
      expectType(c, f, right, BOOL, `right of '${op}'`);
      return BOOL;
    case '-':
    case '*':
    case '/':
    case '%':
    case '<':
    case '<=':
    case '>':
    case '>=':
      expectType(c, f, left, INT, `left of '${op}'`);
      expectType(c, f, right, INT, `right of '${op}'`);
      return op === '<' || op === '<=' || op === '>' || op === '>=' ? BOOL : INT;
    case '+': {
      const lt = checkValue(c, f, left, expected);
      if (!['int', 'string', 'bytes', 'list'].includes(lt.k)) c.fail('COMPILE_TYPE', `'+' adds ints and joins strings, bytes or lists, not ${typeToString(lt)}`, left.pos);
      expectType(c, f, right, lt, "right of '+'");
      return lt;
    }
    case '==':
    case '!=': {
      let lt: Type;
      let rt: Type;
      if (left.kind === 'none') {
        rt = checkValue(c, f, right);
        lt = checkValue(c, f, left, optional(rt));
      } else {
        lt = checkValue(c, f, left);
        rt = checkValue(c, f, right, right.kind === 'none' ? optional(lt) : lt);
      }
      if (!assignable(lt, rt) && !assignable(rt, lt)) c.fail('COMPILE_TYPE', `cannot compare ${typeToString(lt)} with ${typeToString(rt)}`, e.pos);
      return BOOL;
    }
    case 'in': {
      const ct = checkValue(c, f, right);
      if (ct.k === 'list') expectType(c, f, left, ct.of, "left of 'in'");
      else if (ct.k === 'map') expectType(c, f, left, ct.key, "left of 'in'");
      else c.fail('COMPILE_TYPE', `'in' looks into a list or the keys of a map, not ${typeToString(ct)}`, right.pos);
      return BOOL;
    }
    case '??': {
      const lt = checkValue(c, f, left, expected ? optional(expected) : undefined);
      if (lt.k !== 'option') c.fail('COMPILE_TYPE', `left of '??' must be optional, found ${typeToString(lt)}`, left.pos);
      const inner = (lt as Extract<Type, { k: 'option' }>).of;
      const rt = checkValue(c, f, right, inner);
      if (typeEquals(rt, inner)) return inner;
      if (typeEquals(rt, lt)) return lt;
      return c.fail('COMPILE_TYPE', `right of '??': expected ${typeToString(inner)}, found ${typeToString(rt)}`, right.pos);
    }
  }
}

function index(c: CheckCtx, f: FnCtx, e: ExprOf<'index'>): CType {
  const t = checkExpr(c, f, e.target);
  if (t.k === 'sref') {
    expectType(c, f, e.index, t.v.keys[t.depth], `key of storage.${t.v.name}`);
    return t.depth + 1 === t.v.keys.length ? readType(t.v) : { ...t, depth: t.depth + 1 };
  }
  if (t.k === 'list') {
    expectType(c, f, e.index, INT, 'list index');
    return t.of;
  }
  if (t.k === 'map') {
    expectType(c, f, e.index, t.key, 'map key');
    return optional(t.value);
  }
  if (t.k === 'option') c.fail('COMPILE_TYPE', `this value is optional (${typeToString(t)}): unwrap it first (expect, ??, if let)`, e.target.pos);
  return c.fail('COMPILE_TYPE', `cannot index ${show(t)}`, e.pos);
}

function field(c: CheckCtx, f: FnCtx, e: ExprOf<'field'>): CType {
  if (e.target.kind === 'storage') {
    const s = c.storage.get(e.name);
    if (!s) c.fail('COMPILE_UNKNOWN_NAME', `unknown storage variable '${e.name}'`, e.namePos);
    return s!.v.keys.length === 0 ? readType(s!.v) : { k: 'sref', index: s!.index, v: s!.v, depth: 0 };
  }
  if (e.name === 'push') c.fail('COMPILE_TYPE', 'push is a statement: list.push(value)', e.namePos);
  const t = checkValue(c, f, e.target);
  if (t.k === 'record') {
    const fl = t.fields.find((x) => x.name === e.name);
    if (!fl) c.fail('COMPILE_UNKNOWN_NAME', `record ${t.name} has no field '${e.name}'`, e.namePos);
    return fl!.type;
  }
  if (t.k === 'tuple') {
    const i = /^\d+$/.test(e.name) ? Number(e.name) : -1;
    if (i < 0 || i >= t.items.length) c.fail('COMPILE_UNKNOWN_NAME', `tuple ${typeToString(t)} has no item .${e.name}`, e.namePos);
    return t.items[i];
  }
  if (t.k === 'option') c.fail('COMPILE_TYPE', `this value is optional (${typeToString(t)}): unwrap it first (expect, ??, if let)`, e.target.pos);
  return c.fail('COMPILE_TYPE', `${typeToString(t)} has no fields`, e.namePos);
}

function listLit(c: CheckCtx, f: FnCtx, e: ExprOf<'list'>, expected?: Type): Type {
  const want = expected?.k === 'option' ? expected.of : expected;
  let elem = want?.k === 'list' ? want.of : undefined;
  if (e.items.length === 0) {
    if (!elem) c.fail('COMPILE_TYPE', 'cannot tell the element type of []; annotate the variable (let xs: list<int> = [])', e.pos);
    return listOf(elem!);
  }
  elem ??= checkValue(c, f, e.items[0]);
  for (const it of e.items) expectType(c, f, it, elem, 'list item');
  return listOf(elem);
}

function mapLit(c: CheckCtx, f: FnCtx, e: ExprOf<'map'>, expected?: Type): Type {
  const want = expected?.k === 'option' ? expected.of : expected;
  let key = want?.k === 'map' ? want.key : undefined;
  let value = want?.k === 'map' ? want.value : undefined;
  if (e.entries.length === 0) {
    if (!key || !value) c.fail('COMPILE_TYPE', 'cannot tell the type of {}; annotate the variable (let m: map<string, int> = {})', e.pos);
    return { k: 'map', key: key!, value: value! };
  }
  key ??= checkValue(c, f, e.entries[0][0]);
  if (!isKeyType(key)) c.fail('COMPILE_TYPE', `map keys must be int, string, bytes, address or bool, not ${typeToString(key)}`, e.entries[0][0].pos);
  value ??= checkValue(c, f, e.entries[0][1]);
  for (const [k, v] of e.entries) {
    expectType(c, f, k, key, 'map key');
    expectType(c, f, v, value, 'map value');
  }
  return { k: 'map', key, value };
}

function recordLit(c: CheckCtx, f: FnCtx, e: ExprOf<'record'>): Type {
  const r = c.records.get(e.name);
  if (!r) c.fail('COMPILE_UNKNOWN_NAME', `unknown record type '${e.name}'`, e.pos);
  const seen = new Set<string>();
  for (const fl of e.fields) {
    const decl = r!.fields.find((x) => x.name === fl.name);
    if (!decl) c.fail('COMPILE_UNKNOWN_NAME', `record ${e.name} has no field '${fl.name}'`, fl.pos);
    if (seen.has(fl.name)) c.fail('COMPILE_DUPLICATE', `field '${fl.name}' given twice`, fl.pos);
    seen.add(fl.name);
    expectType(c, f, fl.value, decl!.type, `field ${e.name}.${fl.name}`);
  }
  const missing = r!.fields.filter((x) => !seen.has(x.name) && x.type.k !== 'option').map((x) => x.name);
  if (missing.length > 0) c.fail('COMPILE_TYPE', `record ${e.name} is missing field(s): ${missing.join(', ')}`, e.pos);
  return r!;
}

function call(c: CheckCtx, f: FnCtx, e: ExprOf<'call'>, expected?: Type): CType {
  const callee = e.callee;
  if (callee.kind === 'name') {
    const fn = c.fns.get(callee.name);
    if (fn) {
      if (f.sig.view && !fn.view) c.fail('COMPILE_VIEW_WRITES', `view ${f.sig.name} cannot call ${fn.name}, which is not a view`, e.pos);
      checkArgs(c, f, e, fn.params, fn.name);
      c.edge(f.sig.index, fn.index, e.pos);
      e.ref = { kind: 'function', index: fn.index };
      return fn.returns;
    }
    const b = BUILTINS.get(callee.name);
    if (b) {
      if (b.arity[0] > e.args.length || b.arity[1] < e.args.length) {
        const n = b.arity[0] === b.arity[1] ? `${b.arity[0]}` : `${b.arity[0]} or ${b.arity[1]}`;
        c.fail('COMPILE_TYPE', `${callee.name} takes ${n} argument(s), found ${e.args.length}`, e.pos);
      }
      e.ref = { kind: 'builtin', name: callee.name };
      return b.check(c, f, e, expected);
    }
    if (c.records.has(callee.name)) c.fail('COMPILE_TYPE', `build a record with ${callee.name} { field: value, … }`, e.pos);
    if (c.interfaces.has(callee.name)) c.fail('COMPILE_TYPE', `call a view of another contract as ${callee.name}(address).view(…)`, e.pos);
    return c.fail('COMPILE_UNKNOWN_NAME', `unknown function '${callee.name}'`, callee.pos);
  }
  if (callee.kind === 'field' && callee.target.kind === 'call' && callee.target.callee.kind === 'name' && c.interfaces.has(callee.target.callee.name)) {
    const iname = callee.target.callee.name;
    const v = c.interfaces.get(iname)!.get(callee.name);
    if (!v) c.fail('COMPILE_UNKNOWN_NAME', `interface ${iname} has no view '${callee.name}'`, callee.namePos);
    if (callee.target.args.length !== 1) c.fail('COMPILE_TYPE', `${iname}(…) takes the contract's address`, callee.target.pos);
    expectType(c, f, callee.target.args[0], ADDRESS, `address of ${iname}`);
    checkArgs(c, f, e, v!.imp.params, `${iname}.${callee.name}`);
    e.ref = { kind: 'view', index: v!.index };
    return v!.imp.returns;
  }
  return c.fail('COMPILE_TYPE', 'only functions, builtins and views of interfaces can be called', e.pos);
}

function checkArgs(c: CheckCtx, f: FnCtx, e: ExprOf<'call'>, params: Field[], what: string): void {
  if (e.args.length !== params.length) c.fail('COMPILE_TYPE', `${what} takes ${params.length} argument(s), found ${e.args.length}`, e.pos);
  e.args.forEach((a, i) => expectType(c, f, a, params[i].type, `argument ${params[i].name} of ${what}`));
}

