import crypto from 'node:crypto';

/**
 * SHA-256 (FIPS 180-4), the trie's default node hash (design §3, §5), with node:crypto.
 *
 * Measured here (Node 20, 100-byte / 532-byte nodes): one-shot `crypto.hash` returning a
 * Buffer takes ~0.7-1.0 us / ~1.2-1.4 us, of which ~0.6 us is allocating the Buffer's
 * off-heap 32-byte store; returning a string takes ~0.24 us / ~0.5-0.7 us. So the trie's
 * hot paths take the digest as a UTF-16LE string (its 16 code units are the 32 bytes in
 * pairs, little-endian, exactly as `bytesKey` packs them): node checks compare strings,
 * and commit copies the units into a small on-heap array. @noble/hashes: ~0.9 us / 3 us.
 */
type OneShot = (algorithm: string, data: Uint8Array, outputEncoding: string) => unknown;
const oneShot = (crypto as unknown as { hash?: OneShot }).hash;

/** SHA-256 digest of `data`: core/crypto's, the one hash implementation of the node. */
export { sha256 } from '../crypto/sha256.js';

/** SHA-256 of `data` as a `bytesKey` string (16 UTF-16 units, two bytes each, little-endian). */
export const sha256Key: ((data: Uint8Array) => string) | undefined = oneShot
  ? (data) => oneShot('sha256', data, 'utf16le') as string
  : undefined;
