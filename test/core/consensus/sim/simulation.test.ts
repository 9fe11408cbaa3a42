/**
 * Issue 8, test 1: deterministic simulation of the consensus state machine (no real time).
 * n = 4 and n = 7, random seeds, each a scenario of message delay, loss, duplication and
 * reordering, partitions, crashes and restarts, and up to f Byzantine validators that
 * equivocate or stay silent. Checked on every seed: no two honest validators commit different
 * blocks at a height, every commit certificate is real, no honest validator double-signs or
 * is accused of equivocation (safety); after the faults stop every honest validator commits
 * new heights (liveness).
 *
 * SIM_SEEDS=100000 runs more seeds (split between n = 4 and n = 7); SIM_FIRST_SEED moves the
 * range; SIM_SEED=… SIM_N=… replays one failing seed with its event trace.
 */
import { describe, expect, it } from 'vitest';
import { formatFailures, runSeeds } from './runSeeds.js';
import { randomScenario } from './scenario.js';
import { Simulation } from './simulation.js';

const FILE = 'test/core/consensus/sim/simulation.test.ts';
/** Seeds per CI run, both sizes together: ~15-25 s on a loaded 2-core machine. */
const DEFAULT_SEEDS = 1000;
const total = Number(process.env.SIM_SEEDS ?? DEFAULT_SEEDS);
const first = Number(process.env.SIM_FIRST_SEED ?? 1);
const replaying = process.env.SIM_SEED !== undefined;

describe('consensus simulation', () => {
  for (const n of [4, 7]) {
    const count = Math.ceil(total / 2);
    it(`n = ${n}: ${replaying ? `seed ${process.env.SIM_SEED}` : `${count} seeds from ${first}`} — safety on every seed, liveness after faults stop`, () => {
      const started = Date.now();
      const sum = runSeeds(n, first, count);
      if (sum.runs === 0) return; // SIM_N selects the other size
      if (sum.failures.length > 0) console.error(formatFailures(FILE, sum));
      console.info(
        `n=${n}: ${sum.runs} seeds, ${sum.failures.length} failing, ${sum.events} events, ${sum.commits} heights committed, ` +
          `max round ${sum.maxRound}, worst recovery ${sum.worstRecoveryMs} ms, ${sum.evidence} evidence reports, ` +
          `${sum.refusedSignatures} signatures refused by the SafetyGuard, ${Date.now() - started} ms`,
      );
      expect(sum.failures.map((f) => `${f.seed}: ${f.violation}`)).toEqual([]);
      if (!replaying && sum.runs >= 100) {
        // The fault model is really exercised: equivocation is detected, restarts hit the guard.
        expect(sum.evidence).toBeGreaterThan(0);
        expect(sum.refusedSignatures).toBeGreaterThan(0);
      }
    }, 3_600_000);
  }

  it('replays a seed exactly (same events, same trace)', () => {
    const a = new Simulation(randomScenario(42, 4), { trace: true }).run();
    const b = new Simulation(randomScenario(42, 4), { trace: true }).run();
    expect(a).toEqual(b);
    expect(a.events).toBeGreaterThan(100);
  });

  it('the safety check is not vacuous: beyond the model (2 forking Byzantine of 4) it finds a fork', () => {
    let fork: string | null = null;
    for (let seed = 1; seed <= 300 && fork === null; seed++) {
      const sc = randomScenario(seed, 4);
      const res = new Simulation({ ...sc, powers: [1, 1, 1, 1], byzantine: [[0, 'fork'], [1, 'fork']], crashes: sc.crashes.filter((c) => c.node > 1) }).run();
      if (res.violation?.startsWith('SAFETY')) fork = `seed ${seed}: ${res.violation}`;
    }
    expect(fork).toMatch(/^seed \d+: SAFETY: validator \d committed/);
  }, 120_000);
});
