/**
 * Ed25519 account keys for the client, with @noble (browser-safe; core/crypto uses
 * node:crypto and cannot ship to a browser). Same derivations as core (design §3).
 */
import * as ed from '@noble/ed25519';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { fromHex, toHex, utf8 } from '../../core/encoding/index.js';
import { ClientError } from './errors.js';

// noble-ed25519 v3 signs synchronously only once given a SHA-512 (its README, "Enabling
// synchronous methods"). core/crypto installs the same function; never replace another one.
ed.hashes.sha512 ??= sha512;

/** Length of an Ed25519 seed (RFC 8032 §5.1.5). */
export const SECRET_KEY_LENGTH = 32;
/** An address is the first 20 bytes of sha256(publicKey) (design §3). */
export const ADDRESS_LENGTH = 20;
/** Number of well-known dev accounts (design §3). */
export const DEV_KEY_COUNT = 10;

/** A signing key with its public key and address. */
export interface ClientKey {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  address: Uint8Array;
  /** The address as 0x-hex. */
  addressHex: string;
}

/** The address of an Ed25519 public key: the first 20 bytes of sha256(publicKey). */
export function addressOf(publicKey: Uint8Array): Uint8Array {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    throw new ClientError('CLIENT_BAD_INPUT', 'publicKey must be 32 bytes', { field: 'publicKey' });
  }
  return sha256(publicKey).slice(0, ADDRESS_LENGTH);
}

/** The key of a 32-byte seed (bytes or 0x-hex). */
export function keyFromSecret(secretKey: Uint8Array | string): ClientKey {
  let seed: Uint8Array;
  try {
    seed = typeof secretKey === 'string' ? fromHex(secretKey, SECRET_KEY_LENGTH) : secretKey;
  } catch {
    throw new ClientError('CLIENT_BAD_INPUT', 'secretKey must be 0x-prefixed 32-byte hex', { field: 'secretKey' });
  }
  if (!(seed instanceof Uint8Array) || seed.length !== SECRET_KEY_LENGTH) {
    throw new ClientError('CLIENT_BAD_INPUT', `secretKey must be ${SECRET_KEY_LENGTH} bytes`, { field: 'secretKey' });
  }
  const publicKey = ed.getPublicKey(seed);
  const address = addressOf(publicKey);
  return { secretKey: seed.slice(), publicKey, address, addressHex: toHex(address) };
}

/** A fresh random key (the platform CSPRNG via crypto.getRandomValues). */
export function generateKey(): ClientKey {
  return keyFromSecret(ed.utils.randomSecretKey());
}

/**
 * Well-known dev account `i` (0 ≤ i < DEV_KEY_COUNT): seed = sha256("medchain-dev-" + i)
 * (design §3). Everyone knows these keys: they are for dev chains only.
 */
export function devKey(i: number): ClientKey {
  if (!Number.isInteger(i) || i < 0 || i >= DEV_KEY_COUNT) {
    throw new ClientError('CLIENT_BAD_INPUT', `dev key index must be an integer in 0..${DEV_KEY_COUNT - 1}`, { index: i });
  }
  return keyFromSecret(sha256(utf8(`medchain-dev-${i}`)));
}

/** Ed25519 signature (RFC 8032 §5.1.6) of `message`. */
export function signBytes(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  return ed.sign(message, secretKey);
}
