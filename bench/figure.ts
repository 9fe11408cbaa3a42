/** One measured figure of a benchmark suite, as written to `bench/results/<suite>.json`. */
export interface Figure {
  /** What was measured, e.g. "trie put 100k (memory) — medchain". */
  name: string;
  /** Unit of median/min/max, e.g. "ops/s", "ms", "tx/s". */
  unit: string;
  median: number;
  min: number;
  max: number;
  /** Number of repeats the median/min/max are taken over. */
  repeats: number;
  /** Whether a larger value is better (ops/s) or a smaller one (latency). */
  higherIsBetter: boolean;
  /** Name of the reference figure this one is compared to, measured in the same run. */
  reference?: string;
  /** This figure's median over the reference's median, oriented so > 1 means better. */
  ratio?: number;
  /** The target for this figure, in words, e.g. ">= 10x reference". */
  target?: string;
  /** Whether the target is met (when there is one). */
  met?: boolean;
  /**
   * Set on a figure kept from an earlier run of the suite (a run that did not measure it
   * again, e.g. another load workload): when and at which commit it was measured.
   */
  measured?: { date: string; commit: string };
}

/** A suite's entry point: runs its workloads (each with its reference) and returns figures. */
export type Suite = (args: readonly string[]) => Promise<Figure[]>;

/** Median/min/max of samples. */
export function summarize(samples: readonly number[]): { median: number; min: number; max: number } {
  if (samples.length === 0) throw new RangeError('no samples');
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

/** Builds a figure from samples. */
export function figure(
  name: string,
  unit: string,
  samples: readonly number[],
  opts: { higherIsBetter?: boolean; target?: string } = {},
): Figure {
  return {
    name,
    unit,
    ...summarize(samples),
    repeats: samples.length,
    higherIsBetter: opts.higherIsBetter ?? true,
    ...(opts.target ? { target: opts.target } : {}),
  };
}

/**
 * Sets `fig.ratio` against `ref` (oriented so > 1 is better) and, when `minRatio` is given,
 * whether the target is met.
 */
export function compareTo(fig: Figure, ref: Figure, minRatio?: number): Figure {
  fig.reference = ref.name;
  fig.ratio = fig.higherIsBetter ? fig.median / ref.median : ref.median / fig.median;
  if (minRatio !== undefined) {
    fig.target ??= `>= ${minRatio}x ${ref.name}`;
    fig.met = fig.ratio >= minRatio;
  }
  return fig;
}
