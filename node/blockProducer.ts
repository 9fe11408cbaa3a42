import { signVote, VOTE_PRECOMMIT, type Commit } from '../core/block/index.js';
import type { BuiltBlock, Chain } from '../core/chain/index.js';
import { equalBytes } from '../core/encoding/index.js';
import type { Mempool } from '../core/mempool/index.js';
import type { KeyPair } from './keyFile.js';
import type { Logger } from './logger.js';
import type { SerialQueue } from './serialQueue.js';

/** Options of the single-validator block producer. */
export interface BlockProducerOptions {
  /** How often to look for waiting txs (`--block-ms`). */
  blockMs: number;
  /** Longest gap between blocks: an empty block is made after this much silence. */
  emptyBlockMs: number;
}

/** Default longest gap between blocks: keeps `timeMs` moving for time-based contract rules. */
export const DEFAULT_EMPTY_BLOCK_MS = 10_000;

/**
 * Makes blocks on a single-validator chain (n = 1, dev mode), where each block is final as
 * soon as its one validator signs it: builds from the mempool, signs the precommit that is
 * its commit certificate, stores both in one batch. The timer is here, at the edge; the
 * chain and mempool stay pure of clocks.
 */
export class BlockProducer {
  readonly #opts: BlockProducerOptions;
  readonly #chain: Chain;
  readonly #mempool: Mempool;
  readonly #key: KeyPair;
  readonly #index: number;
  readonly #logger: Logger;
  readonly #onCommitted: (built: BuiltBlock, commit: Commit) => void;
  readonly #writes: SerialQueue;
  readonly #onSetChanged: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inProgress: Promise<void> | undefined;
  #lastBlockAt = Date.now();
  #stopped = false;

  constructor(
    opts: BlockProducerOptions,
    deps: {
      chain: Chain;
      mempool: Mempool;
      key: KeyPair;
      validatorIndex: number;
      logger: Logger;
      writes: SerialQueue;
      onCommitted: (b: BuiltBlock, commit: Commit) => void;
      /** Called once when governance makes the next block's set other than this key alone (production has stopped). */
      onSetChanged?: () => void;
    },
  ) {
    this.#opts = opts;
    this.#chain = deps.chain;
    this.#mempool = deps.mempool;
    this.#key = deps.key;
    this.#index = deps.validatorIndex;
    this.#logger = deps.logger;
    this.#onCommitted = deps.onCommitted;
    this.#writes = deps.writes;
    this.#onSetChanged = deps.onSetChanged;
  }

  /** Starts the production loop. */
  start(): void {
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#inProgress = this.#tick().finally(() => {
        this.#inProgress = undefined;
        this.#schedule();
      });
    }, this.#opts.blockMs);
  }

  async #tick(): Promise<void> {
    const candidates = this.#mempool.pending(this.#chain.spec.blockGasLimit);
    if (candidates.length === 0 && Date.now() - this.#lastBlockAt < this.#opts.emptyBlockMs) return;
    try {
      await this.#writes.run(async () => {
        if (this.#stopped) return;
        if (!this.#soleValidator()) {
          // Governance grew (or replaced) the set: its blocks need consensus, not this loop.
          this.#stopped = true;
          this.#logger.info('the validator set is no longer this node alone: block production stops', { height: this.#chain.head.height + 1, validators: this.#chain.validators.length });
          this.#onSetChanged?.();
          return;
        }
        await this.produce(candidates);
      });
    } catch (e) {
      // A failed block leaves the head unchanged (nothing was written); the next tick retries.
      this.#logger.error('block production failed', { height: this.#chain.head.height + 1 }, e);
    }
  }

  /** Whether the next block's set is exactly this node's key (at the index it signs with). */
  #soleValidator(): boolean {
    const set = this.#chain.validators;
    return set.length === 1 && this.#index === 0 && equalBytes(set[0].address, this.#key.address);
  }

  /** Builds, signs and commits one block from `candidates`. */
  async produce(candidates = this.#mempool.pending(this.#chain.spec.blockGasLimit)): Promise<BuiltBlock> {
    const started = process.hrtime.bigint();
    const chain = this.#chain;
    const lastCommit = chain.head.height === 0 ? null : (chain.store.commit(chain.head.height) ?? null);
    const built = await chain.build(Date.now(), this.#key.address, candidates, lastCommit);
    const { height } = built.block.header;
    const commit: Commit = {
      height,
      round: 0,
      blockHash: built.hash,
      signatures: [[this.#index, signVote(chain.spec.chainId, VOTE_PRECOMMIT, height, 0, built.hash, this.#key.secretKey)]],
    };
    await chain.commit(built, commit);
    this.#lastBlockAt = Date.now();
    for (const s of built.skipped) {
      // Stale nonces can never apply again; other skips (block full) wait for the next block.
      if (s.error.code === 'EXEC_BAD_NONCE' || s.error.code === 'EXEC_BAD_CHAIN_ID' || s.error.code === 'EXEC_INTRINSIC_GAS') {
        this.#mempool.remove(s.tx.hash);
      }
    }
    this.#onCommitted(built, commit);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    this.#logger.info('block', { height, txs: built.included.length, ms: Math.round(ms * 10) / 10, mempool: this.#mempool.size });
    return built;
  }

  /** Stops the loop after the block in progress (if any) is finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#inProgress;
  }
}
