import { describe, expect, it } from 'vitest';
import { decode, encode, fromHex, toHex, type Value } from '../../../core/encoding/index.js';

const bin = (hex: string) => fromHex('0x' + hex);

/** The design §2 vectors, then one per form boundary (value, canonical hex). */
const DESIGN: [string, Value, string][] = [
  ['[1,"a",bin(01 02)]', [1, 'a', bin('0102')], '9301a161c4020102'],
  ['4294967301', 4294967301, 'cf0000000100000005'],
  ['-3', -3, 'fd'],
  ['{"b":1,"a":2}', { b: 1, a: 2 }, '82a16102a16201'],
  ['300', 300, 'cd012c'],
];

const BOUNDARIES: [Value, string][] = [
  [0, '00'],
  [127, '7f'],
  [128, 'cc80'],
  [255, 'ccff'],
  [256, 'cd0100'],
  [65535, 'cdffff'],
  [65536, 'ce00010000'],
  [4294967295, 'ceffffffff'],
  [4294967296, 'cf0000000100000000'],
  [Number.MAX_SAFE_INTEGER, 'cf001fffffffffffff'],
  [2n ** 53n, 'cf0020000000000000'],
  [2n ** 64n - 1n, 'cfffffffffffffffff'],
  [-1, 'ff'],
  [-32, 'e0'],
  [-33, 'd0df'],
  [-128, 'd080'],
  [-129, 'd1ff7f'],
  [-32768, 'd18000'],
  [-32769, 'd2ffff7fff'],
  [-(2 ** 31), 'd280000000'],
  [-(2 ** 31) - 1, 'd3ffffffff7fffffff'],
  [-Number.MAX_SAFE_INTEGER, 'd3ffe0000000000001'],
  [-(2n ** 53n), 'd3ffe0000000000000'],
  [-(2n ** 63n), 'd38000000000000000'],
  [null, 'c0'],
  [false, 'c2'],
  [true, 'c3'],
  ['', 'a0'],
  ['x'.repeat(31), 'bf' + '78'.repeat(31)],
  ['x'.repeat(32), 'd920' + '78'.repeat(32)],
  ['x'.repeat(255), 'd9ff' + '78'.repeat(255)],
  ['x'.repeat(256), 'da0100' + '78'.repeat(256)],
  ['é', 'a2c3a9'],
  ['\u{1F600}', 'a4f09f9880'],
  ['\uFEFFa', 'a4efbbbf61'],
  [new Uint8Array(0), 'c400'],
  [new Uint8Array(255), 'c4ff' + '00'.repeat(255)],
  [new Uint8Array(256), 'c50100' + '00'.repeat(256)],
  [[], '90'],
  [new Array(15).fill(0), '9f' + '00'.repeat(15)],
  [new Array(16).fill(0), 'dc0010' + '00'.repeat(16)],
  [{}, '80'],
];

describe('canonical encoding vectors', () => {
  it.each(DESIGN)('design §2: %s', (_name, value, hex) => {
    expect(toHex(encode(value))).toBe('0x' + hex);
    expect(encode(decode(bin(hex)))).toEqual(bin(hex));
  });

  it('design §2 vectors decode to the values', () => {
    expect(decode(bin('9301a161c4020102'))).toEqual([1, 'a', bin('0102')]);
    expect(decode(bin('cf0000000100000005'))).toBe(4294967301);
    expect(decode(bin('fd'))).toBe(-3);
    expect({ ...(decode(bin('82a16102a16201')) as object) }).toEqual({ a: 2, b: 1 });
    expect(decode(bin('cd012c'))).toBe(300);
  });

  it.each(BOUNDARIES)('%s ↔ %s', (value, hex) => {
    expect(toHex(encode(value))).toBe('0x' + hex);
    const back = decode(bin(hex));
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
      expect({ ...(back as object) }).toEqual(value);
    } else {
      expect(back).toEqual(value);
    }
  });

  it('decodes to number within ±(2^53-1) and to bigint beyond', () => {
    expect(decode(bin('cf001fffffffffffff'))).toBe(Number.MAX_SAFE_INTEGER);
    expect(decode(bin('cf0020000000000000'))).toBe(2n ** 53n);
    expect(decode(bin('d3ffe0000000000001'))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(decode(bin('d3ffe0000000000000'))).toBe(-(2n ** 53n));
    expect(encode(5n)).toEqual(encode(5));
    expect(encode(-(2n ** 31n))).toEqual(encode(-(2 ** 31)));
  });
});
