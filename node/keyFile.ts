import { chmodSync, writeFileSync } from 'node:fs';
import { addressOf, generateSecretKey, getPublicKey } from '../core/crypto/index.js';
import { equalBytes, fromHex, toHex } from '../core/encoding/index.js';
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

/** Writes a key file `{secretKey, publicKey, address}` readable by the owner only; never overwrites. */
export function writeKeyFile(path: string, key: KeyPair): void {
  const json = { secretKey: toHex(key.secretKey), publicKey: toHex(key.publicKey), address: toHex(key.address) };
  try {
    writeFileSync(path, JSON.stringify(json, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch (e) {
    const exists = (e as { code?: string }).code === 'EEXIST';
    throw new NodeError('NODE_BAD_KEY', exists ? `key file ${path} already exists; not overwriting` : `cannot write key file ${path}: ${(e as Error).message}`, {
      path,
    });
  }
}

/** Reads and checks a key file: the public key and address must match the secret. */
export function readKeyFile(path: string): KeyPair {
  let json: unknown;
  try {
    json = JSON.parse(readBoundedFile(path, MAX_KEY_FILE_BYTES).toString('utf8'));
  } catch (e) {
    // The parser's message may quote the text around the error, i.e. the secret: keep only where.
    const where = e instanceof SyntaxError ? / at position \d+| \(line \d+ column \d+\)/.exec(e.message)?.[0] : undefined;
    const msg = e instanceof SyntaxError ? `not valid JSON${where ?? ''}` : (e as Error).message;
    throw new NodeError('NODE_BAD_KEY', `key file ${path}: ${msg}`, { path });
  }
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  let key: KeyPair;
  try {
    key = keyPair(fromHex(o.secretKey as string, 32));
  } catch {
    throw new NodeError('NODE_BAD_KEY', `key file ${path}: secretKey must be 0x-prefixed 32-byte hex`, { path, field: 'secretKey' });
  }
  // Optional copies of what the secret determines: if present they must agree (any hex case).
  for (const [field, expected] of [
    ['publicKey', key.publicKey],
    ['address', key.address],
  ] as const) {
    if (o[field] === undefined) continue;
    let given: Uint8Array;
    try {
      given = fromHex(o[field] as string, expected.length);
    } catch {
      throw new NodeError('NODE_BAD_KEY', `key file ${path}: ${field} must be 0x-prefixed ${expected.length}-byte hex`, { path, field });
    }
    if (!equalBytes(given, expected)) {
      throw new NodeError('NODE_BAD_KEY', `key file ${path}: ${field} does not match secretKey`, { path, field });
    }
  }
  return key;
}
