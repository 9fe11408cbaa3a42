/**
 * Issue 8, test 3 (consensus part): round timeouts are capped, so when a lost quorum returns
 * the network commits again within 30 s without restarting anyone. Scenario (n = 4, all
 * honest): for 25 virtual minutes every proposal is lost, so rounds fail one after another
 * and climb past the caps; then for 5 minutes the validators are split 2 | 2 (no quorum);
 * then the network heals. Also with a fourth validator silent all along (the three others
 * split 1 | 2). A control run with uncapped timeouts shows the caps are what makes the bound
 * hold (its rounds are longer than 30 s by then).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '../../../../core/consensus/index.js';
import { describeScenario, randomScenario, type Scenario } from './scenario.js';
import { Simulation } from './simulation.js';

const MINUTE = 60_000;
/** Issue 8's bound on recommitting after the quorum returns. */
const RECOMMIT_BOUND_MS = 30_000;

function lostQuorum(seed: number): Scenario {
  return {
    ...randomScenario(seed, 4),
    powers: [1, 1, 1, 1],
    byzantine: [],
    crashes: [],
    loss: 0.05,
    dup: 0.05,
    delayMinMs: 5,
    delayMaxMs: 300,
    longDelayChance: 0,
    dropProposalsUntilMs: 25 * MINUTE,
    partitions: [{ from: 25 * MINUTE, to: 30 * MINUTE, side: [0, 1] }],
    faultEndMs: 30 * MINUTE,
    livenessHeights: 1,
    livenessBudgetMs: 10 * MINUTE,
  };
}

describe('lost quorum returns', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`seed ${seed}: every validator commits within 30 s of the quorum returning`, () => {
      const sc = lostQuorum(seed);
      const res = new Simulation(sc).run();
      expect(res.violation, describeScenario(sc)).toBeNull();
      expect(res.maxRound).toBeGreaterThan(20); // the rounds really climbed past the caps
      expect(res.recoveryMs).not.toBeNull();
      expect(res.recoveryMs!).toBeLessThan(RECOMMIT_BOUND_MS);
    });
  }

  for (const seed of [6, 7, 8]) {
    it(`seed ${seed}, one validator silent (Byzantine) throughout: still within 30 s`, () => {
      const sc: Scenario = { ...lostQuorum(seed), byzantine: [[3, 'silent']], partitions: [{ from: 25 * MINUTE, to: 30 * MINUTE, side: [0] }] };
      const res = new Simulation(sc).run();
      expect(res.violation, describeScenario(sc)).toBeNull();
      expect(res.recoveryMs!).toBeLessThan(RECOMMIT_BOUND_MS);
    });
  }

  it('control: with uncapped timeouts the same outage takes longer than 30 s to recover from', () => {
    const uncapped = { ...DEFAULT_TIMEOUTS, maxProposeMs: Number.MAX_SAFE_INTEGER, maxPrevoteMs: Number.MAX_SAFE_INTEGER, maxPrecommitMs: Number.MAX_SAFE_INTEGER };
    const res = new Simulation(lostQuorum(1), { timeouts: uncapped }).run();
    expect(res.violation).toBeNull(); // still safe and live, just slow
    expect(res.recoveryMs!).toBeGreaterThan(RECOMMIT_BOUND_MS);
  });
});
