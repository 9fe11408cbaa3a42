/**
 * Bytecode emission helpers for the compiler: the program-wide pools (constants, types)
 * with interning, and a per-function builder with labels, jump patching, hidden temporary
 * locals and the pc → source-position table.
 */
import type { Pos } from './ast.js';
import { CompileError } from './errors.js';
import { OPCODES, OPERAND_WIDTH, Op } from './opcodes.js';
import type { Constant, LineEntry } from './program.js';
import type { Type } from './valueType.js';

/** Largest function body: jump targets are 16-bit offsets into it. */
export const MAX_FUNCTION_CODE = 0xffff;
/** Local slots per function: LOAD/STORE carry an 8-bit slot. */
export const MAX_LOCALS = 256;

/** The constant pool and type table shared by all functions, interned. */
export class Pools {
  readonly constants: Constant[] = [];
  readonly types: Type[] = [];
  private readonly constIndex = new Map<string, number>();
  private readonly typeIndex = new Map<string, number>();

  constant(c: Constant, pos: Pos): number {
    const key = typeof c === 'string' ? `s${c}` : c instanceof Uint8Array ? `b${Array.from(c).join(',')}` : `i${c}`;
    let i = this.constIndex.get(key);
    if (i === undefined) {
      i = this.constants.length;
      if (i > 0xffff) throw new CompileError('COMPILE_LIMIT', 'more than 65536 constants', pos);
      this.constants.push(c);
      this.constIndex.set(key, i);
    }
    return i;
  }

  /** Index of `t` in the type table; children are added first, so entries only refer backwards. */
  type(t: Type): number {
    const key = JSON.stringify(t);
    let i = this.typeIndex.get(key);
    if (i !== undefined) return i;
    switch (t.k) {
      case 'list':
      case 'option':
        this.type(t.of);
        break;
      case 'map':
        this.type(t.key);
        this.type(t.value);
        break;
      case 'tuple':
        t.items.forEach((x) => this.type(x));
        break;
      case 'record':
        t.fields.forEach((f) => this.type(f.type));
        break;
      default:
        break;
    }
    i = this.types.length;
    this.types.push(t);
    this.typeIndex.set(key, i);
    return i;
  }
}

/** A jump destination, bound once. */
export interface Label {
  at: number;
  /** Offsets of 16-bit operands waiting for this label. */
  refs: number[];
}

/** Builds one function's code. */
export class FnBuilder {
  readonly code: number[] = [];
  readonly lines: LineEntry[] = [];
  private pos: Pos;
  private nextTemp: number;
  /** Highest local slot used + 1 (params, named locals, hidden temps). */
  locals: number;

  constructor(
    locals: number,
    pos: Pos,
    private readonly source: string,
  ) {
    this.locals = locals;
    this.nextTemp = locals;
    this.pos = pos;
  }

  /** Sets the source position of the instructions emitted next. */
  at(pos: Pos): void {
    this.pos = pos;
  }

  emit(op: number, ...operands: number[]): void {
    const info = OPCODES[op]!;
    const last = this.lines[this.lines.length - 1];
    if (!last || last.line !== this.pos.line || last.column !== this.pos.column) {
      this.lines.push({ pc: this.code.length, line: this.pos.line, column: this.pos.column });
    }
    this.code.push(op);
    info.operands.forEach((k, i) => {
      const v = operands[i];
      if (OPERAND_WIDTH[k] === 1) this.code.push(v & 0xff);
      else this.code.push(v & 0xff, (v >> 8) & 0xff);
    });
    if (this.code.length > MAX_FUNCTION_CODE) throw new CompileError('COMPILE_LIMIT', `function code is longer than ${MAX_FUNCTION_CODE} bytes`, this.pos, this.source);
  }

  /** Pushes an int: INT for 16-bit values, else a constant. */
  int(v: bigint, pools: Pools): void {
    if (v >= -32768n && v <= 32767n) this.emit(Op.INT, Number(v) & 0xffff);
    else this.emit(Op.CONST, pools.constant(Number.isSafeInteger(Number(v)) ? Number(v) : v, this.pos));
  }

  label(): Label {
    return { at: -1, refs: [] };
  }

  /** Binds `l` here and patches the jumps already emitted to it. */
  bind(l: Label): void {
    l.at = this.code.length;
    for (const r of l.refs) {
      this.code[r] = l.at & 0xff;
      this.code[r + 1] = (l.at >> 8) & 0xff;
    }
  }

  /** Emits a jump-like instruction whose last operand is `l` (patched when bound). */
  jump(op: number, l: Label, ...before: number[]): void {
    this.emit(op, ...before, Math.max(l.at, 0));
    if (l.at < 0) l.refs.push(this.code.length - 2);
  }

  /** A hidden local for the current statement (released by `releaseTemps`). */
  temp(): number {
    const t = this.nextTemp++;
    if (t >= MAX_LOCALS) throw new CompileError('COMPILE_LIMIT', `more than ${MAX_LOCALS} local variables`, this.pos, this.source);
    this.locals = Math.max(this.locals, this.nextTemp);
    return t;
  }

  /** Frees the temporaries of a finished statement (named locals keep their slots). */
  releaseTemps(base: number): void {
    this.nextTemp = base;
  }

  get tempMark(): number {
    return this.nextTemp;
  }
}
