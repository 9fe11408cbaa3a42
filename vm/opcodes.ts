/**
 * Opcode metadata: the numbering, operands and static stack effect of every instruction.
 * One of the VM's three tables (ethereumjs's lesson): metadata here, gas in vm/gas.ts,
 * behaviour in vm/handlers.ts; the verifier and the disassembler read only this one.
 *
 * An instruction is one opcode byte followed by its operands, little-endian, with the
 * widths below. Stack effects are exact; where they depend on a table of the program
 * (a call's parameter count, a storage variable's key count) `pops` is a function of it.
 */
import type { Program } from './program.js';

/**
 * What an operand means, which fixes its width and what the verifier checks it against:
 * an index into one of the program's tables, a local slot, a jump target (an offset into
 * the function's code), a count or a signed immediate.
 */
export type OperandKind = 'const' | 'local' | 'target' | 'fn' | 'storage' | 'event' | 'import' | 'type' | 'count8' | 'count16' | 'field' | 'imm16';

/** Operand widths in bytes. */
export const OPERAND_WIDTH: Record<OperandKind, 1 | 2> = {
  const: 2, local: 1, target: 2, fn: 2, storage: 2, event: 2, import: 2, type: 2, count8: 1, count16: 2, field: 1, imm16: 2,
};

/** How an instruction affects control flow (the verifier's edges). */
export type Flow =
  /** falls through to the next instruction */
  | 'next'
  /** always jumps to its target */
  | 'jump'
  /** jumps to its target or falls through */
  | 'branch'
  /** ends the function (RET) or the whole call (REVERT) */
  | 'end';

export interface OpInfo {
  name: string;
  operands: readonly OperandKind[];
  /** Values taken from the operand stack (a function of the operands for calls and storage). */
  pops: number | ((ops: readonly number[], p: Program) => number);
  /** Values pushed when the instruction falls through. */
  pushes: number;
  /** Values pushed when it takes its branch (iteration ends push nothing). */
  branchPushes?: number;
  flow: Flow;
  /** Changes state: never allowed in a view function (checked by the verifier). */
  writes?: boolean;
}

/** The opcodes, by name. Numbers are consensus: never reuse or renumber one. */
export const Op = {
  CONST: 0x01, INT: 0x02, TRUE: 0x03, FALSE: 0x04, NONE: 0x05, LOAD: 0x06, STORE: 0x07, POP: 0x08, DUP: 0x09,
  JMP: 0x10, JMPF: 0x11, JMPT: 0x12, CALL: 0x13, RET: 0x14, REVERT: 0x15, ITER: 0x16, ITER2: 0x17,
  ADD: 0x20, SUB: 0x21, MUL: 0x22, DIV: 0x23, MOD: 0x24, NEG: 0x25, LT: 0x26, LE: 0x27, GT: 0x28, GE: 0x29,
  EQ: 0x2a, NE: 0x2b, NOT: 0x2c, MIN: 0x2d, MAX: 0x2e, ABS: 0x2f,
  CONCAT: 0x30, LEN: 0x31, IN: 0x32, INDEX: 0x33, FIELD: 0x34, SETFIELD: 0x35, SETINDEX: 0x36, DELKEY: 0x37,
  APPEND: 0x38, LIST: 0x39, TUPLE: 0x3a, MAP: 0x3b, KEYS: 0x3c, VALUES: 0x3d, RANGE: 0x3e, ISNONE: 0x3f,
  STR: 0x40, UTF8: 0x41, TOADDR: 0x42, UNWRAP: 0x43,
  CALLER: 0x50, SELF: 0x51, HEIGHT: 0x52, TIME: 0x53, TXHASH: 0x54, SHA256: 0x55, ENCODE: 0x56,
  SLOAD: 0x57, SSTORE: 0x58, SDELETE: 0x59, EMIT: 0x5a, PAY: 0x5b, TRANSFER: 0x5c, CALLVIEW: 0x5d,
} as const;

export type OpName = keyof typeof Op;

const simple = (name: string, pops: number, pushes: number): OpInfo => ({ name, operands: [], pops, pushes, flow: 'next' });

/** Metadata by opcode number; undefined entries are invalid opcodes. */
export const OPCODES: ReadonlyArray<OpInfo | undefined> = (() => {
  const t: Array<OpInfo | undefined> = new Array(256).fill(undefined);
  const def = (code: number, info: OpInfo) => (t[code] = info);
  // constants and locals
  def(Op.CONST, { name: 'CONST', operands: ['const'], pops: 0, pushes: 1, flow: 'next' });
  def(Op.INT, { name: 'INT', operands: ['imm16'], pops: 0, pushes: 1, flow: 'next' });
  def(Op.TRUE, simple('TRUE', 0, 1));
  def(Op.FALSE, simple('FALSE', 0, 1));
  def(Op.NONE, simple('NONE', 0, 1));
  def(Op.LOAD, { name: 'LOAD', operands: ['local'], pops: 0, pushes: 1, flow: 'next' });
  def(Op.STORE, { name: 'STORE', operands: ['local'], pops: 1, pushes: 0, flow: 'next' });
  def(Op.POP, simple('POP', 1, 0));
  def(Op.DUP, simple('DUP', 1, 2));
  // control
  def(Op.JMP, { name: 'JMP', operands: ['target'], pops: 0, pushes: 0, flow: 'jump' });
  def(Op.JMPF, { name: 'JMPF', operands: ['target'], pops: 1, pushes: 0, flow: 'branch' });
  def(Op.JMPT, { name: 'JMPT', operands: ['target'], pops: 1, pushes: 0, flow: 'branch' });
  def(Op.CALL, { name: 'CALL', operands: ['fn'], pops: (o, p) => p.functions[o[0]].params.length, pushes: 1, flow: 'next' });
  def(Op.RET, simple('RET', 1, 0));
  (t[Op.RET] as OpInfo).flow = 'end';
  def(Op.REVERT, { name: 'REVERT', operands: [], pops: 1, pushes: 0, flow: 'end' });
  // ITER coll idx end: next item of the list/range in local coll (position in local idx), or jump to end
  def(Op.ITER, { name: 'ITER', operands: ['local', 'local', 'target'], pops: 0, pushes: 1, branchPushes: 0, flow: 'branch' });
  // ITER2 coll idx end: next key and value of the map in local coll, or jump to end
  def(Op.ITER2, { name: 'ITER2', operands: ['local', 'local', 'target'], pops: 0, pushes: 2, branchPushes: 0, flow: 'branch' });
  // integers (64-bit signed; overflow is VmError INT_OVERFLOW)
  for (const n of ['ADD', 'SUB', 'MUL', 'DIV', 'MOD', 'LT', 'LE', 'GT', 'GE', 'MIN', 'MAX'] as const) def(Op[n], simple(n, 2, 1));
  def(Op.NEG, simple('NEG', 1, 1));
  def(Op.ABS, simple('ABS', 1, 1));
  // any values
  def(Op.EQ, simple('EQ', 2, 1));
  def(Op.NE, simple('NE', 2, 1));
  def(Op.NOT, simple('NOT', 1, 1));
  def(Op.CONCAT, simple('CONCAT', 2, 1));
  def(Op.LEN, simple('LEN', 1, 1));
  def(Op.IN, simple('IN', 2, 1));
  def(Op.INDEX, simple('INDEX', 2, 1));
  def(Op.FIELD, { name: 'FIELD', operands: ['field'], pops: 1, pushes: 1, flow: 'next' });
  def(Op.SETFIELD, { name: 'SETFIELD', operands: ['field'], pops: 2, pushes: 1, flow: 'next' });
  def(Op.SETINDEX, simple('SETINDEX', 3, 1));
  def(Op.DELKEY, simple('DELKEY', 2, 1));
  def(Op.APPEND, simple('APPEND', 2, 1));
  def(Op.LIST, { name: 'LIST', operands: ['count16'], pops: (o) => o[0], pushes: 1, flow: 'next' });
  def(Op.TUPLE, { name: 'TUPLE', operands: ['count8'], pops: (o) => o[0], pushes: 1, flow: 'next' });
  def(Op.MAP, { name: 'MAP', operands: ['count16'], pops: (o) => 2 * o[0], pushes: 1, flow: 'next' });
  def(Op.KEYS, simple('KEYS', 1, 1));
  def(Op.VALUES, simple('VALUES', 1, 1));
  def(Op.RANGE, simple('RANGE', 2, 1));
  def(Op.ISNONE, simple('ISNONE', 1, 1));
  def(Op.STR, simple('STR', 1, 1));
  def(Op.UTF8, simple('UTF8', 1, 1));
  def(Op.TOADDR, simple('TOADDR', 1, 1));
  def(Op.UNWRAP, simple('UNWRAP', 1, 1));
  // host interface
  for (const n of ['CALLER', 'SELF', 'HEIGHT', 'TIME', 'TXHASH'] as const) def(Op[n], simple(n, 0, 1));
  def(Op.SHA256, simple('SHA256', 1, 1));
  def(Op.ENCODE, { name: 'ENCODE', operands: ['type'], pops: 1, pushes: 1, flow: 'next' });
  def(Op.SLOAD, { name: 'SLOAD', operands: ['storage'], pops: (o, p) => p.storage[o[0]].keys.length, pushes: 1, flow: 'next' });
  def(Op.SSTORE, { name: 'SSTORE', operands: ['storage'], pops: (o, p) => p.storage[o[0]].keys.length + 1, pushes: 0, flow: 'next', writes: true });
  def(Op.SDELETE, { name: 'SDELETE', operands: ['storage'], pops: (o, p) => p.storage[o[0]].keys.length, pushes: 0, flow: 'next', writes: true });
  def(Op.EMIT, { name: 'EMIT', operands: ['event'], pops: (o, p) => p.events[o[0]].fields.length, pushes: 0, flow: 'next', writes: true });
  def(Op.PAY, { name: 'PAY', operands: [], pops: 1, pushes: 0, flow: 'next', writes: true });
  def(Op.TRANSFER, { name: 'TRANSFER', operands: [], pops: 2, pushes: 0, flow: 'next', writes: true });
  def(Op.CALLVIEW, { name: 'CALLVIEW', operands: ['import'], pops: (o, p) => 1 + p.imports[o[0]].params.length, pushes: 1, flow: 'next' });
  return t;
})();

/** Byte length of an instruction with opcode `op` (opcode byte + operands). */
export function instructionLength(info: OpInfo): number {
  let n = 1;
  for (const k of info.operands) n += OPERAND_WIDTH[k];
  return n;
}

/** Reads the operands of the instruction at `pc` (caller checked that they fit). */
export function readOperands(code: Uint8Array, pc: number, info: OpInfo): number[] {
  const out: number[] = [];
  let at = pc + 1;
  for (const k of info.operands) {
    if (OPERAND_WIDTH[k] === 1) out.push(code[at]);
    else {
      const u = code[at] | (code[at + 1] << 8);
      out.push(k === 'imm16' ? (u << 16) >> 16 : u);
    }
    at += OPERAND_WIDTH[k];
  }
  return out;
}
