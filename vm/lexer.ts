/**
 * Lexer of the rule language: source text → tokens with 1-based line:column. Newlines
 * are not tokens, but each token records whether one preceded it, so the parser can end a
 * statement at a line break without semicolons (a call's `(` must be on the callee's line).
 */
import { CompileError } from './errors.js';
import type { Pos } from './ast.js';

export type TokenKind = 'ident' | 'keyword' | 'int' | 'string' | 'bytes' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The identifier, keyword or punctuation text; the decoded text of a string literal. */
  text: string;
  pos: Pos;
  /** A line break came between the previous token and this one. */
  nl: boolean;
  /** int literals */
  int?: bigint;
  /** bytes literals */
  bytes?: Uint8Array;
}

/**
 * Words that cannot be used as names. The declaration words (contract, const, record,
 * event, interface, view, private) are contextual: they only mean something at the start
 * of a declaration, so `record` or `event` stay usable as field and variable names.
 */
export const KEYWORDS = new Set([
  'storage', 'fn', 'let', 'if', 'else', 'for', 'in', 'return', 'emit', 'require', 'revert', 'break',
  'continue', 'delete', 'true', 'false', 'none', 'caller', 'self', 'block', 'tx',
]);

/** Longest first, so `??` wins over `?` and `->` over `-`. */
const PUNCT = ['->', '??', '==', '!=', '<=', '>=', '&&', '||', '+=', '-=', '{', '}', '(', ')', '[', ']', ',', ':', ';', '.', '?', '+', '-', '*', '/', '%', '<', '>', '!', '='];

/** Largest source the compiler accepts (characters); contracts are a few hundred lines. */
export const MAX_SOURCE_LENGTH = 1 << 20;

/** Splits `source` into tokens, ending with an `eof` token; throws CompileError. */
export function lex(source: string): Token[] {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw new CompileError('COMPILE_LIMIT', `source is longer than ${MAX_SOURCE_LENGTH} characters`, { line: 1, column: 1 });
  }
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  let nl = false;
  const fail = (reason: string, at = i): never => {
    throw new CompileError('COMPILE_SYNTAX', reason, { line, column: at - lineStart + 1 }, source);
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      nl = true;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const pos = { line, column: i - lineStart + 1 };
    const start = i;
    if (isIdentStart(c)) {
      while (i < source.length && isIdentPart(source[i])) i++;
      const text = source.slice(start, i);
      tokens.push({ kind: KEYWORDS.has(text) ? 'keyword' : 'ident', text, pos, nl });
    } else if (c === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
      i += 2;
      while (i < source.length && /[0-9a-fA-F]/.test(source[i])) i++;
      const hex = source.slice(start + 2, i);
      if (isIdentPart(source[i] ?? '')) fail(`bad character '${source[i]}' in bytes literal`);
      if (hex.length % 2 !== 0) fail('a bytes literal needs an even number of hex digits', start);
      const bytes = new Uint8Array(hex.length / 2);
      for (let j = 0; j < bytes.length; j++) bytes[j] = parseInt(hex.slice(2 * j, 2 * j + 2), 16);
      tokens.push({ kind: 'bytes', text: source.slice(start, i), pos, nl, bytes });
    } else if (c >= '0' && c <= '9') {
      while (i < source.length && /[0-9_]/.test(source[i])) i++;
      const text = source.slice(start, i);
      if (isIdentPart(source[i] ?? '')) fail(`bad character '${source[i]}' in number`);
      if (text.endsWith('_') || text.includes('__')) fail('misplaced _ in number', start);
      tokens.push({ kind: 'int', text, pos, nl, int: BigInt(text.replace(/_/g, '')) });
    } else if (c === '"') {
      tokens.push({ kind: 'string', text: readString(), pos, nl });
    } else {
      const p = PUNCT.find((q) => source.startsWith(q, i));
      if (p === undefined) fail(`unexpected character '${c}'`);
      i += p!.length;
      tokens.push({ kind: 'punct', text: p!, pos, nl });
    }
    nl = false;
  }
  tokens.push({ kind: 'eof', text: 'end of input', pos: { line, column: i - lineStart + 1 }, nl: true });
  return tokens;

  function readString(): string {
    let out = '';
    i++; // opening quote
    for (;;) {
      if (i >= source.length || source[i] === '\n') fail('unterminated string');
      const ch = source[i];
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch !== '\\') {
        const cp = source.codePointAt(i)!;
        if (cp >= 0xd800 && cp <= 0xdfff) fail('invalid UTF-16 (lone surrogate) in string');
        out += String.fromCodePoint(cp);
        i += cp > 0xffff ? 2 : 1;
        continue;
      }
      const e = source[i + 1];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '"': '"', '\\': '\\' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
      } else if (e === 'u' && source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        const hex = close < 0 ? '' : source.slice(i + 3, close);
        if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) fail('bad \\u{…} escape');
        const cp = parseInt(hex, 16);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('\\u{…} is not a Unicode scalar value');
        out += String.fromCodePoint(cp);
        i = close + 1;
      } else {
        fail(`unknown escape '\\${e ?? ''}'`);
      }
    }
  }
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}
