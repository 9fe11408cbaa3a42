import { describe, expect, it } from 'vitest';
import { Histogram } from '../../../bench/load/histogram.js';

/** Nearest-rank percentile of sorted values: the value at rank ceil(p/100 · n). */
function reference(sorted: number[], p: number): number {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/** A deterministic PRNG (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const PERCENTILES = [0.1, 1, 10, 50, 90, 99, 99.9, 99.99, 100];

describe('Histogram', () => {
  const distributions: Record<string, (r: () => number) => number> = {
    'uniform 0–10 ms': (r) => r() * 10,
    'sub-millisecond': (r) => r() * 0.3,
    'log-normal around 100 ms': (r) => Math.exp(Math.log(100) + 1.5 * Math.sqrt(-2 * Math.log(r() || 1e-12)) * Math.cos(2 * Math.PI * r())),
    'bimodal with a 30 s tail': (r) => (r() < 0.99 ? 5 + r() * 20 : 30_000 + r() * 1000),
  };
  for (const [name, draw] of Object.entries(distributions)) {
    it(`matches a sorted-array reference within 1/128 for ${name}`, () => {
      const r = rng(name.length);
      const h = new Histogram();
      // The histogram stores whole microseconds; the reference uses the same rounding.
      const values = Array.from({ length: 20_000 }, () => Math.round(draw(r) * 1000) / 1000);
      values.forEach((v) => h.record(v));
      const sorted = [...values].sort((a, b) => a - b);
      for (const p of PERCENTILES) {
        const want = reference(sorted, p);
        const got = h.percentile(p);
        expect(got, `p${p}`).toBeGreaterThanOrEqual(want - 1e-9);
        expect(got, `p${p}`).toBeLessThanOrEqual(want * (1 + 1 / 128) + 1e-9);
      }
      expect(h.max).toBe(sorted.at(-1));
      expect(h.min).toBe(sorted[0]);
      expect(h.count).toBe(values.length);
      expect(h.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3);
    });
  }

  it('is exact below 256 µs and for a single value', () => {
    const h = new Histogram();
    h.record(0.123);
    expect(h.percentile(50)).toBe(0.123);
    h.record(1234.5678);
    expect(h.percentile(100)).toBe(1234.568);
  });

  it('answers 0 when empty, clamps negatives to 0 and huge values to ~71 min', () => {
    const h = new Histogram();
    expect([h.percentile(99), h.max, h.min, h.mean, h.count]).toEqual([0, 0, 0, 0, 0]);
    h.record(-5);
    h.record(1e12);
    expect(h.min).toBe(0);
    expect(h.max).toBe((2 ** 32 - 1) / 1000);
  });

  it('merges into the same percentiles as recording everything in one', () => {
    const r = rng(7);
    const a = new Histogram();
    const b = new Histogram();
    const all = new Histogram();
    for (let i = 0; i < 5000; i++) {
      const v = r() * 500;
      (i % 2 ? a : b).record(v);
      all.record(v);
    }
    a.merge(b);
    for (const p of PERCENTILES) expect(a.percentile(p)).toBe(all.percentile(p));
    expect([a.count, a.max, a.min]).toEqual([all.count, all.max, all.min]);
  });

  it('rejects percentiles outside (0, 100]', () => {
    const h = new Histogram();
    expect(() => h.percentile(0)).toThrow(RangeError);
    expect(() => h.percentile(100.1)).toThrow(RangeError);
    expect(() => h.percentile(Number.NaN)).toThrow(RangeError);
  });
});
