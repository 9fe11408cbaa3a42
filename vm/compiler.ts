/**
 * The compiler: source → parse → type check → bytecode, packed into a container that
 * carries its ABI. Statements and assignment targets are compiled here; expressions in
 * vm/compileExpr.ts. Not consensus-critical (the verifier is the gate), but deterministic.
 */
import type { Block, FnDecl, Pattern, Place, Stmt } from './ast.js';
import { abiOf, type Abi } from './abi.js';
import { ExprCompiler } from './compileExpr.js';
import { encodeContainer } from './container.js';
import { FnBuilder, MAX_LOCALS, Pools, type Label } from './emitter.js';
import { CompileError, VerifyError } from './errors.js';
import { verify } from './verifier.js';
import { Op } from './opcodes.js';
import { parse } from './parser.js';
import type { FunctionDef, Program } from './program.js';
import { typeCheck, type CheckedContract } from './types.js';

/** Compiles contract source to a bytecode container and its ABI; throws CompileError. */
export function compile(source: string): { code: Uint8Array; abi: Abi } {
  const program = compileProgram(source);
  const code = encodeContainer(program);
  // the compiler's output must pass the consensus gate; a rule it breaks is a limit of
  // the contract (too many constants, too deep a stack) or a compiler bug
  try {
    verify(code);
  } catch (e) {
    if (!(e instanceof VerifyError)) throw e;
    throw new CompileError('COMPILE_LIMIT', `the compiled contract breaks a verifier rule: ${e.message}`, { line: 1, column: 1 });
  }
  return { code, abi: abiOf(program) };
}

/** Compiles contract source to the in-memory program (before container encoding). */
export function compileProgram(source: string): Program {
  const checked = typeCheck(parse(source), source);
  const pools = new Pools();
  const functions = checked.ast.functions.map((fn, i) => compileFunction(checked, pools, fn, i, source));
  // register every type the container refers to, children first
  for (const v of checked.storage) [...v.keys, v.value].forEach((t) => pools.type(t));
  for (const e of checked.events) e.fields.forEach((f) => pools.type(f.type));
  for (const v of checked.imports) [...v.params.map((p) => p.type), v.returns].forEach((t) => pools.type(t));
  for (const f of functions) [...f.params.map((p) => p.type), f.returns].forEach((t) => pools.type(t));
  checked.records.forEach((r) => pools.type(r));
  return {
    name: checked.ast.name,
    types: pools.types,
    constants: pools.constants,
    storage: checked.storage,
    events: checked.events,
    imports: checked.imports,
    functions,
    records: checked.records,
  };
}

function compileFunction(c: CheckedContract, pools: Pools, fn: FnDecl, index: number, source: string): FunctionDef {
  const sig = c.functions[index];
  if (fn.locals! > MAX_LOCALS) throw new CompileError('COMPILE_LIMIT', `${fn.name} has more than ${MAX_LOCALS} local variables`, fn.pos, source);
  const b = new FnBuilder(fn.locals!, fn.pos, source);
  const sc = new StmtCompiler(c, pools, b);
  sc.block(fn.body);
  // the implicit end: `return` for functions without a result; for the others the checker
  // proved every path returns, and this tail only keeps the bytecode well-formed
  b.at(fn.pos);
  if (sig.returns.k === 'unit') {
    b.emit(Op.NONE);
    b.emit(Op.RET);
  } else {
    b.emit(Op.CONST, pools.constant('unreachable: no return', fn.pos));
    b.emit(Op.REVERT);
  }
  return {
    name: fn.name,
    exported: fn.exported,
    view: fn.view,
    params: sig.params,
    returns: sig.returns,
    locals: b.locals,
    code: Uint8Array.from(b.code),
    lines: b.lines,
  };
}

class StmtCompiler extends ExprCompiler {
  /** Innermost loop last: where `break` and `continue` go. */
  private readonly loops: Array<{ brk: Label; cont: Label }> = [];

  block(bl: Block): void {
    for (const s of bl.stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    const b = this.b;
    b.at(s.pos);
    switch (s.kind) {
      case 'let':
        this.expr(s.value);
        return this.bindPattern(s.pattern);
      case 'assign':
      case 'push':
      case 'delete':
        return this.update(s);
      case 'if': {
        const other = b.label();
        const end = b.label();
        this.expr(s.cond);
        b.jump(Op.JMPF, other);
        this.block(s.then);
        b.jump(Op.JMP, end);
        b.bind(other);
        if (s.else) this.block(s.else);
        b.bind(end);
        return;
      }
      case 'iflet': {
        const other = b.label();
        const end = b.label();
        this.expr(s.value);
        b.emit(Op.DUP);
        b.emit(Op.ISNONE);
        b.jump(Op.JMPT, other);
        b.emit(Op.STORE, s.slot!);
        this.block(s.then);
        b.jump(Op.JMP, end);
        b.bind(other);
        b.emit(Op.POP);
        if (s.else) this.block(s.else);
        b.bind(end);
        return;
      }
      case 'for': {
        const [coll, idx] = s.hidden!;
        const loop = b.label();
        const end = b.label();
        this.expr(s.iterable);
        b.emit(Op.STORE, coll);
        b.emit(Op.INT, 0);
        b.emit(Op.STORE, idx);
        b.bind(loop);
        b.at(s.pos);
        if (s.pattern.kind === 'pair') {
          b.jump(Op.ITER2, end, coll, idx);
          b.emit(Op.STORE, s.pattern.value.slot!);
          b.emit(Op.STORE, s.pattern.key.slot!);
        } else {
          b.jump(Op.ITER, end, coll, idx);
          this.bindPattern(s.pattern);
        }
        this.loops.push({ brk: end, cont: loop });
        this.block(s.body);
        this.loops.pop();
        b.jump(Op.JMP, loop);
        b.bind(end);
        return;
      }
      case 'require': {
        const ok = b.label();
        this.expr(s.cond);
        b.jump(Op.JMPT, ok);
        this.expr(s.reason);
        b.at(s.pos);
        b.emit(Op.REVERT);
        b.bind(ok);
        return;
      }
      case 'revert':
        this.expr(s.reason);
        b.at(s.pos);
        return b.emit(Op.REVERT);
      case 'return':
        if (s.value) this.expr(s.value);
        else b.emit(Op.NONE);
        return b.emit(Op.RET);
      case 'emit':
        s.args.forEach((a) => this.expr(a));
        b.at(s.pos);
        return b.emit(Op.EMIT, s.index!);
      case 'break':
        return b.jump(Op.JMP, this.loops[this.loops.length - 1].brk);
      case 'continue':
        return b.jump(Op.JMP, this.loops[this.loops.length - 1].cont);
      case 'expr':
        this.expr(s.expr);
        return b.emit(Op.POP);
    }
  }

  /** Stores the value on top of the stack into a pattern's slots. */
  private bindPattern(p: Pattern): void {
    const b = this.b;
    if (p.kind === 'name') return b.emit(Op.STORE, p.slot!);
    if (p.kind === 'tuple') {
      p.names.forEach((n, i) => {
        if (i < p.names.length - 1) b.emit(Op.DUP);
        b.emit(Op.FIELD, i);
        b.emit(Op.STORE, n.slot!);
      });
    }
  }

  /**
   * Assignment, push and delete. Values are immutable, so changing `x.a[k].b` rebuilds the
   * path: keys and intermediate containers go into temporaries and onto the stack on the
   * way down, the new value is computed, then SETFIELD/SETINDEX fold it back up and the
   * root (a local, or a storage slot via SSTORE) is written once. Keys are evaluated left
   * to right, before the right-hand side.
   */
  private update(s: Extract<Stmt, { kind: 'assign' | 'push' | 'delete' }>): void {
    const b = this.b;
    const place = s.place!;
    const mark = b.tempMark;
    const { root, path } = place;
    // root: storage keys into temps, pushed once more for the final SSTORE/SDELETE
    let keyTemps: number[] = [];
    if (root.kind === 'storage') {
      keyTemps = root.keys.map((k) => {
        this.expr(k);
        const t = b.temp();
        b.emit(Op.STORE, t);
        return t;
      });
      keyTemps.forEach((t) => b.emit(Op.LOAD, t));
    }
    if (path.length === 0) {
      this.leaf(s, place, () => this.readRoot(place, keyTemps));
      b.at(s.pos);
      if (root.kind === 'local') b.emit(Op.STORE, root.slot);
      else if (s.kind === 'delete') b.emit(Op.SDELETE, root.index);
      else b.emit(Op.SSTORE, root.index);
      b.releaseTemps(mark);
      return;
    }
    let cur: number;
    if (root.kind === 'local') cur = root.slot;
    else {
      this.readRoot(place, keyTemps);
      cur = b.temp();
      b.emit(Op.STORE, cur);
    }
    const stepKeys: Array<number | undefined> = [];
    path.forEach((step, i) => {
      b.emit(Op.LOAD, cur);
      let kt: number | undefined;
      if (step.kind === 'index') {
        this.expr(step.key);
        kt = b.temp();
        b.emit(Op.STORE, kt);
        b.emit(Op.LOAD, kt);
      }
      stepKeys.push(kt);
      if (i < path.length - 1) {
        this.get(cur, step, kt, s);
        cur = b.temp();
        b.emit(Op.STORE, cur);
      }
    });
    const last = path[path.length - 1];
    if (s.kind === 'delete') {
      b.at(s.pos);
      b.emit(Op.DELKEY);
    } else {
      this.leaf(s, place, () => this.get(cur, last, stepKeys[path.length - 1], s));
      this.set(last, s);
    }
    for (let i = path.length - 2; i >= 0; i--) this.set(path[i], s);
    b.at(s.pos);
    if (root.kind === 'local') b.emit(Op.STORE, root.slot);
    else b.emit(Op.SSTORE, root.index);
    b.releaseTemps(mark);
  }

  /** Pushes the root value of a storage place (keys from temps), unwrapped if needed. */
  private readRoot(place: Place, keyTemps: number[]): void {
    const b = this.b;
    if (place.root.kind === 'local') return b.emit(Op.LOAD, place.root.slot);
    keyTemps.forEach((t) => b.emit(Op.LOAD, t));
    b.emit(Op.SLOAD, place.root.index);
    if (place.unwrap) b.emit(Op.UNWRAP);
  }

  /** Pushes the new value of the place: the right-hand side, or old ∘ rhs for `+=`, `-=`, push. */
  private leaf(s: Extract<Stmt, { kind: 'assign' | 'push' | 'delete' }>, place: Place, readOld: () => void): void {
    const b = this.b;
    if (s.kind === 'delete') return;
    if (s.kind === 'assign' && s.op === '=') return this.expr(s.value);
    readOld();
    this.expr(s.value);
    b.at(s.pos);
    if (s.kind === 'push') b.emit(Op.APPEND);
    else if (s.op === '-=') b.emit(Op.SUB);
    else b.emit(place.type.k === 'int' ? Op.ADD : Op.CONCAT);
  }

  /** Pushes the child of the container in local `cur` at `step` (a map entry must exist). */
  private get(cur: number, step: Place['path'][number], kt: number | undefined, s: Stmt): void {
    const b = this.b;
    b.emit(Op.LOAD, cur);
    b.at(s.pos);
    if (step.kind === 'field') return b.emit(Op.FIELD, step.index);
    b.emit(Op.LOAD, kt!);
    b.emit(Op.INDEX);
    if (step.map) b.emit(Op.UNWRAP);
  }

  /** Replaces the child at `step` of the container under the new value on the stack. */
  private set(step: Place['path'][number], s: Stmt): void {
    this.b.at(s.pos);
    if (step.kind === 'field') this.b.emit(Op.SETFIELD, step.index);
    else this.b.emit(Op.SETINDEX);
  }
}
