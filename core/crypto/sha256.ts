import * as nodeCrypto from 'node:crypto';

/**
 * Inputs up to this many bytes in total are concatenated and hashed with the one-shot
 * `crypto.hash`; longer ones stream through `createHash`. Measured here (Node 20.20): one-shot
 * is ~2.5x createHash on 32 B and ~1.3x on 1 KiB, but the copy for several parts outweighs
 * that above a few hundred bytes.
 */
const ONE_SHOT_MAX_BYTES = 256;

// `crypto.hash` exists from Node 20.12; the engines field allows any 20.x, so fall back.
const oneShot = (nodeCrypto as { hash?: typeof nodeCrypto.hash }).hash;

/**
 * SHA-256 (FIPS 180-4) of the concatenation of `parts`, with node:crypto (design §3: hot
 * paths are native). Returns a plain Uint8Array, not a Buffer, so results compare equal to
 * other byte arrays in tests and in the isomorphic client code.
 */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  let d: Buffer;
  if (oneShot !== undefined && parts.length === 1) {
    d = oneShot('sha256', parts[0], 'buffer');
  } else {
    let total = 0;
    for (const p of parts) total += p.length;
    if (oneShot !== undefined && total <= ONE_SHOT_MAX_BYTES) {
      const joined = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        joined.set(p, off);
        off += p.length;
      }
      d = oneShot('sha256', joined, 'buffer');
    } else {
      const h = nodeCrypto.createHash('sha256');
      for (const p of parts) h.update(p);
      d = h.digest();
    }
  }
  // Both calls allocate the digest's own 32-byte ArrayBuffer (never the Buffer pool), so a view is safe.
  return new Uint8Array(d.buffer, d.byteOffset, d.length);
}
