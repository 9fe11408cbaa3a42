/** `tx_*`: submit transactions, look them up, read receipts. */
import { fromHex, toHex } from '../../core/encoding/index.js';
import { blockHash } from '../../core/block/index.js';
import { decodeTx, MAX_TX_BYTES } from '../../core/tx/index.js';
import type { MethodSpec } from '../methodTable.js';
import { HASH_SCHEMA, OBJECT_OR_NULL_SCHEMA, type ChainBackend } from './backend.js';
import { receiptJson, txJson } from './json.js';

/** The signed tx bytes as 0x-hex (bounded by the tx size limit). */
const TX_HEX_SCHEMA = {
  type: 'string',
  pattern: '^0x([0-9a-fA-F]{2})+$',
  maxLength: 2 + 2 * MAX_TX_BYTES,
  description: 'canonical msgpack SignedTx, 0x-hex',
} as const;

/** Longest `tx_wait`: a client wanting longer calls again (bounds held connections' state). */
const MAX_WAIT_MS = 120_000;
/** `tx_wait` without a timeout: a few dev-node blocks, well under typical client timeouts. */
const DEFAULT_WAIT_MS = 30_000;

/** The receipt of an included tx as JSON, located through the store's tx index; null if not included. */
export function storedReceiptJson(store: ChainBackend['chain']['store'], hash: Uint8Array): ReturnType<typeof receiptJson> | null {
  const loc = store.txLocation(hash);
  if (!loc) return null;
  const receipt = store.receipts(loc.height)?.[loc.index];
  const block = store.block(loc.height);
  return receipt && block ? receiptJson(receipt, hash, loc.height, loc.index, blockHash(block)) : null;
}

/** The tx API methods over `b`. */
export function txMethods(b: ChainBackend): MethodSpec[] {
  const locate = (hash: string) => {
    const h = fromHex(hash, 32);
    const loc = b.chain.store.txLocation(h);
    return { h, loc };
  };
  const receiptOf = (hash: string) => storedReceiptJson(b.chain.store, fromHex(hash, 32));
  return [
    {
      name: 'tx_send',
      summary: 'Submits a signed transaction to the mempool; returns its hash',
      params: [{ name: 'tx', schema: TX_HEX_SCHEMA, required: true }],
      result: { name: 'hash', schema: HASH_SCHEMA },
      errors: [
        'tx_malformed', 'tx_too_large', 'invalid_signature', 'wrong_chain', 'nonce_too_low', 'nonce_gap', 'nonce_taken',
        'already_known', 'insufficient_balance', 'invalid_gas_limit', 'mempool_full', 'sender_limit', 'busy',
      ],
      handler: async (p: { tx: string }) => toHex((await b.mempool.add(fromHex(p.tx))).hash),
    },
    {
      name: 'tx_get',
      summary: 'A transaction by hash, with where it was included (height/index null while pending); null if unknown',
      params: [{ name: 'hash', schema: HASH_SCHEMA, required: true }],
      result: { name: 'tx', schema: OBJECT_OR_NULL_SCHEMA },
      handler: (p: { hash: string }) => {
        const { h, loc } = locate(p.hash);
        if (loc) {
          const block = b.chain.store.block(loc.height);
          const bytes = block?.txs[loc.index];
          if (!block || !bytes) return null;
          return { ...txJson(decodeTx(bytes), h), height: loc.height, index: loc.index, blockHash: toHex(blockHash(block)) };
        }
        const pending = b.mempool.get(h);
        return pending ? { ...txJson(pending.tx, h), height: null, index: null, blockHash: null } : null;
      },
    },
    {
      name: 'tx_wait',
      summary: 'Waits until a transaction is final and returns its receipt; null if it is not final within timeoutMs',
      params: [
        { name: 'hash', schema: HASH_SCHEMA, required: true },
        { name: 'timeoutMs', schema: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS, description: `default ${DEFAULT_WAIT_MS}` } },
      ],
      result: { name: 'receipt', schema: OBJECT_OR_NULL_SCHEMA },
      handler: async (p: { hash: string; timeoutMs?: number }) => {
        const now = receiptOf(p.hash);
        if (now) return now;
        const final = await b.waitForTx(p.hash, p.timeoutMs ?? DEFAULT_WAIT_MS);
        return final ? receiptOf(p.hash) : null;
      },
    },
    {
      name: 'tx_getReceipt',
      summary: 'The receipt of an included transaction; null while pending or unknown',
      params: [{ name: 'hash', schema: HASH_SCHEMA, required: true }],
      result: { name: 'receipt', schema: OBJECT_OR_NULL_SCHEMA },
      handler: (p: { hash: string }) => receiptOf(p.hash),
    },
  ];
}
