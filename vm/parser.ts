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
import type { Block, ContractAst, FnDecl, InterfaceDecl, Param, Pattern, Pos, Stmt } from './ast.js';
import { ExprParser } from './parseExpr.js';
import { describe } from './tokens.js';

export { MAX_NESTING } from './tokens.js';

/** Parses a whole contract; throws CompileError with line:column and a caret snippet. */
export function parse(source: string): ContractAst {
  return new Parser(source).contract();
}

class Parser extends ExprParser {
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

}
