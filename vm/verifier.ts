/**
 * The bytecode verifier: the consensus gate at deploy time (design §7). Only containers it
 * accepts are stored on chain, and the interpreter relies on what it proves:
 *  - the container is well-formed (vm/container.ts: limits, names, type table, constants);
 *  - every opcode exists and its operands fit (table indexes, local slots, jump targets
 *    on instruction boundaries inside the function);
 *  - the operand stack depth at each instruction is the same on every path, never below
 *    what the instruction pops, at most MAX_OPERAND_STACK, exactly 1 at RET, and no path
 *    falls off the end of the code;
 *  - views contain no state-changing instruction and call only views;
 *  - the call graph is acyclic, so the value stack over any chain of calls is bounded.
 * It runs in time linear in the container size.
 */
import { decodeContainer } from './container.js';
import { VerifyError, type VerifyErrorCode } from './errors.js';
import { OPCODES, instructionLength, readOperands, type OpInfo } from './opcodes.js';
import type { FunctionDef, Program, VerifiedProgram } from './program.js';

/** Deepest operand stack of one function; expressions in real rules stay under 50. */
export const MAX_OPERAND_STACK = 1024;
/**
 * Largest value stack (locals + operands) over any chain of calls: the interpreter
 * preallocates it, so it also caps a call's stack memory (4096 references, ~32 KiB).
 */
export const MAX_STACK_BOUND = 4096;

/** Checks a container; throws VerifyError naming the rule (and function and pc) broken. */
export function verify(code: Uint8Array): void {
  verifyProgram(decodeContainer(code));
}

/** Decodes and verifies a container into what the interpreter runs. */
export function load(code: Uint8Array): VerifiedProgram {
  return verifyProgram(decodeContainer(code));
}

/** Verifies a decoded program. */
export function verifyProgram(p: Program): VerifiedProgram {
  const calls: number[][] = [];
  const maxStack = p.functions.map((fn, i) => {
    const callees = new Set<number>();
    const depth = verifyFunction(p, fn, i, callees);
    calls.push([...callees]);
    return depth;
  });
  const stackBound = checkCallGraph(p, calls, maxStack);
  const exports = new Map<string, number>();
  p.functions.forEach((f, i) => f.exported && exports.set(f.name, i));
  return { ...p, maxStack, stackBound, exports };
}

interface Instr {
  pc: number;
  info: OpInfo;
  ops: number[];
  next: number;
}

function verifyFunction(p: Program, fn: FunctionDef, index: number, callees: Set<number>): number {
  const { code } = fn;
  const fail = (code: VerifyErrorCode, why: string, pc?: number): never => {
    throw new VerifyError(code, `function ${fn.name}${pc === undefined ? '' : ` at pc ${pc}`}: ${why}`, { function: fn.name, pc });
  };
  // 1. decode every instruction, check operands against the tables
  const at = new Array<Instr | undefined>(code.length);
  const instrs: Instr[] = [];
  for (let pc = 0; pc < code.length; ) {
    const info = OPCODES[code[pc]];
    if (!info) fail('VERIFY_BAD_OPCODE', `unknown opcode 0x${code[pc].toString(16).padStart(2, '0')}`, pc);
    const len = instructionLength(info!);
    if (pc + len > code.length) fail('VERIFY_BAD_OPERAND', `${info!.name} is cut off by the end of the code`, pc);
    const ops = readOperands(code, pc, info!);
    info!.operands.forEach((kind, k) => {
      const v = ops[k];
      const limit = { const: p.constants.length, local: fn.locals, target: code.length, fn: p.functions.length, storage: p.storage.length, event: p.events.length, import: p.imports.length, type: p.types.length }[kind as string];
      if (limit !== undefined && v >= limit) fail(kind === 'target' ? 'VERIFY_BAD_JUMP' : 'VERIFY_BAD_OPERAND', `${info!.name} ${kind} operand ${v} out of range (< ${limit})`, pc);
    });
    if (fn.view && info!.writes) fail('VERIFY_VIEW_WRITES', `a view cannot ${info!.name}`, pc);
    if (info!.name === 'CALL') {
      callees.add(ops[0]);
      if (fn.view && !p.functions[ops[0]].view) fail('VERIFY_VIEW_WRITES', `a view cannot call ${p.functions[ops[0]].name}, which is not a view`, pc);
    }
    const ins: Instr = { pc, info: info!, ops, next: pc + len };
    at[pc] = ins;
    instrs.push(ins);
    pc += len;
  }
  // 2. jump targets land on instruction starts
  for (const ins of instrs) {
    if (ins.info.flow === 'jump' || ins.info.flow === 'branch') {
      const target = ins.ops[ins.ops.length - 1];
      if (!at[target]) fail('VERIFY_BAD_JUMP', `${ins.info.name} jumps into the middle of an instruction (${target})`, ins.pc);
    }
  }
  // 3. stack depth by dataflow over the reachable code
  const depth = new Int32Array(code.length).fill(-1);
  const work: number[] = [0];
  depth[0] = 0;
  let max = 0;
  const reach = (from: number, to: number, d: number) => {
    if (to >= code.length || !at[to]) fail('VERIFY_FALLS_OFF', 'control runs past the end of the code', from);
    if (depth[to] === -1) {
      depth[to] = d;
      work.push(to);
    } else if (depth[to] !== d) {
      fail('VERIFY_STACK', `stack depth ${d} here but ${depth[to]} on another path to pc ${to}`, from);
    }
  };
  while (work.length > 0) {
    const pc = work.pop()!;
    const ins = at[pc]!;
    const d = depth[pc];
    const pops = typeof ins.info.pops === 'number' ? ins.info.pops : ins.info.pops(ins.ops, p);
    if (d < pops) fail('VERIFY_STACK', `${ins.info.name} needs ${pops} value(s), the stack has ${d}`, pc);
    const after = d - pops + ins.info.pushes;
    if (after > max) max = after;
    if (max > MAX_OPERAND_STACK) fail('VERIFY_LIMIT', `operand stack deeper than ${MAX_OPERAND_STACK}`, pc);
    switch (ins.info.flow) {
      case 'next':
        reach(pc, ins.next, after);
        break;
      case 'jump':
        reach(pc, ins.ops[ins.ops.length - 1], after);
        break;
      case 'branch':
        reach(pc, ins.ops[ins.ops.length - 1], d - pops + (ins.info.branchPushes ?? ins.info.pushes));
        reach(pc, ins.next, after);
        break;
      case 'end':
        if (ins.info.name === 'RET' && d !== 1) fail('VERIFY_STACK', `RET with ${d} values on the stack (must be exactly the result)`, pc);
        break;
    }
  }
  void index;
  return max;
}

/** Rejects recursion and returns the largest locals+operands over any chain of calls. */
function checkCallGraph(p: Program, calls: number[][], maxStack: number[]): number {
  const state = new Uint8Array(p.functions.length); // 0 new, 1 on the path, 2 done
  const bound = new Array<number>(p.functions.length).fill(0);
  const visit = (i: number, path: number[]): void => {
    state[i] = 1;
    path.push(i);
    let deepest = 0;
    for (const c of calls[i]) {
      if (state[c] === 1) {
        const cycle = [...path.slice(path.indexOf(c)), c].map((x) => p.functions[x].name).join(' → ');
        throw new VerifyError('VERIFY_RECURSION', `the call graph has a cycle: ${cycle}`, { cycle });
      }
      if (state[c] === 0) visit(c, path);
      deepest = Math.max(deepest, bound[c]);
    }
    bound[i] = p.functions[i].locals + maxStack[i] + deepest;
    path.pop();
    state[i] = 2;
  };
  for (let i = 0; i < p.functions.length; i++) if (state[i] === 0) visit(i, []);
  const total = Math.max(0, ...bound);
  if (total > MAX_STACK_BOUND) throw new VerifyError('VERIFY_LIMIT', `value stack over a chain of calls could reach ${total} (> ${MAX_STACK_BOUND})`, { bound: total });
  return total;
}
