import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../core/ratelimit/tokenBucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const b = new TokenBucket(10, 3, () => now);
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
    expect(b.retryAfterMs()).toBe(100);
    now = 100;
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    now = 10_000;
    expect([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()]).toEqual([true, true, true, false]);
  });

  it('an infinite rate never refuses', () => {
    const b = new TokenBucket(Infinity, 1, () => 0);
    for (let i = 0; i < 1000; i++) expect(b.tryTake()).toBe(true);
  });
});
