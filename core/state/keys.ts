import { concatBytes } from '../encoding/index.js';
import { sha256 } from '../crypto/index.js';
import type { Address, Hash } from '../types.js';

/**
 * Key namespaces of the one state trie (design §5). Each trie key is
 * sha256(namespace || …) — a secure trie, so keys are evenly spread and an attacker can't
 * grow one deep path; the namespace byte keeps accounts, code and storage disjoint.
 */
export const NS_ACCOUNT = 0x00;
export const NS_CODE = 0x01;
export const NS_STORAGE = 0x02;

/** Trie key of an account record. */
export function accountKey(address: Address): Hash {
  return sha256(new Uint8Array([NS_ACCOUNT]), address);
}

/** Trie key of a contract's code. */
export function codeKey(address: Address): Hash {
  return sha256(new Uint8Array([NS_CODE]), address);
}

/** Trie key of one slot of a contract's storage (any length of slot key). */
export function storageKey(address: Address, slot: Uint8Array): Hash {
  return sha256(concatBytes(new Uint8Array([NS_STORAGE]), address, slot));
}
