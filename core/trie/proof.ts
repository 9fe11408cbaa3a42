/**
 * Merkle proofs in Ethereum's format (EIP-1186, go-ethereum's `trie/proof.go`): the RLP
 * nodes on a key's path, root first, each later one referenced by hash from the one before.
 * Nodes embedded in their parent are not repeated (go-ethereum); the verifier also accepts
 * them repeated right after their parent, as @ethereumjs/mpt emits them.
 */
import { equalBytes, toHex } from '../encoding/hex.js';
import { TrieError } from './errors.js';
import { keyToNibbles } from './hexPrefix.js';
import { decodeNode, encodeNode } from './codec.js';
import { HASH_LENGTH, HashNode, ShortNode, type Child, type FullNode } from './nodes.js';
import type { HashFn, NodeStore } from './nodeStore.js';
import { sha256 } from './sha256.js';
import { checkKey, copyBytes } from './validate.js';

/** The proof for nibble path `key` in the (clean) tree under `root`. */
export function collectProof(store: NodeStore, root: Child | undefined, key: Uint8Array): Uint8Array[] {
  const proof: Uint8Array[] = [];
  let n = root;
  let pos = 0;
  for (;;) {
    if (n === undefined || n instanceof Uint8Array) return proof;
    if (n instanceof HashNode) n = store.resolve(n, key, pos);
    const ref = n.ref as Uint8Array;
    if (proof.length === 0) proof.push(ref.length < HASH_LENGTH ? ref : encodeNode(n));
    else if (ref.length === HASH_LENGTH) proof.push(encodeNode(n));
    if (n instanceof ShortNode) {
      const k = n.key;
      if (key.length - pos < k.length) return proof;
      for (let i = 0; i < k.length; i++) if (key[pos + i] !== k[i]) return proof;
      pos += k.length;
      n = n.val;
    } else {
      n = n.child(key[pos++]);
    }
  }
}

function badProof(message: string, context: Record<string, unknown> = {}): never {
  throw new TrieError('TRIE_BAD_PROOF', message, context);
}

function decodeProofNode(raw: Uint8Array, ref: Uint8Array, index: number): ShortNode | FullNode {
  try {
    return decodeNode(raw, ref);
  } catch (e) {
    return badProof(`proof node ${index} does not decode: ${(e as Error).message}`, { index, cause: e });
  }
}

/**
 * Checks `proof` for `key` against `root` (node hash `hash`, default SHA-256) and returns the
 * proven value, or undefined for a valid proof of absence. Throws `TRIE_BAD_PROOF` for anything else: a first node that does
 * not hash to the root, a node that is not the one its parent references, a proof that ends
 * before the path does, nodes beyond the path, undecodable or non-canonical nodes.
 */
export function verifyProof(root: Uint8Array, key: Uint8Array, proof: Uint8Array[], hash: HashFn = sha256): Uint8Array | undefined {
  if (!(root instanceof Uint8Array) || root.length !== HASH_LENGTH) {
    throw new TrieError('TRIE_INVALID_ROOT', `root must be ${HASH_LENGTH} bytes`, {
      length: root instanceof Uint8Array ? root.length : typeof root,
    });
  }
  checkKey(key);
  if (typeof hash !== 'function') throw new TrieError('TRIE_INVALID_OPTIONS', 'hash must be a function', {});
  if (!Array.isArray(proof)) badProof('proof must be an array of Uint8Array');
  for (let i = 0; i < proof.length; i++) {
    if (!(proof[i] instanceof Uint8Array)) badProof('proof must be an array of Uint8Array', { index: i });
  }
  const emptyRoot = equalBytes(root, hash(Uint8Array.of(0x80)));
  if (proof.length === 0) {
    if (emptyRoot) return undefined;
    badProof('empty proof for a non-empty root', { root: toHex(root) });
  }
  if (!equalBytes(hash(proof[0]), root)) badProof('first proof node does not hash to the root', { root: toHex(root) });
  // The empty trie's root node is the empty string.
  if (emptyRoot && proof.length === 1 && proof[0].length === 1 && proof[0][0] === 0x80) return undefined;

  const path = keyToNibbles(key);
  let idx = 0;
  let n: Child | undefined = decodeProofNode(proof[0], proof[0].length < HASH_LENGTH ? proof[0] : root, 0);
  let fromEntry = true;
  let pos = 0;
  let value: Uint8Array | undefined;
  for (;;) {
    if (n === undefined) break;
    if (n instanceof Uint8Array) {
      value = n;
      break;
    }
    if (n instanceof HashNode) {
      idx++;
      if (idx >= proof.length) badProof('proof ends before the key path does', { index: idx, hash: toHex(n.ref) });
      if (!equalBytes(hash(proof[idx]), n.ref)) {
        badProof(`proof node ${idx} is not the node its parent references`, { index: idx, hash: toHex(n.ref) });
      }
      n = decodeProofNode(proof[idx], n.ref, idx);
      fromEntry = true;
      continue;
    }
    // An embedded node repeated as its own entry (ethereumjs' format) is consumed here.
    const ref = n.ref as Uint8Array;
    if (!fromEntry && idx + 1 < proof.length && equalBytes(proof[idx + 1], ref)) idx++;
    fromEntry = false;
    if (n instanceof ShortNode) {
      const k = n.key;
      let match = path.length - pos >= k.length;
      for (let i = 0; match && i < k.length; i++) match = path[pos + i] === k[i];
      if (!match) break;
      pos += k.length;
      n = n.val;
    } else {
      n = n.child(path[pos++]);
    }
  }
  if (idx !== proof.length - 1) badProof('proof has nodes beyond the key path', { extra: proof.length - 1 - idx });
  return value === undefined ? undefined : copyBytes(value);
}
