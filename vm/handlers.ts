/**
 * Instruction behaviour: one handler per opcode, labelled with it. One of the VM's three
 * tables (metadata in vm/opcodes.ts, gas in vm/gas.ts). Static gas is charged by the loop
 * before a handler runs; handlers charge the variable part. A handler leaves `m.pc` on its
 * instruction until it has succeeded, so a failure points at the instruction that failed.
 * Compiled code is well-typed; the run-time type checks here are for hand-made bytecode.
 * Host-facing instructions are in vm/hostHandlers.ts.
 */
import { Revert, VmError } from './errors.js';
import { GAS_PER_ELEMENT, wordGas } from './gas.js';
import { HOST_HANDLERS } from './hostHandlers.js';
import { mismatch, type Machine } from './machine.js';
import { Op } from './opcodes.js';
import * as V from './values.js';
import { Dict, Range, Seq, type Int, type Key, type Val } from './values.js';

export type Handler = (m: Machine) => void;

const u8 = (m: Machine, at: number) => m.code[m.pc + at];
const u16 = (m: Machine, at: number) => m.code[m.pc + at] | (m.code[m.pc + at + 1] << 8);

function intOp(f: (a: Int, b: Int) => Val): Handler {
  return (m) => {
    const b = m.popInt();
    const a = m.popInt();
    m.push(f(a, b));
    m.pc += 1;
  };
}

/**
 * Bits needed for n (= ceil(log2(n + 1))): the comparisons of a binary search over n keys.
 * Integer-only, so gas never depends on a platform's floating-point log.
 */
function bitLength(n: number): number {
  return 32 - Math.clz32(n);
}

/** Charges and accounts for a new container of `n` elements. */
function newElements(m: Machine, n: number): void {
  m.charge(GAS_PER_ELEMENT * n);
  m.alloc(16 + 8 * n);
}

function asSeq(v: Val): Seq {
  return v instanceof Seq ? v : mismatch('list', v);
}

function asDict(v: Val): Dict {
  return v instanceof Dict ? v : mismatch('map', v);
}

function asKey(v: Val): Key {
  return V.isKey(v) ? v : mismatch('map key', v);
}

/** A list index as a JS number in range, or INDEX_OUT_OF_RANGE. */
function indexIn(i: Val, length: number): number {
  if (typeof i !== 'number' && typeof i !== 'bigint') mismatch('int', i);
  if (typeof i === 'bigint' || i < 0 || i >= length) throw new VmError('INDEX_OUT_OF_RANGE', `index ${i} outside a list of ${length}`);
  return i;
}

/** Handlers by opcode (undefined for invalid opcodes, which the verifier rejects). */
export const HANDLERS: Array<Handler | undefined> = new Array(256).fill(undefined);
const def = (op: number, h: Handler) => (HANDLERS[op] = h);

// ── constants, locals, stack ──
def(Op.CONST, (m) => {
  m.push(m.prog.constants[u16(m, 1)]);
  m.pc += 3;
});
def(Op.INT, (m) => {
  m.push((u16(m, 1) << 16) >> 16);
  m.pc += 3;
});
def(Op.TRUE, (m) => (m.push(true), (m.pc += 1)));
def(Op.FALSE, (m) => (m.push(false), (m.pc += 1)));
def(Op.NONE, (m) => (m.push(null), (m.pc += 1)));
def(Op.LOAD, (m) => {
  m.stack[m.sp++] = m.stack[m.bp + m.code[m.pc + 1]];
  m.pc += 2;
});
def(Op.STORE, (m) => {
  m.stack[m.bp + m.code[m.pc + 1]] = m.stack[--m.sp];
  m.pc += 2;
});
def(Op.POP, (m) => ((m.sp -= 1), (m.pc += 1)));
def(Op.DUP, (m) => {
  m.stack[m.sp] = m.stack[m.sp - 1];
  m.sp++;
  m.pc += 1;
});

// ── control ──
def(Op.JMP, (m) => (m.pc = u16(m, 1)));
def(Op.JMPF, (m) => (m.pc = m.popBool() ? m.pc + 3 : u16(m, 1)));
def(Op.JMPT, (m) => (m.pc = m.popBool() ? u16(m, 1) : m.pc + 3));
def(Op.CALL, (m) => m.enter(u16(m, 1), m.pc + 3));
def(Op.RET, (m) => m.leave());
def(Op.REVERT, (m) => {
  throw new Revert(m.popString());
});
def(Op.ITER, (m) => {
  const coll = m.stack[m.bp + u8(m, 1)];
  const slot = m.bp + u8(m, 2);
  const i = m.stack[slot];
  if (typeof i !== 'number') mismatch('int', i);
  let item: Val;
  if (coll instanceof Seq) {
    if ((i as number) >= coll.items.length) return void (m.pc = u16(m, 3));
    item = coll.items[i as number];
  } else if (coll instanceof Range) {
    item = V.add(coll.from, i as number);
    if (item >= coll.to) return void (m.pc = u16(m, 3));
  } else return mismatch('list or range', coll);
  m.stack[slot] = (i as number) + 1;
  m.push(item);
  m.pc += 5;
});
def(Op.ITER2, (m) => {
  const d = asDict(m.stack[m.bp + u8(m, 1)]);
  const slot = m.bp + u8(m, 2);
  const i = m.stack[slot];
  if (typeof i !== 'number') mismatch('int', i);
  if ((i as number) >= d.keys.length) return void (m.pc = u16(m, 3));
  m.stack[slot] = (i as number) + 1;
  m.push(d.keys[i as number]);
  m.push(d.vals[i as number]);
  m.pc += 5;
});

// ── integers ──
def(Op.ADD, (m) => {
  const b = m.stack[m.sp - 1];
  const a = m.stack[m.sp - 2];
  // hot path: both safe-integer numbers and a safe sum
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (Number.isSafeInteger(r)) {
      m.stack[m.sp - 2] = r;
      m.sp--;
      m.pc += 1;
      return;
    }
  }
  intOp(V.add)(m);
});
def(Op.SUB, intOp(V.sub));
def(Op.MUL, intOp(V.mul));
def(Op.DIV, intOp(V.div));
def(Op.MOD, intOp(V.mod));
def(Op.MIN, intOp((a, b) => (a <= b ? a : b)));
def(Op.MAX, intOp((a, b) => (a >= b ? a : b)));
def(Op.LT, intOp((a, b) => a < b));
def(Op.LE, intOp((a, b) => a <= b));
def(Op.GT, intOp((a, b) => a > b));
def(Op.GE, intOp((a, b) => a >= b));
def(Op.NEG, (m) => (m.push(V.neg(m.popInt())), (m.pc += 1)));
def(Op.ABS, (m) => {
  const a = m.popInt();
  m.push(a < 0 ? V.neg(a) : a);
  m.pc += 1;
});

// ── any values ──
const charger = (m: Machine) => (n: number) => m.charge(GAS_PER_ELEMENT * n);
def(Op.EQ, (m) => {
  const b = m.pop();
  const a = m.pop();
  m.push(V.equals(a, b, charger(m)));
  m.pc += 1;
});
def(Op.NE, (m) => {
  const b = m.pop();
  const a = m.pop();
  m.push(!V.equals(a, b, charger(m)));
  m.pc += 1;
});
def(Op.NOT, (m) => (m.push(!m.popBool()), (m.pc += 1)));
def(Op.ISNONE, (m) => (m.push(m.pop() === null), (m.pc += 1)));
def(Op.UNWRAP, (m) => {
  if (m.stack[m.sp - 1] === null) throw new VmError('ABSENT', 'the value is absent (none)');
  m.pc += 1;
});
def(Op.CONCAT, (m) => {
  const b = m.pop();
  const a = m.pop();
  if (typeof a === 'string' && typeof b === 'string') {
    // priced per code unit: V8 joins strings lazily (ropes), the copy happens once, later
    m.charge(wordGas(a.length + b.length));
    m.alloc(2 * (a.length + b.length));
    m.push(a + b);
  } else if (a instanceof Uint8Array && b instanceof Uint8Array) {
    m.charge(wordGas(a.length + b.length));
    m.alloc(a.length + b.length);
    const out = new Uint8Array(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    m.push(out);
  } else if (a instanceof Seq && b instanceof Seq) {
    newElements(m, a.items.length + b.items.length);
    m.push(V.makeSeq([...a.items, ...b.items]));
  } else mismatch('two strings, bytes or lists', a);
  m.pc += 1;
});
def(Op.LEN, (m) => {
  const v = m.pop();
  if (typeof v === 'string') {
    m.charge(wordGas(2 * v.length));
    m.push(V.utf8Length(v));
  } else if (v instanceof Uint8Array) m.push(v.length);
  else if (v instanceof Seq) m.push(v.items.length);
  else if (v instanceof Dict) m.push(v.keys.length);
  else mismatch('list, map, string or bytes', v);
  m.pc += 1;
});
def(Op.IN, (m) => {
  const coll = m.pop();
  const x = m.pop();
  if (coll instanceof Seq) {
    const charge = charger(m);
    let found = false;
    for (const it of coll.items) {
      charge(1);
      if (V.equals(it, x, charge)) {
        found = true;
        break;
      }
    }
    m.push(found);
  } else if (coll instanceof Dict) {
    m.charge(GAS_PER_ELEMENT * bitLength(coll.keys.length));
    m.push(V.dictFind(coll, asKey(x)) >= 0);
  } else mismatch('list or map', coll);
  m.pc += 1;
});
def(Op.INDEX, (m) => {
  const i = m.pop();
  const c = m.pop();
  if (c instanceof Seq) m.push(c.items[indexIn(i, c.items.length)]);
  else if (c instanceof Dict) {
    m.charge(GAS_PER_ELEMENT * bitLength(c.keys.length));
    const at = V.dictFind(c, asKey(i));
    m.push(at >= 0 ? c.vals[at] : null);
  } else mismatch('list or map', c);
  m.pc += 1;
});
def(Op.FIELD, (m) => {
  const s = asSeq(m.pop());
  m.push(s.items[indexIn(u8(m, 1), s.items.length)]);
  m.pc += 2;
});
def(Op.SETFIELD, (m) => {
  const v = m.pop();
  const s = asSeq(m.pop());
  const i = indexIn(u8(m, 1), s.items.length);
  newElements(m, s.items.length);
  const items = s.items.slice();
  items[i] = v;
  m.push(V.makeSeq(items));
  m.pc += 2;
});
def(Op.SETINDEX, (m) => {
  const v = m.pop();
  const k = m.pop();
  const c = m.pop();
  if (c instanceof Seq) {
    const i = indexIn(k, c.items.length);
    newElements(m, c.items.length);
    const items = c.items.slice();
    items[i] = v;
    m.push(V.makeSeq(items));
  } else if (c instanceof Dict) {
    newElements(m, 2 * (c.keys.length + 1));
    const key = asKey(k);
    const at = V.dictFind(c, key);
    const keys = c.keys.slice();
    const vals = c.vals.slice();
    if (at >= 0) vals[at] = v;
    else {
      keys.splice(-at - 1, 0, key);
      vals.splice(-at - 1, 0, v);
    }
    m.push(V.makeDict(keys, vals));
  } else mismatch('list or map', c);
  m.pc += 1;
});
def(Op.DELKEY, (m) => {
  const key = asKey(m.pop());
  const d = asDict(m.pop());
  const at = V.dictFind(d, key);
  if (at < 0) m.push(d);
  else {
    newElements(m, 2 * d.keys.length);
    const keys = d.keys.slice();
    const vals = d.vals.slice();
    keys.splice(at, 1);
    vals.splice(at, 1);
    m.push(V.makeDict(keys, vals));
  }
  m.pc += 1;
});
def(Op.APPEND, (m) => {
  const v = m.pop();
  const s = asSeq(m.pop());
  newElements(m, s.items.length + 1);
  m.push(V.makeSeq([...s.items, v]));
  m.pc += 1;
});
const build = (m: Machine, n: number, pc: number) => {
  newElements(m, n);
  m.sp -= n;
  m.push(V.makeSeq(m.stack.slice(m.sp, m.sp + n)));
  m.pc += pc;
};
def(Op.LIST, (m) => build(m, u16(m, 1), 3));
def(Op.TUPLE, (m) => build(m, u8(m, 1), 2));
def(Op.MAP, (m) => {
  const n = u16(m, 1);
  newElements(m, 2 * n + n * bitLength(n));
  m.sp -= 2 * n;
  const entries: Array<[Key, Val]> = [];
  for (let i = 0; i < n; i++) entries.push([asKey(m.stack[m.sp + 2 * i]), m.stack[m.sp + 2 * i + 1]]);
  entries.sort((a, b) => V.compareKeys(a[0], b[0]));
  for (let i = 1; i < n; i++) {
    if (V.compareKeys(entries[i - 1][0], entries[i][0]) === 0) throw new VmError('DUPLICATE_KEY', 'a map literal repeats a key');
  }
  m.push(V.makeDict(entries.map((e) => e[0]), entries.map((e) => e[1])));
  m.pc += 3;
});
def(Op.KEYS, (m) => {
  const d = asDict(m.pop());
  newElements(m, d.keys.length);
  m.push(V.makeSeq(d.keys.slice()));
  m.pc += 1;
});
def(Op.VALUES, (m) => {
  const d = asDict(m.pop());
  newElements(m, d.vals.length);
  m.push(V.makeSeq(d.vals.slice()));
  m.pc += 1;
});
def(Op.RANGE, (m) => {
  const to = m.popInt();
  const from = m.popInt();
  m.push(new Range(from, to));
  m.pc += 1;
});
def(Op.STR, (m) => {
  const s = m.popInt().toString();
  m.alloc(2 * s.length);
  m.push(s);
  m.pc += 1;
});
const UTF8 = new TextEncoder();
def(Op.UTF8, (m) => {
  const s = m.popString();
  m.charge(wordGas(3 * s.length));
  m.alloc(3 * s.length);
  m.push(UTF8.encode(s));
  m.pc += 1;
});
def(Op.TOADDR, (m) => {
  const b = m.popBytes();
  if (b.length !== 20) throw new VmError('TYPE_MISMATCH', `an address is 20 bytes, not ${b.length}`);
  m.push(b);
  m.pc += 1;
});

for (const [op, h] of HOST_HANDLERS) def(op, h);
