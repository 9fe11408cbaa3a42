/**
 * Senders bucketed by how many txs they hold, so the pool finds "the sender holding the most"
 * in O(per-sender cap) instead of scanning every sender when it must evict. Within a bucket,
 * keys keep the order in which they reached that count (Set insertion order), so the choice is
 * deterministic given the same history.
 */
export class CountBuckets {
  private readonly buckets: Array<Set<string>>;

  /** `maxCount` is the largest count a key can have (the per-sender cap). */
  constructor(maxCount: number) {
    this.buckets = Array.from({ length: maxCount + 1 }, () => new Set<string>());
  }

  /** Moves `key` from the bucket of count `from` to that of count `to` (0 = absent). */
  move(key: string, from: number, to: number): void {
    if (from === to) return;
    if (from > 0) this.buckets[from].delete(key);
    if (to > 0) this.buckets[to].add(key);
  }

  /** The key with the highest count, counts ≤ `atMost` ignored, skipping `except`. */
  largest(except: string, atMost: number): string | undefined {
    for (let c = this.buckets.length - 1; c > atMost; c--) {
      for (const key of this.buckets[c]) {
        if (key !== except) return key;
      }
    }
    return undefined;
  }
}
