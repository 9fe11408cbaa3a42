/** Runs many seeds and collects failures and totals; honours SIM_SEED (replay one) and SIM_SEEDS (how many). */
import { describeScenario, randomScenario, type Scenario } from './scenario.js';
import { Simulation, type SimOptions, type SimResult } from './simulation.js';

/** Totals over a batch of runs. */
export interface BatchSummary {
  runs: number;
  failures: Array<{ seed: number; n: number; violation: string; scenario: string; trace: string[] }>;
  events: number;
  evidence: number;
  refusedSignatures: number;
  maxRound: number;
  worstRecoveryMs: number;
  commits: number;
}

/** Runs `count` seeds starting at `first` for `n` validators (or only SIM_SEED when set). */
export function runSeeds(n: number, first: number, count: number, opts: SimOptions = {}, tweak?: (s: Scenario) => Scenario): BatchSummary {
  const only = process.env.SIM_SEED;
  const onlyN = process.env.SIM_N;
  const sum: BatchSummary = { runs: 0, failures: [], events: 0, evidence: 0, refusedSignatures: 0, maxRound: 0, worstRecoveryMs: 0, commits: 0 };
  if (onlyN !== undefined && Number(onlyN) !== n) return sum;
  const seeds = only !== undefined ? [Number(only)] : Array.from({ length: count }, (_, k) => first + k);
  for (const seed of seeds) {
    let sc = randomScenario(seed, n);
    if (tweak) sc = tweak(sc);
    const res: SimResult = new Simulation(sc, { ...opts, trace: opts.trace ?? only !== undefined }).run();
    sum.runs++;
    sum.events += res.events;
    sum.evidence += res.evidence;
    sum.refusedSignatures += res.refusedSignatures;
    sum.maxRound = Math.max(sum.maxRound, res.maxRound);
    sum.worstRecoveryMs = Math.max(sum.worstRecoveryMs, res.recoveryMs ?? 0);
    sum.commits += Math.max(...res.heights);
    if (res.violation) {
      let trace = res.trace;
      if (trace.length === 0) trace = new Simulation(sc, { ...opts, trace: true }).run().trace;
      sum.failures.push({ seed, n, violation: res.violation, scenario: describeScenario(sc), trace });
    }
  }
  return sum;
}

/** A failure report with the replay command. */
export function formatFailures(file: string, sum: BatchSummary): string {
  return sum.failures
    .map((f) => `seed ${f.seed}: ${f.violation}\n  ${f.scenario}\n  replay: SIM_SEED=${f.seed} SIM_N=${f.n} npx vitest run ${file}\n  last events:\n    ${f.trace.slice(-60).join('\n    ')}`)
    .join('\n\n');
}
