/**
 * Code generation for expressions: each compiles to code that pushes exactly one value.
 * Statements and assignment targets are in vm/compiler.ts (which extends this class).
 */
import type { Expr, ExprOf } from './ast.js';
import { FnBuilder, Pools } from './emitter.js';
import { Op } from './opcodes.js';
import type { CheckedContract } from './types.js';
import type { Type } from './valueType.js';

const BINARY_OPS: Record<string, number> = {
  '-': Op.SUB, '*': Op.MUL, '/': Op.DIV, '%': Op.MOD, '<': Op.LT, '<=': Op.LE, '>': Op.GT, '>=': Op.GE, '==': Op.EQ, '!=': Op.NE, in: Op.IN,
};

const SIMPLE_BUILTINS: Record<string, number> = {
  len: Op.LEN, sha256: Op.SHA256, str: Op.STR, utf8: Op.UTF8, address: Op.TOADDR, min: Op.MIN, max: Op.MAX, abs: Op.ABS, keys: Op.KEYS, values: Op.VALUES,
};

/** If `e` reads a storage slot (`storage.x` or `storage.m[k]…[k]`), its variable index and keys. */
export function storageRead(c: CheckedContract, e: Expr): { index: number; keys: Expr[] } | undefined {
  const keys: Expr[] = [];
  let cur = e;
  while (cur.kind === 'index') {
    keys.unshift(cur.index);
    cur = cur.target;
  }
  if (cur.kind !== 'field' || cur.target.kind !== 'storage') return undefined;
  const name = cur.name;
  const index = c.storage.findIndex((v) => v.name === name);
  return index >= 0 && c.storage[index].keys.length === keys.length ? { index, keys } : undefined;
}

export class ExprCompiler {
  constructor(
    protected readonly c: CheckedContract,
    protected readonly pools: Pools,
    protected readonly b: FnBuilder,
  ) {}

  /** Compiles `e`, leaving its value on the stack. */
  expr(e: Expr): void {
    const b = this.b;
    switch (e.kind) {
      // literals cannot fail, so they keep the position of what uses them
      case 'int':
        return b.int(e.value, this.pools);
      case 'string':
      case 'bytes':
        return b.emit(Op.CONST, this.pools.constant(e.value, e.pos));
      case 'bool':
        return b.emit(e.value ? Op.TRUE : Op.FALSE);
      case 'none':
        return b.emit(Op.NONE);
      case 'name':
        if (e.ref!.kind === 'const') return this.expr(e.ref!.value);
        return b.emit(Op.LOAD, e.ref!.slot);
      case 'env':
        return b.emit({ caller: Op.CALLER, self: Op.SELF, 'block.height': Op.HEIGHT, 'block.time': Op.TIME, 'tx.hash': Op.TXHASH }[e.name]);
      case 'storage':
        throw new Error('unreachable: bare storage passed the checker');
      case 'unary':
        this.expr(e.operand);
        b.at(e.pos);
        return b.emit(e.op === '!' ? Op.NOT : Op.NEG);
      case 'binary':
        return this.binary(e);
      case 'call':
        return this.call(e);
      case 'index':
      case 'field': {
        const s = storageRead(this.c, e);
        if (s) {
          s.keys.forEach((k) => this.expr(k));
          b.at(e.pos);
          return b.emit(Op.SLOAD, s.index);
        }
        this.expr(e.target);
        if (e.kind === 'index') {
          this.expr(e.index);
          b.at(e.pos);
          return b.emit(Op.INDEX);
        }
        b.at(e.namePos);
        return b.emit(Op.FIELD, fieldIndex(e.target.ty!, e.name));
      }
      case 'list':
        e.items.forEach((x) => this.expr(x));
        b.at(e.pos);
        return b.emit(Op.LIST, e.items.length);
      case 'map':
        for (const [k, v] of e.entries) {
          this.expr(k);
          this.expr(v);
        }
        b.at(e.pos);
        return b.emit(Op.MAP, e.entries.length);
      case 'tuple':
        e.items.forEach((x) => this.expr(x));
        return b.emit(Op.TUPLE, e.items.length);
      case 'record': {
        // fields in the record's canonical (sorted) order; omitted optional fields are none
        const t = e.ty as Extract<Type, { k: 'record' }>;
        for (const f of t.fields) {
          const given = e.fields.find((x) => x.name === f.name);
          if (given) this.expr(given.value);
          else b.emit(Op.NONE);
        }
        return b.emit(Op.TUPLE, t.fields.length);
      }
    }
  }

  private binary(e: ExprOf<'binary'>): void {
    const b = this.b;
    const { op, left, right } = e;
    if (op === '&&' || op === '||') {
      const short = b.label();
      const end = b.label();
      this.expr(left);
      b.jump(op === '&&' ? Op.JMPF : Op.JMPT, short);
      this.expr(right);
      b.jump(Op.JMP, end);
      b.bind(short);
      b.emit(op === '&&' ? Op.FALSE : Op.TRUE);
      b.bind(end);
      return;
    }
    if (op === '??') {
      const end = b.label();
      this.expr(left);
      b.emit(Op.DUP);
      b.emit(Op.ISNONE);
      b.jump(Op.JMPF, end);
      b.emit(Op.POP);
      this.expr(right);
      b.bind(end);
      return;
    }
    this.expr(left);
    this.expr(right);
    b.at(e.pos);
    if (op === '+') b.emit(left.ty!.k === 'int' ? Op.ADD : Op.CONCAT);
    else b.emit(BINARY_OPS[op]);
  }

  private call(e: ExprOf<'call'>): void {
    const b = this.b;
    const ref = e.ref!;
    if (ref.kind === 'function') {
      e.args.forEach((a) => this.expr(a));
      b.at(e.pos);
      return b.emit(Op.CALL, ref.index);
    }
    if (ref.kind === 'view') {
      const callee = e.callee as ExprOf<'field'>;
      this.expr((callee.target as ExprOf<'call'>).args[0]);
      e.args.forEach((a) => this.expr(a));
      b.at(e.pos);
      return b.emit(Op.CALLVIEW, ref.index);
    }
    if (ref.kind !== 'builtin') throw new Error('unreachable: record call passed the checker');
    const name = ref.name;
    const simple = SIMPLE_BUILTINS[name];
    if (simple !== undefined) {
      e.args.forEach((a) => this.expr(a));
      b.at(e.pos);
      return b.emit(simple);
    }
    switch (name) {
      case 'encode':
        this.expr(e.args[0]);
        b.at(e.pos);
        return b.emit(Op.ENCODE, this.pools.type(e.args[0].ty!));
      case 'range':
        if (e.args.length === 1) b.emit(Op.INT, 0);
        e.args.forEach((a) => this.expr(a));
        return b.emit(Op.RANGE);
      case 'some':
        // an optional is its value or none at run time: some(x) is x
        return this.expr(e.args[0]);
      case 'expect': {
        const ok = b.label();
        this.expr(e.args[0]);
        b.emit(Op.DUP);
        b.emit(Op.ISNONE);
        b.jump(Op.JMPF, ok);
        this.expr(e.args[1]);
        b.at(e.pos);
        b.emit(Op.REVERT);
        b.bind(ok);
        return;
      }
      case 'pay':
        this.expr(e.args[0]);
        b.at(e.pos);
        b.emit(Op.PAY);
        return b.emit(Op.NONE);
      case 'transfer':
        this.expr(e.args[0]);
        this.expr(e.args[1]);
        b.at(e.pos);
        b.emit(Op.TRANSFER);
        return b.emit(Op.NONE);
      default:
        throw new Error(`unreachable: builtin ${name} has no code`);
    }
  }
}

/** Position of field `name` in a record (sorted fields) or tuple (`0`, `1`, …). */
export function fieldIndex(t: Type, name: string): number {
  if (t.k === 'record') return t.fields.findIndex((f) => f.name === name);
  return Number(name);
}
