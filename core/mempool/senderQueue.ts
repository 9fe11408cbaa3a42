import type { TxEnvelope } from '../execution/index.js';
import type { Address } from '../types.js';

/** One pooled tx with what the pool derived from it once, at admission. */
export interface PoolEntry {
  readonly env: TxEnvelope;
  /** Map key of the tx hash (latin1 string of its bytes). */
  readonly key: string;
  /** Map key of the sender address. */
  readonly senderKey: string;
  readonly nonce: number;
  /** What the tx takes from the sender's balance: a transfer's amount, else 0n. */
  readonly spend: bigint;
}

/**
 * One sender's pooled txs, kept sorted by nonce, plus the nonces whose signature check is in
 * flight. Its txs are "ready" while contiguous from the sender's account nonce (`base`); the
 * first gap makes every later tx "future". A queue holds at most the per-sender cap (64 by
 * default), so sorted-array inserts (binary search + splice) and linear recounts are cheaper
 * than any tree.
 */
export class SenderQueue {
  /** Map key of the sender address. */
  readonly key: string;
  readonly address: Address;
  /** The sender's committed account nonce, as last read by the pool. */
  private base: number;
  private readonly byNonce = new Map<number, PoolEntry>();
  /** Pooled nonces, ascending. */
  private readonly nonces: number[] = [];
  /** Length of the run of pooled nonces base, base+1, … */
  private ready = 0;
  /** Nonces reserved by adds awaiting their signature check. */
  private readonly inflight = new Set<number>();
  /** Sum of `spend` over pooled and in-flight txs: what the sender has already promised away. */
  private spent = 0n;

  constructor(key: string, address: Address, accountNonce: number) {
    this.key = key;
    this.address = address;
    this.base = accountNonce;
  }

  /** Number of pooled txs (in-flight ones excluded). */
  get count(): number {
    return this.nonces.length;
  }

  /** Number of pooled txs contiguous from the account nonce. */
  get readyCount(): number {
    return this.ready;
  }

  /** Number of pooled txs behind a nonce gap. */
  get futureCount(): number {
    return this.nonces.length - this.ready;
  }

  /** Number of adds of this sender awaiting their signature check. */
  get reservedCount(): number {
    return this.inflight.size;
  }

  /** The account nonce the readiness was computed against. */
  get accountNonce(): number {
    return this.base;
  }

  /** Balance promised to pooled and in-flight transfers. */
  get spending(): bigint {
    return this.spent;
  }

  /** Whether nothing is pooled or in flight (the pool then forgets the sender). */
  isEmpty(): boolean {
    return this.nonces.length === 0 && this.inflight.size === 0;
  }

  /** Whether `nonce` is pooled or reserved by an in-flight add. */
  hasNonce(nonce: number): boolean {
    return this.byNonce.has(nonce) || this.inflight.has(nonce);
  }

  /**
   * The next nonce the sender is expected to use: the first one from the account nonce that is
   * neither pooled nor in flight. In-flight nonces count, so a client sending a burst of
   * consecutive txs concurrently is not refused for a gap that its own earlier txs, still being
   * verified, are about to fill.
   */
  nextNonce(): number {
    let n = this.base;
    while (this.hasNonce(n)) n++;
    return n;
  }

  /** The i-th ready tx (i < readyCount), in nonce order. */
  readyAt(i: number): PoolEntry {
    return this.byNonce.get(this.nonces[i]) as PoolEntry;
  }

  /** The pooled tx with the highest nonce (the one to evict: the rest stays contiguous). */
  highest(): PoolEntry | undefined {
    const n = this.nonces.length;
    return n === 0 ? undefined : this.byNonce.get(this.nonces[n - 1]);
  }

  /** Pooled txs in nonce order. */
  entries(): PoolEntry[] {
    return this.nonces.map((n) => this.byNonce.get(n) as PoolEntry);
  }

  /** Holds `nonce` (and its spend) for an add awaiting its signature check. */
  reserve(nonce: number, spend: bigint): void {
    this.inflight.add(nonce);
    this.spent += spend;
  }

  /** Undoes `reserve`. */
  release(nonce: number, spend: bigint): void {
    if (this.inflight.delete(nonce)) this.spent -= spend;
  }

  /** Pools `e`; the caller has checked that its nonce is free and at least the account nonce. */
  insert(e: PoolEntry): void {
    let lo = 0;
    let hi = this.nonces.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nonces[mid] < e.nonce) lo = mid + 1;
      else hi = mid;
    }
    this.nonces.splice(lo, 0, e.nonce);
    this.byNonce.set(e.nonce, e);
    this.spent += e.spend;
    this.recount();
  }

  /** Drops the tx with `nonce`; later txs become future. Returns it, if it was pooled. */
  remove(nonce: number): PoolEntry | undefined {
    const e = this.byNonce.get(nonce);
    if (e === undefined) return undefined;
    this.byNonce.delete(nonce);
    this.nonces.splice(this.nonces.indexOf(nonce), 1);
    this.spent -= e.spend;
    this.recount();
    return e;
  }

  /**
   * Sets the account nonce (after a commit, or when admission reads a newer one), drops the
   * txs below it (their nonce is used) and recomputes readiness. Returns the dropped txs.
   */
  rebase(accountNonce: number): PoolEntry[] {
    if (accountNonce === this.base) return [];
    this.base = accountNonce;
    let k = 0;
    while (k < this.nonces.length && this.nonces[k] < accountNonce) k++;
    const dropped: PoolEntry[] = [];
    for (const n of this.nonces.splice(0, k)) {
      const e = this.byNonce.get(n) as PoolEntry;
      this.byNonce.delete(n);
      this.spent -= e.spend;
      dropped.push(e);
    }
    this.recount();
    return dropped;
  }

  /** Recomputes the ready run; nonces are sorted and unique, so it is the prefix equal to base+i. */
  private recount(): void {
    let i = 0;
    while (i < this.nonces.length && this.nonces[i] === this.base + i) i++;
    this.ready = i;
  }
}
