import { createHash } from 'node:crypto';

/**
 * SHA-256 (FIPS 180-4) of the concatenation of `parts`, with node:crypto (design §3: hot
 * paths are native; ~10x a pure-JS hash here). Returns a plain Uint8Array, not a Buffer, so
 * results compare equal to other byte arrays in tests and in the isomorphic client code.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  const d = h.digest();
  // digest() allocates its own 32-byte ArrayBuffer (never the Buffer pool), so a view is safe.
  return new Uint8Array(d.buffer, d.byteOffset, d.length);
}
