import { utf8 } from '../encoding/hex.js';
import type { Hash, Signature } from '../types.js';
import { assertMessage } from './errors.js';
import { sign } from './keys.js';
import { sha256 } from './sha256.js';
import { verify } from './verify.js';

// Domain strings per message kind (design §3). No domain may be a prefix of another (the
// digest concatenates domain and payload without a separator); a test checks this.
/** Domain of transaction signatures. */
export const DOMAIN_TX = 'medchain/tx/v1';
/** Domain of consensus votes (prevote/precommit). */
export const DOMAIN_VOTE = 'medchain/vote/v1';
/** Domain of the p2p handshake. */
export const DOMAIN_HELLO = 'medchain/hello/v1';

const domainBytes = new Map<string, Uint8Array>();

function bytesOf(domain: string): Uint8Array {
  let b = domainBytes.get(domain);
  if (b === undefined) {
    b = utf8(domain);
    domainBytes.set(domain, b);
  }
  return b;
}

/** The digest a signature covers: sha256(utf8(domain) || payload) (design §3). */
export function signingDigest(domain: string, payload: Uint8Array): Hash {
  assertMessage(payload, 'payload');
  return sha256(bytesOf(domain), payload);
}

/** Signs `payload` under `domain`. */
export function signDomain(domain: string, payload: Uint8Array, secretKey: Uint8Array): Signature {
  return sign(signingDigest(domain, payload), secretKey);
}

/** Verifies a signature over `payload` under `domain`; never throws. */
export function verifyDomain(domain: string, payload: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (typeof domain !== 'string' || !(payload instanceof Uint8Array)) return false;
  return verify(signature, signingDigest(domain, payload), publicKey);
}
