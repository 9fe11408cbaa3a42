/**
 * Expressions and types: precedence climbing over the binary operators, then unary,
 * postfix (call, index, field) and primary expressions, including literals of lists, maps,
 * tuples and records. The grammar is summarised in vm/parser.ts.
 */
import type { BinaryOp, EnvName, Expr, Pos, TypeExpr } from './ast.js';
import type { Token } from './lexer.js';
import { describe, TokenStream } from './tokens.js';

/** Binding power of binary operators (higher binds tighter). */
const PRECEDENCE: Record<string, number> = {
  '??': 1, '||': 2, '&&': 3, '==': 4, '!=': 4, '<': 5, '<=': 5, '>': 5, '>=': 5, in: 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7,
};
/** Comparisons do not chain: `a < b < c` is an error, not a surprise. */
const NON_ASSOCIATIVE = new Set([4, 5]);

export class ExprParser extends TokenStream {
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

  protected unary(): Expr {
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

  protected postfix(e: Expr): Expr {
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

  protected args(): Expr[] {
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

  protected primary(): Expr {
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

  protected keywordPrimary(t: Token): Expr {
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

  protected parenOrTuple(open: Token): Expr {
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

  protected items(close: string): Expr[] {
    const out: Expr[] = [];
    while (!this.eat(close)) {
      out.push(this.expr());
      if (!this.eat(',') && !this.check(close)) this.fail(`expected ',' or '${close}', found ${describe(this.peek())}`);
    }
    return out;
  }

  protected mapLit(open: Token): Expr {
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
  protected recordLit(name: Token): Expr {
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

}
