import { describe, expect, it } from 'vitest';
import { concatBytes, toHex, utf8 } from '../../../core/encoding/hex.js';
import {
  devKey,
  DOMAIN_HELLO,
  DOMAIN_TX,
  DOMAIN_VOTE,
  sha256,
  sign,
  signDomain,
  signingDigest,
  verify,
  verifyDomain,
} from '../../../core/crypto/index.js';

const DOMAINS = [DOMAIN_TX, DOMAIN_VOTE, DOMAIN_HELLO];

describe('domain-separated signing (design §3)', () => {
  const { secretKey, publicKey } = devKey(0);
  const payload = utf8('some canonical msgpack bytes');

  it('the digest is sha256(utf8(domain) || payload)', () => {
    expect(toHex(signingDigest(DOMAIN_TX, payload))).toBe(toHex(sha256(concatBytes(utf8('medchain/tx/v1'), payload))));
  });

  it('a signature verifies only under its own domain', () => {
    for (const d of DOMAINS) {
      const sig = signDomain(d, payload, secretKey);
      expect(verify(sig, signingDigest(d, payload), publicKey)).toBe(true);
      for (const other of DOMAINS) expect(verifyDomain(other, payload, sig, publicKey)).toBe(other === d);
    }
  });

  it('a signature over the raw payload does not verify under any domain', () => {
    const raw = sign(payload, secretKey);
    for (const d of DOMAINS) expect(verifyDomain(d, payload, raw, publicKey)).toBe(false);
  });

  it('no domain is a prefix of another (the digest has no separator)', () => {
    for (const a of DOMAINS) for (const b of DOMAINS) if (a !== b) expect(b.startsWith(a)).toBe(false);
  });

  it('verifyDomain never throws on garbage', () => {
    expect(verifyDomain(DOMAIN_TX, 'x' as unknown as Uint8Array, new Uint8Array(64), publicKey)).toBe(false);
    expect(verifyDomain(5 as unknown as string, payload, new Uint8Array(64), publicKey)).toBe(false);
    expect(verifyDomain(DOMAIN_TX, payload, new Uint8Array(3), new Uint8Array(3))).toBe(false);
  });
});
