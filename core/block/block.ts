import { encode, type Value } from '../encoding/index.js';
import type { Hash } from '../types.js';
import { BlockError } from './errors.js';
import { commitFromTuple, commitTuple, type Commit } from './commit.js';
import { decodeOrThrow, headerFromTuple, headerHash, headerTuple, type Header } from './header.js';

/** Largest encoded block accepted from a peer or the store (bounds memory per message). */
export const MAX_BLOCK_BYTES = 16 * 1024 * 1024;

/**
 * A block: header, the encoded signed txs in order, and the commit certificate of the
 * previous block (Tendermint's LastCommit; null at height 1, genesis needs none).
 */
export interface Block {
  header: Header;
  txs: Uint8Array[];
  lastCommit: Commit | null;
}

/** Canonical encoding `[header, txs, lastCommit | nil]`. */
export function encodeBlock(b: Block): Uint8Array {
  const v: Value = [headerTuple(b.header), b.txs, b.lastCommit ? commitTuple(b.lastCommit) : null];
  return encode(v);
}

/** The block's hash (= its header's hash). */
export function blockHash(b: Block): Hash {
  return headerHash(b.header);
}

/** Decodes a block, checking sizes and field types (not its validity against a chain). */
export function decodeBlock(bytes: Uint8Array): Block {
  if (bytes.length > MAX_BLOCK_BYTES) {
    throw new BlockError('BLOCK_MALFORMED', `block is ${bytes.length} bytes, the limit is ${MAX_BLOCK_BYTES}`, {
      size: bytes.length,
    });
  }
  const v = decodeOrThrow(bytes, 'block');
  if (!Array.isArray(v) || v.length !== 3) throw new BlockError('BLOCK_MALFORMED', 'block: expected [header, txs, lastCommit]', {});
  const [h, txs, lc] = v;
  if (!Array.isArray(txs) || !txs.every((t) => t instanceof Uint8Array)) {
    throw new BlockError('BLOCK_MALFORMED', 'block txs: expected an array of byte strings', { field: 'txs' });
  }
  return { header: headerFromTuple(h), txs: txs as Uint8Array[], lastCommit: lc === null ? null : commitFromTuple(lc) };
}
