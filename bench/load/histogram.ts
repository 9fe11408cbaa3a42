/**
 * An HDR-style log-linear latency histogram (Gil Tene's HdrHistogram layout, no dependency):
 * exact buckets below 2^(SUB_BITS+1) µs, then 2^SUB_BITS linear sub-buckets per power of two,
 * so any recorded value is known to within 1/2^SUB_BITS (0.8%) of itself. Recording is O(1)
 * and allocation-free; memory is fixed (~27 KB) however many values are recorded.
 */

/** Sub-bucket bits: 128 sub-buckets per octave bound the relative error at 1/128 ≈ 0.8%. */
const SUB_BITS = 7;
const SUB_COUNT = 1 << SUB_BITS;
/** Values below this (256 µs) get one exact bucket each. */
const LINEAR_LIMIT = SUB_COUNT << 1;
/** Largest recordable value in µs (2^32 − 1 ≈ 71 min); larger values are clamped to it. */
const HIGHEST_US = 2 ** 32 - 1;
/** Octaves above the linear range up to 2^32. */
const OCTAVES = 32 - (SUB_BITS + 1);
const BUCKETS = LINEAR_LIMIT + OCTAVES * SUB_COUNT;

function indexOf(us: number): number {
  if (us < LINEAR_LIMIT) return us;
  const e = 31 - Math.clz32(us); // floor(log2(us)), ≥ SUB_BITS + 1
  const shift = e - SUB_BITS;
  return LINEAR_LIMIT + (e - SUB_BITS - 1) * SUB_COUNT + ((us >>> shift) - SUB_COUNT);
}

/** The largest value (µs) that falls in bucket `i` (HdrHistogram's "highest equivalent value"). */
function highestOf(i: number): number {
  if (i < LINEAR_LIMIT) return i;
  const octave = Math.floor((i - LINEAR_LIMIT) / SUB_COUNT);
  const sub = (i - LINEAR_LIMIT) % SUB_COUNT;
  const shift = octave + 1;
  return ((SUB_COUNT + sub + 1) * 2 ** shift) - 1;
}

/** A latency histogram in milliseconds with microsecond resolution. */
export class Histogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sumUs = 0;
  #maxUs = 0;
  #minUs = Infinity;

  /** Records one latency in milliseconds (negative values count as 0). */
  record(ms: number): void {
    const us = Math.min(HIGHEST_US, Math.max(0, Math.round(ms * 1000)));
    this.#counts[indexOf(us)]++;
    this.#count++;
    this.#sumUs += us;
    if (us > this.#maxUs) this.#maxUs = us;
    if (us < this.#minUs) this.#minUs = us;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.#count;
  }

  /** Largest recorded value (exact), ms; 0 when empty. */
  get max(): number {
    return this.#maxUs / 1000;
  }

  /** Smallest recorded value (exact), ms; 0 when empty. */
  get min(): number {
    return this.#count === 0 ? 0 : this.#minUs / 1000;
  }

  /** Mean of the recorded values, ms; 0 when empty. */
  get mean(): number {
    return this.#count === 0 ? 0 : this.#sumUs / this.#count / 1000;
  }

  /**
   * The p-th percentile (0 < p ≤ 100), nearest-rank: the value at rank ceil(p/100 · n) of the
   * sorted values, reported as its bucket's highest value (never below the true value, at most
   * 0.8% above it) and never above the exact max. 0 when empty.
   */
  percentile(p: number): number {
    if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i];
      if (seen >= rank) return Math.min(highestOf(i), this.#maxUs) / 1000;
    }
    return this.#maxUs / 1000;
  }

  /** Adds every value of `other` into this histogram. */
  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.#counts[i] += other.#counts[i];
    this.#count += other.#count;
    this.#sumUs += other.#sumUs;
    this.#maxUs = Math.max(this.#maxUs, other.#maxUs);
    this.#minUs = Math.min(this.#minUs, other.#minUs);
  }
}
