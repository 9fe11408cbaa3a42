import { getPublicKey, sha256, sign } from '../../../core/crypto/index.js';
import type { SigItem } from '../../../core/sigpool/index.js';

/** `n` valid items with distinct deterministic keys, messages of varying length, and their tx-hash-like ids. */
export function validItems(n: number, seed = 'sigpool'): SigItem[] {
  const out: SigItem[] = [];
  for (let i = 0; i < n; i++) {
    const sk = sha256(new TextEncoder().encode(`${seed}/${i}`));
    const message = new Uint8Array(i % 70).fill(i & 0xff);
    const signature = sign(message, sk);
    out.push({ publicKey: getPublicKey(sk), message, signature, txHash: sha256(signature, message) });
  }
  return out;
}

/** A copy of `item` whose signature no longer verifies (one bit of S flipped, S stays < L). */
export function tampered(item: SigItem): SigItem {
  const signature = item.signature.slice();
  signature[40] ^= 0x01;
  return { ...item, signature };
}
