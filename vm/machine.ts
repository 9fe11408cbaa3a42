/**
 * The interpreter's state for one `execute`: the value stack (locals and operands of every
 * frame), the current frame's code and pc, gas and memory counters, and the buffers of
 * storage writes and events. Handlers (vm/handlers.ts, vm/hostHandlers.ts) operate on it.
 */
import { OutOfGas, VmError } from './errors.js';
import type { Host, StorageWrite, Transfer, VmEvent } from './host.js';
import type { VerifiedProgram } from './program.js';
import { isInt, kindOf, type Int, type Val } from './values.js';

/**
 * Allocation budget of one call, in bytes of values created (8 per container element, 2
 * per string code unit, 1 per byte). Counted monotonically (the GC frees, the counter does
 * not), so it bounds the peak memory a call can hold whatever the gas limit is.
 */
export const MAX_MEMORY_BYTES = 64 * 1024 * 1024;

/** A suspended caller: where to resume when the callee returns. */
interface Frame {
  fn: number;
  code: Uint8Array;
  pc: number;
  bp: number;
}

export class Machine {
  readonly stack: Val[];
  sp = 0;
  /** Base of the current frame: its locals are stack[bp … bp + locals). */
  bp = 0;
  fn = 0;
  code: Uint8Array;
  pc = 0;
  readonly frames: Frame[] = [];
  gas: number;
  memory = 0;
  steps = 0;
  halted = false;
  result: Val = null;
  /** Buffered storage writes by slot key, in first-write order. */
  readonly writes = new Map<string, StorageWrite>();
  readonly events: VmEvent[] = [];
  /** Buffered balance moves, in order, and the net change they make per address. */
  readonly transfers: Transfer[] = [];
  private readonly deltas = new Map<string, bigint>();

  constructor(
    readonly prog: VerifiedProgram,
    readonly host: Host,
    gasLimit: number,
    /** state_call: any state change is an error (the verifier already keeps views pure). */
    readonly readOnly: boolean,
  ) {
    this.stack = new Array<Val>(prog.stackBound + 1).fill(null);
    this.gas = gasLimit;
    this.code = prog.functions[0]?.code ?? new Uint8Array(0);
  }

  /** Spends `n` gas (OutOfGas if there is not that much left). */
  charge(n: number): void {
    this.gas -= n;
    if (this.gas < 0) throw new OutOfGas();
  }

  /** Counts `bytes` of new values against the allocation budget. */
  alloc(bytes: number): void {
    this.memory += bytes;
    if (this.memory > MAX_MEMORY_BYTES) throw new VmError('MEMORY_LIMIT', `the call allocated more than ${MAX_MEMORY_BYTES} bytes`);
  }

  /** Balance of `a` as this call sees it: the host's, plus the call's own moves. */
  balanceOf(a: Uint8Array): bigint {
    return this.host.balanceOf(a) + (this.deltas.get(addressKey(a)) ?? 0n);
  }

  /** Buffers a move of `amount`; false (nothing recorded) if `from` cannot cover it. */
  move(from: Uint8Array, to: Uint8Array, amount: bigint): boolean {
    if (this.balanceOf(from) < amount) return false;
    const f = addressKey(from);
    const t = addressKey(to);
    this.deltas.set(f, (this.deltas.get(f) ?? 0n) - amount);
    this.deltas.set(t, (this.deltas.get(t) ?? 0n) + amount);
    this.transfers.push({ from, to, amount });
    return true;
  }

  push(v: Val): void {
    this.stack[this.sp++] = v;
  }

  pop(): Val {
    return this.stack[--this.sp];
  }

  popInt(): Int {
    const v = this.stack[--this.sp];
    if (typeof v === 'number' || typeof v === 'bigint') return v;
    return mismatch('int', v);
  }

  popBool(): boolean {
    const v = this.stack[--this.sp];
    if (typeof v === 'boolean') return v;
    return mismatch('bool', v);
  }

  popString(): string {
    const v = this.stack[--this.sp];
    if (typeof v === 'string') return v;
    return mismatch('string', v);
  }

  popBytes(): Uint8Array {
    const v = this.stack[--this.sp];
    if (v instanceof Uint8Array) return v;
    return mismatch('bytes', v);
  }

  /** Enters function `index` with its arguments on top of the stack; returns to `returnPc`. */
  enter(index: number, returnPc: number): void {
    const f = this.prog.functions[index];
    this.frames.push({ fn: this.fn, code: this.code, pc: returnPc, bp: this.bp });
    const bp = this.sp - f.params.length;
    for (let i = bp + f.params.length; i < bp + f.locals; i++) this.stack[i] = null;
    this.fn = index;
    this.code = f.code;
    this.pc = 0;
    this.bp = bp;
    this.sp = bp + f.locals;
  }

  /** Returns the value on top of the stack to the caller (or ends the call). */
  leave(): void {
    const result = this.stack[this.sp - 1];
    const caller = this.frames.pop();
    if (!caller) {
      this.result = result;
      this.halted = true;
      return;
    }
    this.sp = this.bp;
    this.stack[this.sp++] = result;
    this.fn = caller.fn;
    this.code = caller.code;
    this.pc = caller.pc;
    this.bp = caller.bp;
  }
}

/** A 20-byte address as a map key (one char per byte). */
function addressKey(a: Uint8Array): string {
  return String.fromCharCode.apply(null, a as unknown as number[]);
}

/** Fails with TYPE_MISMATCH: only hand-made bytecode gets here (compiled code is typed). */
export function mismatch(want: string, got: Val): never {
  throw new VmError('TYPE_MISMATCH', `expected ${want}, found ${kindOf(got)}`);
}

export { isInt };
