import type { Address } from '../types.js';
import { assertBytes } from './errors.js';
import { sha256 } from './sha256.js';

/** Length of an address in bytes (design §3). */
export const ADDRESS_LENGTH = 20;

/** Address of an Ed25519 public key: the first 20 bytes of sha256(publicKey) (design §3). */
export function addressOf(publicKey: Uint8Array): Address {
  assertBytes(publicKey, 32, 'publicKey');
  return sha256(publicKey).slice(0, ADDRESS_LENGTH);
}
