import Benchmark from 'benchmark';
import { figure, type Figure } from './figure.js';

/**
 * ops/s of a synchronous function with benchmark.js; median/min/max over its samples
 * (each sample is a timed batch of calls).
 */
export function opsPerSec(name: string, fn: () => void, opts: { minSamples?: number; maxTime?: number } = {}): Figure {
  const bench = new Benchmark(name, fn, {
    minSamples: opts.minSamples ?? 10,
    maxTime: opts.maxTime ?? 2,
  });
  bench.run({ async: false });
  if (bench.error) throw bench.error;
  const samples = bench.stats.sample.map((secondsPerOp) => 1 / secondsPerOp);
  const fig = figure(name, 'ops/s', samples);
  printFigure(fig, `±${bench.stats.rme.toFixed(2)}%`);
  return fig;
}

/** Runs `once` `repeats` times (after `warmup` unmeasured runs); each run returns its figure value. */
export async function repeat(
  name: string,
  unit: string,
  repeats: number,
  once: () => Promise<number> | number,
  opts: { warmup?: number; higherIsBetter?: boolean; target?: string } = {},
): Promise<Figure> {
  for (let i = 0; i < (opts.warmup ?? 0); i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) samples.push(await once());
  const fig = figure(name, unit, samples, opts);
  printFigure(fig);
  return fig;
}

/** Milliseconds elapsed since `start` (from `process.hrtime.bigint()`). */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Prints one figure line as it is measured. */
export function printFigure(fig: Figure, extra = ''): void {
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(3));
  const ratio = fig.ratio !== undefined ? `  ${fig.ratio.toFixed(2)}x vs ${fig.reference}` : '';
  const met = fig.met === undefined ? '' : fig.met ? '  [target met]' : `  [target NOT met: ${fig.target}]`;
  console.log(
    `  ${fig.name}: ${fmt(fig.median)} ${fig.unit} ${extra} (min ${fmt(fig.min)}, max ${fmt(fig.max)}, n=${fig.repeats})${ratio}${met}`,
  );
}
