/**
 * The client's browser-safe tx path (@noble + core/encoding) against core's node:crypto one:
 * byte-identical encodings and hashes, the design §4 vector, dev keys (design §3), and the
 * JSON argument rules of jsonToValue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devKey as coreDevKey, verifyDomain, DOMAIN_TX } from '../../../core/crypto/index.js';
import { toHex, type Value } from '../../../core/encoding/index.js';
import { decodeTx, encodeTx as coreEncodeTx, signTx as coreSignTx, txHash as coreTxHash, txSigningPayload } from '../../../core/tx/index.js';
import { builtTx, devKey, encodeTx, jsonToValue, keyFromSecret, parseArgsJson, signTx, txBytes, txHash, ClientError, type UnsignedTx } from '../../../rpc/client/index.js';

const VECTOR_HASH = '0xdc39506629e285441f782a905700b71eaf77fa5850d55fa9e148813892b269f3';

function vectorTx(): UnsignedTx {
  return { chainId: 'medchain-dev', nonce: 0, sender: devKey(0).publicKey, to: devKey(1).address, method: 'transfer', args: [5], gasLimit: 1_000_000 };
}

describe('client tx codec', () => {
  it('reproduces the design §4 vector: 154 bytes and its hash', () => {
    const bytes = encodeTx(signTx(vectorTx(), devKey(0).secretKey));
    expect(bytes.length).toBe(154);
    expect(toHex(txHash(bytes))).toBe(VECTOR_HASH);
  });

  it("signs byte-identically to core's encodeTx(signTx(...)) for the vector", () => {
    const ours = encodeTx(signTx(vectorTx(), devKey(0).secretKey));
    const core = coreEncodeTx(coreSignTx(vectorTx(), coreDevKey(0).secretKey));
    expect(toHex(ours)).toBe(toHex(core));
    expect(toHex(txHash(ours))).toBe(toHex(coreTxHash(core)));
  });

  it('matches core for random transactions, and core verifies the signatures', () => {
    const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
      v: fc.oneof(
        { maxDepth: 3 },
        fc.integer(),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
        fc.string(),
        fc.uint8Array({ maxLength: 40 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9 }),
        fc.nat(),
        fc.option(fc.uint8Array({ minLength: 20, maxLength: 20 }), { nil: null }),
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/),
        fc.array(value, { maxLength: 5 }),
        fc.nat(),
        (i, nonce, to, method, args, gasLimit) => {
          const tx: UnsignedTx = { chainId: 'medchain-dev', nonce, sender: devKey(i).publicKey, to, method: to === null ? 'deploy' : method, args, gasLimit };
          const ours = encodeTx(signTx(tx, devKey(i).secretKey));
          const core = coreEncodeTx(coreSignTx(tx, coreDevKey(i).secretKey));
          expect(toHex(ours)).toBe(toHex(core));
          const decoded = decodeTx(ours);
          expect(verifyDomain(DOMAIN_TX, txSigningPayload(decoded), decoded.sig, decoded.sender)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('dev keys equal core\'s and the design §3 vector', () => {
    for (let i = 0; i < 10; i++) {
      const ours = devKey(i);
      const core = coreDevKey(i);
      expect(toHex(ours.secretKey)).toBe(toHex(core.secretKey));
      expect(toHex(ours.publicKey)).toBe(toHex(core.publicKey));
      expect(ours.addressHex).toBe(toHex(core.address));
    }
    expect(toHex(devKey(0).publicKey)).toBe('0x0bf88382c30849c59f58496ee0bcb9c11277c9ef5b6e3f4d8ccea94bb16cfa31');
    expect(devKey(0).addressHex).toBe('0x4632d0c616fd1891af88f25b7c7d5425eee4b7b6');
    expect(() => devKey(10)).toThrow(ClientError);
    expect(keyFromSecret(toHex(coreDevKey(3).secretKey)).addressHex).toBe(toHex(coreDevKey(3).address));
    expect(() => keyFromSecret('0x1234')).toThrow(/32-byte/);
  });

  it('rejects a bad tx field by name before signing', () => {
    const sk = devKey(0).secretKey;
    expect(() => signTx({ ...vectorTx(), chainId: 'Bad Chain' }, sk)).toThrow(/chainId/);
    expect(() => signTx({ ...vectorTx(), nonce: -1 }, sk)).toThrow(/nonce/);
    expect(() => signTx({ ...vectorTx(), to: new Uint8Array(19) }, sk)).toThrow(/to/);
    expect(() => signTx({ ...vectorTx(), to: null }, sk)).toThrow(/deploy/);
    expect(() => signTx({ ...vectorTx(), method: '1x' }, sk)).toThrow(/method/);
  });

  it('accepts built, signed, raw and hex txs alike', () => {
    const built = builtTx(signTx(vectorTx(), devKey(0).secretKey));
    expect(built.hash).toBe(VECTOR_HASH);
    for (const input of [built, built.tx, built.bytes, built.hex]) expect(toHex(txBytes(input))).toBe(built.hex);
    expect(() => txBytes('0xzz')).toThrow(ClientError);
  });
});

describe('jsonToValue', () => {
  it('maps hex to bytes, numbers to integers, and honours the $bigint / $string tags', () => {
    expect(parseArgsJson('[1, "0xab01", "text", true, null, [2], {"k": "0x"}]')).toEqual([
      1,
      new Uint8Array([0xab, 0x01]),
      'text',
      true,
      null,
      [2],
      { k: new Uint8Array(0) },
    ]);
    expect(jsonToValue({ $bigint: '18446744073709551615' })).toBe(2n ** 64n - 1n);
    expect(jsonToValue({ $string: '0xab' })).toBe('0xab');
    expect(jsonToValue('0xabc')).toBe('0xabc'); // odd number of digits: not bytes
  });

  it('names what is wrong', () => {
    expect(() => parseArgsJson('{')).toThrow(/not valid JSON/);
    expect(() => parseArgsJson('{"a":1}')).toThrow(/expected a JSON array/);
    expect(() => parseArgsJson('[1.5]')).toThrow(/args\[0\].*safe integer/);
    expect(() => parseArgsJson('[[1, 1e300]]')).toThrow(/args\[0\]\[1\]/);
    expect(() => jsonToValue({ $bigint: '2e5' })).toThrow(/decimal/);
    expect(() => jsonToValue({ $bigint: '18446744073709551616' })).toThrow(/int64/);
  });
});
