/**
 * The gas table: what each instruction costs. One of the VM's three tables (metadata in
 * vm/opcodes.ts, behaviour in vm/handlers.ts). A unit of gas is meant to cost about the
 * same time whichever instruction spends it (within 3x; `npm run bench -- vm` prints gas
 * per µs by instruction class to calibrate). Every instruction costs at least 1, so a
 * gas limit bounds the number of instructions and every loop terminates.
 *
 * Static costs are charged before an instruction runs; the per-element / per-byte parts
 * of variable-cost instructions are charged before (or, for comparisons, while) the work
 * is done, so no instruction does unpaid work proportional to its inputs.
 */
import { Op, type OpName } from './opcodes.js';

/** Stack shuffles, constants, locals, jumps: the cheapest work there is. */
export const GAS_BASE = 1;
/** Integer arithmetic and comparisons (with the int64 overflow check). */
export const GAS_ARITH = 2;
/** Multiplication and division (may fall back to bigint). */
export const GAS_MULDIV = 3;
/** Building or copying a container: per element touched. */
export const GAS_PER_ELEMENT = 1;
/** Allocation-bearing container ops: the fixed part. */
export const GAS_CONTAINER = 5;
/** String/bytes work: per 64-byte word processed (concatenation, length, UTF-8, hashing). */
export const GAS_PER_WORD = 1;
/** Bytes per word of GAS_PER_WORD. */
export const WORD_BYTES = 64;
/** An internal call: frame set-up and tear-down. */
export const GAS_CALL = 4;
/** Reading the call's environment (caller, block height, …). */
export const GAS_ENV = 1;
/** SHA-256: a native call plus a copy. Per word on top. */
export const GAS_SHA256 = 120;
/** `encode`: the host's canonical encoder; per byte on top. */
export const GAS_ENCODE = 60;
export const GAS_ENCODE_PER_BYTE = 1;
/** A storage read: a trie lookup (sha256 of the key, path walk, decode); per byte on top. */
export const GAS_SLOAD = 300;
export const GAS_SLOAD_PER_BYTE = 1;
/**
 * A storage write: buffered here, but it becomes a trie insert and new trie nodes hashed
 * at commit and kept by every node forever, so it is priced well above a read; per byte
 * stored on top (state growth).
 */
export const GAS_SSTORE = 500;
export const GAS_SSTORE_PER_BYTE = 4;
/** Deleting a slot: a trie delete at commit. */
export const GAS_SDELETE = 300;
/** An event: kept in the receipt and the event index; per byte emitted on top. */
export const GAS_EMIT = 60;
export const GAS_EMIT_PER_BYTE = 2;
/** pay/transfer: two account reads and writes. */
export const GAS_BALANCE_MOVE = 800;
/** A read-only call into another contract (loading and checking its code), plus its own gas. */
export const GAS_CALLVIEW = 500;
/** Per byte of a call's result: it is stored in the receipt like an event. */
export const GAS_RESULT_PER_BYTE = 2;
/** Entering `execute`: looking up the function and checking the arguments; per byte on top. */
export const GAS_EXECUTE = 100;
export const GAS_ARG_PER_BYTE = 1;

/** Static gas of each instruction, by opcode (0 for invalid opcodes, which never run). */
export const STATIC_GAS: Uint16Array = (() => {
  const t = new Uint16Array(256);
  const set = (names: OpName[], gas: number) => names.forEach((n) => (t[Op[n]] = gas));
  set(['CONST', 'INT', 'TRUE', 'FALSE', 'NONE', 'LOAD', 'STORE', 'POP', 'DUP', 'JMP', 'JMPF', 'JMPT', 'NOT', 'ISNONE', 'UNWRAP', 'RET', 'REVERT'], GAS_BASE);
  set(['ADD', 'SUB', 'NEG', 'ABS', 'LT', 'LE', 'GT', 'GE', 'MIN', 'MAX', 'EQ', 'NE', 'FIELD', 'ITER', 'ITER2', 'LEN', 'INDEX', 'RANGE'], GAS_ARITH);
  set(['MUL', 'DIV', 'MOD', 'STR'], GAS_MULDIV);
  set(['CONCAT', 'IN', 'SETFIELD', 'SETINDEX', 'DELKEY', 'APPEND', 'LIST', 'TUPLE', 'MAP', 'KEYS', 'VALUES', 'UTF8', 'TOADDR'], GAS_CONTAINER);
  set(['CALL'], GAS_CALL);
  set(['CALLER', 'SELF', 'HEIGHT', 'TIME', 'TXHASH'], GAS_ENV);
  t[Op.SHA256] = GAS_SHA256;
  t[Op.ENCODE] = GAS_ENCODE;
  t[Op.SLOAD] = GAS_SLOAD;
  t[Op.SSTORE] = GAS_SSTORE;
  t[Op.SDELETE] = GAS_SDELETE;
  t[Op.EMIT] = GAS_EMIT;
  t[Op.PAY] = GAS_BALANCE_MOVE;
  t[Op.TRANSFER] = GAS_BALANCE_MOVE;
  t[Op.CALLVIEW] = GAS_CALLVIEW;
  return t;
})();

/** Gas for processing `bytes` bytes of string or bytes data. */
export function wordGas(bytes: number): number {
  return GAS_PER_WORD * Math.ceil(bytes / WORD_BYTES);
}
