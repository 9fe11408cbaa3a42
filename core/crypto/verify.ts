import { verify as nativeVerify } from 'node:crypto';
import { KeyObjectCache } from './keyObjectCache.js';

/**
 * medchain's Ed25519 acceptance rule (design §3). Consensus must not depend on which
 * leniencies the bundled OpenSSL has (see test/fixtures/crypto/PROVENANCE.md: node:crypto,
 * noble-ZIP-215 and noble-strict disagree on speccheck cases 0, 1, 4, 5, 9, 10, 11), so the
 * rule is checked here, byte by byte, before the native cofactorless RFC 8032 §5.1.7 check:
 *
 *  1. the public key A is canonically encoded (RFC 8032 §5.1.3: y < p, and not x = 0 with
 *     the sign bit set);
 *  2. A is not one of the 8 small-order points, under any of their encodings;
 *  3. R is canonically encoded, as in 1. A small-order R is ACCEPTED, as cofactorless
 *     RFC 8032 accepts it (speccheck case 2): a signature with a small-order R can only be
 *     made by the holder of a mixed-order key, forges nothing, and rejecting it would only add
 *     a rule that no library shares (design §3 asks for canonical R only);
 *  4. S < L (RFC 8032 §5.1.7, the malleability check; speccheck cases 6, 7);
 *  5. then [S]B = R + [k]A, cofactorless, by node:crypto (OpenSSL).
 *
 * Checking the small-order blocklist by encoding costs well under 1 µs; decoding with noble's
 * Point and testing [8]A = 0 costs ~60 µs here (as much as the whole native verify), so the
 * blocklist is used and cross-checked against noble's Point in the tests.
 */

// p = 2^255 - 19, little-endian: ed ff … ff 7f.
const P_LOW_BYTE = 0xed;

// L = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 8032 §5.1).
const L_BYTES = Uint8Array.from(
  Buffer.from('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010', 'hex'),
);

// The y-coordinates of the 8 small-order points, sign bit cleared (as in libsodium's
// ge25519_has_small_order): 0 (order 4), 1 (identity), the two order-8 ys, p-1 (order 2),
// and the non-canonical p (= 0) and p+1 (= 1). Comparing with the sign bit masked covers both
// signs, hence every encoding of every small-order point.
const SMALL_ORDER_Y = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
].map((h) => Uint8Array.from(Buffer.from(h, 'hex')));

/** Whether the 32 bytes at `off` are y < p (the sign bit aside). */
function yBelowP(b: Uint8Array, off: number): boolean {
  if ((b[off + 31] & 0x7f) !== 0x7f) return true;
  for (let i = 30; i >= 1; i--) if (b[off + i] !== 0xff) return true;
  return b[off] < P_LOW_BYTE;
}

/** Whether y (sign bit aside) is 1 or p-1, the two ys whose x is 0. */
function xIsZero(b: Uint8Array, off: number): boolean {
  const low = b[off];
  if (low !== 0x01 && low !== 0xec) return false;
  const fill = low === 0x01 ? 0x00 : 0xff;
  for (let i = 1; i <= 30; i++) if (b[off + i] !== fill) return false;
  return (b[off + 31] & 0x7f) === (low === 0x01 ? 0x00 : 0x7f);
}

/** RFC 8032 §5.1.3 canonical point encoding: y < p, and x = 0 only with the sign bit clear. */
function isCanonicalEncoding(b: Uint8Array, off: number): boolean {
  if (!yBelowP(b, off)) return false;
  return !((b[off + 31] & 0x80) !== 0 && xIsZero(b, off));
}

/** Whether the 32 bytes at `off` encode a small-order point (any encoding). */
function isSmallOrderEncoding(b: Uint8Array, off: number): boolean {
  outer: for (const y of SMALL_ORDER_Y) {
    for (let i = 0; i < 31; i++) if (b[off + i] !== y[i]) continue outer;
    if ((b[off + 31] & 0x7f) === y[31]) return true;
  }
  return false;
}

/** Whether the 32 bytes at `off` are a scalar below L (RFC 8032 §5.1.7). */
function scalarBelowL(b: Uint8Array, off: number): boolean {
  for (let i = 31; i >= 0; i--) {
    if (b[off + i] < L_BYTES[i]) return true;
    if (b[off + i] > L_BYTES[i]) return false;
  }
  return false; // S = L
}

/**
 * medchain's pre-checks alone (rules 1-4 above): lengths, canonical A and R, A not of small
 * order, S < L. False for anything that is not a 64-byte signature and a 32-byte key.
 */
export function checkAcceptanceRule(signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return false;
  return (
    isCanonicalEncoding(publicKey, 0) &&
    !isSmallOrderEncoding(publicKey, 0) &&
    isCanonicalEncoding(signature, 0) &&
    scalarBelowL(signature, 32)
  );
}

/** This thread's key objects (each worker thread has its own module instance, hence its own). */
const keyObjects = new KeyObjectCache();

/**
 * Verifies an Ed25519 signature under medchain's acceptance rule, then natively (design §3).
 * Never throws: wrong types, wrong lengths and garbage are simply `false`.
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(message instanceof Uint8Array)) return false;
  if (!checkAcceptanceRule(signature, publicKey)) return false;
  try {
    return nativeVerify(null, message, keyObjects.keyFor(publicKey), signature);
  } catch {
    // OpenSSL refusing the key or signature is a rejection, not an error of ours: the
    // arguments' types and lengths were checked above.
    return false;
  }
}
