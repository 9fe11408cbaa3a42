/**
 * `npm run bench -- crypto`: core/crypto against its references in the same process —
 * SHA-256 native vs @noble/hashes, signing (noble) vs native signing, and verification
 * (medchain's rule + native) vs the bare native call and vs noble.
 */
import { createPrivateKey, sign as nativeSign, verify as nativeVerify } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { checkAcceptanceRule, getPublicKey, sha256, sign, verify } from '../../core/crypto/index.js';
import { KeyObjectCache } from '../../core/crypto/keyObjectCache.js';
import { compareTo, type Figure, type Suite } from '../figure.js';
import { opsPerSec } from '../measure.js';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export const run: Suite = async () => {
  const figures: Figure[] = [];

  for (const size of [32, 1024]) {
    const data = new Uint8Array(size).fill(7);
    const noble = opsPerSec(`sha256 ${size} B — @noble/hashes`, () => void nobleSha256(data));
    const native = opsPerSec(`sha256 ${size} B — core/crypto (node:crypto)`, () => void sha256(data));
    figures.push(noble, compareTo(native, noble));
  }

  const seed = sha256(new TextEncoder().encode('bench/crypto'));
  const publicKey = getPublicKey(seed);
  const message = sha256(seed); // a signing digest is 32 bytes
  const signature = sign(message, seed);
  const priv = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });

  const nativeSigning = opsPerSec('ed25519 sign — node:crypto', () => void nativeSign(null, message, priv));
  const signing = opsPerSec('ed25519 sign — core/crypto (noble)', () => void sign(message, seed));
  figures.push(nativeSigning, compareTo(signing, nativeSigning));

  const keyObject = new KeyObjectCache(1).get(publicKey);
  const bare = opsPerSec('ed25519 verify — bare node:crypto, cached key', () => {
    if (!nativeVerify(null, message, keyObject, signature)) throw new Error('bad signature');
  });
  const ours = opsPerSec('ed25519 verify — core/crypto (rule + native, cached key)', () => {
    if (!verify(signature, message, publicKey)) throw new Error('bad signature');
  });
  const noble = opsPerSec('ed25519 verify — @noble/ed25519', () => {
    if (!ed.verify(signature, message, publicKey)) throw new Error('bad signature');
  });
  const rule = opsPerSec('ed25519 acceptance rule pre-checks alone', () => {
    if (!checkAcceptanceRule(signature, publicKey)) throw new Error('rejected');
  });
  figures.push(bare, compareTo(ours, bare), compareTo(noble, bare), rule);
  return figures;
};
