import { readFileSync } from 'node:fs';
import { fromHex } from '../../../core/encoding/hex.js';

interface Case {
  message: string;
  pub_key: string;
  signature: string;
}

/** The 12 speccheck cases (test/fixtures/crypto/PROVENANCE.md), as bytes. Shared with the sig-pool tests. */
export const SPECCHECK: { message: Uint8Array; publicKey: Uint8Array; signature: Uint8Array }[] = (
  JSON.parse(readFileSync(new URL('../../fixtures/crypto/ed25519-speccheck-cases.json', import.meta.url), 'utf8')) as Case[]
).map((c) => ({
  message: fromHex('0x' + c.message),
  publicKey: fromHex('0x' + c.pub_key),
  signature: fromHex('0x' + c.signature),
}));

/**
 * medchain's pinned outcome of each speccheck case (design §3; reasons in PROVENANCE.md).
 * Changing any entry is a consensus change: every node must accept exactly these, whatever
 * OpenSSL Node bundles.
 */
export const SPECCHECK_EXPECTED: readonly boolean[] = [
  false, // 0: small-order A
  false, // 1: small-order A
  true, // 2: mixed-order A, small-order R (cofactorless RFC 8032 accepts)
  true, // 3: mixed-order A and R, cofactorless equation holds
  false, // 4: only the cofactored equation holds
  false, // 5: only the cofactored equation holds
  false, // 6: S >= L
  false, // 7: S >= L
  false, // 8: non-canonical R
  false, // 9: non-canonical R
  false, // 10: non-canonical, small-order A
  false, // 11: non-canonical, small-order A
];
