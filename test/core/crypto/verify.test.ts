import * as ed from '@noble/ed25519';
import { describe, expect, it } from 'vitest';
import { createPublicKey, KeyObject, verify as nativeVerify } from 'node:crypto';
import { getPublicKey, KeyObjectCache, sha256, sign, verify } from '../../../core/crypto/index.js';
import type { VerifyKey } from '../../../core/crypto/keyObjectCache.js';

/** Deterministic pseudo-random bytes: sha256-based, so failures reproduce. */
function bytes(seed: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, block = 0; i < n; block++) {
    const d = sha256(new TextEncoder().encode(`${seed}/${block}`));
    out.set(d.subarray(0, Math.min(32, n - i)), i);
    i += 32;
  }
  return out;
}

/** node:crypto's verify, with a thrown rejection of the key as `false` (as core/crypto does). */
function nativeVerifyOrFalse(msg: Uint8Array, key: VerifyKey, sig: Uint8Array): boolean {
  try {
    return nativeVerify(null, msg, key, sig);
  } catch {
    return false;
  }
}

/** How many random key/message pairs to cross-check (noble verify dominates: ~1 ms each). */
const AGREEMENT_CASES = 2000;

describe('noble and native agree', () => {
  it(`on ${AGREEMENT_CASES} random keys and messages, valid and tampered`, () => {
    let accepted = 0;
    for (let i = 0; i < AGREEMENT_CASES; i++) {
      const sk = bytes(`sk${i}`, 32);
      const pk = getPublicKey(sk);
      const msg = bytes(`msg${i}`, i % 300);
      const sig = sign(msg, sk);
      expect(ed.verify(sig, msg, pk)).toBe(true);
      expect(verify(sig, msg, pk)).toBe(true);
      accepted++;
      // tamper with one of: message, R, S, key (cycling), one bit chosen by i
      const which = i % 4;
      const bit = 1 << (i % 8);
      let [s2, m2, k2] = [sig.slice(), msg.slice(), pk.slice()];
      if (which === 0) {
        if (m2.length > 0) m2[i % m2.length] ^= bit;
        else m2 = Uint8Array.of(1);
      } else if (which === 1) s2[i % 32] ^= bit;
      else if (which === 2) s2[32 + (i % 31)] ^= bit; // below the top byte, so S mostly stays < L
      else k2[i % 32] ^= bit;
      let nobleSays: boolean;
      try {
        nobleSays = ed.verify(s2, m2, k2);
      } catch {
        nobleSays = false; // noble throws on keys that do not decode
      }
      expect(nobleSays, `case ${i}`).toBe(false);
      expect(verify(s2, m2, k2), `case ${i}`).toBe(false);
    }
    expect(accepted).toBe(AGREEMENT_CASES);
  });
});

describe('garbage input gives false, never a throw', () => {
  const sk = bytes('garbage', 32);
  const pk = getPublicKey(sk);
  const msg = bytes('m', 40);
  const sig = sign(msg, sk);
  const shapes: [string, unknown, unknown, unknown][] = [
    ['short sig', sig.subarray(0, 63), msg, pk],
    ['long sig', new Uint8Array(65), msg, pk],
    ['empty sig', new Uint8Array(0), msg, pk],
    ['short key', sig, msg, pk.subarray(0, 31)],
    ['long key', sig, msg, new Uint8Array(33)],
    ['all-zero sig and key', new Uint8Array(64), msg, new Uint8Array(32)],
    ['all-0xff sig and key', new Uint8Array(64).fill(0xff), msg, new Uint8Array(32).fill(0xff)],
    ['all-zero sig', new Uint8Array(64), msg, pk],
    ['all-0xff sig', new Uint8Array(64).fill(0xff), msg, pk],
    ['all-zero key', sig, msg, new Uint8Array(32)],
    ['all-0xff key', sig, msg, new Uint8Array(32).fill(0xff)],
    ['key not on the curve (y = 2)', sig, msg, Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 2 : 0))],
    ['string message', sig, 'hello', pk],
    ['null everything', null, null, null],
    ['numbers', 1, 2, 3],
    ['hex strings', '00'.repeat(64), '', '00'.repeat(32)],
  ];
  it.each(shapes)('%s', (_name, s, m, k) => {
    expect(() => verify(s as Uint8Array, m as Uint8Array, k as Uint8Array)).not.toThrow();
    expect(verify(s as Uint8Array, m as Uint8Array, k as Uint8Array)).toBe(false);
  });

  it('accepts Buffers and subarray views at any offset', () => {
    const packed = new Uint8Array(7 + 32 + 64 + msg.length);
    packed.set(pk, 7);
    packed.set(sig, 39);
    packed.set(msg, 103);
    expect(verify(packed.subarray(39, 103), packed.subarray(103), packed.subarray(7, 39))).toBe(true);
    expect(verify(Buffer.from(sig), Buffer.from(msg), Buffer.from(pk))).toBe(true);
  });
});

describe('KeyObjectCache', () => {
  it('is bounded and keeps recently used keys', () => {
    const cache = new KeyObjectCache(3);
    const keys = [1, 2, 3, 4].map((i) => getPublicKey(new Uint8Array(32).fill(i)));
    const first = cache.get(keys[0]);
    cache.get(keys[1]);
    cache.get(keys[2]);
    expect(cache.get(keys[0])).toBe(first); // refreshed
    cache.get(keys[3]); // evicts keys[1], the least recently used
    expect(cache.size).toBe(3);
    expect(cache.get(keys[0])).toBe(first);
  });

  it('keyFor: a key met once is not cached (one-off JWK), a key met again is, and stays', () => {
    const cache = new KeyObjectCache(8);
    const pk = getPublicKey(new Uint8Array(32).fill(7));
    const first = cache.keyFor(pk);
    expect(first).toEqual({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pk).toString('base64url') }, format: 'jwk' });
    expect(cache.size).toBe(0);
    const second = cache.keyFor(pk);
    expect(second).toBeInstanceOf(KeyObject);
    expect(cache.size).toBe(1);
    expect(cache.keyFor(pk)).toBe(second);
    expect(cache.get(pk)).toBe(second);
    // clear() forgets the sighting too
    cache.clear();
    expect(cache.keyFor(pk)).not.toBeInstanceOf(KeyObject);
    expect(cache.size).toBe(0);
  });

  it('keyFor: thousands of one-off keys leave the cache empty and the filter working', () => {
    const cache = new KeyObjectCache(16);
    const validator = getPublicKey(new Uint8Array(32).fill(9));
    cache.keyFor(validator);
    const kept = cache.keyFor(validator);
    let cachedOneOffs = 0;
    for (let i = 0; i < 3000; i++) {
      const pk = bytes(`oneoff${i}`, 32);
      if (cache.keyFor(pk) instanceof KeyObject) cachedOneOffs++;
    }
    // only false "seen" answers of the filter get cached: a few at most
    expect(cachedOneOffs).toBeLessThan(30);
    expect(cache.keyFor(validator)).toBe(kept);
  });

  it('keyFor: both paths give the same answers as a fresh import (valid, tampered, garbage key)', () => {
    const cache = new KeyObjectCache(4);
    for (let i = 0; i < 20; i++) {
      const sk = bytes(`kf${i}`, 32);
      const pk = i % 5 === 4 ? bytes(`garbage${i}`, 32) : getPublicKey(sk);
      const msg = bytes(`kfmsg${i}`, 40);
      const sig = sign(msg, sk);
      const bad = Uint8Array.from(sig);
      bad[10] ^= 1;
      const fresh = (s: Uint8Array) => nativeVerifyOrFalse(msg, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(pk).toString('base64url') }, format: 'jwk' }), s);
      for (let round = 0; round < 3; round++) {
        expect(nativeVerifyOrFalse(msg, cache.keyFor(pk), sig)).toBe(fresh(sig));
        expect(nativeVerifyOrFalse(msg, cache.keyFor(pk), bad)).toBe(fresh(bad));
      }
    }
  });

  it('works with capacity 0 (no caching)', () => {
    const cache = new KeyObjectCache(0);
    const pk = getPublicKey(new Uint8Array(32).fill(5));
    expect(cache.get(pk).asymmetricKeyType).toBe('ed25519');
    expect(cache.size).toBe(0);
  });
});
