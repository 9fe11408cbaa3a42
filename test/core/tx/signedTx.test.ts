import { describe, expect, it } from 'vitest';
import { devKey } from '../../../core/crypto/index.js';
import { encode, fromHex, toHex } from '../../../core/encoding/index.js';
import {
  decodeTx,
  encodeTx,
  MAX_TX_BYTES,
  signTx,
  txHash,
  verifyTxSignature,
  type SignedTx,
  type UnsignedTx,
} from '../../../core/tx/index.js';

const dev0 = devKey(0);
const dev1 = devKey(1);

function transfer(overrides: Partial<UnsignedTx> = {}): UnsignedTx {
  return {
    chainId: 'medchain-dev',
    nonce: 0,
    sender: dev0.publicKey,
    to: dev1.address,
    method: 'transfer',
    args: [5],
    gasLimit: 1_000_000,
    ...overrides,
  };
}

describe('SignedTx', () => {
  it('matches the design §4 vector: 154 bytes and its hash', () => {
    const tx = signTx(transfer(), dev0.secretKey);
    const bytes = encodeTx(tx);
    expect(bytes.length).toBe(154);
    expect(toHex(txHash(bytes))).toBe('0xdc39506629e285441f782a905700b71eaf77fa5850d55fa9e148813892b269f3');
  });

  it('round-trips through decode and verifies its signature', () => {
    const tx = signTx(transfer({ nonce: 7, args: [2n ** 60n] }), dev0.secretKey);
    const back = decodeTx(encodeTx(tx));
    expect(back).toEqual(tx);
    expect(verifyTxSignature(back)).toBe(true);
  });

  it('rejects a signature by another key or over other fields', () => {
    const tx = signTx(transfer(), dev1.secretKey);
    expect(verifyTxSignature(tx)).toBe(false);
    const good = signTx(transfer(), dev0.secretKey);
    expect(verifyTxSignature({ ...good, nonce: 1 })).toBe(false);
    expect(verifyTxSignature({ ...good, args: [6] })).toBe(false);
  });

  it('signs deploys with to = nil', () => {
    const tx = signTx(transfer({ to: null, method: 'deploy', args: [new Uint8Array([1, 2, 3])] }), dev0.secretKey);
    expect(decodeTx(encodeTx(tx)).to).toBeNull();
  });
});

describe('decodeTx rejects bad input with a TxError naming the problem', () => {
  const good = signTx(transfer(), dev0.secretKey);
  const tuple = (t: SignedTx) => [1, t.chainId, t.nonce, t.sender, t.to, t.method, t.args, t.gasLimit, t.sig];
  const withField = (i: number, v: unknown) => {
    const t: unknown[] = tuple(good);
    t[i] = v;
    return encode(t as never);
  };

  it.each([
    ['garbage', new Uint8Array([0xc1]), 'TX_MALFORMED'],
    ['empty', new Uint8Array(0), 'TX_MALFORMED'],
    ['not an array', encode('tx'), 'TX_MALFORMED'],
    ['8 fields', encode(tuple(good).slice(0, 8) as never), 'TX_MALFORMED'],
    ['version 2', withField(0, 2), 'TX_BAD_VERSION'],
    ['chainId not a string', withField(1, 5), 'TX_BAD_CHAIN_ID'],
    ['chainId upper-case', withField(1, 'Medchain'), 'TX_BAD_CHAIN_ID'],
    ['negative nonce', withField(2, -1), 'TX_BAD_FIELD'],
    ['nonce beyond 2^53', withField(2, 2n ** 60n), 'TX_BAD_FIELD'],
    ['short sender', withField(3, new Uint8Array(31)), 'TX_BAD_FIELD'],
    ['short to', withField(4, new Uint8Array(19)), 'TX_BAD_FIELD'],
    ['to nil but not deploy', withField(4, null), 'TX_BAD_METHOD'],
    ['method too long', withField(5, 'a'.repeat(65)), 'TX_BAD_METHOD'],
    ['method not an identifier', withField(5, 'transfer()'), 'TX_BAD_METHOD'],
    ['args not an array', withField(6, 5), 'TX_BAD_FIELD'],
    ['gasLimit a string', withField(7, '1'), 'TX_BAD_FIELD'],
    ['short sig', withField(8, new Uint8Array(63)), 'TX_BAD_FIELD'],
  ])('%s', (_name, bytes, code) => {
    expect(() => decodeTx(bytes)).toThrow(expect.objectContaining({ code }));
  });

  it('rejects a tx over 64 KiB before decoding it', () => {
    const big = signTx(transfer({ args: [new Uint8Array(MAX_TX_BYTES)] }), dev0.secretKey);
    expect(() => decodeTx(encodeTx(big))).toThrow(expect.objectContaining({ code: 'TX_TOO_LARGE' }));
  });

  it('rejects non-canonical encodings (a longer int form of the nonce)', () => {
    const bytes = encodeTx(good);
    // nonce 0 is the positive fixint 0x00 right after the 13-byte chainId; widen it to uint8 0xcc 0x00
    const at = 1 + 1 + 13;
    expect(bytes[at]).toBe(0);
    const widened = new Uint8Array([...bytes.subarray(0, at), 0xcc, 0x00, ...bytes.subarray(at + 1)]);
    expect(() => decodeTx(widened)).toThrow(expect.objectContaining({ code: 'TX_MALFORMED' }));
  });

  it('never throws anything but a TxError on random mutations', () => {
    const bytes = encodeTx(good);
    for (let i = 0; i < bytes.length; i++) {
      for (const delta of [1, 0x80]) {
        const m = bytes.slice();
        m[i] ^= delta;
        try {
          decodeTx(m);
        } catch (e) {
          expect((e as { code?: string }).code).toMatch(/^TX_/);
        }
      }
    }
    expect(fromHex(toHex(bytes))).toEqual(bytes);
  });
});
