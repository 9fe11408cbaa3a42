/** What subscribers see of the chain: live publications of committed blocks, and replays. */
import type { BuiltBlock, Chain } from '../core/chain/index.js';
import { fromHex, toHex, type Value } from '../core/encoding/index.js';
import type { Mempool } from '../core/mempool/index.js';
import type { ChainStore } from '../core/store/index.js';
import { txHash } from '../core/tx/index.js';
import type { SubscriptionHub } from '../rpc/index.js';
import { eventJson, headerJson, receiptJson, storedReceiptJson } from '../rpc/methods/index.js';

/** A stored event as subscribers see it (the same shape `publish` sends live). */
function eventPublication(e: { contract: Uint8Array; event: string; data: Value }, height: number, index: number, txIndex: number, txHashHex: string) {
  const json = eventJson({ contract: e.contract, event: e.event, data: e.data }) as { contract: string; event: string; data: Record<string, unknown> };
  return { ...json, height, index, txHash: txHashHex, txIndex };
}

/** Past events from `fromHeight` for resumed `events` subscriptions (the hub filters them). */
export async function* replayEvents(store: ChainStore, fromHeight: number) {
  let cached: { height: number; txHashes: string[] } | undefined;
  for await (const e of store.eventsFrom(fromHeight)) {
    if (cached?.height !== e.height) {
      cached = { height: e.height, txHashes: (store.block(e.height)?.txs ?? []).map((t) => toHex(txHash(t))) };
    }
    yield eventPublication(e, e.height, e.index, e.txIndex, cached.txHashes[e.txIndex] ?? '');
  }
}

/** A tx's current status for a new `tx` subscription: its receipt when final, or pending. */
export function txStatus(chain: Chain, mempool: Mempool, hash: string) {
  const h = fromHex(hash, 32);
  const receipt = storedReceiptJson(chain.store, h);
  if (receipt) return { ...receipt, hash, final: true };
  return mempool.has(h) ? { hash, status: 'pending', final: false } : undefined;
}

/** Publishes a committed block to subscribers: head, finalized, each tx's status and events. */
export function publish(hub: SubscriptionHub, b: BuiltBlock): void {
  const head = headerJson(b.block.header, b.hash);
  hub.publish('newHeads', head);
  hub.publish('finalized', head);
  const { height } = b.block.header;
  let eventIndex = 0;
  b.included.forEach((e, txIndex) => {
    const receipt = b.receipts[txIndex];
    hub.publish('tx', { ...receiptJson(receipt, e.hash, height, txIndex, b.hash), hash: toHex(e.hash), final: true });
    for (const ev of receipt.events) hub.publish('events', eventPublication(ev, height, eventIndex++, txIndex, toHex(e.hash)));
  });
}
