/** Every construct of the language, compiled and run: what each evaluates to. */
import { describe, expect, it } from 'vitest';
import { OutOfGas, Revert, VmError } from '../../vm/index.js';
import { addr, Deployed, evalFn, runFn } from './helpers.js';

function halt(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not halt');
}

describe('language: integers', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7 % -3', 1],
    ['min(3, -4) + max(3, -4)', -1],
    ['abs(-5)', 5],
    ['0 * -5', 0],
    ['-0', 0],
    ['9007199254740991 + 1', 9007199254740992n],
    ['9223372036854775807 - 1', 9223372036854775806n],
    ['-9223372036854775808 + 1', -9223372036854775807n],
    ['3037000499 * 3037000499', 9223372030926249001n],
    ['9223372036854775807 / 9223372036854775807', 1],
    ['-9223372036854775808 % -1', 0],
  ])('%s = %s', (e, want) => {
    const got = evalFn(`return ${e}`, 'int');
    expect(got).toBe(want);
    if (typeof want === 'number') expect(Object.is(got, -0)).toBe(false);
  });

  it.each([
    ['9223372036854775807 + 1'],
    ['-9223372036854775808 - 1'],
    ['3037000500 * 3037000500'],
    ['-9223372036854775808 / -1'],
    ['-(-9223372036854775808)'],
    ['abs(-9223372036854775808)'],
  ])('%s overflows (VmError INT_OVERFLOW)', (e) => {
    const err = halt(() => evalFn(`let x = ${e}\nreturn x`, 'int'));
    expect(err).toBeInstanceOf(VmError);
    expect((err as VmError).kind).toBe('INT_OVERFLOW');
  });

  it('division and modulo by zero are VmError DIVISION_BY_ZERO with the position', () => {
    const err = halt(() => evalFn('let z = 0\nreturn 1 / z', 'int')) as VmError;
    expect(err.kind).toBe('DIVISION_BY_ZERO');
    expect(err.position).toEqual({ line: 5, column: 10 }); // the operator
    expect((halt(() => evalFn('let z = 0\nreturn 1 % z', 'int')) as VmError).kind).toBe('DIVISION_BY_ZERO');
  });

  it('comparisons, equality and boolean logic (short-circuit)', () => {
    expect(evalFn('return 1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3 && 1 != 2 && !(1 == 2)', 'bool')).toBe(true);
    // the right side is not evaluated: it would divide by zero
    expect(evalFn('let z = 0\nreturn false && 1 / z == 0', 'bool')).toBe(false);
    expect(evalFn('let z = 0\nreturn true || 1 / z == 0', 'bool')).toBe(true);
    expect(evalFn('return 9223372036854775807 > 9007199254740993', 'bool')).toBe(true);
  });
});

describe('language: strings, bytes, addresses', () => {
  it('concatenates and measures in UTF-8 bytes', () => {
    expect(evalFn('return "ab" + "cd"', 'string')).toBe('abcd');
    expect(evalFn('return len("héllo😀")', 'int')).toBe(10);
    expect(evalFn('return str(-42) + str(9223372036854775807)', 'string')).toBe('-429223372036854775807');
    expect(evalFn('return utf8("hé")', 'bytes')).toEqual(Uint8Array.from([0x68, 0xc3, 0xa9]));
    expect(evalFn('return 0x0102 + 0x03', 'bytes')).toEqual(Uint8Array.from([1, 2, 3]));
    expect(evalFn('return len(0x010203)', 'int')).toBe(3);
  });

  it('compares strings and bytes by content', () => {
    expect(evalFn('return "a" + "b" == "ab" && 0x01 + 0x02 == 0x0102 && "a" != "b"', 'bool')).toBe(true);
  });

  it('addresses: literals, conversion with a length check, caller and self', () => {
    expect(evalFn('let a: address = 0x0101010101010101010101010101010101010101\nreturn a == caller', 'bool')).toBe(true);
    expect(evalFn('return address(0x' + 'cc'.repeat(20) + ') == self', 'bool')).toBe(true);
    const err = halt(() => evalFn('return address(0x01)', 'address')) as VmError;
    expect(err.kind).toBe('TYPE_MISMATCH');
  });

  it('sha256 and encode go through the host (canonical msgpack)', () => {
    const h = evalFn('return sha256(0x)', 'bytes') as Uint8Array;
    expect(Buffer.from(h).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // design §2 vector: [1,"a",bin(01 02)] → 9301a161c4020102
    expect(Buffer.from(evalFn('return encode((1, "a", 0x0102))', 'bytes') as Uint8Array).toString('hex')).toBe('9301a161c4020102');
    expect(Buffer.from(evalFn('let m: map<string, int> = { "b": 1, "a": 2 }\nreturn encode(m)', 'bytes') as Uint8Array).toString('hex')).toBe('82a16102a16201');
  });
});

describe('language: lists, tuples, records, maps', () => {
  it('lists: literal, index, len, in, +, push', () => {
    expect(evalFn('let xs = [1, 2]\nxs.push(3)\nxs = xs + [4]\nreturn xs', 'list<int>')).toEqual([1, 2, 3, 4]);
    expect(evalFn('let xs = ["a", "b"]\nreturn xs[1]', 'string')).toBe('b');
    expect(evalFn('return 2 in [1, 2] && !(5 in [1, 2]) && len([1, 2, 3]) == 3', 'bool')).toBe(true);
    const err = halt(() => evalFn('let xs = [1]\nreturn xs[1]', 'int')) as VmError;
    expect(err.kind).toBe('INDEX_OUT_OF_RANGE');
    expect((halt(() => evalFn('let xs = [1]\nreturn xs[-1]', 'int')) as VmError).kind).toBe('INDEX_OUT_OF_RANGE');
  });

  it('lists have value semantics', () => {
    expect(evalFn('let a = [1]\nlet b = a\nb.push(2)\nb[0] = 9\nreturn (a, b)', '(list<int>,list<int>)')).toEqual([[1], [9, 2]]);
  });

  it('tuples: literal, .N, destructuring, update', () => {
    expect(evalFn('let t = ("a", 2, 3)\nlet (c, q, p) = t\nt.1 = q * p\nreturn t', '(string,int,int)')).toEqual(['a', 6, 3]);
    expect(evalFn('let t = (1, (2, 3))\nreturn t.1.0', 'int')).toBe(2);
  });

  it('records: literal (shorthand, omitted optional fields), fields, nested update, equality', () => {
    const prelude = 'record P { name: string, tags: list<string>, note: string?, inner: (int, int) }';
    const r = evalFn('let name = "n"\nlet p = P { name, tags: ["x"], inner: (1, 2) }\np.tags.push("y")\np.inner.1 = 5\nreturn p', 'P', { prelude });
    expect({ ...(r as object) }).toEqual({ inner: [1, 5], name: 'n', note: null, tags: ['x', 'y'] });
    expect(evalFn('let a = P { name: "n", tags: [], inner: (1, 2) }\nlet b = a\nb.note = "x"\nreturn a != b && a == P { inner: (1, 2), tags: [], name: "n" }', 'bool', { prelude })).toBe(true);
  });

  it('maps: ordered by key whatever the insertion order; get, put, delete, in, keys, values', () => {
    const body = `let m: map<string, int> = { "b": 2, "a": 1 }
      m["c"] = 3
      m["a"] = 10
      delete m["b"]
      delete m["zz"]
      let out: list<string> = []
      for k, v in m { out.push(k + "=" + str(v)) }
      return (out, keys(m), values(m), "a" in m, "b" in m, m["a"] ?? 0, m["b"] ?? -1, len(m))`;
    expect(evalFn(body, '(list<string>,list<string>,list<int>,bool,bool,int,int,int)')).toEqual([['a=10', 'c=3'], ['a', 'c'], [10, 3], true, false, 10, -1, 2]);
  });

  it('maps with int, bytes, address keys order by value; export as [key, value] pairs', () => {
    expect(evalFn('let m: map<int, string> = { 10: "x", -1: "y", 2: "z" }\nreturn m', 'map<int,string>')).toEqual([[-1, 'y'], [2, 'z'], [10, 'x']]);
    expect(evalFn('let m: map<bytes, int> = { 0x0201: 1, 0x02: 2, 0x01ff: 3 }\nreturn keys(m)', 'list<bytes>')).toEqual([Uint8Array.from([1, 255]), Uint8Array.from([2]), Uint8Array.from([2, 1])]);
  });

  it('string keys order by UTF-8 bytes (not UTF-16 units)', () => {
    expect(evalFn('let m: map<string, int> = { "\\u{FF5E}": 1, "\\u{1F600}": 2, "z": 3 }\nreturn keys(m)', 'list<string>')).toEqual(['z', '\uFF5E', '\u{1F600}']);
  });

  it('a map literal with a repeated key is VmError DUPLICATE_KEY', () => {
    expect((halt(() => evalFn('let k = "a"\nlet m = { k: 1, "a": 2 }\nreturn len(m)', 'int')) as VmError).kind).toBe('DUPLICATE_KEY');
  });

  it('updating a missing map entry through a path is VmError ABSENT', () => {
    expect((halt(() => evalFn('let m: map<string, list<int>> = {}\nm["a"].push(1)\nreturn 0', 'int')) as VmError).kind).toBe('ABSENT');
  });
});

describe('language: options', () => {
  it('some, none, ??, ==, if let, expect', () => {
    const body = `let a: int? = none
      let b = some(5)
      let c: list<int> = []
      if let x = b { c.push(x) }
      if let x = a { c.push(x) } else { c.push(-1) }
      c.push(a ?? 7)
      c.push(expect(b, "b"))
      if a == none && b != none && b == 5 { c.push(1) }
      return c`;
    expect(evalFn(body, 'list<int>')).toEqual([5, -1, 7, 5, 1]);
  });

  it('expect reverts with the reason', () => {
    const err = halt(() => evalFn('let a: int? = none\nreturn expect(a, "no a")', 'int'));
    expect(err).toBeInstanceOf(Revert);
    expect((err as Revert).reason).toBe('no a');
    expect((err as Revert).message).toBe('reverted: no a');
  });

  it('optional results export as null', () => {
    expect(evalFn('return none', 'int?')).toBe(null);
    expect(evalFn('return 3', 'int?')).toBe(3);
  });
});

describe('language: statements', () => {
  it('if / else if / else', () => {
    const f = (x: number) => evalFn('if x < 0 { return "neg" } else if x == 0 { return "zero" } else { return "pos" }', 'string', { params: 'x: int', args: [x] });
    expect([f(-1), f(0), f(1)]).toEqual(['neg', 'zero', 'pos']);
  });

  it('for over lists, tuples patterns, maps and ranges; break and continue', () => {
    expect(evalFn('let s = 0\nfor i in range(10) { if i == 3 { continue }\n if i == 6 { break }\n s += i }\nreturn s', 'int')).toBe(0 + 1 + 2 + 4 + 5);
    expect(evalFn('let s = 0\nfor i in range(-2, 2) { s += i }\nreturn s', 'int')).toBe(-2);
    expect(evalFn('let s = 0\nfor i in range(5, 2) { s += 1 }\nreturn s', 'int')).toBe(0);
    expect(evalFn('let s = 0\nfor (a, b) in [(1, 2), (3, 4)] { s += a * b }\nreturn s', 'int')).toBe(14);
    expect(evalFn('let s = ""\nfor x in ["a", "b"] { for y in ["1", "2"] { s += x + y } }\nreturn s', 'string')).toBe('a1a2b1b2');
    expect(evalFn('let xs = [1, 2]\nlet n = 0\nfor x in xs { xs.push(x)\n n += 1 }\nreturn n', 'int')).toBe(2);
  });

  it('require and revert', () => {
    const err = halt(() => runFn('require(1 > 2, "one is not more than two")')) as Revert;
    expect(err).toBeInstanceOf(Revert);
    expect(err.reason).toBe('one is not more than two');
    expect(err.position).toEqual({ line: 4, column: 1 });
    expect(err.describe()).toBe('reverted: one is not more than two (at 4:1)');
    expect((halt(() => runFn('revert("no " + str(2))')) as Revert).reason).toBe('no 2');
  });

  it('compound assignment', () => {
    expect(evalFn('let x = 5\nx += 3\nx -= 1\nlet s = "a"\ns += "b"\nreturn str(x) + s', 'string')).toBe('7ab');
  });

  it('constants', () => {
    expect(evalFn('return LIMIT + len(NAME)', 'int', { prelude: 'const LIMIT = 40\nconst NAME = "ab"' })).toBe(42);
  });

  it('private helpers and view helpers', () => {
    const d = new Deployed(`contract t
      private view fn double(x: int) -> int { return 2 * x }
      private fn bump() { storage.n += double(1) }
      storage { n: int }
      fn go() -> int { bump()
 bump()
 return storage.n }
      view fn get() -> int { return double(storage.n) }`);
    expect(d.call('go').result).toBe(4);
    expect(d.view('get')).toBe(8);
    expect(() => d.call('double', [1])).toThrow(/no exported function 'double'/);
  });
});

describe('language: storage', () => {
  const src = `contract s
    record G { who: address, n: int }
    storage {
      count: int
      name: string
      flags: list<bool>
      owner: address?
      grants: map<int, G>
      spent: map<address, map<int, int>>
    }
    fn run() -> (int, string, int, bool) {
      storage.count += 2
      storage.name = "x"
      storage.flags.push(true)
      storage.owner = caller
      storage.grants[1] = G { who: caller, n: 1 }
      storage.grants[1].n += 10
      storage.spent[caller][2025] = (storage.spent[caller][2025] ?? 0) + 5
      return (storage.count, storage.name, expect(storage.grants[1], "g").n, storage.owner == caller)
    }
    fn drop() { delete storage.grants[1]
 delete storage.owner }
    view fn read() -> (int, int?, G?, address?, list<bool>) {
      return (storage.count, storage.spent[caller][2025], storage.grants[1], storage.owner, storage.flags)
    }`;

  it('reads zero values and none, writes, reads its own writes within a call', () => {
    const d = new Deployed(src);
    expect(d.view('read')).toEqual([0, null, null, null, []]);
    expect(d.call('run').result).toEqual([2, 'x', 11, true]);
    const r = d.view('read') as unknown[];
    expect(r[0]).toBe(2);
    expect(r[1]).toBe(5);
    expect({ ...(r[2] as object) }).toEqual({ n: 11, who: addr(1) });
    d.call('run');
    expect((d.view('read') as unknown[])[1]).toBe(10);
    d.call('drop');
    expect((d.view('read') as unknown[]).slice(2, 4)).toEqual([null, null]);
  });

  it('returns writes in first-write order with the last value, keyed by [name, ...keys]', () => {
    const d = new Deployed(src);
    const r = d.call('run');
    expect(r.writes.map((w) => w.path)).toEqual([['count'], ['name'], ['flags'], ['owner'], ['grants', 1], ['spent', addr(1), 2025]]);
    expect({ ...(r.writes[4].value as object) }).toEqual({ n: 11, who: addr(1) });
  });

  it('changing a missing storage record through a path is VmError ABSENT', () => {
    const d = new Deployed(`contract s\nrecord G { n: int }\nstorage { g: map<int, G> }\nfn f() { storage.g[1].n = 2 }`);
    expect(() => d.call('f')).toThrow(expect.objectContaining({ kind: 'ABSENT' }));
  });
});

describe('language: host values', () => {
  it('block.height, block.time, tx.hash, caller, self', () => {
    const d = new Deployed('contract e\nfn f() -> (int, int, bytes, address, address) { return (block.height, block.time, tx.hash, caller, self) }');
    expect(d.call('f').result).toEqual([10, 1_000_000, new Uint8Array(32).fill(7), addr(1), addr(0xcc)]);
  });

  it('events carry their fields as a record', () => {
    const d = new Deployed('contract e\nevent Paid(to: address, amount: int, memo: string?)\nfn f() { emit Paid(caller, 5, none)\n emit Paid(self, 6, "m") }');
    const r = d.call('f');
    expect(r.events.map((e) => [e.name, { ...e.data }])).toEqual([
      ['Paid', { to: addr(1), amount: 5, memo: null }],
      ['Paid', { to: addr(0xcc), amount: 6, memo: 'm' }],
    ]);
  });

  it('pay and transfer move native balance through the host; shortfall is INSUFFICIENT_FUNDS', () => {
    const d = new Deployed('contract e\nfn deposit(x: int) { pay(x) }\nfn out(to: address, x: int) { transfer(to, x) }');
    d.host.balances.set('0x' + '01'.repeat(20), 100n);
    d.call('deposit', [30]);
    expect(d.host.balance(addr(0xcc))).toBe(30n);
    d.call('out', [addr(9), 20]);
    expect(d.host.balance(addr(9))).toBe(20n);
    expect(() => d.call('out', [addr(9), 11])).toThrow(expect.objectContaining({ kind: 'INSUFFICIENT_FUNDS' }));
    expect(() => d.call('deposit', [71])).toThrow(expect.objectContaining({ kind: 'INSUFFICIENT_FUNDS' }));
    expect(() => d.call('deposit', [-1])).toThrow(expect.objectContaining({ kind: 'INSUFFICIENT_FUNDS' }));
  });

  it('views of other contracts: result checked by the declared type; a callee revert is the caller revert', () => {
    const d = new Deployed('contract e\ninterface Reg { view fn ok(who: address) -> bool }\nfn f(r: address) -> bool { return Reg(r).ok(caller) }');
    const seen: unknown[] = [];
    d.host.views = (target, fn, args) => {
      seen.push([target, fn, args]);
      return { result: true, gasUsed: 123 };
    };
    const r = d.call('f', [addr(5)]);
    expect(r.result).toBe(true);
    expect(seen).toEqual([[addr(5), 'ok', [addr(1)]]]);
    d.host.views = () => ({ result: 'yes', gasUsed: 1 });
    expect(() => d.call('f', [addr(5)])).toThrow(expect.objectContaining({ kind: 'CALL_FAILED' }));
    d.host.views = () => {
      throw Object.assign(new Revert('not registered'), { gasUsed: 50 });
    };
    const err = halt(() => d.call('f', [addr(5)])) as Revert;
    expect(err.reason).toBe('Reg.ok: not registered');
    expect(err.position).toEqual({ line: 3, column: 35 });
    d.host.views = () => {
      throw new OutOfGas();
    };
    expect(halt(() => d.call('f', [addr(5)]))).toBeInstanceOf(OutOfGas);
  });
});

describe('language: arguments are checked against the ABI before the first instruction', () => {
  const d = () => new Deployed('contract a\nrecord R { x: int, y: string? }\nfn f(n: int, who: address, r: R, m: map<string, int>, pairs: map<int, bool>, t: (int, bytes)) -> int { return n }');
  const good = () => [1, addr(1), { x: 1 }, { a: 1 }, [[2, true], [1, false]], [1, new Uint8Array(2)]];

  it('accepts well-typed args (optional record fields may be absent; pair maps in any order)', () => {
    expect(d().call('f', good()).result).toBe(1);
  });

  it.each([
    [0, 'x', 'argument n of f: expected int, found string'],
    [0, 1.5, 'argument n of f: expected int, found a non-integer number'],
    [0, 2n ** 63n, 'argument n of f: int out of the 64-bit signed range'],
    [1, new Uint8Array(19), 'argument who of f: expected address, found 19 bytes'],
    [2, { x: 1, z: 2 }, "argument r of f: unknown field 'z' for R"],
    [2, { y: 'a' }, "argument r of f: missing field 'x' of R"],
    [2, { x: 'a' }, 'argument r of f.x: expected int, found string'],
    [3, { a: 'b' }, 'argument m of f[a]: expected int, found string'],
    [4, [[1, true], [1, false]], 'argument pairs of f: duplicate map key'],
    [4, [[1]], 'argument pairs of f: entry 0 is not a [key, value] pair'],
    [5, [1], 'argument t of f: expected (int,bytes), found an array of 1'],
  ])('arg %i (case %#) → %s', (i, v, msg) => {
    const args = good();
    args[i] = v as never;
    const err = halt(() => d().call('f', args)) as VmError;
    expect(err.kind).toBe('BAD_ARGUMENT');
    expect(err.message).toBe(`BAD_ARGUMENT: ${msg}`);
  });

  it('wrong argument count, unknown function, a non-view in view mode', () => {
    expect((halt(() => d().call('f', [1])) as VmError).message).toContain('f takes 6 argument(s), found 1');
    expect((halt(() => d().call('g', [])) as VmError).kind).toBe('UNKNOWN_FUNCTION');
    expect((halt(() => d().call('f', good(), 1000, 'view')) as VmError).kind).toBe('NOT_A_VIEW');
  });
});

describe('language: limits that keep receipts small and strings encodable', () => {
  it('a revert reason is cut to MAX_REASON_LENGTH without splitting a surrogate pair', () => {
    const err = halt(() => runFn('let s = "😀"\nfor i in range(300) { s += "😀" }\nrevert(s)')) as Revert;
    expect(err.reason.length).toBeLessThanOrEqual(257);
    expect(err.reason.endsWith('…')).toBe(true);
    expect(() => encodeURIComponent(err.reason)).not.toThrow(); // no lone surrogate
  });

  it('a string argument with a lone surrogate is BAD_ARGUMENT (it has no UTF-8 form)', () => {
    const err = halt(() => runFn('', { params: 's: string', args: ['a\ud800b'] })) as VmError;
    expect(err.kind).toBe('BAD_ARGUMENT');
  });

  it('the result is paid for by its size (it goes into the receipt)', () => {
    const small = runFn('return [1]', { returns: 'list<int>' }).gasUsed;
    const big = runFn('return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]', { returns: 'list<int>' }).gasUsed;
    expect(big - small).toBeGreaterThan(18);
  });
});
