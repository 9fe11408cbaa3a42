import { describe, expect, it } from 'vitest';
import { CompileError } from '../../vm/errors.js';
import { parse } from '../../vm/parser.js';
import { typeCheck } from '../../vm/types.js';
import { typeToString } from '../../vm/valueType.js';
import { fixture } from './fixtures.js';

const PRELUDE = `contract t
record R { a: int, b: string? }
event E(x: int)
storage { n: int, m: map<int, R>, s: map<address, map<int, int>>, o: address?, l: list<int> }
interface I { view fn v(x: int) -> bool }
const K = 5
fn w() {}
view fn vv() -> int { return 1 }
`;
const PRELUDE_LINES = PRELUDE.split('\n').length - 1;

function check(src: string) {
  return typeCheck(parse(src), src);
}

/** Type-checks `body` inside `fn f() { … }` (or a `view fn` when view) after the prelude. */
function bodyError(body: string, view = false, returns = ''): CompileError {
  const src = `${PRELUDE}${view ? 'view ' : ''}fn f()${returns} {\n${body}\n}\n`;
  try {
    check(src);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error(`no error for: ${body}`);
}

function declError(decls: string): CompileError {
  const src = `contract t\n${decls}\n`;
  try {
    check(src);
  } catch (e) {
    if (e instanceof CompileError) return e;
    throw e;
  }
  throw new Error(`no error for: ${decls}`);
}

describe('type checker: accepts', () => {
  it('the consent fixture, with its storage layout', () => {
    const c = check(fixture('consent'));
    expect(c.storage.map((v) => `${v.name}${v.keys.map((k) => `[${typeToString(k)}]`).join('')}: ${typeToString(v.value)}`)).toEqual([
      'nextId: int', 'grants[int]: Grant', 'byPair[address][address]: list<int>', 'registry: address?',
    ]);
    expect(c.functions.find((f) => f.name === 'check')).toMatchObject({ view: true, returns: { k: 'bool' } });
  });

  it('sorts record fields by name (their canonical order)', () => {
    const c = check('contract t\nrecord R { zeta: int, alpha: bool, Mid: string }');
    expect((c.records[0] as { fields: Array<{ name: string }> }).fields.map((f) => f.name)).toEqual(['Mid', 'alpha', 'zeta']);
  });

  it('infers literal types from what is expected', () => {
    const src = `${PRELUDE}fn f() -> address? {
      let xs: list<int> = []
      let m: map<string, list<int>> = { "a": [] }
      let o: int? = none
      let a: address = 0x0000000000000000000000000000000000000001
      let t: (int, string?) = (1, none)
      storage.o = 0x0000000000000000000000000000000000000002
      if o == none { return none }
      return some(a)
    }`;
    expect(() => check(src)).not.toThrow();
  });

  it('lets T be used where T? is expected', () => {
    expect(() => check(`${PRELUDE}fn f(x: int) -> int? { let y: int? = x\n storage.m[1] = R { a: 1 }\n return x }`)).not.toThrow();
  });
});

describe('type checker: every error names its line and column', () => {
  it.each([
    ['let x = 9223372036854775808', 'COMPILE_TYPE', 'integer literal out of the int range'],
    ['let x = none', 'COMPILE_TYPE', 'cannot tell which optional type none is here'],
    ['let x = y', 'COMPILE_UNKNOWN_NAME', "unknown name 'y'"],
    ['let x = w', 'COMPILE_TYPE', 'w is a function: call it with (…)'],
    ['let x = storage', 'COMPILE_TYPE', 'storage must be followed by .variable'],
    ['let x = !1', 'COMPILE_TYPE', "operand of '!': expected bool, found int"],
    ['let x = -true', 'COMPILE_TYPE', "operand of '-': expected int, found bool"],
    ['let x = 1 && true', 'COMPILE_TYPE', "left of '&&': expected bool, found int"],
    ['let x = 1 * "a"', 'COMPILE_TYPE', "right of '*': expected int, found string"],
    ['let x = true + true', 'COMPILE_TYPE', "'+' adds ints and joins strings, bytes or lists, not bool"],
    ['let x = "a" + 1', 'COMPILE_TYPE', "right of '+': expected string, found int"],
    ['let x = 1 == "a"', 'COMPILE_TYPE', 'cannot compare int with string'],
    ['let x = 1 in 2', 'COMPILE_TYPE', "'in' looks into a list or the keys of a map, not int"],
    ['let x = 1 in ["a"]', 'COMPILE_TYPE', "left of 'in': expected string, found int"],
    ['let x = 1 ?? 2', 'COMPILE_TYPE', "left of '??' must be optional, found int"],
    ['let o: int? = none\nlet x = o ?? "a"', 'COMPILE_TYPE', "right of '??': expected int, found string"],
    ['let x = storage.m["a"]', 'COMPILE_TYPE', 'key of storage.m: expected int, found string'],
    ['let x = [1]["a"]', 'COMPILE_TYPE', 'list index: expected int, found string'],
    ['let m: map<string, int> = {}\nlet x = m[1]', 'COMPILE_TYPE', 'map key: expected string, found int'],
    ['let x = storage.m[1].a', 'COMPILE_TYPE', 'this value is optional (R?): unwrap it first'],
    ['let o: list<int>? = none\nlet x = o[0]', 'COMPILE_TYPE', 'this value is optional (list<int>?): unwrap it first'],
    ['let x = 1[0]', 'COMPILE_TYPE', 'cannot index int'],
    ['let x = storage.zz', 'COMPILE_UNKNOWN_NAME', "unknown storage variable 'zz'"],
    ['let x = storage.l.push', 'COMPILE_TYPE', 'push is a statement'],
    ['let r = R { a: 1 }\nlet x = r.zz', 'COMPILE_UNKNOWN_NAME', "record R has no field 'zz'"],
    ['let x = (1, 2).5', 'COMPILE_UNKNOWN_NAME', 'tuple (int,int) has no item .5'],
    ['let x = K.a', 'COMPILE_TYPE', 'int has no fields'],
    ['let x = []', 'COMPILE_TYPE', 'cannot tell the element type of []'],
    ['let x = [1, "a"]', 'COMPILE_TYPE', 'list item: expected int, found string'],
    ['let x = {}', 'COMPILE_TYPE', 'cannot tell the type of {}'],
    ['let x = { [1]: 2 }', 'COMPILE_TYPE', 'map keys must be int, string, bytes, address or bool, not list<int>'],
    ['let x = { 1: 2, "a": 3 }', 'COMPILE_TYPE', 'map key: expected int, found string'],
    ['let x = Q { a: 1 }', 'COMPILE_UNKNOWN_NAME', "unknown record type 'Q'"],
    ['let x = R { a: 1, z: 2 }', 'COMPILE_UNKNOWN_NAME', "record R has no field 'z'"],
    ['let x = R { a: 1, a: 2 }', 'COMPILE_DUPLICATE', "field 'a' given twice"],
    ['let x = R { b: "x" }', 'COMPILE_TYPE', 'record R is missing field(s): a'],
    ['let x = R { a: "1" }', 'COMPILE_TYPE', 'field R.a: expected int, found string'],
    ['let x = len([1], [2])', 'COMPILE_TYPE', 'len takes 1 argument(s), found 2'],
    ['for i in range() {}', 'COMPILE_TYPE', 'range takes 1 or 2 argument(s), found 0'],
    ['let x = R(1)', 'COMPILE_TYPE', 'build a record with R { field: value, … }'],
    ['let x = I(1)', 'COMPILE_TYPE', 'call a view of another contract as I(address).view(…)'],
    ['let x = nope(1)', 'COMPILE_UNKNOWN_NAME', "unknown function 'nope'"],
    ['let x = I(caller).q()', 'COMPILE_UNKNOWN_NAME', "interface I has no view 'q'"],
    ['let x = I(caller, caller).v(1)', 'COMPILE_TYPE', "I(…) takes the contract's address"],
    ['let x = I(1).v(1)', 'COMPILE_TYPE', 'address of I: expected address, found int'],
    ['let x = I(caller).v(true)', 'COMPILE_TYPE', 'argument x of I.v: expected int, found bool'],
    ['let t = (1, 2)\nlet x = t.0(1)', 'COMPILE_TYPE', 'only functions, builtins and views of interfaces can be called'],
    ['w(1)', 'COMPILE_TYPE', 'w takes 0 argument(s), found 1'],
    ['let x = len(1)', 'COMPILE_TYPE', 'len takes a list, map, string or bytes, not int'],
    ['let x = sha256("a")', 'COMPILE_TYPE', 'sha256 input: expected bytes, found string'],
    ['let o: int? = none\nlet x = some(o)', 'COMPILE_TYPE', 'some(…) of an optional value: options do not nest'],
    ['let x = expect(1, "r")', 'COMPILE_TYPE', 'expect unwraps an optional value, not int'],
    ['let x = expect(storage.o, 1)', 'COMPILE_TYPE', 'expect reason: expected string, found int'],
    ['let x = keys([1])', 'COMPILE_TYPE', 'keys takes a map, not list<int>'],
    ['let x = str("a")', 'COMPILE_TYPE', 'str input: expected int, found string'],
    ['let x = address("a")', 'COMPILE_TYPE', 'address input: expected bytes, found string'],
    ['let x = min(1, "a")', 'COMPILE_TYPE', 'min input: expected int, found string'],
    ['transfer(1, 1)', 'COMPILE_TYPE', 'transfer recipient: expected address, found int'],
    ['let x = storage.s[caller]', 'COMPILE_TYPE', 'storage.s is a storage map: index it with [key] (1 more key(s))'],
    ['let x = range(3)', 'COMPILE_TYPE', 'range(…) can only be iterated by for'],
    ['let x = w()', 'COMPILE_TYPE', 'this call returns nothing; it cannot be used as a value'],
    ['let x = 1\nlet x = 2', 'COMPILE_DUPLICATE', "'x' is already defined (no shadowing)"],
    ['let K = 1', 'COMPILE_DUPLICATE', "'K' is already defined (no shadowing)"],
    ['let (a, b) = 1', 'COMPILE_TYPE', 'cannot unpack int into 2 names'],
    ['let (a, b) = (1, 2, 3)', 'COMPILE_TYPE', 'cannot unpack (int,int,int) into 2 names'],
    ['let a, b = 1', 'COMPILE_TYPE', 'a key, value pair binds only in a for over a map'],
    ['let b = true\nb += true', 'COMPILE_TYPE', "'+=' does not apply to bool"],
    ['let s = "a"\ns -= "b"', 'COMPILE_TYPE', "'-=' does not apply to string"],
    ['let x = 1\nx = "a"', 'COMPILE_TYPE', 'assignment: expected int, found string'],
    ['let x = 1\nx.push(1)', 'COMPILE_TYPE', 'push appends to a list, not int'],
    ['let xs = [1]\nxs.push("a")', 'COMPILE_TYPE', 'pushed value: expected int, found string'],
    ['if let x = 1 {}', 'COMPILE_TYPE', 'if let unwraps an optional value, not int'],
    ['if 1 {}', 'COMPILE_TYPE', 'if condition: expected bool, found int'],
    ['return 1', 'COMPILE_TYPE', 'f returns nothing'],
    ['emit Q(1)', 'COMPILE_UNKNOWN_NAME', "unknown event 'Q'"],
    ['emit E(1, 2)', 'COMPILE_TYPE', 'event E has 1 field(s), found 2'],
    ['emit E("a")', 'COMPILE_TYPE', 'field x of E: expected int, found string'],
    ['break', 'COMPILE_TYPE', 'break outside a loop'],
    ['continue', 'COMPILE_TYPE', 'continue outside a loop'],
    ['1 + 2', 'COMPILE_TYPE', 'this expression does nothing (only calls can stand alone)'],
    ['require(1, "r")', 'COMPILE_TYPE', 'require condition: expected bool, found int'],
    ['require(true, 1)', 'COMPILE_TYPE', 'require reason: expected string, found int'],
    ['revert(1)', 'COMPILE_TYPE', 'revert reason: expected string, found int'],
    ['let m: map<int, int> = {}\nfor x in m {}', 'COMPILE_TYPE', 'iterate a map as: for key, value in m'],
    ['for x in storage.m {}', 'COMPILE_TYPE', 'storage.m cannot be iterated'],
    ['for x in 5 {}', 'COMPILE_TYPE', 'for iterates a list, map or range, not int'],
    ['for (a, b) in [1] {}', 'COMPILE_TYPE', 'cannot unpack int into 2 names'],
    ['K = 1', 'COMPILE_NOT_ASSIGNABLE', 'constant K cannot be changed'],
    ['zz = 1', 'COMPILE_UNKNOWN_NAME', "unknown name 'zz'"],
    ['let x = 1\ndelete x', 'COMPILE_NOT_ASSIGNABLE', 'delete removes a map entry or a storage slot, not a variable'],
    ['storage.s[caller] = 1', 'COMPILE_NOT_ASSIGNABLE', 'storage.s takes 2 key(s) before it is a value'],
    ['storage.zz = 1', 'COMPILE_UNKNOWN_NAME', "unknown storage variable 'zz'"],
    ['storage.m["a"] = R { a: 1 }', 'COMPILE_TYPE', 'key of storage.m: expected int, found string'],
    ['vv() = 1', 'COMPILE_NOT_ASSIGNABLE', 'only variables, their fields and items, and storage can be assigned'],
    ['let o: R? = none\no.a = 1', 'COMPILE_TYPE', 'this value is optional (R?): unwrap it into a variable first'],
    ['let r = R { a: 1 }\nr.zz = 1', 'COMPILE_UNKNOWN_NAME', "record R has no field 'zz'"],
    ['let t = (1, 2)\nt.2 = 1', 'COMPILE_UNKNOWN_NAME', 'tuple (int,int) has no item .2'],
    ['let x = 1\nx.a = 1', 'COMPILE_TYPE', 'int has no fields'],
    ['let x = 1\nx[0] = 1', 'COMPILE_TYPE', 'cannot index int'],
    ['let xs = [1]\ndelete xs[0]', 'COMPILE_NOT_ASSIGNABLE', 'list items cannot be deleted'],
    ['let r = R { a: 1 }\ndelete r.a', 'COMPILE_NOT_ASSIGNABLE', 'delete removes a map entry or a storage slot'],
    ['let xs = [1]\nxs["a"] = 1', 'COMPILE_TYPE', 'list index: expected int, found string'],
    ['let m: map<int, int> = {}\nm["a"] = 1', 'COMPILE_TYPE', 'map key: expected int, found string'],
  ])('%j → %s %s', (body, code, msg) => {
    const e = bodyError(body);
    expect(e.code).toBe(code);
    expect(e.context.reason).toContain(msg);
    expect(e.position!.line).toBeGreaterThan(PRELUDE_LINES);
    expect(e.message).toMatch(/^\d+:\d+: /);
    expect(e.message).toContain('^');
  });

  it.each([
    ['storage.n = 1', 'COMPILE_VIEW_WRITES', 'view f cannot change storage.n'],
    ['delete storage.m[1]', 'COMPILE_VIEW_WRITES', 'view f cannot change storage.m'],
    ['emit E(1)', 'COMPILE_VIEW_WRITES', 'view f cannot emit events'],
    ['pay(1)', 'COMPILE_VIEW_WRITES', 'view f cannot pay'],
    ['transfer(caller, 1)', 'COMPILE_VIEW_WRITES', 'view f cannot transfer'],
    ['w()', 'COMPILE_VIEW_WRITES', 'view f cannot call w, which is not a view'],
  ])('in a view: %j → %s', (body, code, msg) => {
    const e = bodyError(body, true);
    expect(e.code).toBe(code);
    expect(e.context.reason).toContain(msg);
  });

  it('requires a result on every path', () => {
    const e = bodyError('if true { return 1 }', false, ' -> int');
    expect(e.code).toBe('COMPILE_MISSING_RETURN');
    expect(e.context.reason).toBe('f must return a int on every path');
    expect(bodyError('return', false, ' -> int').context.reason).toBe('f must return a int');
    expect(bodyError('return "a"', false, ' -> int').context.reason).toBe('return value: expected int, found string');
  });

  it('accepts if/else and if-let/else that both return', () => {
    expect(() => check(`${PRELUDE}fn f(o: int?) -> int {\n if let x = o { return x } else { if true { return 1 } else { revert("no") } }\n}`)).not.toThrow();
  });

  it.each([
    ['record R { a: int }\nrecord R { b: int }', 'COMPILE_DUPLICATE', "record 'R' is already defined"],
    ['fn len() {}', 'COMPILE_DUPLICATE', "function 'len' is already defined (a builtin)"],
    ['record A { b: B }\nrecord B { a: list<A> }', 'COMPILE_TYPE', 'record A contains itself'],
    ['record A { a: int, a: int }', 'COMPILE_DUPLICATE', "field 'a' is already defined"],
    ['storage { x: Q }', 'COMPILE_UNKNOWN_NAME', "unknown type 'Q'"],
    ['storage { x: map<list<int>, int> }', 'COMPILE_TYPE', 'map keys must be int, string, bytes, address or bool, not list<int>'],
    ['storage { x: int?? }', 'COMPILE_TYPE', 'options do not nest'],
    [`storage { x: ${'list<'.repeat(17)}int${'>'.repeat(17)} }`, 'COMPILE_LIMIT', 'type nests deeper than 16 levels'],
    ['const C = 1 + 1', 'COMPILE_TYPE', 'constant C must be a literal'],
    ['const C: string = 1', 'COMPILE_TYPE', 'constant C: expected string, found int'],
    ['const C = 99999999999999999999', 'COMPILE_TYPE', 'integer literal out of the int range'],
    ['storage { n: int, n: bool }', 'COMPILE_DUPLICATE', "storage variable 'n' is already defined"],
    ['record R { a: int }\nstorage { r: R }', 'COMPILE_TYPE', 'storage r: an unset R has no zero value; declare it R?'],
    ['storage { a: address }', 'COMPILE_TYPE', 'declare it address?'],
    ['event E()\nevent E()', 'COMPILE_DUPLICATE', "event 'E' is already defined"],
    ['interface I { view fn a()\n view fn a() }', 'COMPILE_DUPLICATE', "view 'a' is already declared in I"],
    ['fn f(a: int, a: int) {}', 'COMPILE_DUPLICATE', "parameter 'a' is already defined"],
    ['fn f() {}\nfn f() {}', 'COMPILE_DUPLICATE', "function 'f' is already defined"],
    ['fn a() { b() }\nfn b() { c() }\nfn c() { a() }', 'COMPILE_RECURSION', 'recursion is not allowed: a → b → c → a'],
    ['fn a() { a() }', 'COMPILE_RECURSION', 'recursion is not allowed: a → a'],
  ])('%j → %s', (decls, code, msg) => {
    const e = declError(decls);
    expect(e.code).toBe(code);
    expect(e.context.reason).toContain(msg);
  });
});
