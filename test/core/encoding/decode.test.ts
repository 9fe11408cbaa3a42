import { describe, expect, it } from 'vitest';
import { decode, decodeTuple, encode, EncodingError, fromHex, MAX_DEPTH } from '../../../core/encoding/index.js';

const bin = (hex: string) => fromHex('0x' + hex.replace(/\s/g, ''));

/** Asserts that decoding `hex` fails with `code` at byte `offset`. */
function rejects(hex: string, code: string, offset: number): void {
  let err: unknown;
  try {
    decode(bin(hex));
  } catch (e) {
    err = e;
  }
  expect(err, `${hex} should be rejected`).toBeInstanceOf(EncodingError);
  const e = err as EncodingError;
  expect({ code: e.code, offset: e.context.offset }).toEqual({ code, offset });
  expect(typeof e.context.rule).toBe('string');
  expect(e.message).toContain(`at byte ${offset}`);
}

describe('decode rejects every non-canonical form, naming the rule and the byte', () => {
  it.each([
    // [hex, code, offset, what]
    ['', 'ENCODING_TRUNCATED', 0, 'empty input'],
    ['0001', 'ENCODING_TRAILING_BYTES', 1, 'two values'],
    ['9100c0', 'ENCODING_TRAILING_BYTES', 2, 'bytes after an array'],
    ['c1', 'ENCODING_RESERVED', 0, '0xc1'],
    ['91c1', 'ENCODING_RESERVED', 1, '0xc1 inside an array'],
    ['ca3f800000', 'ENCODING_FLOAT', 0, 'float32 1.0'],
    ['cb3ff0000000000000', 'ENCODING_FLOAT', 0, 'float64 1.0'],
    ['9201cb0000000000000000', 'ENCODING_FLOAT', 2, 'float inside an array'],
    ['d40100', 'ENCODING_EXT', 0, 'fixext1'],
    ['c7010100', 'ENCODING_EXT', 0, 'ext8'],
    // integers: unsigned forms must not fit a shorter form
    ['cc7f', 'ENCODING_NON_CANONICAL_INT', 0, 'uint8 127'],
    ['cc00', 'ENCODING_NON_CANONICAL_INT', 0, 'uint8 0'],
    ['cd00ff', 'ENCODING_NON_CANONICAL_INT', 0, 'uint16 255'],
    ['ce0000ffff', 'ENCODING_NON_CANONICAL_INT', 0, 'uint32 65535'],
    ['cf00000000ffffffff', 'ENCODING_NON_CANONICAL_INT', 0, 'uint64 2^32-1'],
    // signed forms hold only negatives the shorter forms cannot
    ['d000', 'ENCODING_NON_CANONICAL_INT', 0, 'int8 0'],
    ['d07f', 'ENCODING_NON_CANONICAL_INT', 0, 'int8 127'],
    ['d0ff', 'ENCODING_NON_CANONICAL_INT', 0, 'int8 -1'],
    ['d0e0', 'ENCODING_NON_CANONICAL_INT', 0, 'int8 -32'],
    ['d1ff80', 'ENCODING_NON_CANONICAL_INT', 0, 'int16 -128'],
    ['d10001', 'ENCODING_NON_CANONICAL_INT', 0, 'int16 1'],
    ['d2ffff8000', 'ENCODING_NON_CANONICAL_INT', 0, 'int32 -32768'],
    ['d200000001', 'ENCODING_NON_CANONICAL_INT', 0, 'int32 1'],
    ['d3ffffffff80000000', 'ENCODING_NON_CANONICAL_INT', 0, 'int64 -2^31'],
    ['d30000000000000001', 'ENCODING_NON_CANONICAL_INT', 0, 'int64 1'],
    ['d30000000100000000', 'ENCODING_NON_CANONICAL_INT', 0, 'int64 2^32 (must be uint64)'],
    ['9100cc05', 'ENCODING_TRAILING_BYTES', 2, 'fixarray then more'],
    ['9200cc05', 'ENCODING_NON_CANONICAL_INT', 2, 'uint8 5 in an array'],
    // lengths
    ['d91f' + '61'.repeat(31), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'str8 of 31'],
    ['da00ff' + '61'.repeat(255), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'str16 of 255'],
    ['db0000ffff' + '61'.repeat(65535), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'str32 of 65535'],
    ['c500ff' + '00'.repeat(255), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'bin16 of 255'],
    ['c60000ffff' + '00'.repeat(65535), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'bin32 of 65535'],
    ['dc000f' + '00'.repeat(15), 'ENCODING_NON_CANONICAL_LENGTH', 0, 'array16 of 15'],
    ['dd00000000', 'ENCODING_NON_CANONICAL_LENGTH', 0, 'array32 of 0'],
    ['de0000', 'ENCODING_NON_CANONICAL_LENGTH', 0, 'map16 of 0'],
    ['df00000001a16101', 'ENCODING_NON_CANONICAL_LENGTH', 0, 'map32 of 1'],
    ['81d901' + '61' + '01', 'ENCODING_NON_CANONICAL_LENGTH', 1, 'str8 map key of 1'],
    // maps
    ['82a16201a16102', 'ENCODING_MAP_KEY_ORDER', 4, '{"b","a"}'],
    ['82a16101a16102', 'ENCODING_MAP_DUPLICATE_KEY', 4, '{"a","a"}'],
    ['82a2616101a16102', 'ENCODING_MAP_KEY_ORDER', 5, '"aa" before "a"'],
    ['810101', 'ENCODING_MAP_KEY_TYPE', 1, 'integer key'],
    ['81c40161 01', 'ENCODING_MAP_KEY_TYPE', 1, 'bin key'],
    ['81c001', 'ENCODING_MAP_KEY_TYPE', 1, 'nil key'],
    // UTF-8 byte order, not UTF-16: U+E000 (ee 80 80) sorts before U+10000 (f0 90 80 80)
    ['82a4f0908080 01 a3ee8080 02', 'ENCODING_MAP_KEY_ORDER', 7, 'astral key before U+E000'],
    // UTF-8
    ['a1ff', 'ENCODING_INVALID_UTF8', 0, 'byte 0xff'],
    ['a2c0af', 'ENCODING_INVALID_UTF8', 0, 'overlong "/"'],
    ['a3eda080', 'ENCODING_INVALID_UTF8', 0, 'encoded surrogate U+D800'],
    ['a4f4908080', 'ENCODING_INVALID_UTF8', 0, 'above U+10FFFF'],
    ['a2e282', 'ENCODING_INVALID_UTF8', 0, 'cut sequence'],
    ['81a1ff01', 'ENCODING_INVALID_UTF8', 1, 'invalid map key'],
    ['d920' + '61'.repeat(31) + '80', 'ENCODING_INVALID_UTF8', 0, 'invalid long string'],
    // truncation: offset is the start of the item that runs past the end
    ['cd01', 'ENCODING_TRUNCATED', 0, 'uint16 cut'],
    ['cf00000001', 'ENCODING_TRUNCATED', 0, 'uint64 cut'],
    ['d3ff', 'ENCODING_TRUNCATED', 0, 'int64 cut'],
    ['a261', 'ENCODING_TRUNCATED', 0, 'fixstr cut'],
    ['c403 0102', 'ENCODING_TRUNCATED', 0, 'bin8 cut'],
    ['c4', 'ENCODING_TRUNCATED', 0, 'bin8 header cut'],
    ['9301a161', 'ENCODING_TRUNCATED', 4, 'array whose last element is missing'],
    ['930102', 'ENCODING_TRUNCATED', 0, 'array count > bytes left'],
    ['9201a2', 'ENCODING_TRUNCATED', 2, 'last element cut'],
    ['82a161', 'ENCODING_TRUNCATED', 0, 'map count*2 > bytes left'],
    ['81a161', 'ENCODING_TRUNCATED', 3, 'map value missing'],
    ['82a16101a262', 'ENCODING_TRUNCATED', 4, 'map key cut'],
    ['dc00', 'ENCODING_TRUNCATED', 0, 'array16 header cut'],
  ].map(([hex, code, offset, what]) => [what, code, offset, hex]) as [string, string, number, string][])(
    '%s → %s @%i',
    (_what, code, offset, hex) => rejects(hex, code, offset),
  );

  it('rejects every float and ext prefix with its rule', () => {
    for (const b of [0xca, 0xcb]) rejects(b.toString(16) + '00'.repeat(8), 'ENCODING_FLOAT', 0);
    for (const b of [0xc7, 0xc8, 0xc9, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8]) {
      rejects(b.toString(16) + '01'.repeat(20), 'ENCODING_EXT', 0);
      rejects('91' + b.toString(16), 'ENCODING_EXT', 1); // even when the payload is missing
    }
  });

  it('never returns for any single-byte input but the canonical ones', () => {
    for (let b = 0; b < 256; b++) {
      const one = new Uint8Array([b]);
      let ok = true;
      try {
        decode(one);
      } catch (e) {
        expect(e).toBeInstanceOf(EncodingError);
        ok = false;
      }
      // fixints, nil, false, true, and the empty map, array and string
      const canonical = b <= 0x7f || b >= 0xe0 || [0xc0, 0xc2, 0xc3, 0x80, 0x90, 0xa0].includes(b);
      expect(ok, `0x${b.toString(16)}`).toBe(canonical);
    }
  });
});

describe('decode under hostile input', () => {
  it.each([
    ['dd ffffffff 00', 'array32 of 2^32-1'],
    ['df ffffffff 00', 'map32 of 2^32-1'],
    ['c6 ffffffff 00', 'bin32 of 4 GiB'],
    ['db ffffffff 00', 'str32 of 4 GiB'],
    ['dc ffff', 'array16 of 65535'],
    ['de ffff', 'map16 of 65535'],
    ['91 dd ffffffff', 'nested array32'],
  ])('a declared length beyond the input fails fast without allocating: %s (%s)', (hex) => {
    const before = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    const t = performance.now();
    expect(() => decode(bin(hex))).toThrow(expect.objectContaining({ code: 'ENCODING_TRUNCATED' }));
    expect(performance.now() - t).toBeLessThan(50);
    const after = process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    expect(after - before).toBeLessThan(16 * 1024 * 1024);
  });

  it(`accepts ${MAX_DEPTH} nested containers and rejects one more at its header`, () => {
    const ok = new Uint8Array(MAX_DEPTH + 1).fill(0x91);
    ok[MAX_DEPTH] = 0xc0;
    expect(encode(decode(ok))).toEqual(ok);
    const deep = new Uint8Array(MAX_DEPTH + 2).fill(0x91);
    deep[MAX_DEPTH + 1] = 0xc0;
    rejects(Buffer.from(deep).toString('hex'), 'ENCODING_TOO_DEEP', MAX_DEPTH);
    const maps = new Uint8Array(3 * (MAX_DEPTH + 1)).fill(0);
    for (let i = 0; i <= MAX_DEPTH; i++) maps.set([0x81, 0xa0], 2 * i);
    rejects(Buffer.from(maps).toString('hex'), 'ENCODING_TOO_DEEP', 2 * MAX_DEPTH);
  });

  it('rejects a million nested arrays without overflowing the stack', () => {
    const deep = new Uint8Array(1_000_000).fill(0x91);
    expect(() => decode(deep)).toThrow(expect.objectContaining({ code: 'ENCODING_TOO_DEEP' }));
  });

  it('a "__proto__" key is an ordinary key and pollutes nothing', () => {
    const v = decode(bin('81a95f5f70726f746f5f5f81a5706f6c6c75c3')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(null);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).pollu).toBeUndefined();
    expect(encode(v as never)).toEqual(bin('81a95f5f70726f746f5f5f81a5706f6c6c75c3'));
  });

  it('rejects a non-Uint8Array argument with a TypeError', () => {
    expect(() => decode([0x01] as unknown as Uint8Array)).toThrow(TypeError);
  });
});

describe('decode results', () => {
  it('returns bins as plain Uint8Array copies, also from a Buffer', () => {
    const input = Buffer.from('92c40201020a', 'hex');
    const [b] = decode(input) as [Uint8Array];
    expect(b.constructor).toBe(Uint8Array);
    expect(b).toEqual(new Uint8Array([1, 2]));
    input[2] = 0xff;
    expect(b[0]).toBe(1);
    expect(b.buffer).not.toBe(input.buffer);
    expect(b.byteLength).toBe(b.buffer.byteLength);
  });

  it('decodes from a subarray of a larger buffer', () => {
    const frame = bin('ff ff 93 01 a1 61 c4 02 01 02 ff');
    expect(decode(frame.subarray(2, 10))).toEqual([1, 'a', new Uint8Array([1, 2])]);
  });

  it('keeps a leading BOM and U+FFFD as content', () => {
    expect(decode(bin('a6efbbbfefbfbd'))).toBe('\uFEFF\uFFFD');
    const long = '\uFEFF' + 'x'.repeat(40);
    expect(decode(encode(long))).toBe(long);
  });
});

describe('decodeTuple', () => {
  it('returns the items and where each starts, so a prefix can be hashed without re-encoding', () => {
    const bytes = bin('9301a161c4020102');
    const { items, offsets } = decodeTuple(bytes, 3);
    expect(items).toEqual([1, 'a', new Uint8Array([1, 2])]);
    expect(offsets).toEqual([1, 2, 4, 8]);
    const firstTwo = new Uint8Array([0x92, ...bytes.subarray(offsets[0], offsets[2])]);
    expect(firstTwo).toEqual(encode([1, 'a']));
  });

  it('handles array16 headers', () => {
    const v = new Array(20).fill(7);
    expect(decodeTuple(encode(v), 20).offsets[0]).toBe(3);
  });

  it('rejects wrong arity, non-arrays and the usual rule breaks', () => {
    expect(() => decodeTuple(bin('9301a161c4020102'), 2)).toThrow(expect.objectContaining({ code: 'ENCODING_TUPLE_ARITY' }));
    expect(() => decodeTuple(bin('01'), 1)).toThrow(expect.objectContaining({ code: 'ENCODING_TUPLE_ARITY' }));
    expect(() => decodeTuple(bin('9101c0'), 1)).toThrow(expect.objectContaining({ code: 'ENCODING_TRAILING_BYTES' }));
    expect(() => decodeTuple(bin('91cc01'), 1)).toThrow(expect.objectContaining({ code: 'ENCODING_NON_CANONICAL_INT' }));
    expect(() => decodeTuple(bin('dc0001' + '01'), 1)).toThrow(expect.objectContaining({ code: 'ENCODING_NON_CANONICAL_LENGTH' }));
    expect(() => decodeTuple(bin('dd ffffffff'), 0xffffffff)).toThrow(expect.objectContaining({ code: 'ENCODING_TRUNCATED' }));
    expect(() => decodeTuple(bin(''), 0)).toThrow(expect.objectContaining({ code: 'ENCODING_TRUNCATED' }));
  });
});
