/**
 * Recursive-descent parser: tokens → ContractAst. Grammar (newline or `;` ends a statement):
 *
 *   contract   = "contract" IDENT { decl }
 *   decl       = "const" IDENT [":" type] "=" expr
 *              | "record" IDENT "{" { IDENT ":" type [","] } "}"
 *              | "event" IDENT "(" [params] ")"
 *              | "storage" "{" { IDENT ":" type [","] } "}"
 *              | "interface" IDENT "{" { "view" "fn" IDENT "(" [params] ")" ["->" type] } "}"
 *              | ["private"] ["view"] "fn" IDENT "(" [params] ")" ["->" type] block
 *   type       = ( "int" | "bool" | "string" | "bytes" | "address" | IDENT
 *              | "list" "<" type ">" | "map" "<" type "," type ">" | "(" type "," type {"," type} ")" ) ["?"]
 *   stmt       = "let" pattern [":" type] "=" expr | place ("=" | "+=" | "-=") expr | place ".push" "(" expr ")"
 *              | "delete" place | "if" ["let" IDENT "="] expr block ["else" (if | block)]
 *              | "for" pattern "in" expr block | "require" "(" expr "," expr ")" | "revert" "(" expr ")"
 *              | "return" [expr] | "emit" IDENT "(" [args] ")" | "break" | "continue" | expr
 *   pattern    = IDENT | IDENT "," IDENT | "(" IDENT {"," IDENT} ")"
 *   expr       = precedence, loosest first: ?? (right) | || | && | == != | < <= > >= in | + - | * / % | ! - (unary)
 *                | postfix: call "(…)", index "[…]", field ".name" / ".0"
 *   primary    = INT | STRING | 0xHEX | true | false | none | IDENT | Record "{" fields "}"
 *              | "[" items "]" | "{" k ":" v, … "}" | "(" expr ")" | "(" expr "," … ")"
 *              | caller | self | block.height | block.time | tx.hash | storage
 */
import type { BinaryOp, Block, ContractAst, EnvName, Expr, FnDecl, InterfaceDecl, Param, Pattern, Pos, Stmt, TypeExpr } from './ast.js';
import { CompileError } from './errors.js';
import { lex, type Token } from './lexer.js';

/**
 * Deepest nesting of expressions/blocks the parser follows; far beyond any real rule and
 * well inside the JS stack, so hostile input gets a CompileError, not a RangeError.
 */
export const MAX_NESTING = 200;

/** Binding power of binary operators (higher binds tighter). */
const PRECEDENCE: Record<string, number> = {
  '??': 1, '||': 2, '&&': 3, '==': 4, '!=': 4, '<': 5, '<=': 5, '>': 5, '>=': 5, in: 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7,
};
/** Comparisons do not chain: `a < b < c` is an error, not a surprise. */
const NON_ASSOCIATIVE = new Set([4, 5]);

/** Parses a whole contract; throws CompileError with line:column and a caret snippet. */
export function parse(source: string): ContractAst {
  return new Parser(source).contract();
}

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private depth = 0;
  /** Inside an `if`/`for` header a `{` opens the block, not a record or map literal. */
  private noBrace = false;

  constructor(private readonly source: string) {
    this.toks = lex(source);
  }

  contract(): ContractAst {
    const pos = this.expectKeyword('contract').pos;
    const ast: ContractAst = { name: this.ident('a contract name'), consts: [], records: [], events: [], storage: [], interfaces: [], functions: [], pos };
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (this.isKw('const')) {
        this.next();
        const name = this.ident('a constant name');
        const type = this.eat(':') ? this.type() : undefined;
        this.expect('=');
        ast.consts.push({ name, type, value: this.expr(), pos: t.pos });
      } else if (this.isKw('record')) {
        this.next();
        const name = this.ident('a record name');
        ast.records.push({ name, fields: this.fieldList('{', '}'), pos: t.pos });
      } else if (this.isKw('event')) {
        this.next();
        const name = this.ident('an event name');
        ast.events.push({ name, fields: this.fieldList('(', ')'), pos: t.pos });
      } else if (this.isKw('storage')) {
        this.next();
        for (const f of this.fieldList('{', '}')) ast.storage.push({ name: f.name, type: f.type, pos: f.pos });
      } else if (this.isKw('interface')) {
        ast.interfaces.push(this.interfaceDecl());
      } else if (this.isKw('fn') || this.isKw('view') || this.isKw('private')) {
        ast.functions.push(this.fnDecl());
      } else {
        this.fail(`expected a declaration (const, record, event, storage, interface, fn), found ${describe(t)}`, t);
      }
    }
    return ast;
  }

  private interfaceDecl(): InterfaceDecl {
    const pos = this.next().pos;
    const name = this.ident('an interface name');
    const functions: InterfaceDecl['functions'] = [];
    this.expect('{');
    while (!this.eat('}')) {
      const fpos = this.expectKeyword('view').pos;
      this.expectKeyword('fn');
      const fname = this.ident('a function name');
      const params = this.fieldList('(', ')');
      const returns = this.eat('->') ? this.type() : undefined;
      functions.push({ name: fname, params, returns, pos: fpos });
    }
    return { name, functions, pos };
  }

  private fnDecl(): FnDecl {
    const pos = this.peek().pos;
    const exported = !this.eatKw('private');
    const view = this.eatKw('view');
    this.expectKeyword('fn');
    const name = this.ident('a function name');
    const params = this.fieldList('(', ')');
    const returns = this.eat('->') ? this.type() : undefined;
    return { name, exported, view, params, returns, body: this.block(), pos };
  }

  /** `open name: type, … close`; commas optional between lines. */
  private fieldList(open: string, close: string): Param[] {
    this.expect(open);
    const out: Param[] = [];
    while (!this.eat(close)) {
      const pos = this.peek().pos;
      const name = this.ident('a name');
      this.expect(':');
      out.push({ name, type: this.type(), pos });
      if (!this.eat(',') && !this.check(close) && !this.peek().nl) this.fail(`expected ',' or '${close}', found ${describe(this.peek())}`);
    }
    return out;
  }

  type(): TypeExpr {
    this.enter();
    const t = this.peek();
    let ty: TypeExpr;
    if (this.eat('(')) {
      const items = [this.type()];
      while (this.eat(',')) items.push(this.type());
      this.expect(')');
      if (items.length < 2) this.fail('a tuple type needs at least two items', t);
      ty = { kind: 'tuple', items, pos: t.pos };
    } else {
      const name = this.ident('a type');
      if (name === 'list') {
        this.expect('<');
        ty = { kind: 'list', of: this.type(), pos: t.pos };
        this.expect('>');
      } else if (name === 'map') {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        ty = { kind: 'map', key, value: this.type(), pos: t.pos };
        this.expect('>');
      } else {
        ty = { kind: 'named', name, pos: t.pos };
      }
    }
    if (this.check('?')) ty = { kind: 'option', of: ty, pos: this.next().pos };
    else if (this.check('??')) {
      // `T??` lexes as one token; parse it so the checker can say options do not nest
      const pos = this.next().pos;
      ty = { kind: 'option', of: { kind: 'option', of: ty, pos }, pos };
    }
    this.leave();
    return ty;
  }

  private block(): Block {
    this.enter();
    const pos = this.expect('{').pos;
    const stmts: Stmt[] = [];
    while (!this.eat('}')) {
      if (this.eat(';')) continue;
      stmts.push(this.stmt());
      const t = this.peek();
      if (!t.nl && !this.check(';') && !this.check('}')) this.fail(`expected the end of the statement, found ${describe(t)}`, t);
    }
    this.leave();
    return { stmts, pos };
  }

  private stmt(): Stmt {
    const t = this.peek();
    const pos = t.pos;
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'let': {
          this.next();
          const pattern = this.pattern();
          const type = this.eat(':') ? this.type() : undefined;
          this.expect('=');
          return { kind: 'let', pattern, type, value: this.expr(), pos };
        }
        case 'if':
          return this.ifStmt();
        case 'for': {
          this.next();
          const pattern = this.pattern();
          this.expectKeyword('in');
          const iterable = this.header(() => this.expr());
          return { kind: 'for', pattern, iterable, body: this.block(), pos };
        }
        case 'require': {
          this.next();
          this.expect('(');
          const cond = this.expr();
          this.expect(',');
          const reason = this.expr();
          this.expect(')');
          return { kind: 'require', cond, reason, pos };
        }
        case 'revert': {
          this.next();
          this.expect('(');
          const reason = this.expr();
          this.expect(')');
          return { kind: 'revert', reason, pos };
        }
        case 'return': {
          this.next();
          const n = this.peek();
          const value = n.nl || n.text === '}' || n.text === ';' ? undefined : this.expr();
          return { kind: 'return', value, pos };
        }
        case 'emit': {
          this.next();
          const event = this.ident('an event name');
          return { kind: 'emit', event, args: this.args(), pos };
        }
        case 'delete':
          this.next();
          return { kind: 'delete', target: this.expr(), pos };
        case 'break':
        case 'continue':
          this.next();
          return { kind: t.text, pos };
        default:
          break;
      }
    }
    const e = this.expr();
    const op = this.peek().text;
    if (this.peek().kind === 'punct' && (op === '=' || op === '+=' || op === '-=')) {
      this.next();
      return { kind: 'assign', target: e, op, value: this.expr(), pos };
    }
    if (e.kind === 'call' && e.callee.kind === 'field' && e.callee.name === 'push') {
      if (e.args.length !== 1) this.fail('push takes one value', e);
      return { kind: 'push', target: e.callee.target, value: e.args[0], pos };
    }
    return { kind: 'expr', expr: e, pos };
  }

  private ifStmt(): Stmt {
    const pos = this.expectKeyword('if').pos;
    let s: Stmt;
    if (this.eatKw('let')) {
      const namePos = this.peek().pos;
      const name = this.ident('a name');
      this.expect('=');
      const value = this.header(() => this.expr());
      s = { kind: 'iflet', name, namePos, value, then: this.block(), pos };
    } else {
      const cond = this.header(() => this.expr());
      s = { kind: 'if', cond, then: this.block(), pos };
    }
    if (this.eatKw('else')) {
      s.else = this.isKw('if') ? { stmts: [this.ifStmt()], pos: this.peek().pos } : this.block();
    }
    return s;
  }

  private pattern(): Pattern {
    const t = this.peek();
    if (this.eat('(')) {
      const names = [this.binder()];
      while (this.eat(',')) names.push(this.binder());
      this.expect(')');
      if (names.length < 2) this.fail('a tuple pattern needs at least two names', t);
      return { kind: 'tuple', names, pos: t.pos };
    }
    const first = this.binder();
    if (this.eat(',')) return { kind: 'pair', key: first, value: this.binder(), pos: t.pos };
    return { kind: 'name', name: first.name, pos: first.pos };
  }

  private binder(): { name: string; pos: Pos } {
    const pos = this.peek().pos;
    return { name: this.ident('a name'), pos };
  }

  /** Parses an if/for header, where `{` opens the body. */
  private header<T>(f: () => T): T {
    const saved = this.noBrace;
    this.noBrace = true;
    try {
      return f();
    } finally {
      this.noBrace = saved;
    }
  }

  expr(minPrec = 1): Expr {
    this.enter();
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      const isOp = (t.kind === 'punct' || (t.kind === 'keyword' && t.text === 'in')) && t.text in PRECEDENCE;
      if (!isOp) break;
      const prec = PRECEDENCE[t.text];
      if (prec < minPrec) break;
      this.next();
      // `??` is right-associative; the others left-associative
      const right = this.expr(t.text === '??' ? prec : prec + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
      if (NON_ASSOCIATIVE.has(prec)) {
        const n = this.peek();
        if (n.text in PRECEDENCE && PRECEDENCE[n.text] === prec && (n.kind === 'punct' || n.text === 'in')) {
          this.fail(`'${t.text}' and '${n.text}' do not chain; add parentheses`, n);
        }
      }
    }
    this.leave();
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.check('!') || this.check('-')) {
      this.next();
      this.enter();
      const operand = this.unary();
      this.leave();
      // fold `-123` so the most negative int64 is writable
      if (t.text === '-' && operand.kind === 'int' && !(operand as { parens?: boolean }).parens) {
        return { kind: 'int', value: -operand.value, pos: t.pos };
      }
      return { kind: 'unary', op: t.text as '!' | '-', operand, pos: t.pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct') return e;
      if (t.text === '(' && !t.nl) {
        e = { kind: 'call', callee: e, args: this.args(), pos: e.pos };
      } else if (t.text === '[' && !t.nl) {
        this.next();
        const index = this.inner(() => this.expr());
        this.expect(']');
        e = { kind: 'index', target: e, index, pos: e.pos };
      } else if (t.text === '.') {
        this.next();
        const n = this.next();
        if (n.kind !== 'ident' && !(n.kind === 'int' && /^(0|[1-9][0-9]*)$/.test(n.text))) {
          this.fail(`expected a field name or tuple index after '.', found ${describe(n)}`, n);
        }
        e = { kind: 'field', target: e, name: n.text, namePos: n.pos, pos: e.pos };
      } else {
        return e;
      }
    }
  }

  private args(): Expr[] {
    this.expect('(');
    return this.inner(() => {
      const out: Expr[] = [];
      while (!this.eat(')')) {
        out.push(this.expr());
        if (!this.eat(',') && !this.check(')')) this.fail(`expected ',' or ')', found ${describe(this.peek())}`);
      }
      return out;
    });
  }

  /** Inside brackets, braces are literals again. */
  private inner<T>(f: () => T): T {
    const saved = this.noBrace;
    this.noBrace = false;
    try {
      return f();
    } finally {
      this.noBrace = saved;
    }
  }

  private primary(): Expr {
    const t = this.next();
    const pos = t.pos;
    switch (t.kind) {
      case 'int':
        return { kind: 'int', value: t.int!, pos };
      case 'string':
        return { kind: 'string', value: t.text, pos };
      case 'bytes':
        return { kind: 'bytes', value: t.bytes!, pos };
      case 'ident':
        if (this.check('{') && !this.noBrace) return this.recordLit(t);
        return { kind: 'name', name: t.text, pos };
      case 'keyword':
        return this.keywordPrimary(t);
      case 'punct':
        if (t.text === '(') return this.inner(() => this.parenOrTuple(t));
        if (t.text === '[') return this.inner(() => ({ kind: 'list', items: this.items(']'), pos }));
        if (t.text === '{' && !this.noBrace) return this.inner(() => this.mapLit(t));
        break;
      default:
        break;
    }
    return this.fail(`expected an expression, found ${describe(t)}`, t);
  }

  private keywordPrimary(t: Token): Expr {
    const pos = t.pos;
    switch (t.text) {
      case 'true':
      case 'false':
        return { kind: 'bool', value: t.text === 'true', pos };
      case 'none':
        return { kind: 'none', pos };
      case 'caller':
      case 'self':
        return { kind: 'env', name: t.text, pos };
      case 'storage':
        return { kind: 'storage', pos };
      case 'block':
      case 'tx': {
        this.expect('.');
        const f = this.next();
        const name = `${t.text}.${f.text}`;
        if (name !== 'block.height' && name !== 'block.time' && name !== 'tx.hash') {
          this.fail(`unknown host value '${name}' (block.height, block.time, tx.hash)`, f);
        }
        return { kind: 'env', name: name as EnvName, pos };
      }
      default:
        return this.fail(`expected an expression, found ${describe(t)}`, t);
    }
  }

  private parenOrTuple(open: Token): Expr {
    const first = this.expr();
    if (this.eat(')')) {
      (first as { parens?: boolean }).parens = true;
      return first;
    }
    this.expect(',');
    const items = [first, ...this.items(')')];
    if (items.length < 2) this.fail('a tuple needs at least two items', open);
    return { kind: 'tuple', items, pos: open.pos };
  }

  private items(close: string): Expr[] {
    const out: Expr[] = [];
    while (!this.eat(close)) {
      out.push(this.expr());
      if (!this.eat(',') && !this.check(close)) this.fail(`expected ',' or '${close}', found ${describe(this.peek())}`);
    }
    return out;
  }

  private mapLit(open: Token): Expr {
    const entries: Array<[Expr, Expr]> = [];
    while (!this.eat('}')) {
      const k = this.expr();
      this.expect(':');
      entries.push([k, this.expr()]);
      if (!this.eat(',') && !this.check('}')) this.fail(`expected ',' or '}', found ${describe(this.peek())}`);
    }
    return { kind: 'map', entries, pos: open.pos };
  }

  /** `Name { field: value, other, … }` (a bare field name means `field: field`). */
  private recordLit(name: Token): Expr {
    this.expect('{');
    return this.inner(() => {
      const fields: Array<{ name: string; value: Expr; pos: Pos }> = [];
      while (!this.eat('}')) {
        const ft = this.peek();
        const fname = this.ident('a field name');
        const value: Expr = this.eat(':') ? this.expr() : { kind: 'name', name: fname, pos: ft.pos };
        fields.push({ name: fname, value, pos: ft.pos });
        if (!this.eat(',') && !this.check('}') && !this.peek().nl) this.fail(`expected ',' or '}', found ${describe(this.peek())}`);
      }
      return { kind: 'record', name: name.text, fields, pos: name.pos };
    });
  }

  // ── token helpers ──

  private peek(): Token {
    return this.toks[this.i];
  }

  private next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private check(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private eat(p: string): boolean {
    if (!this.check(p)) return false;
    this.i++;
    return true;
  }

  private expect(p: string): Token {
    if (!this.check(p)) this.fail(`expected '${p}', found ${describe(this.peek())}`);
    return this.next();
  }

  /** A keyword, or a contextual declaration word (lexed as an identifier). */
  private isKw(k: string): boolean {
    const t = this.peek();
    return (t.kind === 'keyword' || t.kind === 'ident') && t.text === k;
  }

  private eatKw(k: string): boolean {
    if (!this.isKw(k)) return false;
    this.i++;
    return true;
  }

  private expectKeyword(k: string): Token {
    if (!this.isKw(k)) this.fail(`expected '${k}', found ${describe(this.peek())}`);
    return this.next();
  }

  private ident(what: string): string {
    const t = this.peek();
    if (t.kind !== 'ident') {
      this.fail(t.kind === 'keyword' ? `expected ${what}, found the keyword '${t.text}'` : `expected ${what}, found ${describe(t)}`, t);
    }
    this.i++;
    return t.text;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`, this.peek(), 'COMPILE_LIMIT');
  }

  private leave(): void {
    this.depth--;
  }

  private fail(reason: string, at: { pos: Pos } = this.peek(), code: 'COMPILE_SYNTAX' | 'COMPILE_LIMIT' = 'COMPILE_SYNTAX'): never {
    throw new CompileError(code, reason, at.pos, this.source);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'the end of the input';
    case 'string':
      return 'a string';
    case 'int':
      return `the number ${t.text}`;
    case 'bytes':
      return 'a bytes literal';
    default:
      return `'${t.text}'`;
  }
}
