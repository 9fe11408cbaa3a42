import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../core/encoding/hex.js';
import {
  addressOf,
  CryptoError,
  DEV_KEY_COUNT,
  devKey,
  generateSecretKey,
  getPublicKey,
  sign,
  verify,
} from '../../../core/crypto/index.js';

// RFC 8032 §7.1, Ed25519 TEST 1, 2, 3 and TEST SHA(abc): [secret key, public key, message, signature].
const RFC8032: [string, string, string, string][] = [
  [
    '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    '',
    'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  ],
  [
    '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    '72',
    '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  ],
  [
    'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    'af82',
    '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  ],
  [
    '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  ],
];

const h = (s: string) => fromHex('0x' + s);

describe('RFC 8032 §7.1 vectors', () => {
  it.each(RFC8032.map((v, i) => [i, ...v] as const))('vector %i: getPublicKey, sign, verify', (_i, sk, pk, msg, sig) => {
    expect(toHex(getPublicKey(h(sk)))).toBe('0x' + pk);
    expect(toHex(sign(h(msg), h(sk)))).toBe('0x' + sig);
    expect(verify(h(sig), h(msg), h(pk))).toBe(true);
    const tampered = h(sig);
    tampered[10] ^= 1;
    expect(verify(tampered, h(msg), h(pk))).toBe(false);
  });
});

describe('dev keys (design §3)', () => {
  it('dev 0 matches the design vector', () => {
    const k = devKey(0);
    expect(toHex(k.publicKey)).toBe('0x0bf88382c30849c59f58496ee0bcb9c11277c9ef5b6e3f4d8ccea94bb16cfa31');
    expect(toHex(k.address)).toBe('0x4632d0c616fd1891af88f25b7c7d5425eee4b7b6');
    expect(toHex(addressOf(k.publicKey))).toBe(toHex(k.address));
  });

  it('gives 10 distinct, working accounts and fresh copies', () => {
    const seen = new Set<string>();
    for (let i = 0; i < DEV_KEY_COUNT; i++) {
      const k = devKey(i);
      seen.add(toHex(k.publicKey));
      const msg = Uint8Array.of(i);
      expect(verify(sign(msg, k.secretKey), msg, k.publicKey)).toBe(true);
    }
    expect(seen.size).toBe(DEV_KEY_COUNT);
    devKey(1).secretKey.fill(0);
    expect(devKey(1).secretKey.some((b) => b !== 0)).toBe(true);
  });

  it.each([-1, 10, 1.5, Number.NaN])('rejects index %s', (i) => {
    expect(() => devKey(i)).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_DEV_INDEX' }));
  });
});

describe('keys and signing', () => {
  it('generates distinct 32-byte seeds', () => {
    const a = generateSecretKey();
    const b = generateSecretKey();
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a.length).toBe(32);
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('addresses are 20 bytes', () => {
    expect(addressOf(getPublicKey(generateSecretKey())).length).toBe(20);
  });

  it.each([0, 31, 33, 64])('rejects a %i-byte secret key with CRYPTO_BAD_LENGTH', (n) => {
    const bad = new Uint8Array(n);
    for (const f of [() => getPublicKey(bad), () => sign(new Uint8Array(1), bad)]) {
      expect(f).toThrow(CryptoError);
      expect(f).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_LENGTH' }));
    }
  });

  it('rejects non-byte arguments with typed errors', () => {
    const sk = generateSecretKey();
    expect(() => getPublicKey('00' as unknown as Uint8Array)).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_KEY' }));
    expect(() => sign('hi' as unknown as Uint8Array, sk)).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_INPUT' }));
    expect(() => addressOf(new Uint8Array(20))).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_LENGTH' }));
  });
});
