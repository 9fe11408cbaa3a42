import { describe, expect, it } from 'vitest';
import type { Expr, Stmt } from '../../vm/ast.js';
import { CompileError } from '../../vm/errors.js';
import { MAX_NESTING, parse } from '../../vm/parser.js';
import { fixture } from './fixtures.js';

/** Parses `body` as the body of a function and returns its statements. */
function stmts(body: string): Stmt[] {
  return parse(`contract t\nfn f() {\n${body}\n}`).functions[0].body.stmts;
}

/** Parses one expression (as `let x = <e>`). */
function expr(e: string): Expr {
  const s = stmts(`let x = ${e}`)[0];
  if (s.kind !== 'let') throw new Error('not a let');
  return s.value;
}

/** A compact S-expression of an expression tree (for precedence tests). */
function sx(e: Expr): string {
  switch (e.kind) {
    case 'binary':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'unary':
      return `(${e.op} ${sx(e.operand)})`;
    case 'int':
      return String(e.value);
    case 'name':
      return e.name;
    case 'call':
      return `(call ${sx(e.callee)} ${e.args.map(sx).join(' ')})`;
    case 'index':
      return `(at ${sx(e.target)} ${sx(e.index)})`;
    case 'field':
      return `(. ${sx(e.target)} ${e.name})`;
    case 'list':
      return `[${e.items.map(sx).join(' ')}]`;
    case 'tuple':
      return `(tuple ${e.items.map(sx).join(' ')})`;
    case 'env':
      return e.name;
    case 'storage':
      return 'storage';
    default:
      return e.kind;
  }
}

function parseError(src: string): CompileError {
  try {
    parse(src);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('parser: declarations', () => {
  it('parses the consent fixture', () => {
    const c = parse(fixture('consent'));
    expect(c.name).toBe('consent');
    expect(c.records.map((r) => r.name)).toEqual(['Grant']);
    expect(c.events.map((e) => e.name)).toEqual(['Granted', 'Revoked', 'Accessed']);
    expect(c.storage.map((s) => s.name)).toEqual(['nextId', 'grants', 'byPair', 'registry']);
    expect(c.interfaces[0].functions[0].name).toBe('isPractitioner');
    expect(c.consts[0].name).toBe('MAX_CATEGORIES');
    expect(c.functions.map((f) => [f.name, f.exported, f.view])).toEqual([
      ['setRegistry', true, false], ['grant', true, false], ['revoke', true, false], ['check', true, true],
      ['valid', false, true], ['logAccess', true, false], ['grantOf', true, true],
    ]);
  });

  it('parses every type form', () => {
    const c = parse('contract t\nstorage { a: int?, b: list<map<string, (int, bytes)>>, c: Rec }');
    expect(c.storage.map((s) => s.type)).toMatchObject([
      { kind: 'option', of: { kind: 'named', name: 'int' } },
      { kind: 'list', of: { kind: 'map', key: { kind: 'named', name: 'string' }, value: { kind: 'tuple', items: [{ name: 'int' }, { name: 'bytes' }] } } },
      { kind: 'named', name: 'Rec' },
    ]);
  });

  it('allows commas or newlines between fields', () => {
    const c = parse('contract t\nrecord R { a: int, b: int\n c: int\n}\nevent E(a: int, b: int)');
    expect(c.records[0].fields.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    expect(c.events[0].fields).toHaveLength(2);
  });
});

describe('parser: expressions', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a ?? b ?? c', '(?? a (?? b c))'],
    ['a ?? b + 1', '(?? a (+ b 1))'],
    ['!a == b', '(== (! a) b)'],
    ['a == b && c < d', '(&& (== a b) (< c d))'],
    ['x in xs || y', '(|| (in x xs) y)'],
    ['-x * 2', '(* (- x) 2)'],
    ['-5', '-5'],
    ['-(5)', '(- 5)'],
    ['f(a, b)[0].c', '(. (at (call f a b) 0) c)'],
    ['t.0.1', '(. (. t 0) 1)'],
    ['(1, 2)', '(tuple 1 2)'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['[1, 2, ]', '[1 2]'],
    ['storage.a[k]', '(at (. storage a) k)'],
    ['block.time + block.height', '(+ block.time block.height)'],
  ])('%s → %s', (src, want) => {
    expect(sx(expr(src))).toBe(want);
  });

  it('folds the most negative int64 literal', () => {
    expect(expr('-9223372036854775808')).toMatchObject({ kind: 'int', value: -(2n ** 63n) });
  });

  it('parses record and map literals, with field shorthand', () => {
    expect(expr('Grant { a: 1, b }')).toMatchObject({ kind: 'record', name: 'Grant', fields: [{ name: 'a' }, { name: 'b', value: { kind: 'name', name: 'b' } }] });
    expect(expr('{ "a": 1, "b": 2 }')).toMatchObject({ kind: 'map', entries: [[{ value: 'a' }, { value: 1n }], [{ value: 'b' }, { value: 2n }]] });
  });

  it('reads a { after an if condition as the block, not a literal', () => {
    const [s] = stmts('if a == b { return }');
    expect(s).toMatchObject({ kind: 'if', cond: { kind: 'binary', op: '==' } });
  });

  it('a call must start on the callee line', () => {
    const s = stmts('let a = b\n(c, d)');
    expect(s).toHaveLength(2);
    expect(s[1]).toMatchObject({ kind: 'expr', expr: { kind: 'tuple' } });
  });
});

describe('parser: statements', () => {
  it('parses each statement kind', () => {
    const s = stmts(`
      let (a, b) = t
      let c: int = 1
      c = 2; c += 1; c -= 1
      xs.push(3)
      delete storage.m[1]
      if a { } else if b { } else { }
      if let g = o { } else { }
      for x in xs { break }
      for k, v in m { continue }
      for (p, q) in ps { }
      require(a, "r")
      revert("r")
      emit E(1, 2)
      f()
      return 1`);
    expect(s.map((x) => x.kind)).toEqual([
      'let', 'let', 'assign', 'assign', 'assign', 'push', 'delete', 'if', 'iflet', 'for', 'for', 'for', 'require', 'revert', 'emit', 'expr', 'return',
    ]);
    expect(s[7]).toMatchObject({ else: { stmts: [{ kind: 'if', else: { stmts: [] } }] } });
    expect(s[10]).toMatchObject({ pattern: { kind: 'pair', key: { name: 'k' }, value: { name: 'v' } } });
    expect(s[11]).toMatchObject({ pattern: { kind: 'tuple', names: [{ name: 'p' }, { name: 'q' }] } });
  });

  it('return without a value ends at the line break', () => {
    const s = stmts('return\nf()');
    expect(s[0]).toMatchObject({ kind: 'return', value: undefined });
  });
});

describe('parser: errors name line:column with a caret', () => {
  it('formats the snippet', () => {
    const e = parseError('contract t\nfn f() {\n  let = 1\n}');
    expect(e.message).toBe("3:7: expected a name, found '='\n3 |   let = 1\n  |       ^");
    expect(e.context).toMatchObject({ reason: "expected a name, found '='", line: 3, column: 7 });
  });

  it.each([
    ['fn f() {}', "expected 'contract', found 'fn'", 1, 1],
    ['contract', 'expected a contract name, found the end of the input', 1, 9],
    ['contract t\nfoo', 'expected a declaration (const, record, event, storage, interface, fn), found \'foo\'', 2, 1],
    ['contract t\nfn f() { let x = 1 let y = 2 }', 'expected the end of the statement', 2, 20],
    ['contract t\nfn f() { x = }', "expected an expression, found '}'", 2, 14],
    ['contract t\nfn f() { f(1 2) }', "expected ',' or ')', found the number 2", 2, 14],
    ['contract t\nfn f() { a < b < c }', "'<' and '<' do not chain; add parentheses", 2, 16],
    ['contract t\nfn f() { a == b != c }', "'==' and '!=' do not chain", 2, 17],
    ['contract t\nfn f() { x.push(1, 2) }', 'push takes one value', 2, 10],
    ['contract t\nfn f() { let (a) = t }', 'a tuple pattern needs at least two names', 2, 14],
    ['contract t\nfn f() { let x = (1,) }', 'a tuple needs at least two items', 2, 18],
    ['contract t\nstorage { a: (int) }', 'a tuple type needs at least two items', 2, 14],
    ['contract t\nfn f() { let x = block.number }', "unknown host value 'block.number'", 2, 24],
    ['contract t\nfn f() { let x = t.foo.- }', "expected a field name or tuple index after '.'", 2, 24],
    ['contract t\nfn f() { let x = t.01 }', "expected a field name or tuple index after '.'", 2, 20],
    ['contract t\nfn f() { let let = 1 }', "expected a name, found the keyword 'let'", 2, 14],
    ['contract t\ninterface I { fn f() }', "expected 'view', found 'fn'", 2, 15],
    ['contract t\nrecord R { a int }', "expected ':', found 'int'", 2, 14],
    ['contract t\nrecord R { a: int b: int }', "expected ',' or '}', found 'b'", 2, 19],
    ['contract t\nfn f() { let m = {1 2} }', "expected ':', found the number 2", 2, 21],
    ['contract t\nfn f() { let r = R { a: 1 b: 2 } }', "expected ',' or '}', found 'b'", 2, 27],
  ])('%j → %s', (src, msg, line, column) => {
    const e = parseError(src);
    expect(e.code).toBe('COMPILE_SYNTAX');
    expect(e.context.reason).toContain(msg);
    expect(e.position).toEqual({ line, column });
  });

  it('rejects nesting beyond MAX_NESTING with COMPILE_LIMIT, not a stack overflow', () => {
    const deep = '('.repeat(MAX_NESTING + 5) + '1' + ')'.repeat(MAX_NESTING + 5);
    expect(parseError(`contract t\nfn f() { let x = ${deep} }`).code).toBe('COMPILE_LIMIT');
    const blocks = 'if a {'.repeat(MAX_NESTING + 5) + '}'.repeat(MAX_NESTING + 5);
    expect(parseError(`contract t\nfn f() { ${blocks} }`).code).toBe('COMPILE_LIMIT');
    const neg = '!'.repeat(MAX_NESTING * 4) + 'a';
    expect(parseError(`contract t\nfn f() { let x = ${neg} }`).code).toBe('COMPILE_LIMIT');
  });
});
