import { describe, expect, it } from 'vitest';
import { VerifiedSigCache } from '../../../core/sigpool/index.js';

const hash = (i: number) => new Uint8Array(32).fill(i);

describe('VerifiedSigCache', () => {
  it('remembers hashes and is bounded, evicting the oldest first', () => {
    const c = new VerifiedSigCache(3);
    for (let i = 1; i <= 3; i++) c.add(hash(i));
    expect(c.has(hash(1))).toBe(true);
    c.add(hash(4));
    expect(c.size).toBe(3);
    expect(c.has(hash(1))).toBe(false);
    expect(c.has(hash(4))).toBe(true);
    c.add(hash(4)); // no duplicate
    expect(c.size).toBe(3);
  });

  it('stays bounded and FIFO through long churn and early deletes', () => {
    const c = new VerifiedSigCache(100);
    for (let i = 0; i < 10_000; i++) {
      c.add(hash(i % 251).map((b, j) => (j < 4 ? (i >> (8 * j)) & 0xff : b)));
      if (i % 7 === 0) c.delete(hash(0));
      expect(c.size).toBeLessThanOrEqual(100);
    }
    const key = (i: number) => hash(i % 251).map((b, j) => (j < 4 ? (i >> (8 * j)) & 0xff : b));
    expect(c.has(key(9_999))).toBe(true);
    expect(c.has(key(9_900))).toBe(true);
    expect(c.has(key(9_899))).toBe(false);
  });

  it('compares by value and forgets on delete/clear', () => {
    const c = new VerifiedSigCache();
    c.add(hash(9));
    expect(c.has(Uint8Array.from(hash(9)))).toBe(true);
    expect(c.delete(hash(9))).toBe(true);
    expect(c.has(hash(9))).toBe(false);
    c.add(hash(1));
    c.clear();
    expect(c.size).toBe(0);
  });

  it('answers false for non-hashes and refuses to add them', () => {
    const c = new VerifiedSigCache();
    expect(c.has(new Uint8Array(31))).toBe(false);
    expect(c.has('x' as unknown as Uint8Array)).toBe(false);
    expect(() => c.add(new Uint8Array(20))).toThrow(expect.objectContaining({ code: 'SIGPOOL_BAD_INPUT' }));
    expect(() => new VerifiedSigCache(0)).toThrow(RangeError);
  });
});
