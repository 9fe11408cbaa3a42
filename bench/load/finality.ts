/**
 * Finality tracking by block, not by tx: one `newHeads` and one `finalized` subscription, and
 * one `chain_getBlock(height)` per block to learn its tx hashes, matched against the generator's
 * in-flight map. A `tx` subscription or a `tx_wait` per tx would cost the node one more request
 * (and the client one more response) per tx, as much again as tx_send itself; per block it is
 * one request however many txs the block holds.
 */
import type { RpcConnection } from './rpcConnection.js';

/** What the tracker reports for each tx hash it sees in a block. */
export interface FinalityListener {
  /** `hashes` were included in block `height`; the head arrived at `at` (performance.now()). */
  included(hashes: readonly string[], height: number, at: number): void;
  /** Block `height` (and so `hashes`) is final as of `at`. */
  finalized(hashes: readonly string[], height: number, at: number): void;
}

/** Block-level view the generator reports alongside its own figures. */
export interface BlockSeen {
  height: number;
  txs: number;
  at: number;
}

/** Follows heads and finality on a control connection. */
export class FinalityTracker {
  readonly #rpc: RpcConnection;
  readonly #listener: FinalityListener;
  /** Tx hashes of included-but-not-final blocks, by height. */
  readonly #txsOf = new Map<number, string[]>();
  #lastHead: number;
  #lastFinal: number;
  /** Serialises head and finality handling so heights are processed in order. */
  #chain: Promise<void> = Promise.resolve();
  #error: Error | undefined;
  /** Every block seen during tracking, for the client-side block timeline. */
  readonly blocks: BlockSeen[] = [];

  private constructor(rpc: RpcConnection, listener: FinalityListener, height: number, finalHeight: number) {
    this.#rpc = rpc;
    this.#listener = listener;
    this.#lastHead = height;
    this.#lastFinal = finalHeight;
  }

  /** Subscribes, starting after the chain's current head and final height. */
  static async start(rpc: RpcConnection, listener: FinalityListener): Promise<FinalityTracker> {
    const info = await rpc.call<{ height: number; finalizedHeight: number }>('chain_getInfo');
    const t = new FinalityTracker(rpc, listener, info.height, info.finalizedHeight);
    await rpc.subscribe('newHeads', (h) => t.#enqueue(() => t.#onHead((h as { height: number }).height, performance.now())));
    await rpc.subscribe('finalized', (h) => t.#enqueue(() => t.#onFinal((h as { height: number }).height, performance.now())));
    return t;
  }

  /** The first error met while tracking (a failed chain_getBlock), if any. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** Resolves once every notification received so far has been handled. */
  idle(): Promise<void> {
    return this.#chain;
  }

  #enqueue(step: () => Promise<void>): void {
    this.#chain = this.#chain.then(step).catch((e: Error) => {
      this.#error ??= e;
    });
  }

  async #txsAt(height: number): Promise<string[]> {
    let txs = this.#txsOf.get(height);
    if (txs === undefined) {
      const block = await this.#rpc.call<{ txs: string[] } | null>('chain_getBlock', [height]);
      txs = block?.txs ?? [];
      this.#txsOf.set(height, txs);
    }
    return txs;
  }

  async #onHead(height: number, at: number): Promise<void> {
    // Heads may skip heights (a notification lost to a slow consumer, a sync burst): fill in.
    for (let h = this.#lastHead + 1; h <= height; h++) {
      const txs = await this.#txsAt(h);
      this.blocks.push({ height: h, txs: txs.length, at });
      this.#listener.included(txs, h, at);
    }
    this.#lastHead = Math.max(this.#lastHead, height);
  }

  async #onFinal(height: number, at: number): Promise<void> {
    if (height > this.#lastHead) await this.#onHead(height, at);
    for (let h = this.#lastFinal + 1; h <= height; h++) {
      this.#listener.finalized(await this.#txsAt(h), h, at);
      this.#txsOf.delete(h);
    }
    this.#lastFinal = Math.max(this.#lastFinal, height);
  }
}
