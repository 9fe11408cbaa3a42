/** A tiny assembler for hand-made (often hostile) bytecode in verifier, interpreter and fuzz tests. */
import { encodeContainer } from '../../vm/container.js';
import { OPCODES, OPERAND_WIDTH, Op, type OpName } from '../../vm/opcodes.js';
import type { FunctionDef, Program } from '../../vm/program.js';
import { INT, UNIT, type Type } from '../../vm/valueType.js';

/** One instruction: its name and operands. */
export type Ins = [OpName, ...number[]];

/** Assembles instructions into bytes (operand widths from the opcode table). */
export function assemble(ins: Ins[]): Uint8Array {
  const out: number[] = [];
  for (const [name, ...ops] of ins) {
    const code = Op[name];
    out.push(code);
    OPCODES[code]!.operands.forEach((k, i) => {
      const v = ops[i] ?? 0;
      if (OPERAND_WIDTH[k] === 1) out.push(v & 0xff);
      else out.push(v & 0xff, (v >> 8) & 0xff);
    });
  }
  return Uint8Array.from(out);
}

/** A function definition with defaults (exported, not a view, no params, returns int). */
export function fnDef(name: string, code: Uint8Array | Ins[], over: Partial<FunctionDef> = {}): FunctionDef {
  return {
    name,
    exported: true,
    view: false,
    params: [],
    returns: INT,
    locals: 0,
    code: code instanceof Uint8Array ? code : assemble(code),
    lines: [],
    ...over,
  };
}

/** A program around `functions`, with the types they use in its table. */
export function program(functions: FunctionDef[], over: Partial<Program> = {}): Program {
  const types: Type[] = [INT, UNIT, { k: 'string' }, { k: 'bool' }, { k: 'bytes' }, { k: 'address' }];
  return { name: 'hand', types, constants: [], storage: [], events: [], imports: [], functions, records: [], ...over };
}

/** Container bytes of `program(functions, over)`. */
export function container(functions: FunctionDef[], over: Partial<Program> = {}): Uint8Array {
  return encodeContainer(program(functions, over));
}
