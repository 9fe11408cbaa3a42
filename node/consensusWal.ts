/**
 * The consensus write-ahead log over the chain store (core/consensus README, "Write-ahead
 * log"): the messages that changed the current height's log, appended as they arrive, so a
 * restarted validator replays what it saw and signed before `start`. Own messages are written
 * with the safety record in one synced batch before they leave; peers' messages without fsync
 * (losing the last few to a power cut costs only what gossip re-sends), as CometBFT does.
 */
import { decodeWalEntry, encodeWalEntry, walMessageId, type WalEntry } from '../core/consensus/index.js';
import type { ChainStore } from '../core/store/index.js';
import type { Height } from '../core/types.js';
import type { Logger } from './logger.js';

/** The log of one height at a time; entries of decided heights are dropped. */
export class ConsensusWal {
  readonly #store: ChainStore;
  readonly #logger: Logger;
  #height = 0;
  #seq = 0;
  /** Ids of the messages logged at this height: a message is written once. */
  #ids = new Set<string>();

  constructor(store: ChainStore, logger: Logger) {
    this.#store = store;
    this.#logger = logger;
  }

  /** Makes `height` current and returns its logged entries (undecodable ones are skipped and reported). */
  async open(height: Height): Promise<WalEntry[]> {
    await this.#store.clearWal(height);
    const raw = await this.#store.walEntries(height);
    this.#height = height;
    this.#seq = raw.length;
    this.#ids = new Set();
    const out: WalEntry[] = [];
    for (const bytes of raw) {
      try {
        const e = decodeWalEntry(bytes);
        if (entryHeight(e) !== height) throw new Error(`entry of height ${entryHeight(e)} under height ${height}`);
        this.#ids.add(walMessageId(e));
        out.push(e);
      } catch (err) {
        this.#logger.warn('skipping an unreadable consensus WAL entry', { height }, err);
      }
    }
    return out;
  }

  /** Moves to a new height: starts its log with `carried` (messages the machine buffered for it), drops older heights. */
  async moveTo(height: Height, carried: readonly WalEntry[]): Promise<void> {
    this.#height = height;
    this.#seq = 0;
    this.#ids = new Set();
    await this.append(carried, { sync: false });
    await this.#store.clearWal(height);
  }

  /**
   * Appends the entries of the current height not logged yet; `safety` (the SafetyGuard record)
   * goes in the same batch. With `sync` the batch is on disk when this resolves.
   */
  async append(entries: readonly WalEntry[], opts: { sync: boolean; safety?: Uint8Array }): Promise<void> {
    const wal: Array<{ height: Height; seq: number; bytes: Uint8Array }> = [];
    for (const e of entries) {
      if (entryHeight(e) !== this.#height) continue;
      const id = walMessageId(e);
      if (this.#ids.has(id)) continue;
      this.#ids.add(id);
      wal.push({ height: this.#height, seq: this.#seq++, bytes: encodeWalEntry(e) });
    }
    await this.#store.writeConsensus({ wal, safety: opts.safety, sync: opts.sync });
  }
}

function entryHeight(e: WalEntry): Height {
  return e.kind === 'proposal' ? e.proposal.height : e.vote.height;
}
