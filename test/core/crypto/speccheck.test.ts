import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../core/encoding/hex.js';
import { checkAcceptanceRule, getPublicKey, verify } from '../../../core/crypto/index.js';
import { SPECCHECK, SPECCHECK_EXPECTED } from './speccheckCases.js';

/** Cases rejected by the pre-checks alone (the rest reach the native check). */
const REJECTED_BY_PRECHECK = [0, 1, 6, 7, 8, 9, 10, 11];

describe('speccheck 0-11 under medchain’s acceptance rule', () => {
  it('has 12 cases', () => {
    expect(SPECCHECK).toHaveLength(12);
  });

  it.each(SPECCHECK.map((c, i) => [i, c] as const))('case %i: verify gives the pinned outcome', (i, c) => {
    expect(verify(c.signature, c.message, c.publicKey)).toBe(SPECCHECK_EXPECTED[i]);
  });

  it.each(SPECCHECK.map((c, i) => [i, c] as const))('case %i: the same outcome with the key met once, twice and cached', (i, c) => {
    // verify's key cache imports a key on its second sighting: every path must agree
    for (let k = 0; k < 4; k++) expect(verify(c.signature, c.message, c.publicKey)).toBe(SPECCHECK_EXPECTED[i]);
  });

  it.each(SPECCHECK.map((c, i) => [i, c] as const))('case %i: pre-checks alone', (i, c) => {
    expect(checkAcceptanceRule(c.signature, c.publicKey)).toBe(!REJECTED_BY_PRECHECK.includes(i));
  });
});

// The 8 small-order points, canonical encodings (generated from an order-8 point with noble).
const TORSION = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  '0000000000000000000000000000000000000000000000000000000000000000',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
];
const h = (s: string) => fromHex('0x' + s);
/** A signature with a canonical R and S = 0, so only the key decides the pre-checks. */
const NEUTRAL_SIG = new Uint8Array(64);
NEUTRAL_SIG.set(h('58' + '66'.repeat(31))); // R = the base point's encoding

describe('small-order and canonicity pre-checks', () => {
  it('the torsion list is exactly noble’s small-order points', () => {
    const seen = new Set(TORSION);
    let p = ed.Point.fromBytes(h(TORSION[1]));
    let q = p;
    for (let i = 0; i < 8; i++) {
      expect(seen.has(q.toHex())).toBe(true);
      expect(ed.Point.fromBytes(h(q.toHex())).isSmallOrder()).toBe(true);
      q = q.add(p);
    }
  });

  it('rejects every small-order key, canonical or not', () => {
    const encodings = [...TORSION];
    // the other sign of each (x = 0 with the sign bit set is non-canonical) and y + p for y in {0, 1}
    for (const t of TORSION) {
      const b = h(t);
      b[31] ^= 0x80;
      encodings.push(Buffer.from(b).toString('hex'));
    }
    for (const low of ['ed', 'ee']) encodings.push(low + 'ff'.repeat(30) + '7f', low + 'ff'.repeat(30) + 'ff');
    for (const e of encodings) expect(checkAcceptanceRule(NEUTRAL_SIG, h(e)), e).toBe(false);
  });

  it('accepts honest and mixed-order keys, agreeing with noble’s isSmallOrder', () => {
    const t = ed.Point.fromBytes(h(TORSION[1]));
    for (let i = 1; i <= 50; i++) {
      const a = ed.Point.fromBytes(getPublicKey(new Uint8Array(32).fill(i)));
      for (const k of [a, a.add(t)]) {
        expect(k.isSmallOrder()).toBe(false);
        expect(checkAcceptanceRule(NEUTRAL_SIG, k.toBytes())).toBe(true);
      }
    }
  });

  it('rejects y >= p for the key and for R, accepts y = p - 1 with the sign bit clear as R', () => {
    const pk = getPublicKey(new Uint8Array(32).fill(7));
    for (let low = 0xed; low <= 0xff; low++) {
      const y = h(low.toString(16) + 'ff'.repeat(30) + '7f');
      expect(checkAcceptanceRule(NEUTRAL_SIG, y)).toBe(false);
      const sig = new Uint8Array(64);
      sig.set(y);
      expect(checkAcceptanceRule(sig, pk)).toBe(false);
    }
    const sig = new Uint8Array(64);
    sig.set(h('ec' + 'ff'.repeat(30) + '7f')); // (0, -1): small order but canonical, allowed as R
    expect(checkAcceptanceRule(sig, pk)).toBe(true);
  });

  it('requires S < L (RFC 8032 §5.1.7)', () => {
    const pk = getPublicKey(new Uint8Array(32).fill(9));
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    const withS = (s: bigint) => {
      const sig = NEUTRAL_SIG.slice();
      for (let i = 0; i < 32; i++) sig[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
      return sig;
    };
    expect(checkAcceptanceRule(withS(L - 1n), pk)).toBe(true);
    expect(checkAcceptanceRule(withS(L), pk)).toBe(false);
    expect(checkAcceptanceRule(withS(L + 1n), pk)).toBe(false);
    expect(checkAcceptanceRule(withS(2n ** 256n - 1n), pk)).toBe(false);
  });
});
