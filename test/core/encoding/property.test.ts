import fc from 'fast-check';
import { Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decode, encode, EncodingError, equalBytes, toHex, type Encodable, type Value } from '../../../core/encoding/index.js';
import { canonical, encodable, referenceEncode, sloppyEncode } from './arbitraries.js';

/** decode must either throw an EncodingError or return a value that encodes to exactly `bytes`. */
function decodesCanonicallyOrRejects(bytes: Uint8Array): void {
  let value: Value;
  try {
    value = decode(bytes);
  } catch (e) {
    if (!(e instanceof EncodingError)) throw e;
    return;
  }
  sameBytes(encode(value), bytes);
}

/** Byte equality; vitest's deep equality is too slow for tens of thousands of checks. */
function sameBytes(actual: Uint8Array, expected: Uint8Array): void {
  if (!equalBytes(actual, expected)) expect(toHex(actual)).toBe(toHex(expected));
}

describe('codec properties', () => {
  it('encode matches an independent spec-literal reference encoder byte for byte', () => {
    fc.assert(
      fc.property(encodable, (v) => {
        sameBytes(encode(v), new Uint8Array(referenceEncode(v)));
      }),
      { numRuns: 1000 },
    );
  });

  it('decode∘encode is the identity on canonical values, and encode∘decode on encodings', () => {
    fc.assert(
      fc.property(encodable, (v) => {
        const bytes = encode(v);
        const back = decode(bytes);
        expect(back).toEqual(canonical(v));
        sameBytes(encode(back), bytes);
      }),
      { numRuns: 1000 },
    );
  });

  it('an independent decoder (msgpackr) reads the same values from our bytes', () => {
    const unpackr = new Unpackr({ mapsAsObjects: true, int64AsType: 'bigint', useRecords: false });
    // normalise both sides: every integer as a bigint, bins as plain Uint8Array, objects as entries
    const norm = (v: unknown): unknown => {
      if (typeof v === 'number') return BigInt(v);
      if (v instanceof Uint8Array) return new Uint8Array(v);
      if (Array.isArray(v)) return v.map(norm);
      if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, norm(x)]).sort();
      return v;
    };
    const noProtoKey = (v: Encodable): boolean => !encode(v).join(',').includes([0xa9, ...Buffer.from('__proto__')].join(','));
    fc.assert(
      fc.property(encodable.filter(noProtoKey), (v) => {
        const bytes = encode(v);
        expect(norm(unpackr.unpack(bytes))).toEqual(norm(decode(bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it('a mutated encoding (byte flipped, inserted, deleted, truncated) is rejected or canonical', () => {
    const mutation = fc.tuple(fc.constantFrom('flip', 'insert', 'delete', 'truncate'), fc.nat(), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(encodable, fc.array(mutation, { minLength: 1, maxLength: 3 }), (v, mutations) => {
        const bytes = [...encode(v)];
        for (const [kind, at, byte] of mutations) {
          const i = at % (bytes.length + 1);
          if (kind === 'flip' && i < bytes.length) bytes[i] = byte;
          else if (kind === 'insert') bytes.splice(i, 0, byte);
          else if (kind === 'delete') bytes.splice(i, 1);
          else if (kind === 'truncate') bytes.length = i;
        }
        decodesCanonicallyOrRejects(new Uint8Array(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('a valid but non-canonical encoding (longer forms, unsorted or duplicate keys) is rejected', () => {
    let rejected = 0;
    fc.assert(
      fc.property(encodable, fc.array(fc.nat(), { minLength: 1, maxLength: 64 }), (v, randoms) => {
        // half of the choices keep the canonical form, so most values mix both kinds
        let i = 0;
        const pick = (n: number) => {
          const r = randoms[i++ % randoms.length] + i;
          return r % 2 === 0 ? 0 : r % n;
        };
        const bytes = new Uint8Array(sloppyEncode(v, pick));
        const canonicalBytes = encode(v);
        if (equalBytes(bytes, canonicalBytes)) {
          sameBytes(encode(decode(bytes)), bytes);
        } else {
          expect(() => decode(bytes)).toThrow(EncodingError);
          rejected++;
        }
      }),
      { numRuns: 2000 },
    );
    expect(rejected).toBeGreaterThan(500);
  });

  it('arbitrary byte strings are rejected or canonical', () => {
    const prefixes = [0x91, 0x92, 0x81, 0xa1, 0xc4, 0xd9, 0xdc, 0xde, 0xcf, 0xd3];
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.tuple(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 40 })).map(([p, rest]) => new Uint8Array([p, ...rest]))), (bytes) => {
        decodesCanonicallyOrRejects(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('every single-byte substitution of a tx-like encoding is rejected or canonical', () => {
    const tx = encode([1, 'medchain-dev', 7, new Uint8Array(32).fill(1), new Uint8Array(20).fill(2), 'transfer', [5, { a: 1, é: [2n ** 60n, -(2n ** 40n)] }], 1_000_000, new Uint8Array(64).fill(3)]);
    for (let i = 0; i < tx.length; i++) {
      for (let b = 0; b < 256; b++) {
        if (b === tx[i]) continue;
        const m = tx.slice();
        m[i] = b;
        decodesCanonicallyOrRejects(m);
      }
      decodesCanonicallyOrRejects(tx.subarray(0, i));
    }
  });
});
