import { describe, expect, it } from 'vitest';
import { compareUtf8, decode, encode, encodeWith, EncodingError, equalBytes, MAX_DEPTH, toHex, type Encodable } from '../../../core/encoding/index.js';

/** Asserts that encoding `value` fails with `code`. */
function rejects(value: unknown, code: string): EncodingError {
  let err: unknown;
  try {
    encode(value as Encodable);
  } catch (e) {
    err = e;
  }
  expect(err, `${String(value)} should be rejected`).toBeInstanceOf(EncodingError);
  expect((err as EncodingError).code).toBe(code);
  expect(typeof (err as EncodingError).context.offset).toBe('number');
  return err as EncodingError;
}

describe('encode rejects values with no canonical form', () => {
  it.each([0.5, -1.5, NaN, Infinity, -Infinity, 1e-300])('non-integer number %s → ENCODING_NOT_INTEGER', (n) => {
    rejects(n, 'ENCODING_NOT_INTEGER');
  });

  it.each([2 ** 53, -(2 ** 53), 1e20, Number.MAX_VALUE])('unsafe integer %s → ENCODING_INT_RANGE', (n) => {
    rejects(n, 'ENCODING_INT_RANGE');
  });

  it.each([2n ** 64n, -(2n ** 63n) - 1n, 10n ** 30n])('bigint %s outside int64..uint64 → ENCODING_INT_RANGE', (n) => {
    rejects(n, 'ENCODING_INT_RANGE');
  });

  it.each([
    ['undefined', undefined],
    ['function', () => 1],
    ['symbol', Symbol('x')],
    ['Date', new Date(0)],
    ['Set', new Set([1])],
    ['Int8Array', new Int8Array(2)],
    ['Uint8ClampedArray', new Uint8ClampedArray(2)],
    ['ArrayBuffer', new ArrayBuffer(2)],
    ['class instance', new (class Point {
      x = 1;
    })()],
    ['undefined object value', { a: undefined }],
    ['undefined Map value', new Map([['a', undefined]])],
    ['array hole', [1, , 3]],
  ])('%s → ENCODING_UNSUPPORTED_TYPE', (_name, v) => {
    rejects(v, 'ENCODING_UNSUPPORTED_TYPE');
  });

  it('reports how many bytes were written when it failed', () => {
    expect(rejects([1, 2, 0.5], 'ENCODING_NOT_INTEGER').context.offset).toBe(3);
  });

  it('Map keys must be strings', () => {
    rejects(new Map<unknown, Encodable>([[1, 1]]), 'ENCODING_MAP_KEY_TYPE');
  });

  it.each(['\uD800', 'a\uDC00b', '\uDC00\uD800', 'x'.repeat(100) + '\uD83D'])('lone surrogate in %j → ENCODING_LONE_SURROGATE', (s) => {
    rejects(s, 'ENCODING_LONE_SURROGATE');
    rejects({ [s]: 1 }, 'ENCODING_LONE_SURROGATE');
  });

  it(`nests at most ${MAX_DEPTH} containers and reports cycles as too deep`, () => {
    let v: Encodable = 'leaf';
    for (let i = 0; i < MAX_DEPTH; i++) v = [v];
    expect(decode(encode(v))).toEqual(v);
    rejects([v], 'ENCODING_TOO_DEEP');
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    rejects(cyclic, 'ENCODING_TOO_DEEP');
    const obj: Record<string, unknown> = {};
    obj.self = obj;
    rejects(obj, 'ENCODING_TOO_DEEP');
  });

  it('stays usable after a failure', () => {
    rejects(['x'.repeat(1000), 0.5], 'ENCODING_NOT_INTEGER');
    expect(toHex(encode([1, 'a']))).toBe('0x9201a161');
  });
});

describe('encode accepts', () => {
  it('-0 as 0', () => {
    expect(encode(-0)).toEqual(new Uint8Array([0]));
  });

  it('Buffer and other Uint8Array subclasses as bin', () => {
    expect(toHex(encode(Buffer.from([1, 2])))).toBe('0xc4020102');
    class Bytes extends Uint8Array {}
    expect(toHex(encode(new Bytes([3])))).toBe('0xc40103');
    expect(toHex(encode(new Uint8Array([9, 1, 2, 9]).subarray(1, 3)))).toBe('0xc4020102');
  });

  it('Maps and objects, sorted by UTF-8 bytes, identically', () => {
    const entries: [string, number][] = [
      ['b', 1],
      ['a', 2],
      ['\u{10000}', 3],
      ['\uE000', 4],
      ['', 5],
      ['aa', 6],
      ['10', 7],
      ['9', 8],
    ];
    const fromObject = encode(Object.fromEntries(entries));
    expect(encode(new Map(entries))).toEqual(fromObject);
    // wire order is UTF-8 byte order (a decoded object enumerates integer-like keys first: that is JS)
    const order = ['', '10', '9', 'a', 'aa', 'b', '\uE000', '\u{10000}'];
    const expected = [0x88];
    for (const k of order) {
      const utf8 = Buffer.from(k, 'utf8');
      expected.push(0xa0 | utf8.length, ...utf8, new Map(entries).get(k)!);
    }
    expect(fromObject).toEqual(new Uint8Array(expected));
  });

  it('null-prototype objects, own enumerable string keys only', () => {
    const o = Object.create(null) as Record<string, Encodable>;
    o.x = 1;
    Object.defineProperty(o, 'hidden', { value: 2, enumerable: false });
    (o as Record<symbol, unknown>)[Symbol('s')] = 3;
    expect(toHex(encode(o))).toBe('0x81a17801');
    expect(toHex(encode(JSON.parse('{"__proto__":1}') as Encodable))).toBe('0x81a95f5f70726f746f5f5f01');
  });

  it('read-only tuples', () => {
    const t = [1, 'a'] as const;
    expect(toHex(encode(t))).toBe('0x9201a161');
  });

  it('a re-entrant call from a getter without corrupting the outer encoding', () => {
    const inner = { get v() {
      return encode(['inner', 'x'.repeat(300)]);
    } };
    const bytes = encode(['outer', inner as unknown as Encodable, 'tail']);
    const [outer, m, tail] = decode(bytes) as [string, { v: Uint8Array }, string];
    expect([outer, tail]).toEqual(['outer', 'tail']);
    expect(decode(m.v)).toEqual(['inner', 'x'.repeat(300)]);
  });

  it('values larger than the scratch buffer, and returns a fresh array each time', () => {
    const big = new Uint8Array(3_000_000).fill(7);
    const s = 'é'.repeat(100_000);
    const bytes = encode([big, s, 'tail']);
    expect(bytes.length).toBe(5 + 3_000_000 + 5 + 200_000 + 5 + 1);
    const [bigBack, sBack, tail] = decode(bytes) as [Uint8Array, string, string];
    expect(equalBytes(bigBack, big)).toBe(true); // not toEqual: its deep walk over 3 MB takes seconds
    expect([sBack === s, tail]).toEqual([true, 'tail']);
    const a = encode([1]);
    const b = encode([2]);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a).toEqual(new Uint8Array([0x91, 1]));
  });

  it('strings whose UTF-8 length crosses a header boundary', () => {
    for (const s of ['é'.repeat(15), 'é'.repeat(16), 'x'.repeat(11), '€'.repeat(85), '€'.repeat(86), 'x'.repeat(70), '€'.repeat(21_845), '€'.repeat(21_846)]) {
      const bytes = encode(s);
      expect(decode(bytes)).toBe(s);
      expect(Buffer.from(bytes.subarray(bytes.length - Buffer.byteLength(s)))).toEqual(Buffer.from(s, 'utf8'));
    }
  });
});

describe('encodeWith', () => {
  it('lends a view of the same bytes encode returns, and returns what the callback returns', () => {
    const v = [1, 'medchain-dev', new Uint8Array(64).fill(9), { a: [2n ** 64n - 1n] }];
    expect(encodeWith(v, (bytes) => toHex(bytes))).toBe(toHex(encode(v)));
  });

  it('keeps the lent view intact while the callback encodes other values', () => {
    const hex = encodeWith(['outer', 'x'.repeat(100)], (bytes) => {
      const inner = encode(['inner']);
      const nested = encodeWith([1, 2], (b) => toHex(b));
      expect([toHex(inner), nested]).toEqual([toHex(encode(['inner'])), '0x920102']);
      return toHex(bytes);
    });
    expect(hex).toBe(toHex(encode(['outer', 'x'.repeat(100)])));
  });

  it('fails like encode and recovers after the callback throws or detaches the buffer', () => {
    expect(() => encodeWith([0.5], () => 1)).toThrow(expect.objectContaining({ code: 'ENCODING_NOT_INTEGER' }));
    expect(() =>
      encodeWith([1], () => {
        throw new Error('callback');
      }),
    ).toThrow('callback');
    encodeWith([1], (bytes) => structuredClone(bytes.buffer, { transfer: [bytes.buffer as ArrayBuffer] }));
    expect(toHex(encode([1, 'a']))).toBe('0x9201a161');
  });
});

describe('compareUtf8', () => {
  it('orders like the UTF-8 bytes', () => {
    const words = ['', 'a', 'ab', 'b', 'é', '\uFFFF', '\uE000', '\u{10000}', '\u{1F600}', '\uD7FF', 'z\u{10FFFF}', 'z\uFFFD'];
    const sorted = [...words].sort(compareUtf8);
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(sorted).toEqual(byBytes);
  });
});
