/**
 * A simulation scenario: the validator set, who is Byzantine and how, and the faults of the
 * fault phase (message loss, duplication, delay/reordering, partitions, crashes). Generated
 * from the seed alone, so printing the seed is enough to replay a run.
 */
import { Prng } from './prng.js';

/** How a Byzantine validator misbehaves. */
export type ByzantineMode =
  /** Sends nothing at all. */
  | 'silent'
  /** Runs the algorithm but signs two values at every step (proposals and votes), sending each to part of the network, plus stray votes in later rounds. */
  | 'equivocate'
  /** Like 'equivocate', but splits the network the same way every time (even / odd indices): the classic fork attempt. */
  | 'fork';

/** One crash of an honest validator and its restart (before the faults stop). */
export interface Crash {
  node: number;
  at: number;
  restartAt: number;
}

/** A window in which messages between `side` and the rest are dropped. */
export interface Partition {
  from: number;
  to: number;
  side: number[];
}

/** Everything that varies between runs. Times in virtual milliseconds. */
export interface Scenario {
  seed: number;
  n: number;
  powers: number[];
  byzantine: Array<[number, ByzantineMode]>;
  /** Network faults and crashes happen only before this time; the network is then timely and reliable. */
  faultEndMs: number;
  loss: number;
  dup: number;
  delayMinMs: number;
  delayMaxMs: number;
  /** Chance of a much longer delay (reordering past later messages), during the fault phase. */
  longDelayChance: number;
  longDelayMaxMs: number;
  /** Delay bound after the faults stop (the paper's Δ after GST). */
  goodDelayMaxMs: number;
  crashes: Crash[];
  partitions: Partition[];
  /** Proposals sent before this time are lost (forces round after round of timeouts: rounds climb). */
  dropProposalsUntilMs: number;
  /** Longest time the app takes to build or validate a block. */
  appDelayMaxMs: number;
  /** New heights every honest validator must commit after the faults stop. */
  livenessHeights: number;
  /** Virtual time allowed for that after the faults stop. */
  livenessBudgetMs: number;
}

/** The largest number of validators that may be Byzantine in a set of `n` (n ≥ 3f + 1). */
export function maxFaulty(n: number): number {
  return Math.floor((n - 1) / 3);
}

/** The scenario of `seed` for `n` validators. */
export function randomScenario(seed: number, n: number): Scenario {
  const r = new Prng(seed ^ 0x5eed_cafe);
  const powers = r.chance(0.7) ? new Array<number>(n).fill(1) : Array.from({ length: n }, () => r.int(1, 4));
  const total = powers.reduce((a, b) => a + b, 0);
  const byzCount = r.int(0, maxFaulty(n));
  const byzantine: Array<[number, ByzantineMode]> = [];
  let byzPower = 0;
  for (const i of r.shuffle([...powers.keys()])) {
    if (byzantine.length >= byzCount) break;
    // Byzantine power must stay below a third of the total (the paper's n > 3f by power).
    if ((byzPower + powers[i]) * 3 >= total) continue;
    byzPower += powers[i];
    byzantine.push([i, r.pick(['silent', 'equivocate', 'fork'] as const)]);
  }
  byzantine.sort((a, b) => a[0] - b[0]);
  const honest = [...powers.keys()].filter((i) => !byzantine.some(([b]) => b === i));
  const faultEndMs = r.int(2_000, 40_000);
  const delayMinMs = r.int(1, 20);
  const crashes: Crash[] = [];
  const crashCount = r.pick([0, 0, 1, 2, 3]);
  for (let k = 0; k < crashCount; k++) {
    const at = r.int(0, faultEndMs - 1);
    crashes.push({ node: r.pick(honest), at, restartAt: Math.min(faultEndMs, at + r.int(50, 15_000)) });
  }
  const partitions: Partition[] = [];
  if (r.chance(0.3)) {
    const from = r.int(0, faultEndMs - 1);
    const side = r.shuffle([...powers.keys()]).slice(0, r.int(1, Math.floor(n / 2)));
    partitions.push({ from, to: Math.min(faultEndMs, from + r.int(500, 20_000)), side: side.sort((a, b) => a - b) });
  }
  return {
    seed,
    n,
    powers,
    byzantine,
    faultEndMs,
    loss: r.pick([0, 0.02, 0.1, 0.3, 0.6]),
    dup: r.pick([0, 0.05, 0.3]),
    delayMinMs,
    delayMaxMs: delayMinMs + r.pick([10, 100, 500, 2_000]),
    longDelayChance: r.pick([0, 0.02, 0.1]),
    longDelayMaxMs: 8_000,
    goodDelayMaxMs: 200,
    crashes,
    partitions,
    dropProposalsUntilMs: r.chance(0.1) ? r.int(0, faultEndMs) : 0,
    appDelayMaxMs: r.pick([0, 5, 50, 400]),
    livenessHeights: 2,
    livenessBudgetMs: 150_000,
  };
}

/** A one-line description for failure reports. */
export function describeScenario(s: Scenario): string {
  const byz = s.byzantine.map(([i, m]) => `${i}:${m}`).join(',') || 'none';
  return (
    `n=${s.n} powers=[${s.powers}] byzantine=${byz} faultEnd=${s.faultEndMs}ms loss=${s.loss} dup=${s.dup} ` +
    `delay=${s.delayMinMs}-${s.delayMaxMs}ms long=${s.longDelayChance} crashes=${JSON.stringify(s.crashes)} ` +
    `partitions=${JSON.stringify(s.partitions)} dropProposalsUntil=${s.dropProposalsUntilMs}ms app<=${s.appDelayMaxMs}ms`
  );
}
