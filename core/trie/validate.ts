/** Argument checks at the trie's public entry points (typed errors, never a TypeError). */
import { TrieError } from './errors.js';

/**
 * Longest key accepted, in bytes. Ethereum's trie takes any length; the bound keeps the
 * recursion of insert/delete (one level per nibble at worst) far from the stack limit and
 * a hostile proof check cheap. The state layer's keys are 32-byte hashes.
 */
export const MAX_KEY_LENGTH = 1024;

/** Throws TRIE_INVALID_KEY unless `key` is a Uint8Array of at most MAX_KEY_LENGTH bytes (or exactly `fixedLength`). */
export function checkKey(key: unknown, fixedLength?: number): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) {
    throw new TrieError('TRIE_INVALID_KEY', 'key must be a Uint8Array', { type: typeof key });
  }
  if (fixedLength !== undefined && key.length !== fixedLength) {
    throw new TrieError('TRIE_INVALID_KEY', `key must be ${fixedLength} bytes, got ${key.length}`, {
      expected: fixedLength,
      length: key.length,
    });
  }
  if (key.length > MAX_KEY_LENGTH) {
    throw new TrieError('TRIE_INVALID_KEY', `key longer than ${MAX_KEY_LENGTH} bytes`, { length: key.length });
  }
}

/** Throws TRIE_INVALID_VALUE unless `value` is a Uint8Array (empty means delete). */
export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new TrieError('TRIE_INVALID_VALUE', 'value must be a Uint8Array', { type: typeof value });
  }
}

/**
 * A copy of `b` as a plain Uint8Array. Not `b.slice()`: on a Node Buffer (what LevelDB and
 * node:crypto return, and what callers may pass) `slice` is a view, not a copy.
 */
export function copyBytes(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length);
  out.set(b);
  return out;
}
