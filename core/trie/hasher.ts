/**
 * Commit-time hashing (go-ethereum's `hasher.go` and `committer.go` in one pass): dirty nodes
 * are encoded bottom-up exactly once, and each gets its `ref` cached, which also marks it
 * clean. Nodes of 32 bytes or more are hashed and reported as new stored nodes; shorter ones
 * are embedded in their parent and never stored on their own.
 */
import { encodeNode, FullNode, HASH_LENGTH, ShortNode, type TrieNode } from './nodes.js';
import type { HashFn, NodeEntry } from './nodeStore.js';

/** The ref of `n`, hashing its dirty subtree and appending new stored nodes to `out`. */
export function hashNode(n: TrieNode, hash: HashFn, out: NodeEntry[]): Uint8Array {
  const cached = n.ref;
  if (cached !== undefined) return cached;
  const node = n as ShortNode | FullNode;
  if (node instanceof ShortNode) {
    const v = node.val;
    if (!(v instanceof Uint8Array)) hashNode(v, hash, out);
  } else {
    const ch = node.children;
    for (let i = 0; i < 16; i++) {
      const c = ch[i];
      if (c !== undefined) hashNode(c as TrieNode, hash, out);
    }
  }
  const enc = encodeNode(node);
  if (enc.length < HASH_LENGTH) {
    node.ref = enc;
  } else {
    const h = hash(enc);
    node.ref = h;
    out.push([h, enc]);
  }
  return node.ref;
}

/**
 * Hashes the tree under `root` and returns its root hash. The root is always stored under
 * its hash, even when its encoding is short enough to be embedded anywhere else.
 */
export function hashRoot(root: TrieNode, hash: HashFn, out: NodeEntry[]): Uint8Array {
  const ref = hashNode(root, hash, out);
  if (ref.length === HASH_LENGTH) return ref;
  const h = hash(ref);
  out.push([h, ref]);
  return h;
}
