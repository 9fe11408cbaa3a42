/**
 * The interpreter: runs one exported function of a verified program, synchronously, over
 * the host interface. The loop charges each instruction's static gas, then dispatches to
 * its handler; it never awaits (storage reads are synchronous host calls).
 *
 * `execute` fails only with VmHalt's subclasses — OutOfGas, Revert(reason), VmError(kind)
 * — each carrying the source position of the failing instruction and the gas used. Any
 * other exception is a bug (or a failing host) and passes through untouched.
 */
import { canonicalSize, exportValue, importValue } from './convert.js';
import { OutOfGas, VerifyError, VmError, VmHalt, type SourcePosition } from './errors.js';
import { GAS_ARG_PER_BYTE, GAS_EXECUTE, GAS_RESULT_PER_BYTE, STATIC_GAS } from './gas.js';
import { HANDLERS, type Handler } from './handlers.js';
import type { Host, HostValue, StorageWrite, Transfer, VmEvent } from './host.js';
import { Machine } from './machine.js';
import type { VerifiedProgram } from './program.js';
import { load } from './verifier.js';

/** What `execute` runs. */
export interface ExecuteRequest {
  /** A container (verified here) or a program from `load` (verified once, cached by callers). */
  code: Uint8Array | VerifiedProgram;
  /** An exported function. */
  fn: string;
  /** Arguments as host values, checked against the ABI before the first instruction. */
  args: readonly HostValue[];
  host: Host;
  gasLimit: number;
  /** 'view' (state_call, nested view calls) only runs view functions and never writes. */
  mode?: 'call' | 'view';
}

/** What a successful call produced. */
export interface ExecuteResult {
  result: HostValue;
  gasUsed: number;
  events: VmEvent[];
  /** Storage writes to apply, in first-write order, last value per slot. */
  writes: StorageWrite[];
  /** Balance moves to apply, in order (each was covered when it was made). */
  transfers: Transfer[];
  /** Instructions executed (for benchmarks and tests). */
  steps: number;
}

const HANDLER_TABLE: Handler[] = HANDLERS.map((h) => h ?? badOpcode);

function badOpcode(m: Machine): never {
  // unreachable for verified code; kept so a stray opcode is a typed fault, not a TypeError
  throw new VmError('BAD_CODE', `invalid opcode 0x${m.code[m.pc].toString(16)}`);
}

/** Runs exported function `fn`; throws only OutOfGas, Revert or VmError. */
export function execute(req: ExecuteRequest): ExecuteResult {
  const { fn, host, gasLimit } = req;
  if (!Number.isSafeInteger(gasLimit) || gasLimit < 0) throw new VmError('BAD_ARGUMENT', 'gasLimit must be a non-negative safe integer');
  let prog: VerifiedProgram;
  try {
    prog = req.code instanceof Uint8Array ? load(req.code) : req.code;
  } catch (e) {
    if (e instanceof VerifyError) throw new VmError('BAD_CODE', `code does not verify: ${e.message}`, { verify: e.code });
    throw e;
  }
  const index = prog.exports.get(fn);
  if (index === undefined) throw new VmError('UNKNOWN_FUNCTION', `${prog.name} has no exported function '${String(fn).slice(0, 64)}'`);
  const f = prog.functions[index];
  const readOnly = req.mode === 'view';
  if (readOnly && !f.view) throw new VmError('NOT_A_VIEW', `${prog.name}.${fn} is not a view`);
  const m = new Machine(prog, host, gasLimit, readOnly);
  try {
    m.charge(GAS_EXECUTE);
    const args = req.args;
    if (!Array.isArray(args) || args.length !== f.params.length) {
      throw new VmError('BAD_ARGUMENT', `${fn} takes ${f.params.length} argument(s), found ${Array.isArray(args) ? args.length : 'none'}`);
    }
    // checked first (a tx's args are bounded by the tx size), then priced by size
    f.params.forEach((p, i) => m.push(importValue(args[i], p.type, `argument ${p.name} of ${fn}`, 'BAD_ARGUMENT')));
    m.charge(GAS_ARG_PER_BYTE * canonicalSize(args as HostValue[]));
    for (let i = f.params.length; i < f.locals; i++) m.push(null);
    m.fn = index;
    m.code = f.code;
    run(m);
    const result = exportValue(m.result, f.returns);
    m.charge(GAS_RESULT_PER_BYTE * canonicalSize(result));
    return {
      result,
      gasUsed: gasLimit - m.gas,
      events: m.events,
      writes: [...m.writes.values()],
      transfers: m.transfers,
      steps: m.steps,
    };
  } catch (e) {
    if (!(e instanceof VmHalt)) throw e;
    if (e.position === undefined) e.position = positionOf(m);
    e.context.function = prog.functions[m.fn]?.name;
    e.gasUsed = e instanceof OutOfGas ? gasLimit : Math.min(gasLimit, gasLimit - m.gas);
    throw e;
  }
}

/** The dispatch loop. */
function run(m: Machine): void {
  const gasOf = STATIC_GAS;
  const table = HANDLER_TABLE;
  for (;;) {
    const op = m.code[m.pc];
    if ((m.gas -= gasOf[op]) < 0) throw new OutOfGas();
    m.steps++;
    table[op](m);
    if (m.halted) return;
  }
}

/** Source position of the instruction at the machine's pc (the last line entry at or before it). */
function positionOf(m: Machine): SourcePosition | undefined {
  const lines = m.prog.functions[m.fn]?.lines ?? [];
  let found: SourcePosition | undefined;
  for (const l of lines) {
    if (l.pc > m.pc) break;
    found = { line: l.line, column: l.column };
  }
  return found;
}
