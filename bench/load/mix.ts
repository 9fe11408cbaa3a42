/** Splits the senders among the workloads of a mix, interleaved so every connection carries the mix. */
import type { MixEntry } from './args.js';
import type { WorkloadName } from './workloads/index.js';

/** The workload of each of `n` senders (smooth weighted round-robin, as nginx balances upstreams). */
export function assignWorkloads(mix: readonly MixEntry[], n: number): WorkloadName[] {
  const total = mix.reduce((a, e) => a + e.weight, 0);
  const current = mix.map(() => 0);
  const out: WorkloadName[] = [];
  for (let i = 0; i < n; i++) {
    let best = 0;
    mix.forEach((e, k) => {
      current[k] += e.weight;
      if (current[k] > current[best]) best = k;
    });
    current[best] -= total;
    out.push(mix[best].name);
  }
  // Every workload of the mix gets at least one sender, or it would silently not run.
  for (const e of mix) if (!out.includes(e.name) && n > 0) out[out.length - 1 - mix.indexOf(e)] = e.name;
  return out;
}

/** `transfer=60,consent=20` as given (normalised), for labels. */
export function mixLabel(mix: readonly MixEntry[]): string {
  return mix.map((e) => `${e.name}=${e.weight}`).join(',');
}
