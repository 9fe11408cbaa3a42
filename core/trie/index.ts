/** core/trie: Ethereum's Merkle Patricia trie with SHA-256 (design §5). */
export { Trie, type TrieOptions, type FlushResult } from './trie.js';
export { verifyProof } from './proof.js';
export { TrieError, type TrieErrorCode } from './errors.js';
export { type TrieDB, type TrieDBOp } from './trieDB.js';
export { MemoryTrieDB } from './memoryTrieDB.js';
export { LevelTrieDB, type LevelLike } from './levelTrieDB.js';
export { NODE_CACHE_SIZE, MAX_UNWRITTEN_FLUSHES, type HashFn, type NodeEntry } from './nodeStore.js';
export { MAX_KEY_LENGTH } from './validate.js';
export { sha256 } from './sha256.js';
export * as rlp from './rlp.js';
