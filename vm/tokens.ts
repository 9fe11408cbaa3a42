/**
 * The parser's token cursor: lookahead, expectations with CompileErrors that point at the
 * offending token, the nesting guard and the `{` context flag. Shared by the expression
 * parser (vm/parseExpr.ts) and the declaration/statement parser (vm/parser.ts).
 */
import type { Pos } from './ast.js';
import { CompileError } from './errors.js';
import { lex, type Token } from './lexer.js';

/**
 * Deepest nesting of expressions/blocks the parser follows; far beyond any real rule and
 * well inside the JS stack, so hostile input gets a CompileError, not a RangeError.
 */
export const MAX_NESTING = 200;

export class TokenStream {
  protected readonly toks: Token[];
  protected i = 0;
  protected depth = 0;
  /** Inside an `if`/`for` header a `{` opens the block, not a record or map literal. */
  protected noBrace = false;

  constructor(protected readonly source: string) {
    this.toks = lex(source);
  }

  /** Parses an if/for header, where `{` opens the body. */
  protected header<T>(f: () => T): T {
    const saved = this.noBrace;
    this.noBrace = true;
    try {
      return f();
    } finally {
      this.noBrace = saved;
    }
  }

  /** Inside brackets, braces are literals again. */
  protected inner<T>(f: () => T): T {
    const saved = this.noBrace;
    this.noBrace = false;
    try {
      return f();
    } finally {
      this.noBrace = saved;
    }
  }

  // ── token helpers ──

  protected peek(): Token {
    return this.toks[this.i];
  }

  protected next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  protected check(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  protected eat(p: string): boolean {
    if (!this.check(p)) return false;
    this.i++;
    return true;
  }

  protected expect(p: string): Token {
    if (!this.check(p)) this.fail(`expected '${p}', found ${describe(this.peek())}`);
    return this.next();
  }

  /** A keyword, or a contextual declaration word (lexed as an identifier). */
  protected isKw(k: string): boolean {
    const t = this.peek();
    return (t.kind === 'keyword' || t.kind === 'ident') && t.text === k;
  }

  protected eatKw(k: string): boolean {
    if (!this.isKw(k)) return false;
    this.i++;
    return true;
  }

  protected expectKeyword(k: string): Token {
    if (!this.isKw(k)) this.fail(`expected '${k}', found ${describe(this.peek())}`);
    return this.next();
  }

  protected ident(what: string): string {
    const t = this.peek();
    if (t.kind !== 'ident') {
      this.fail(t.kind === 'keyword' ? `expected ${what}, found the keyword '${t.text}'` : `expected ${what}, found ${describe(t)}`, t);
    }
    this.i++;
    return t.text;
  }

  protected enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`nesting deeper than ${MAX_NESTING} levels`, this.peek(), 'COMPILE_LIMIT');
  }

  protected leave(): void {
    this.depth--;
  }

  protected fail(reason: string, at: { pos: Pos } = this.peek(), code: 'COMPILE_SYNTAX' | 'COMPILE_LIMIT' = 'COMPILE_SYNTAX'): never {
    throw new CompileError(code, reason, at.pos, this.source);
  }}

/** How a token is named in error messages. */
export function describe(t: Token): string {
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
