/**
 * Commit-time hashing (go-ethereum's `hasher.go` and `committer.go` in one pass): dirty nodes
 * are encoded bottom-up exactly once, and each gets its `ref` cached, which also marks it
 * clean. Nodes of 32 bytes or more are hashed and reported as new stored nodes; shorter ones
 * are embedded in their parent and never stored on their own.
 */
import { encodeNode, type Allocator } from './codec.js';
import { FullNode, HASH_LENGTH, ShortNode, type TrieNode } from './nodes.js';
import type { Digest } from './digest.js';
import type { NodeEntry } from './nodeStore.js';

/** First chunk of a flush's encoding arena; chunks double up to MAX_CHUNK. */
const MIN_CHUNK = 4 * 1024;
/** Largest arena chunk: big enough to amortise allocation, small enough to waste little. */
const MAX_CHUNK = 256 * 1024;

/**
 * Hands out the encodings of one flush from shared chunks. Typed arrays over 64 bytes get
 * their own off-heap backing store in V8, measured here at ~250 ns each to allocate plus
 * GC work; a 100,000-key commit encodes ~140,000 such nodes. The views keep their chunk
 * alive, which is fine: a flush's nodes are written (MemoryTrieDB and LevelDB copy them)
 * and dropped together, and a node decoded from a held flush copies its encoding first
 * (NodeStore.resolve), so the node cache never pins a chunk. Embedded encodings (< 32 bytes)
 * stay in the tree, so they get small arrays of their own and never pin a chunk.
 */
function arena(): Allocator {
  let chunk = new Uint8Array(0);
  let used = 0;
  let next = MIN_CHUNK;
  return (size) => {
    if (size < HASH_LENGTH) return new Uint8Array(size);
    if (used + size > chunk.length) {
      chunk = new Uint8Array(Math.max(next, size));
      next = Math.min(next * 2, MAX_CHUNK);
      used = 0;
    }
    const out = chunk.subarray(used, used + size);
    used += size;
    return out;
  };
}

function hashNode(n: TrieNode, digest: Digest, out: NodeEntry[], alloc: Allocator): Uint8Array {
  const cached = n.ref;
  if (cached !== undefined) return cached;
  const node = n as ShortNode | FullNode;
  if (node instanceof ShortNode) {
    const v = node.val;
    if (!(v instanceof Uint8Array)) hashNode(v, digest, out, alloc);
  } else {
    const ch = node.children;
    for (let i = 0; i < 16; i++) {
      const c = ch[i];
      // Empty and lazy (stored, so clean) slots need nothing.
      if (c !== undefined && typeof c !== 'number') hashNode(c as TrieNode, digest, out, alloc);
    }
  }
  const enc = encodeNode(node, alloc);
  if (enc.length < HASH_LENGTH) {
    node.ref = enc;
  } else {
    const h = digest.bytes(enc);
    node.ref = h;
    out.push([h, enc]);
  }
  return node.ref;
}

/**
 * Hashes the dirty tree under `root`, appends the new stored nodes to `out` (children before
 * parents) and returns the root hash. The root is always stored under its hash, even when
 * its encoding is short enough to be embedded anywhere else.
 */
export function hashRoot(root: TrieNode, digest: Digest, out: NodeEntry[]): Uint8Array {
  const ref = hashNode(root, digest, out, arena());
  if (ref.length === HASH_LENGTH) return ref;
  const h = digest.bytes(ref);
  out.push([h, ref]);
  return h;
}
