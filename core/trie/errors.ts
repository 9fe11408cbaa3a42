import { MedchainError } from '../errors.js';

/** Error codes of core/trie. Callers branch on these, never on message text. */
export type TrieErrorCode =
  /** A node the trie needs is in neither the cache nor the database (context: hash, path). */
  | 'TRIE_MISSING_NODE'
  /** A node read back from the database does not hash to its key or does not decode (context: hash, path). */
  | 'TRIE_CORRUPT_NODE'
  /** A proof is malformed, truncated, has extra or wrong nodes, or does not match the root. */
  | 'TRIE_BAD_PROOF'
  /** A key is not a Uint8Array, is longer than MAX_KEY_LENGTH, or has the wrong fixed length. */
  | 'TRIE_INVALID_KEY'
  /** A value is not a Uint8Array. (An empty value is not an error: it deletes, as in Ethereum.) */
  | 'TRIE_INVALID_VALUE'
  /** A root is not a Uint8Array of the hash's output length. */
  | 'TRIE_INVALID_ROOT'
  /** Bytes that are not strict, canonical RLP (non-minimal lengths, truncation, trailing bytes). */
  | 'TRIE_INVALID_RLP'
  /** Bad construction options (e.g. a hash function that does not return 32 bytes). */
  | 'TRIE_INVALID_OPTIONS';

/** The error class of core/trie; `context` names what and where (hash and nibble path as hex). */
export class TrieError extends MedchainError<TrieErrorCode> {}
