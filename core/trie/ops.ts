/**
 * The trie's lookup, insert and delete workers: go-ethereum's `trie.go` (tryGet, insert,
 * delete) over nibble paths with a read position instead of re-sliced keys.
 *
 * `insert` and `remove` return the node that replaces `n` and, like go-ethereum's `dirty`
 * result, set `changed` to say whether anything changed; an unchanged subtree is kept as
 * it was, with its cached hash. A trie's own nodes are updated in place (their `ref`
 * cleared), nodes shared through the node cache are copied (see nodes.ts). A node an
 * update reads from the database is its own (see `NodeStore.resolve`). Everything is
 * synchronous.
 */
import { equalBytes } from '../encoding/hex.js';
import { prefixLength } from './hexPrefix.js';
import { FullNode, HashNode, ShortNode, type Child, type TrieNode } from './nodes.js';
import type { NodeStore } from './nodeStore.js';

/** Whether the last `insert` / `remove` call changed its subtree (go-ethereum's `dirty`). */
let changed = false;

/** Whether the last `insert` or `remove` changed anything. */
export function lastChanged(): boolean {
  return changed;
}

/** The value at path `key` (nibbles ending with the terminator) below `n`, or undefined. */
export function getValue(store: NodeStore, n: Child | undefined, key: Uint8Array): Uint8Array | undefined {
  let pos = 0;
  for (;;) {
    if (n === undefined) return undefined;
    // A value is only ever reached once the terminator is consumed, i.e. pos === key.length.
    if (n instanceof Uint8Array) return n;
    if (n instanceof ShortNode) {
      const k = n.key;
      const len = k.length;
      if (key.length - pos < len) return undefined;
      for (let i = 0; i < len; i++) if (key[pos + i] !== k[i]) return undefined;
      pos += len;
      n = n.val;
    } else if (n instanceof FullNode) {
      n = n.child(key[pos++]);
    } else {
      n = store.resolve(n, key, pos);
    }
  }
}

/** `n` with `value` stored at `key[pos..]`; sets `changed`. */
export function insert(store: NodeStore, n: Child | undefined, key: Uint8Array, pos: number, value: Uint8Array): Child {
  if (pos === key.length) {
    changed = !(n instanceof Uint8Array && equalBytes(n, value));
    return changed ? value : (n as Uint8Array);
  }
  if (n === undefined) {
    changed = true;
    // A copy, not a view: `key` is the trie's scratch buffer (see keyToNibbles).
    return new ShortNode(key.slice(pos), value);
  }
  if (n instanceof ShortNode) {
    const nk = n.key;
    const m = prefixLength(key, pos, nk);
    if (m === nk.length) {
      const nn = insert(store, n.val, key, pos + m, value);
      if (!changed) return n;
      if (n.shared) return new ShortNode(nk, nn);
      n.val = nn;
      n.ref = undefined;
      return n;
    }
    // The paths diverge after m nibbles: a branch there holds the old and the new entry.
    const branch = new FullNode();
    branch.children[nk[m]] = m + 1 === nk.length ? n.val : new ShortNode(nk.subarray(m + 1), n.val);
    branch.children[key[pos + m]] = insert(store, undefined, key, pos + m + 1, value);
    changed = true;
    return m === 0 ? branch : new ShortNode(nk.subarray(0, m), branch);
  }
  if (n instanceof FullNode) {
    const i = key[pos];
    const nn = insert(store, n.child(i), key, pos + 1, value);
    if (!changed) return n;
    const f = n.shared ? n.copy() : n;
    f.ref = undefined;
    f.children[i] = nn;
    return f;
  }
  if (n instanceof HashNode) {
    const nn = insert(store, store.resolve(n, key, pos, false), key, pos, value);
    return changed ? nn : n;
  }
  // A value where a node should be: only a key that is a prefix of the terminator-ended
  // path could get here, and every path ends with the terminator.
  throw new Error('trie: value node above the end of a key');
}

function concatNibbles(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `n` without the value at `key[pos..]` (undefined when nothing is left); sets `changed`. */
export function remove(store: NodeStore, n: Child | undefined, key: Uint8Array, pos: number): Child | undefined {
  if (n === undefined) {
    changed = false;
    return undefined;
  }
  if (n instanceof Uint8Array) {
    changed = true;
    return undefined;
  }
  if (n instanceof ShortNode) {
    const nk = n.key;
    const m = prefixLength(key, pos, nk);
    if (m < nk.length) {
      changed = false;
      return n;
    }
    if (pos + m === key.length) {
      changed = true; // the leaf itself
      return undefined;
    }
    const nc = remove(store, n.val, key, pos + m);
    if (!changed) return n;
    // A short node over a short node is not canonical: merge their paths.
    if (nc instanceof ShortNode) return new ShortNode(concatNibbles(nk, nc.key), nc.val);
    // An extension's branch holds at least two entries, so one delete cannot empty it.
    if (nc === undefined) return undefined;
    if (n.shared) return new ShortNode(nk, nc);
    n.val = nc;
    n.ref = undefined;
    return n;
  }
  if (n instanceof FullNode) {
    const i = key[pos];
    const nc = remove(store, n.child(i), key, pos + 1);
    if (!changed) return n;
    const f = n.shared ? n.copy() : n;
    f.ref = undefined;
    f.children[i] = nc;
    if (nc !== undefined) return f;
    // A branch had at least two entries; if one is left, it becomes a short node.
    let only = -1;
    for (let j = 0; j < 17; j++) {
      if (f.children[j] !== undefined) {
        if (only !== -1) return f;
        only = j;
      }
    }
    if (only === -1) return undefined;
    const rest = f.child(only) as Child;
    if (only !== 16) {
      let c = rest as TrieNode;
      if (c instanceof HashNode) {
        const path = new Uint8Array(pos + 1);
        path.set(key.subarray(0, pos));
        path[pos] = only;
        c = store.resolve(c, path, pos + 1, false);
      }
      if (c instanceof ShortNode) return new ShortNode(concatNibbles(Uint8Array.of(only), c.key), c.val);
    }
    return new ShortNode(Uint8Array.of(only), rest);
  }
  const nn = remove(store, store.resolve(n, key, pos, false), key, pos);
  return changed ? nn : n;
}
