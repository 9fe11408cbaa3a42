/**
 * Chain objects as JSON (design §2: bytes are 0x-hex, integers above 2^53-1 are decimal
 * strings). One converter per object kind, shared by every method and subscription.
 */
import type { Block, Commit, Header } from '../../core/block/index.js';
import { blockHash } from '../../core/block/index.js';
import { addressOf } from '../../core/crypto/index.js';
import { toHex, type Value } from '../../core/encoding/index.js';
import type { ChainEvent, Receipt } from '../../core/execution/index.js';
import type { SignedTx } from '../../core/tx/index.js';
import type { Hash } from '../../core/types.js';

/** JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** An integer as JSON: a number when safe, else a decimal string. */
export function intJson(n: number | bigint): number | string {
  if (typeof n === 'number') return n;
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/** A canonical-msgpack value as JSON (bytes → hex, big ints → strings). */
export function valueJson(v: Value): Json {
  if (v === null || typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return intJson(v);
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(valueJson);
  const out: { [k: string]: Json } = {};
  for (const k of Object.keys(v)) out[k] = valueJson(v[k]);
  return out;
}

/** Header fields shared by blocks and head notifications. */
export function headerJson(h: Header, hash: Hash): { [k: string]: Json } {
  return {
    hash: toHex(hash),
    height: h.height,
    prevHash: toHex(h.prevHash),
    timeMs: h.timeMs,
    proposer: toHex(h.proposer),
    stateRoot: toHex(h.stateRoot),
    txRoot: toHex(h.txRoot),
    receiptsRoot: toHex(h.receiptsRoot),
    validatorsHash: toHex(h.validatorsHash),
    lastCommitHash: toHex(h.lastCommitHash),
  };
}

/** A signed tx as JSON, with its hash and the sender's address. */
export function txJson(tx: SignedTx, hash: Hash): { [k: string]: Json } {
  return {
    hash: toHex(hash),
    chainId: tx.chainId,
    nonce: tx.nonce,
    from: toHex(addressOf(tx.sender)),
    sender: toHex(tx.sender),
    to: tx.to ? toHex(tx.to) : null,
    method: tx.method,
    args: tx.args.map(valueJson),
    gasLimit: tx.gasLimit,
    sig: toHex(tx.sig),
  };
}

/** A commit certificate as JSON. */
export function commitJson(c: Commit): Json {
  return {
    height: c.height,
    round: c.round,
    blockHash: toHex(c.blockHash),
    signatures: c.signatures.map(([validatorIndex, sig]) => ({ validatorIndex, signature: toHex(sig) })),
  };
}

/** A block as JSON; `txs` are hashes, or full txs when given. */
export function blockJson(b: Block, txs: Json[]): { [k: string]: Json } {
  return { ...headerJson(b.header, blockHash(b)), txs, lastCommit: b.lastCommit ? commitJson(b.lastCommit) : null };
}

/** An event as JSON. */
export function eventJson(e: ChainEvent): { [k: string]: Json } {
  return { contract: toHex(e.contract), event: e.event, data: valueJson(e.data) };
}

/** A receipt as JSON, located in the chain. */
export function receiptJson(r: Receipt, txHash: Hash, height: number, index: number, blockHashValue: Hash): { [k: string]: Json } {
  const out: { [k: string]: Json } = {
    txHash: toHex(txHash),
    blockHash: toHex(blockHashValue),
    height,
    index,
    status: r.status,
    gasUsed: r.gasUsed,
    result: valueJson(r.result),
    events: r.events.map(eventJson),
  };
  if (r.error !== undefined) out.error = r.error;
  return out;
}
