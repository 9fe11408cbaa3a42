import { describe, expect, it } from 'vitest';
import { CompileError } from '../../vm/errors.js';
import { lex, MAX_SOURCE_LENGTH } from '../../vm/lexer.js';

const kinds = (src: string) => lex(src).map((t) => `${t.kind}:${t.text}`);

describe('lexer', () => {
  it('splits identifiers, keywords, numbers, strings, bytes and punctuation', () => {
    expect(kinds('let x = 1_000 + y ?? 0x0aFF -> "hi"')).toEqual([
      'keyword:let', 'ident:x', 'punct:=', 'int:1_000', 'punct:+', 'ident:y', 'punct:??', 'bytes:0x0aFF', 'punct:->', 'string:hi', 'eof:end of input',
    ]);
  });

  it('decodes int and bytes values', () => {
    const [a, b] = lex('9_223_372_036_854_775_807 0x00ff');
    expect(a.int).toBe(9223372036854775807n);
    expect(Array.from(b.bytes!)).toEqual([0, 255]);
  });

  it('records 1-based line:column and whether a newline came before', () => {
    const t = lex('contract c\n  fn  f');
    expect(t.map((x) => [x.text, x.pos.line, x.pos.column, x.nl])).toEqual([
      ['contract', 1, 1, false], ['c', 1, 10, false], ['fn', 2, 3, true], ['f', 2, 7, false], ['end of input', 2, 8, true],
    ]);
  });

  it('skips // comments', () => {
    expect(kinds('a // b c\nd')).toEqual(['ident:a', 'ident:d', 'eof:end of input']);
  });

  it('treats declaration words as contextual (usable as names)', () => {
    expect(kinds('record event view private const interface contract')).toEqual([
      'ident:record', 'ident:event', 'ident:view', 'ident:private', 'ident:const', 'ident:interface', 'ident:contract', 'eof:end of input',
    ]);
  });

  it('decodes string escapes', () => {
    expect(lex('"a\\n\\t\\"\\\\\\u{1F600}\\0"')[0].text).toBe('a\n\t"\\\u{1F600}\0');
  });

  it.each([
    ['"abc', 'unterminated string', 1, 5],
    ['"a\nb"', 'unterminated string', 1, 3],
    ['"\\q"', "unknown escape '\\q'", 1, 2],
    ['"\\u{D800}"', 'is not a Unicode scalar value', 1, 2],
    ['"\\u{zz}"', 'bad \\u{…} escape', 1, 2],
    ['0xabc', 'even number of hex digits', 1, 1],
    ['0x12g', "bad character 'g' in bytes literal", 1, 5],
    ['12ab', "bad character 'a' in number", 1, 3],
    ['1__2', 'misplaced _ in number', 1, 1],
    ['12_', 'misplaced _ in number', 1, 1],
    ['a # b', "unexpected character '#'", 1, 3],
    ['x\n  @', "unexpected character '@'", 2, 3],
  ])('rejects %j: %s at %i:%i', (src, msg, line, column) => {
    let err: unknown;
    try {
      lex(src);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CompileError);
    const ce = err as CompileError;
    expect(ce.code).toBe('COMPILE_SYNTAX');
    expect(ce.message).toContain(msg);
    expect(ce.position).toEqual({ line, column });
  });

  it('rejects a lone surrogate written directly in a string', () => {
    expect(() => lex('"\ud800"')).toThrow(/lone surrogate/);
  });

  it('limits source length', () => {
    expect(() => lex(' '.repeat(MAX_SOURCE_LENGTH + 1))).toThrow(expect.objectContaining({ code: 'COMPILE_LIMIT' }));
  });
});
