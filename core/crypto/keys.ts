import { randomBytes } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8 } from '../encoding/hex.js';
import type { Address, PublicKey, Signature } from '../types.js';
import { addressOf } from './address.js';
import { assertBytes, assertMessage, CryptoError } from './errors.js';
import { sha256 } from './sha256.js';

// noble-ed25519 v3 ships only async methods unless given a synchronous SHA-512 (its README,
// "Enabling synchronous methods"); signing must be synchronous for the tx builder.
ed.hashes.sha512 = sha512;

/** Length of an Ed25519 seed (RFC 8032 §5.1.5: the 32-byte private key). */
export const SECRET_KEY_LENGTH = 32;

/** A fresh random 32-byte Ed25519 seed (node:crypto CSPRNG). */
export function generateSecretKey(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_KEY_LENGTH));
}

/** The 32-byte Ed25519 public key of a seed (RFC 8032 §5.1.5), with noble. */
export function getPublicKey(secretKey: Uint8Array): PublicKey {
  assertBytes(secretKey, SECRET_KEY_LENGTH, 'secretKey');
  return ed.getPublicKey(secretKey);
}

/** Deterministic 64-byte Ed25519 signature of `message` (RFC 8032 §5.1.6), with noble, synchronous. */
export function sign(message: Uint8Array, secretKey: Uint8Array): Signature {
  assertMessage(message, 'message');
  assertBytes(secretKey, SECRET_KEY_LENGTH, 'secretKey');
  return ed.sign(message, secretKey);
}

/** Number of well-known dev accounts (design §3). */
export const DEV_KEY_COUNT = 10;

/**
 * Well-known dev account `i` (0 ≤ i < DEV_KEY_COUNT): its seed is sha256("medchain-dev-" + i)
 * (design §3). Public knowledge, so never valid outside a dev chain. Returns fresh copies.
 */
export function devKey(i: number): { secretKey: Uint8Array; publicKey: PublicKey; address: Address } {
  if (!Number.isInteger(i) || i < 0 || i >= DEV_KEY_COUNT) {
    throw new CryptoError('CRYPTO_BAD_DEV_INDEX', `dev key index must be an integer in 0..${DEV_KEY_COUNT - 1}`, {
      index: i,
    });
  }
  const secretKey = sha256(utf8(`medchain-dev-${i}`));
  const publicKey = getPublicKey(secretKey);
  return { secretKey, publicKey, address: addressOf(publicKey) };
}
