/**
 * The type checker: resolves declarations (records, constants, storage, events, interfaces,
 * functions), checks every statement and expression (vm/checkExpr.ts), enforces that views
 * never write, that every path of a function with a result returns, and that the call
 * graph is acyclic (no recursion). Annotates the tree for the compiler.
 */
import type { Block, ContractAst, Expr, FnDecl, Pattern, Pos, Stmt, TypeExpr } from './ast.js';
import { BUILTINS, checkExpr, checkValue, expectType, INT64_MAX, INT64_MIN, lookupLocal, optional, type CheckCtx, type FnCtx, type FnSig } from './checkExpr.js';
import { checkPlace } from './checkPlace.js';
import { CompileError, type CompileErrorCode } from './errors.js';
import type { EventDef, StorageVar, ViewImport } from './program.js';
import { BOOL, INT, MAX_TYPE_DEPTH, STRING, UNIT, hasZero, isKeyType, sortFields, typeDepth, typeToString, type Field, type Type } from './valueType.js';

/** The checked contract: the annotated tree plus the tables the compiler emits. */
export interface CheckedContract {
  ast: ContractAst;
  storage: StorageVar[];
  events: EventDef[];
  imports: ViewImport[];
  /** In `ast.functions` order. */
  functions: FnSig[];
  records: Type[];
}

type RecordType = Extract<Type, { k: 'record' }>;

/** Type-checks a parsed contract; throws CompileError. */
export function typeCheck(ast: ContractAst, source: string): CheckedContract {
  return new Checker(ast, source).run();
}

class Checker implements CheckCtx {
  readonly records = new Map<string, RecordType>();
  readonly consts = new Map<string, { value: Expr; type: Type }>();
  readonly storage = new Map<string, { index: number; v: StorageVar }>();
  readonly interfaces = new Map<string, Map<string, { index: number; imp: ViewImport }>>();
  readonly fns = new Map<string, FnSig>();
  private readonly events = new Map<string, { index: number; def: EventDef }>();
  private readonly imports: ViewImport[] = [];
  private readonly calls = new Map<number, Array<{ to: number; pos: Pos }>>();

  constructor(
    private readonly ast: ContractAst,
    private readonly source: string,
  ) {}

  fail(code: CompileErrorCode, reason: string, pos: Pos): never {
    throw new CompileError(code, reason, pos, this.source);
  }

  edge(from: number, to: number, pos: Pos): void {
    const list = this.calls.get(from) ?? [];
    list.push({ to, pos });
    this.calls.set(from, list);
  }

  run(): CheckedContract {
    const { ast } = this;
    const globals = new Map<string, Pos>();
    const claim = (name: string, pos: Pos, what: string) => {
      if (globals.has(name) || BUILTINS.has(name)) this.fail('COMPILE_DUPLICATE', `${what} '${name}' is already defined${BUILTINS.has(name) ? ' (a builtin)' : ''}`, pos);
      globals.set(name, pos);
    };
    for (const r of ast.records) claim(r.name, r.pos, 'record');
    for (const r of ast.records) this.record(r.name, new Set());
    for (const k of ast.consts) {
      claim(k.name, k.pos, 'constant');
      this.constant(k.name, k.value, k.type, k.pos);
    }
    ast.storage.forEach((s, index) => {
      if (this.storage.has(s.name)) this.fail('COMPILE_DUPLICATE', `storage variable '${s.name}' is already defined`, s.pos);
      this.storage.set(s.name, { index, v: this.storageVar(s.name, this.resolve(s.type), s.pos) });
    });
    ast.events.forEach((ev, index) => {
      if (this.events.has(ev.name)) this.fail('COMPILE_DUPLICATE', `event '${ev.name}' is already defined`, ev.pos);
      this.events.set(ev.name, { index, def: { name: ev.name, fields: this.fields(ev.fields, 'event field') } });
    });
    for (const i of ast.interfaces) {
      claim(i.name, i.pos, 'interface');
      const m = new Map<string, { index: number; imp: ViewImport }>();
      for (const fn of i.functions) {
        if (m.has(fn.name)) this.fail('COMPILE_DUPLICATE', `view '${fn.name}' is already declared in ${i.name}`, fn.pos);
        const imp: ViewImport = { iface: i.name, name: fn.name, params: this.fields(fn.params, 'parameter'), returns: fn.returns ? this.resolve(fn.returns) : UNIT };
        m.set(fn.name, { index: this.imports.length, imp });
        this.imports.push(imp);
      }
      this.interfaces.set(i.name, m);
    }
    const sigs = ast.functions.map((fn, index) => {
      claim(fn.name, fn.pos, 'function');
      const sig: FnSig = { index, name: fn.name, view: fn.view, params: this.fields(fn.params, 'parameter'), returns: fn.returns ? this.resolve(fn.returns) : UNIT };
      this.fns.set(fn.name, sig);
      return sig;
    });
    ast.functions.forEach((fn, i) => this.fnBody(fn, sigs[i]));
    this.checkAcyclic(sigs);
    return {
      ast,
      storage: [...this.storage.values()].map((s) => s.v),
      events: [...this.events.values()].map((e) => e.def),
      imports: this.imports,
      functions: sigs,
      records: ast.records.map((r) => this.records.get(r.name)!),
    };
  }

  // ── declarations ──

  private record(name: string, visiting: Set<string>): RecordType {
    const done = this.records.get(name);
    if (done) return done;
    const decl = this.ast.records.find((r) => r.name === name)!;
    if (visiting.has(name)) this.fail('COMPILE_TYPE', `record ${name} contains itself`, decl.pos);
    visiting.add(name);
    const fields = this.fields(decl.fields, 'field', visiting);
    visiting.delete(name);
    const r: RecordType = { k: 'record', name, fields: sortFields(fields) };
    this.records.set(name, r);
    return r;
  }

  private fields(params: Array<{ name: string; type: TypeExpr; pos: Pos }>, what: string, visiting?: Set<string>): Field[] {
    const seen = new Set<string>();
    return params.map((p) => {
      if (seen.has(p.name)) this.fail('COMPILE_DUPLICATE', `${what} '${p.name}' is already defined`, p.pos);
      seen.add(p.name);
      return { name: p.name, type: this.resolve(p.type, visiting) };
    });
  }

  /** A type expression → a type (records resolved, keys checked, depth bounded). */
  resolve(te: TypeExpr, visiting = new Set<string>()): Type {
    let t: Type;
    switch (te.kind) {
      case 'named': {
        const scalar = ['int', 'bool', 'string', 'bytes', 'address'].includes(te.name);
        if (scalar) t = { k: te.name } as Type;
        else if (this.ast.records.some((r) => r.name === te.name)) t = this.record(te.name, visiting);
        else return this.fail('COMPILE_UNKNOWN_NAME', `unknown type '${te.name}'`, te.pos);
        break;
      }
      case 'list':
        t = { k: 'list', of: this.resolve(te.of, visiting) };
        break;
      case 'map': {
        const key = this.resolve(te.key, visiting);
        if (!isKeyType(key)) this.fail('COMPILE_TYPE', `map keys must be int, string, bytes, address or bool, not ${typeToString(key)}`, te.key.pos);
        t = { k: 'map', key, value: this.resolve(te.value, visiting) };
        break;
      }
      case 'tuple':
        t = { k: 'tuple', items: te.items.map((i) => this.resolve(i, visiting)) };
        break;
      case 'option': {
        const of = this.resolve(te.of, visiting);
        if (of.k === 'option') this.fail('COMPILE_TYPE', 'options do not nest (T?? is not a type)', te.pos);
        t = { k: 'option', of };
        break;
      }
    }
    if (typeDepth(t) > MAX_TYPE_DEPTH) this.fail('COMPILE_LIMIT', `type nests deeper than ${MAX_TYPE_DEPTH} levels`, te.pos);
    return t;
  }

  private constant(name: string, value: Expr, te: TypeExpr | undefined, pos: Pos): void {
    let type: Type;
    if (value.kind === 'int') {
      if (value.value < INT64_MIN || value.value > INT64_MAX) this.fail('COMPILE_TYPE', 'integer literal out of the int range (64-bit signed)', value.pos);
      type = INT;
    } else if (value.kind === 'string') type = STRING;
    else if (value.kind === 'bool') type = BOOL;
    else if (value.kind === 'bytes') type = te?.kind === 'named' && te.name === 'address' && value.value.length === 20 ? { k: 'address' } : { k: 'bytes' };
    else return this.fail('COMPILE_TYPE', `constant ${name} must be a literal (int, string, bytes or bool)`, value.pos);
    if (te) {
      const want = this.resolve(te);
      if (typeToString(want) !== typeToString(type)) this.fail('COMPILE_TYPE', `constant ${name}: expected ${typeToString(want)}, found ${typeToString(type)}`, value.pos);
    }
    value.ty = type;
    this.consts.set(name, { value, type });
    void pos;
  }

  /** Splits a storage type into slot keys (its outer map layers) and the stored value. */
  private storageVar(name: string, t: Type, pos: Pos): StorageVar {
    const keys: Type[] = [];
    let value = t;
    while (value.k === 'map') {
      keys.push(value.key);
      value = value.value;
    }
    if (keys.length === 0 && !hasZero(value)) {
      this.fail('COMPILE_TYPE', `storage ${name}: an unset ${typeToString(value)} has no zero value; declare it ${typeToString(value)}?`, pos);
    }
    return { name, keys, value };
  }

  // ── functions and statements ──

  private fnBody(fn: FnDecl, sig: FnSig): void {
    const f: FnCtx = { sig, scopes: [new Map()], nextSlot: 0, loops: 0 };
    fn.params.forEach((p, i) => this.declare(f, p.name, sig.params[i].type, p.pos));
    this.block(f, fn.body);
    fn.locals = f.nextSlot;
    if (sig.returns.k !== 'unit' && !terminates(fn.body)) {
      this.fail('COMPILE_MISSING_RETURN', `${fn.name} must return a ${typeToString(sig.returns)} on every path`, fn.pos);
    }
  }

  private declare(f: FnCtx, name: string, type: Type, pos: Pos): number {
    if (lookupLocal(f, name) || this.consts.has(name)) this.fail('COMPILE_DUPLICATE', `'${name}' is already defined (no shadowing)`, pos);
    const slot = f.nextSlot++;
    f.scopes[f.scopes.length - 1].set(name, { slot, type });
    return slot;
  }

  private block(f: FnCtx, b: Block, bind?: (f: FnCtx) => void): void {
    f.scopes.push(new Map());
    bind?.(f);
    for (const s of b.stmts) this.stmt(f, s);
    f.scopes.pop();
  }

  private bind(f: FnCtx, p: Pattern, t: Type): void {
    if (p.kind === 'name') {
      p.slot = this.declare(f, p.name, t, p.pos);
    } else if (p.kind === 'tuple') {
      if (t.k !== 'tuple' || t.items.length !== p.names.length) {
        this.fail('COMPILE_TYPE', `cannot unpack ${typeToString(t)} into ${p.names.length} names`, p.pos);
      }
      p.names.forEach((n, i) => (n.slot = this.declare(f, n.name, (t as Extract<Type, { k: 'tuple' }>).items[i], n.pos)));
    } else {
      this.fail('COMPILE_TYPE', 'a key, value pair binds only in a for over a map', p.pos);
    }
  }

  private stmt(f: FnCtx, s: Stmt): void {
    switch (s.kind) {
      case 'let': {
        const t = s.type ? this.resolve(s.type) : undefined;
        const vt = t ? (expectType(this, f, s.value, t, 'let'), t) : checkValue(this, f, s.value);
        this.bind(f, s.pattern, vt);
        return;
      }
      case 'assign': {
        const place = checkPlace(this, f, s.target, 'write');
        s.place = place;
        if (s.op === '=') {
          expectType(this, f, s.value, place.type, 'assignment');
        } else {
          const ok = s.op === '-=' ? place.type.k === 'int' : ['int', 'string', 'bytes', 'list'].includes(place.type.k);
          if (!ok) this.fail('COMPILE_TYPE', `'${s.op}' does not apply to ${typeToString(place.type)}`, s.pos);
          expectType(this, f, s.value, place.type, `right of '${s.op}'`);
        }
        return;
      }
      case 'push': {
        const place = checkPlace(this, f, s.target, 'write');
        s.place = place;
        if (place.type.k !== 'list') this.fail('COMPILE_TYPE', `push appends to a list, not ${typeToString(place.type)}`, s.target.pos);
        expectType(this, f, s.value, (place.type as Extract<Type, { k: 'list' }>).of, 'pushed value');
        return;
      }
      case 'delete':
        s.place = checkPlace(this, f, s.target, 'delete');
        return;
      case 'if':
        expectType(this, f, s.cond, BOOL, 'if condition');
        this.block(f, s.then);
        if (s.else) this.block(f, s.else);
        return;
      case 'iflet': {
        const t = checkValue(this, f, s.value);
        if (t.k !== 'option') this.fail('COMPILE_TYPE', `if let unwraps an optional value, not ${typeToString(t)}`, s.value.pos);
        this.block(f, s.then, (ff) => (s.slot = this.declare(ff, s.name, (t as Extract<Type, { k: 'option' }>).of, s.namePos)));
        if (s.else) this.block(f, s.else);
        return;
      }
      case 'for':
        return this.forStmt(f, s);
      case 'require':
        expectType(this, f, s.cond, BOOL, 'require condition');
        expectType(this, f, s.reason, STRING, 'require reason');
        return;
      case 'revert':
        expectType(this, f, s.reason, STRING, 'revert reason');
        return;
      case 'return': {
        const want = f.sig.returns;
        if (want.k === 'unit') {
          if (s.value) this.fail('COMPILE_TYPE', `${f.sig.name} returns nothing`, s.value.pos);
        } else if (!s.value) this.fail('COMPILE_TYPE', `${f.sig.name} must return a ${typeToString(want)}`, s.pos);
        else expectType(this, f, s.value, want, 'return value');
        return;
      }
      case 'emit': {
        const ev = this.events.get(s.event);
        if (!ev) this.fail('COMPILE_UNKNOWN_NAME', `unknown event '${s.event}'`, s.pos);
        if (f.sig.view) this.fail('COMPILE_VIEW_WRITES', `view ${f.sig.name} cannot emit events`, s.pos);
        const fields = ev!.def.fields;
        if (s.args.length !== fields.length) this.fail('COMPILE_TYPE', `event ${s.event} has ${fields.length} field(s), found ${s.args.length}`, s.pos);
        s.args.forEach((a, i) => expectType(this, f, a, fields[i].type, `field ${fields[i].name} of ${s.event}`));
        s.index = ev!.index;
        return;
      }
      case 'break':
      case 'continue':
        if (f.loops === 0) this.fail('COMPILE_TYPE', `${s.kind} outside a loop`, s.pos);
        return;
      case 'expr':
        if (s.expr.kind !== 'call') this.fail('COMPILE_TYPE', 'this expression does nothing (only calls can stand alone)', s.pos);
        checkValue(this, f, s.expr, undefined, true);
        return;
    }
  }

  private forStmt(f: FnCtx, s: Extract<Stmt, { kind: 'for' }>): void {
    const it = checkExpr(this, f, s.iterable);
    f.loops++;
    s.hidden = [f.nextSlot++, f.nextSlot++];
    this.block(f, s.body, (ff) => {
      if (it.k === 'list') this.bind(ff, s.pattern, it.of);
      else if (it.k === 'range') this.bind(ff, s.pattern, INT);
      else if (it.k === 'map') {
        if (s.pattern.kind !== 'pair') this.fail('COMPILE_TYPE', 'iterate a map as: for key, value in m (or for k in keys(m))', s.pattern.pos);
        const p = s.pattern as Extract<Pattern, { kind: 'pair' }>;
        p.key.slot = this.declare(ff, p.key.name, it.key, p.key.pos);
        p.value.slot = this.declare(ff, p.value.name, it.value, p.value.pos);
      } else if (it.k === 'sref') {
        this.fail('COMPILE_TYPE', `storage.${it.v.name} cannot be iterated (storage maps have no key list); keep a list of keys`, s.iterable.pos);
      } else this.fail('COMPILE_TYPE', `for iterates a list, map or range, not ${typeToString(it as Type)}`, s.iterable.pos);
    });
    f.loops--;
  }

  private checkAcyclic(sigs: FnSig[]): void {
    const state = new Array<number>(sigs.length).fill(0); // 0 new, 1 on stack, 2 done
    const trail: number[] = [];
    const visit = (i: number): void => {
      state[i] = 1;
      trail.push(i);
      for (const { to, pos } of this.calls.get(i) ?? []) {
        if (state[to] === 1) {
          const cycle = [...trail.slice(trail.indexOf(to)), to].map((x) => sigs[x].name).join(' → ');
          this.fail('COMPILE_RECURSION', `recursion is not allowed: ${cycle}`, pos);
        }
        if (state[to] === 0) visit(to);
      }
      trail.pop();
      state[i] = 2;
    };
    sigs.forEach((_, i) => state[i] === 0 && visit(i));
  }
}

/** Whether control cannot fall off the end of `b` (it returns or reverts on every path). */
function terminates(b: Block): boolean {
  const last = b.stmts[b.stmts.length - 1];
  if (!last) return false;
  if (last.kind === 'return' || last.kind === 'revert') return true;
  if ((last.kind === 'if' || last.kind === 'iflet') && last.else) return terminates(last.then) && terminates(last.else);
  return false;
}

export { optional };
