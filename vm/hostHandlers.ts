/**
 * Handlers of the host-facing instructions: the call's environment, hashing and encoding,
 * storage (reads through the call's own write buffer), events, native balance moves and
 * read-only calls into other contracts. Values cross the boundary by their declared type
 * (vm/convert.ts), and bytes read, stored and emitted are priced by their canonical size.
 */
import { canonicalSize, exportValue, importValue } from './convert.js';
import { OutOfGas, Revert, VmError, VmHalt } from './errors.js';
import * as G from './gas.js';
import type { HostValue } from './host.js';
import { mismatch, type Machine } from './machine.js';
import { Op } from './opcodes.js';
import type { StorageVar } from './program.js';
import { EMPTY_SEQ, isInt, makeDict, type Val } from './values.js';
import type { Type } from './valueType.js';

type Handler = (m: Machine) => void;

const u16 = (m: Machine) => m.code[m.pc + 1] | (m.code[m.pc + 2] << 8);

/** Handlers of the host instructions, as [opcode, handler]. */
export const HOST_HANDLERS: Array<[number, Handler]> = [];
const def = (op: number, h: Handler) => HOST_HANDLERS.push([op, h]);

def(Op.CALLER, (m) => (m.push(m.host.caller), (m.pc += 1)));
def(Op.SELF, (m) => (m.push(m.host.self), (m.pc += 1)));
def(Op.HEIGHT, (m) => (m.push(m.host.height), (m.pc += 1)));
def(Op.TIME, (m) => (m.push(m.host.timeMs), (m.pc += 1)));
def(Op.TXHASH, (m) => (m.push(m.host.txHash), (m.pc += 1)));

def(Op.SHA256, (m) => {
  const b = m.popBytes();
  m.charge(G.wordGas(b.length));
  m.alloc(32);
  m.push(m.host.sha256(b));
  m.pc += 1;
});

def(Op.ENCODE, (m) => {
  const v = exportValue(m.pop(), m.prog.types[u16(m)]);
  const size = canonicalSize(v);
  m.charge(G.GAS_ENCODE_PER_BYTE * size);
  m.alloc(size);
  m.push(m.host.encode(v));
  m.pc += 3;
});

/** The zero value an absent scalar slot reads as (compiled code only has these or options). */
function zeroOf(t: Type): Val {
  switch (t.k) {
    case 'int':
      return 0;
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'list':
      return EMPTY_SEQ;
    case 'map':
      return makeDict([], []);
    default:
      return null;
  }
}

/**
 * A slot's path [name, ...keys] (keys popped, outermost deepest on the stack) and its
 * buffer key, an injective string of the path.
 */
function slotPath(m: Machine, v: StorageVar): { path: HostValue[]; key: string } {
  const n = v.keys.length;
  m.sp -= n;
  const path: HostValue[] = [v.name];
  let key = v.name;
  for (let i = 0; i < n; i++) {
    const k = exportValue(m.stack[m.sp + i], v.keys[i]);
    path.push(k);
    if (typeof k === 'string') key += `\0s${k.length}:${k}`;
    else if (k instanceof Uint8Array) key += `\0b${k.length}:${latin1(k)}`;
    else key += `\0${typeof k === 'boolean' ? (k ? 't' : 'f') : `i${k}`}`;
  }
  // the host hashes the encoded path into a trie key: long keys cost like bytes read
  m.charge(G.GAS_SLOAD_PER_BYTE * canonicalSize(path));
  return { path, key };
}

/** Bytes as a one-char-per-byte string (a loop: no argument-count limit on big keys). */
function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

def(Op.SLOAD, (m) => {
  const v = m.prog.storage[u16(m)];
  const { path, key } = slotPath(m, v);
  const buffered = m.writes.get(key);
  const raw = buffered ? buffered.value : m.host.storageGet(path);
  if (raw === undefined) {
    m.push(v.keys.length > 0 ? null : zeroOf(v.value));
  } else {
    const size = canonicalSize(raw);
    m.charge(G.GAS_SLOAD_PER_BYTE * size);
    m.alloc(2 * size);
    // what this contract stored has its declared type; anything else is a corrupt state
    m.push(importValue(raw, v.value, `storage ${v.name}`, 'TYPE_MISMATCH'));
  }
  m.pc += 3;
});

def(Op.SSTORE, (m) => {
  if (m.readOnly) throw new VmError('WRITE_IN_VIEW', 'a view cannot write storage');
  const v = m.prog.storage[u16(m)];
  const value = m.pop();
  const { path, key } = slotPath(m, v);
  // none (an optional, or an absent map entry) deletes the slot
  const out = value === null ? undefined : exportValue(value, v.value);
  if (out !== undefined) m.charge(G.GAS_SSTORE_PER_BYTE * canonicalSize(out));
  m.writes.set(key, { path, value: out });
  m.pc += 3;
});

def(Op.SDELETE, (m) => {
  if (m.readOnly) throw new VmError('WRITE_IN_VIEW', 'a view cannot write storage');
  const { path, key } = slotPath(m, m.prog.storage[u16(m)]);
  m.writes.set(key, { path, value: undefined });
  m.pc += 3;
});

def(Op.EMIT, (m) => {
  if (m.readOnly) throw new VmError('WRITE_IN_VIEW', 'a view cannot emit events');
  const e = m.prog.events[u16(m)];
  const n = e.fields.length;
  m.sp -= n;
  const data: { [k: string]: HostValue } = Object.create(null);
  e.fields.forEach((f, i) => (data[f.name] = exportValue(m.stack[m.sp + i], f.type)));
  m.charge(G.GAS_EMIT_PER_BYTE * canonicalSize(data));
  m.events.push({ name: e.name, data });
  m.pc += 3;
});

/** A non-negative amount as a bigint. */
function amount(v: Val): bigint {
  if (!isInt(v)) mismatch('int', v);
  if (v < 0) throw new VmError('INSUFFICIENT_FUNDS', `negative amount ${v}`);
  return BigInt(v);
}

def(Op.PAY, (m) => {
  if (m.readOnly) throw new VmError('WRITE_IN_VIEW', 'a view cannot pay');
  const a = amount(m.pop());
  if (!m.move(m.host.caller, m.host.self, a)) throw new VmError('INSUFFICIENT_FUNDS', `the caller cannot pay ${a}`);
  m.pc += 1;
});

def(Op.TRANSFER, (m) => {
  if (m.readOnly) throw new VmError('WRITE_IN_VIEW', 'a view cannot transfer');
  const a = amount(m.pop());
  const to = m.popBytes();
  if (to.length !== 20) throw new VmError('TYPE_MISMATCH', 'transfer recipient is not a 20-byte address');
  if (!m.move(m.host.self, to, a)) throw new VmError('INSUFFICIENT_FUNDS', `the contract cannot transfer ${a}`);
  m.pc += 1;
});

def(Op.CALLVIEW, (m) => {
  const imp = m.prog.imports[u16(m)];
  const n = imp.params.length;
  m.sp -= n;
  const args = imp.params.map((p, i) => exportValue(m.stack[m.sp + i], p.type));
  const target = m.popBytes();
  if (target.length !== 20) throw new VmError('TYPE_MISMATCH', 'view call target is not a 20-byte address');
  const what = `${imp.iface}.${imp.name}`;
  let r;
  try {
    r = m.host.callView(target, imp.name, args, m.gas);
  } catch (e) {
    if (!(e instanceof VmHalt)) throw e;
    // the callee's gas is ours: charge it, then fail here, at the call
    m.charge(Math.min(e.gasUsed, m.gas));
    if (e instanceof OutOfGas) throw new OutOfGas({ call: what });
    if (e instanceof Revert) throw new Revert(`${what}: ${e.reason}`, { call: what });
    throw new VmError('CALL_FAILED', `${what} failed: ${e.message}`, { call: what });
  }
  m.charge(r.gasUsed);
  const size = canonicalSize(r.result);
  m.alloc(2 * size);
  m.push(importValue(r.result, imp.returns, `result of ${what}`, 'CALL_FAILED'));
  m.pc += 3;
});
