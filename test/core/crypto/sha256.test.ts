import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../../core/encoding/hex.js';
import { sha256 } from '../../../core/crypto/index.js';

describe('sha256', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(toHex(sha256(utf8('abc')))).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(sha256())).toBe('0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(sha256(utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '0x248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes the concatenation of its parts, and agrees with @noble/hashes', () => {
    for (let n = 0; n < 200; n += 7) {
      const a = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      const b = Uint8Array.from({ length: n >> 1 }, (_, i) => i & 0xff);
      const joined = new Uint8Array(a.length + b.length);
      joined.set(a);
      joined.set(b, a.length);
      expect(toHex(sha256(a, b))).toBe(toHex(nobleSha256(joined)));
    }
  });

  it('returns a plain 32-byte Uint8Array', () => {
    const d = sha256(utf8('x'));
    expect(d.constructor).toBe(Uint8Array);
    expect(d.length).toBe(32);
  });
});
