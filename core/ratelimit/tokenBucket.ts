/**
 * A token bucket for per-connection request rates: `ratePerSecond` tokens refill continuously up
 * to `burst`; each request takes one. Refusing is O(1) and allocation-free, so a flooding client
 * costs little more than the parse of its frames.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `now` returns milliseconds (injectable for tests); the bucket starts full. */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes one token if there is one. */
  tryTake(): boolean {
    if (this.ratePerSecond === Infinity) return true;
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until the next token is available (0 when one is). */
  retryAfterMs(): number {
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond);
  }
}
