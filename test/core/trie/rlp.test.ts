/** Strict RLP (core/trie/rlp.ts) and the hex-prefix path encoding (core/trie/hexPrefix.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../../core/encoding/hex.js';
import { compactToNibbles, keyToNibbles, toCompact } from '../../../core/trie/hexPrefix.js';
import { rlp, TrieError } from '../../../core/trie/index.js';

const invalid = expect.objectContaining({ code: 'TRIE_INVALID_RLP' });

describe('rlp', () => {
  // The examples of the Ethereum wiki's RLP page / Yellow Paper appendix B.
  const vectors: Array<[rlp.RlpItem, string]> = [
    [utf8('dog'), '0x83646f67'],
    [[utf8('cat'), utf8('dog')], '0xc88363617483646f67'],
    [new Uint8Array(0), '0x80'],
    [[], '0xc0'],
    [Uint8Array.of(0x00), '0x00'],
    [Uint8Array.of(0x0f), '0x0f'],
    [Uint8Array.of(0x04, 0x00), '0x820400'],
    [[[], [[]], [[], [[]]]], '0xc7c0c1c0c3c0c1c0'],
    [
      utf8('Lorem ipsum dolor sit amet, consectetur adipisicing elit'),
      '0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974',
    ],
  ];

  it('encodes and decodes the reference examples', () => {
    for (const [item, hex] of vectors) {
      expect(toHex(rlp.encode(item))).toBe(hex);
      expect(rlp.decode(fromHex(hex))).toEqual(item);
    }
  });

  it('uses the long forms at 56 bytes, for strings and lists', () => {
    const s55 = new Uint8Array(55).fill(1);
    const s56 = new Uint8Array(56).fill(1);
    expect(rlp.encode(s55)[0]).toBe(0x80 + 55);
    expect(Array.from(rlp.encode(s56).subarray(0, 2))).toEqual([0xb8, 56]);
    const big = new Uint8Array(70000);
    expect(Array.from(rlp.encode(big).subarray(0, 4))).toEqual([0xba, 0x01, 0x11, 0x70]);
    expect(rlp.decode(rlp.encode(big))).toEqual(big);
    const list = Array.from({ length: 56 }, () => Uint8Array.of(1));
    expect(Array.from(rlp.encode(list).subarray(0, 2))).toEqual([0xf8, 56]);
  });

  it('round-trips random items', () => {
    const item: fc.Arbitrary<rlp.RlpItem> = fc.letrec<{ item: rlp.RlpItem }>((tie) => ({
      item: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.uint8Array({ maxLength: 80 }),
        fc.array(tie('item'), { maxLength: 5 }),
      ),
    })).item;
    fc.assert(
      fc.property(item, (x) => {
        expect(rlp.decode(rlp.encode(x))).toEqual(x);
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it('rejects every non-canonical or malformed encoding with TRIE_INVALID_RLP', () => {
    const bad = [
      '0x', // nothing
      '0x8100', // a single byte below 0x80 must be itself
      '0x817f',
      '0xb80100', // long form for a 1-byte string
      '0xb837' + '00'.repeat(55), // long form for 55 bytes
      '0xb90038' + '00'.repeat(56), // leading zero in the length
      '0xf800', // long-form list for 0 bytes
      '0x83646f', // truncated payload
      '0xb8', // truncated length
      '0xc883636174', // list payload truncated
      '0x83646f6700', // trailing byte
      '0xc0c0', // two items at the top level
      '0xbf0102030405060708', // 8 length bytes: more than any buffer
    ];
    for (const hex of bad) expect(() => rlp.decode(fromHex(hex)), hex).toThrow(invalid);
    // An inner item longer than its enclosing list.
    expect(() => rlp.decode(fromHex('0xc2830102'))).toThrow(invalid);
  });

  it('bounds nesting depth instead of overflowing the stack', () => {
    // [[[...[]...]]] 5,000 deep, canonically encoded.
    let x: Uint8Array = Uint8Array.of(0xc0);
    for (let i = 0; i < 5000; i++) {
      const out = new Uint8Array(rlp.headerLength(x.length) + x.length);
      out.set(x, rlp.writeHeader(out, 0, 0xc0, x.length));
      x = out;
    }
    expect(() => rlp.decode(x)).toThrow(invalid);
    expect(() => rlp.decode(x)).toThrow(/too deep/);
  });

  it('rejects non-bytes input with a typed error', () => {
    expect(() => rlp.decode('0x80' as unknown as Uint8Array)).toThrow(invalid);
    expect(() => rlp.encode(5 as unknown as Uint8Array)).toThrow(invalid);
  });
});

describe('hex-prefix', () => {
  it('matches the Yellow Paper examples (appendix C)', () => {
    const T = 16;
    expect(toHex(toCompact(Uint8Array.of(1, 2, 3, 4, 5)))).toBe('0x112345');
    expect(toHex(toCompact(Uint8Array.of(0, 1, 2, 3, 4, 5)))).toBe('0x00012345');
    expect(toHex(toCompact(Uint8Array.of(0, 15, 1, 12, 11, 8, T)))).toBe('0x200f1cb8');
    expect(toHex(toCompact(Uint8Array.of(15, 1, 12, 11, 8, T)))).toBe('0x3f1cb8');
    expect(toHex(toCompact(Uint8Array.of(T)))).toBe('0x20');
    expect(toHex(toCompact(new Uint8Array(0)))).toBe('0x00');
  });

  it('round-trips every path and rejects bad flags and padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, leaf) => {
        const nib = keyToNibbles(bytes);
        const path = leaf ? nib : nib.subarray(0, nib.length - 1);
        expect(compactToNibbles(toCompact(path))).toEqual(path);
      }),
      { numRuns: 300, seed: 2 },
    );
    for (const hex of ['0x', '0x40', '0xf0', '0x0100', '0x21ab']) expect(() => compactToNibbles(fromHex(hex)), hex).toThrow(invalid);
  });

  it('writes into a scratch buffer as a view of it', () => {
    const scratch = new Uint8Array(9);
    const v = keyToNibbles(Uint8Array.of(0xab, 0x01), scratch);
    expect(Array.from(v)).toEqual([10, 11, 0, 1, 16]);
    expect(v.buffer).toBe(scratch.buffer);
  });
});
