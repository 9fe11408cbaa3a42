/**
 * The builtin functions of the language and their type rules: len, sha256, encode, str,
 * utf8, address, min, max, abs, keys, values, range, some, expect, pay, transfer. Their
 * names are reserved for functions (locals may still use them: locals are never called).
 */
import type { Expr, ExprOf, Pos } from './ast.js';
import { checkValue, expectType, optional, type CType, type CheckCtx, type FnCtx } from './checkExpr.js';
import { ADDRESS, BYTES, INT, STRING, UNIT, listOf, optionOf, typeToString, type Type } from './valueType.js';

/** A builtin: its argument count range and its checker. */
export interface Builtin {
  arity: [number, number];
  check(c: CheckCtx, f: FnCtx, e: ExprOf<'call'>, expected?: Type): CType;
}

const noWrites = (c: CheckCtx, f: FnCtx, what: string, pos: Pos): void => {
  if (f.sig.view) c.fail('COMPILE_VIEW_WRITES', `view ${f.sig.name} cannot ${what}`, pos);
};

/** The builtin functions (names are reserved for functions, not for locals). */
export const BUILTINS = new Map<string, Builtin>([
  ['len', { arity: [1, 1], check: (c, f, e) => {
    const t = checkValue(c, f, e.args[0]);
    if (!['list', 'map', 'string', 'bytes'].includes(t.k)) c.fail('COMPILE_TYPE', `len takes a list, map, string or bytes, not ${typeToString(t)}`, e.args[0].pos);
    return INT;
  } }],
  ['sha256', { arity: [1, 1], check: (c, f, e) => (expectType(c, f, e.args[0], BYTES, 'sha256 input'), BYTES) }],
  ['encode', { arity: [1, 1], check: (c, f, e) => (checkValue(c, f, e.args[0]), BYTES) }],
  ['str', { arity: [1, 1], check: (c, f, e) => (expectType(c, f, e.args[0], INT, 'str input'), STRING) }],
  ['utf8', { arity: [1, 1], check: (c, f, e) => (expectType(c, f, e.args[0], STRING, 'utf8 input'), BYTES) }],
  ['address', { arity: [1, 1], check: (c, f, e) => (expectType(c, f, e.args[0], BYTES, 'address input'), ADDRESS) }],
  ['min', { arity: [2, 2], check: (c, f, e) => (e.args.forEach((a) => expectType(c, f, a, INT, 'min input')), INT) }],
  ['max', { arity: [2, 2], check: (c, f, e) => (e.args.forEach((a) => expectType(c, f, a, INT, 'max input')), INT) }],
  ['abs', { arity: [1, 1], check: (c, f, e) => (expectType(c, f, e.args[0], INT, 'abs input'), INT) }],
  ['keys', { arity: [1, 1], check: (c, f, e) => listOf(mapArg(c, f, e.args[0], 'keys').key) }],
  ['values', { arity: [1, 1], check: (c, f, e) => listOf(mapArg(c, f, e.args[0], 'values').value) }],
  ['range', { arity: [1, 2], check: (c, f, e) => (e.args.forEach((a) => expectType(c, f, a, INT, 'range bound')), { k: 'range' }) }],
  ['some', { arity: [1, 1], check: (c, f, e, expected) => {
    const t = checkValue(c, f, e.args[0], expected?.k === 'option' ? expected.of : undefined);
    if (t.k === 'option') c.fail('COMPILE_TYPE', 'some(…) of an optional value: options do not nest', e.args[0].pos);
    return optionOf(t);
  } }],
  ['expect', { arity: [2, 2], check: (c, f, e, expected) => {
    const t = checkValue(c, f, e.args[0], expected ? optional(expected) : undefined);
    if (t.k !== 'option') c.fail('COMPILE_TYPE', `expect unwraps an optional value, not ${typeToString(t)}`, e.args[0].pos);
    expectType(c, f, e.args[1], STRING, 'expect reason');
    return (t as Extract<Type, { k: 'option' }>).of;
  } }],
  ['pay', { arity: [1, 1], check: (c, f, e) => (noWrites(c, f, 'pay', e.pos), expectType(c, f, e.args[0], INT, 'pay amount'), UNIT) }],
  ['transfer', { arity: [2, 2], check: (c, f, e) => {
    noWrites(c, f, 'transfer', e.pos);
    expectType(c, f, e.args[0], ADDRESS, 'transfer recipient');
    expectType(c, f, e.args[1], INT, 'transfer amount');
    return UNIT;
  } }],
]);

function mapArg(c: CheckCtx, f: FnCtx, a: Expr, what: string): Extract<Type, { k: 'map' }> {
  const t = checkValue(c, f, a);
  if (t.k !== 'map') c.fail('COMPILE_TYPE', `${what} takes a map, not ${typeToString(t)}`, a.pos);
  return t as Extract<Type, { k: 'map' }>;
}
