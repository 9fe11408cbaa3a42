import { TX_BASE_GAS, type TxEnvelope } from '../execution/index.js';
import type { SignedTx } from '../tx/index.js';
import type { Address, Hash } from '../types.js';
import { checkStateless, keyOf } from './admission.js';
import { CountBuckets } from './countBuckets.js';
import { MempoolError } from './errors.js';
import { SenderQueue, type PoolEntry } from './senderQueue.js';

/** Global cap: ~10 s of blocks at a few thousand txs each; ~50k × ~200 B typical tx ≈ 10 MB. */
export const DEFAULT_MAX_TXS = 50_000;
/** Per-sender cap: enough for a busy institution's burst, small enough that ~800 senders are needed to fill the pool. */
export const DEFAULT_MAX_PER_SENDER = 64;
/**
 * How far past a sender's next expected nonce a future tx may be: tolerates txs arriving out
 * of order (gossip, concurrent submits) without letting one sender park txs that cannot run.
 */
export const DEFAULT_MAX_NONCE_GAP = 16;

/** Mempool limits (design §4: no fees, so caps and fairness bound spam). */
export interface MempoolOptions {
  chainId: string;
  maxTxs?: number;
  maxPerSender?: number;
  /** How far ahead of the sender's next expected nonce (account nonce + its pooled run) a tx may be. */
  maxNonceGap?: number;
  blockGasLimit: number;
}

/** What the mempool needs from the node. */
export interface MempoolDeps {
  /** Current committed account view (nonce, balance), synchronous. */
  account(address: Uint8Array): { nonce: number; balance: bigint };
  /** Signature check of a tx (the node passes the sig pool); resolves true/false. */
  verifySignature(tx: SignedTx, hash: Uint8Array): Promise<boolean>;
}

/** Result of a successful add: the tx hash and the txs evicted to make room (usually none). */
export interface AddResult {
  hash: Hash;
  evicted: Hash[];
}

/**
 * The pool of transactions waiting for a block. Admission runs the cheap stateless checks,
 * then the state checks, then the (async, expensive) signature check, and repeats the state
 * checks after it, since the pool and the chain may have moved meanwhile; the tx's hash and
 * sender/nonce are reserved during the await so concurrent adds cannot both get in.
 *
 * Fairness replaces price: per-sender and global caps, eviction of future txs first, then of
 * the largest sender's last tx, and round-robin block building. Pure logic: no timers, no clock.
 */
export class Mempool {
  private readonly chainId: string;
  private readonly maxTxs: number;
  private readonly maxPerSender: number;
  private readonly maxNonceGap: number;
  private readonly blockGasLimit: number;
  private readonly deps: MempoolDeps;
  /** Pooled txs by hash key. */
  private readonly txs = new Map<string, PoolEntry>();
  /** Senders in the order their queue was created: the round-robin order of `pending`. */
  private readonly senders = new Map<string, SenderQueue>();
  /** Hash keys of adds awaiting their signature check. */
  private readonly admitting = new Set<string>();
  /** Every sender with pooled txs, by count. */
  private readonly bySize: CountBuckets;
  /** Senders with at least one future tx, by count. */
  private readonly futureBySize: CountBuckets;

  constructor(opts: MempoolOptions, deps: MempoolDeps) {
    if (typeof opts.chainId !== 'string' || opts.chainId === '') throw new TypeError('mempool chainId: expected a string');
    this.chainId = opts.chainId;
    this.maxTxs = positiveInt(opts.maxTxs ?? DEFAULT_MAX_TXS, 'maxTxs');
    this.maxPerSender = positiveInt(opts.maxPerSender ?? DEFAULT_MAX_PER_SENDER, 'maxPerSender');
    this.maxNonceGap = positiveInt(opts.maxNonceGap ?? DEFAULT_MAX_NONCE_GAP, 'maxNonceGap');
    this.blockGasLimit = positiveInt(opts.blockGasLimit, 'blockGasLimit');
    this.deps = deps;
    this.bySize = new CountBuckets(this.maxPerSender);
    this.futureBySize = new CountBuckets(this.maxPerSender);
  }

  /** Number of pooled txs. */
  /**
   * The next nonce `address` should use: its account nonce plus its ready run in the pool
   * (what a client sending several txs without waiting needs; JSON-RPC `pendingNonce`).
   */
  pendingNonce(address: Uint8Array): number {
    const q = this.senders.get(keyOf(address));
    return q ? q.accountNonce + q.readyCount : this.deps.account(address).nonce;
  }

  get size(): number {
    return this.txs.size;
  }

  /** Whether a tx with this hash is pooled. */
  has(hash: Uint8Array): boolean {
    return this.txs.has(keyOf(hash));
  }

  /** The pooled tx with this hash. */
  get(hash: Uint8Array): TxEnvelope | undefined {
    return this.txs.get(keyOf(hash))?.env;
  }

  /** Admits an encoded signed tx or throws MempoolError saying why not. */
  async add(bytes: Uint8Array): Promise<AddResult> {
    const cand = checkStateless(bytes, {
      chainId: this.chainId,
      blockGasLimit: this.blockGasLimit,
      known: (key) => this.txs.has(key) || this.admitting.has(key),
    });
    const q = this.queueOf(cand);
    try {
      this.checkState(q, cand);
      this.victimFor(q, cand); // only to fail fast on a full pool before the expensive check
      this.admitting.add(cand.key);
      q.reserve(cand.nonce, cand.spend);
      let valid: boolean;
      try {
        valid = await this.deps.verifySignature(cand.env.tx, cand.env.hash);
      } finally {
        this.admitting.delete(cand.key);
        q.release(cand.nonce, cand.spend);
      }
      if (valid !== true) {
        throw new MempoolError('MEMPOOL_BAD_SIGNATURE', 'tx signature does not verify', { field: 'sig' });
      }
      // From here on everything is synchronous: re-check against the pool and chain as they are now.
      this.checkState(q, cand);
      const victim = this.victimFor(q, cand);
      const evicted: Hash[] = [];
      if (victim !== undefined) {
        this.removeEntry(victim);
        evicted.push(victim.env.hash);
      }
      this.mutate(q, () => q.insert(cand));
      this.txs.set(cand.key, cand);
      return { hash: cand.env.hash, evicted };
    } finally {
      this.forgetIfEmpty(q);
    }
  }

  /**
   * Ready txs for a block: round-robin across senders (in the order their queue was created,
   * i.e. first arrival), each sender's in nonce order from its account nonce, while the sum of
   * gasLimits fits `gasLimit`. A sender whose next tx does not fit leaves the rotation (its
   * later txs cannot jump ahead of it) and the others go on, so smaller txs still fill the block.
   */
  pending(gasLimit: number): TxEnvelope[] {
    const out: TxEnvelope[] = [];
    let left = gasLimit;
    let active: SenderQueue[] = [];
    for (const q of this.senders.values()) if (q.readyCount > 0) active.push(q);
    // Every sender still active has taken one tx per round, so the round is its cursor.
    for (let round = 0; active.length > 0 && left >= TX_BASE_GAS; round++) {
      let kept = 0;
      for (const q of active) {
        const env = q.readyAt(round).env;
        if (env.tx.gasLimit > left) continue;
        out.push(env);
        left -= env.tx.gasLimit;
        if (round + 1 < q.readyCount) active[kept++] = q;
      }
      active.length = kept;
    }
    return out;
  }

  /**
   * After a block commits: drops the included txs and every tx whose nonce is now below its
   * sender's account nonce, and recomputes readiness. Nonces only move by inclusion, so when
   * every included hash is pooled only those senders are re-read; an unknown hash (a tx that
   * reached the proposer, not us) may have used the nonce of one of ours, so then every
   * pooled sender is re-read (one `account` call each).
   */
  removeCommitted(included: Uint8Array[]): void {
    let allKnown = true;
    const touched = new Set<SenderQueue>();
    for (const hash of included) {
      const e = this.txs.get(keyOf(hash));
      if (e === undefined) {
        allKnown = false;
        continue;
      }
      touched.add(this.senders.get(e.senderKey) as SenderQueue);
      this.removeEntry(e, false);
    }
    for (const q of allKnown ? touched : [...this.senders.values()]) {
      this.rebase(q, this.deps.account(q.address).nonce);
      this.forgetIfEmpty(q);
    }
  }

  /** Drops one tx (e.g. skipped as inapplicable); the sender's later txs become future. */
  remove(hash: Uint8Array): void {
    const e = this.txs.get(keyOf(hash));
    if (e !== undefined) this.removeEntry(e);
  }

  /**
   * The state checks, run before and again after the signature check: nonce not used, not
   * taken by another pooled or in-flight tx, within the gap; the transfer affordable; the
   * sender's cap. Balance rule: a transfer's amount must be at most the committed balance minus
   * the amounts of this sender's pooled and in-flight transfers; incoming transfers still in
   * the pool are not counted (they may never execute), so this never admits what cannot pay.
   */
  private checkState(q: SenderQueue, c: PoolEntry): void {
    const account = this.deps.account(q.address);
    this.rebase(q, account.nonce);
    if (c.nonce < account.nonce) {
      throw new MempoolError('MEMPOOL_NONCE_TOO_LOW', `tx nonce ${c.nonce} is below the account nonce ${account.nonce}`, {
        nonce: c.nonce,
        accountNonce: account.nonce,
      });
    }
    if (q.hasNonce(c.nonce)) {
      throw new MempoolError('MEMPOOL_NONCE_TAKEN', `another tx of this sender has nonce ${c.nonce}`, { nonce: c.nonce });
    }
    const next = q.nextNonce();
    if (c.nonce - next > this.maxNonceGap) {
      throw new MempoolError('MEMPOOL_NONCE_GAP', `tx nonce ${c.nonce} is too far ahead of the next nonce ${next}`, {
        nonce: c.nonce,
        nextNonce: next,
        maxNonceGap: this.maxNonceGap,
      });
    }
    if (c.spend > 0n && c.spend > account.balance - q.spending) {
      throw new MempoolError('MEMPOOL_INSUFFICIENT_BALANCE', 'transfer amount exceeds the balance not already pooled', {
        amount: c.spend.toString(),
        balance: account.balance.toString(),
        pooledSpend: q.spending.toString(),
      });
    }
    if (q.count + q.reservedCount >= this.maxPerSender) {
      throw new MempoolError('MEMPOOL_SENDER_FULL', `sender already has ${this.maxPerSender} pooled txs`, {
        limit: this.maxPerSender,
      });
    }
  }

  /**
   * When the pool is full, the tx to evict for `c`, or MEMPOOL_FULL. Rules, first match wins:
   *  1. a future tx of another sender: the last tx of the future-holding sender holding the most.
   *     A ready newcomer may take any; a future newcomer only one of a sender holding more
   *     than the newcomer's sender would after admission (futures must not churn each other);
   *  2. for a ready newcomer only: the last tx of the other sender holding the most, if it holds
   *     more than the newcomer's sender would (strictly, so two senders cannot evict each
   *     other back and forth). The last tx, so the victim's queue stays contiguous.
   */
  private victimFor(q: SenderQueue, c: PoolEntry): PoolEntry | undefined {
    if (this.txs.size < this.maxTxs) return undefined;
    const after = q.count + 1;
    const ready = c.nonce === q.accountNonce + q.readyCount;
    const future = this.futureBySize.largest(q.key, ready ? 0 : after);
    if (future !== undefined) return this.senders.get(future)?.highest();
    const big = ready ? this.bySize.largest(q.key, after) : undefined;
    if (big !== undefined) return this.senders.get(big)?.highest();
    throw new MempoolError('MEMPOOL_FULL', `the pool holds ${this.maxTxs} txs and none can be evicted fairly`, {
      limit: this.maxTxs,
      ready,
      senderCount: q.count,
    });
  }

  /**
   * The sender's queue, created (at the end of the round-robin order) on first sight. A new
   * queue starts at nonce 0; checkState, which always runs next, reads the real account nonce.
   */
  private queueOf(c: PoolEntry): SenderQueue {
    let q = this.senders.get(c.senderKey);
    if (q === undefined) {
      const address: Address = c.env.from;
      q = new SenderQueue(c.senderKey, address, 0);
      this.senders.set(c.senderKey, q);
    }
    return q;
  }

  /** Unpools `e`; `forget` drops its sender's queue if that empties it. */
  private removeEntry(e: PoolEntry, forget = true): void {
    const q = this.senders.get(e.senderKey) as SenderQueue;
    this.mutate(q, () => q.remove(e.nonce));
    this.txs.delete(e.key);
    if (forget) this.forgetIfEmpty(q);
  }

  /** Moves the sender to `accountNonce`, unpooling the txs whose nonce is used. */
  private rebase(q: SenderQueue, accountNonce: number): void {
    for (const e of this.mutate(q, () => q.rebase(accountNonce))) this.txs.delete(e.key);
  }

  /** Runs a change of `q` and keeps the count buckets in step with it. */
  private mutate<T>(q: SenderQueue, change: () => T): T {
    const count = q.count;
    const hadFuture = q.futureCount > 0;
    const result = change();
    this.bySize.move(q.key, count, q.count);
    this.futureBySize.move(q.key, hadFuture ? count : 0, q.futureCount > 0 ? q.count : 0);
    return result;
  }

  /** Forgets a sender with nothing pooled or in flight, so senders cannot grow without bound. */
  private forgetIfEmpty(q: SenderQueue): void {
    if (q.isEmpty() && this.senders.get(q.key) === q) this.senders.delete(q.key);
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`mempool ${name}: expected a positive integer, got ${v}`);
  return v;
}
