/**
 * Clients waiting for their txs to become final (`tx_wait`): one timer per waiter, resolved
 * when a block including the tx commits. Bounded, so waiting can't be used to exhaust memory.
 */

/** Most concurrent waiters across all clients; beyond it `wait` answers at once with "not yet". */
export const MAX_TX_WAITERS = 10_000;

/** Registry of pending `tx_wait` calls, keyed by lower-case tx hash hex. */
export class TxWaiters {
  readonly #waiting = new Map<string, Set<(final: boolean) => void>>();
  #count = 0;

  /** Resolves true when `hash` is committed, false after `timeoutMs` (or when closing). */
  wait(hash: string, timeoutMs: number): Promise<boolean> {
    if (this.#count >= MAX_TX_WAITERS) return Promise.resolve(false);
    const key = hash.toLowerCase();
    return new Promise((resolve) => {
      let set = this.#waiting.get(key);
      if (!set) this.#waiting.set(key, (set = new Set()));
      const done = (final: boolean) => {
        clearTimeout(timer);
        if (set!.delete(done)) this.#count--;
        if (set!.size === 0 && this.#waiting.get(key) === set) this.#waiting.delete(key);
        resolve(final);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      set.add(done);
      this.#count++;
    });
  }

  /** Resolves the waiters of txs just committed. */
  committed(hashes: Iterable<string>): void {
    for (const h of hashes) {
      const set = this.#waiting.get(h.toLowerCase());
      if (set) for (const done of [...set]) done(true);
    }
  }

  /** Resolves every waiter with false (shutdown). */
  close(): void {
    for (const set of [...this.#waiting.values()]) for (const done of [...set]) done(false);
  }

  /** Number of pending waiters. */
  get size(): number {
    return this.#count;
  }
}
