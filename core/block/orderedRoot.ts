import { encode } from '../encoding/index.js';
import { Trie } from '../trie/index.js';
import type { Hash } from '../types.js';

/**
 * Root of a trie mapping `encode(index)` → item, as Ethereum's txRoot/receiptsRoot (with
 * canonical msgpack keys instead of RLP), so a single tx or receipt can be proven.
 */
export async function orderedRoot(items: readonly Uint8Array[]): Promise<Hash> {
  const trie = new Trie();
  for (let i = 0; i < items.length; i++) await trie.put(encode(i), items[i]);
  return trie.flush().root;
}
