import { chmodSync, writeFileSync } from 'node:fs';
import { addressOf, generateSecretKey, getPublicKey } from '../core/crypto/index.js';
import { fromHex, toHex } from '../core/encoding/index.js';
import { readBoundedFile } from './boundedRead.js';
import { NodeError } from './errors.js';

/** Largest key file read (a real one is ~200 bytes): a wrong path must not make us read a disk image. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

/** A node or account key as stored on disk. */
export interface KeyPair {
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  address: Uint8Array;
}

/** The key pair of a 32-byte Ed25519 seed. */
export function keyPair(secretKey: Uint8Array): KeyPair {
  const publicKey = getPublicKey(secretKey);
  return { secretKey, publicKey, address: addressOf(publicKey) };
}

/** A fresh random key pair. */
export function newKeyPair(): KeyPair {
  return keyPair(generateSecretKey());
}

/** Writes a key file `{secretKey, publicKey, address}` readable by the owner only. */
export function writeKeyFile(path: string, key: KeyPair): void {
  const json = { secretKey: toHex(key.secretKey), publicKey: toHex(key.publicKey), address: toHex(key.address) };
  writeFileSync(path, JSON.stringify(json, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
}

/** Reads and checks a key file: the public key and address must match the secret. */
export function readKeyFile(path: string): KeyPair {
  let json: unknown;
  try {
    json = JSON.parse(readBoundedFile(path, MAX_KEY_FILE_BYTES).toString('utf8'));
  } catch (e) {
    throw new NodeError('NODE_BAD_KEY', `key file ${path}: ${(e as Error).message}`, { path });
  }
  const o = json as Record<string, unknown>;
  let key: KeyPair;
  try {
    key = keyPair(fromHex(o?.secretKey as string, 32));
  } catch {
    throw new NodeError('NODE_BAD_KEY', `key file ${path}: secretKey must be 0x-prefixed 32-byte hex`, { path, field: 'secretKey' });
  }
  if (o.publicKey !== undefined && o.publicKey !== toHex(key.publicKey)) {
    throw new NodeError('NODE_BAD_KEY', `key file ${path}: publicKey does not match secretKey`, { path, field: 'publicKey' });
  }
  return key;
}
