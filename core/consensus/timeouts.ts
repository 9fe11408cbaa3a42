/**
 * Round timeouts (Algorithm 1 lines 21, 35, 48): timeoutX(r) = initTimeoutX + r·timeoutDelta,
 * as in the paper, but capped. The paper lets timeouts grow without bound so that they
 * eventually exceed the unknown message delay after GST; medchain's validators are a known
 * consortium on ordinary networks, so the caps below are far above any real delay, and they
 * bound how long a network that lost its quorum for a long time (and so climbed many rounds)
 * waits once the quorum is back: a capped round lasts at most 6 + 3 + 3 = 12 s, so the rounds
 * in flight when the quorum returns end within one capped round and the next round whose
 * proposer is up commits — under 30 s (issue 8, test 3; the simulation checks it).
 */
import type { Step } from './types.js';

/** Wait for a proposal in round 0: time for the proposer to build (execute a full block) and gossip it. */
export const TIMEOUT_PROPOSE_MS = 3000;
/** Extra propose wait per round: a slow proposer or network gets more time each failed round (CometBFT's default). */
export const TIMEOUT_PROPOSE_DELTA_MS = 500;
/** Wait after 2f+1 prevotes for any value (line 34) for the rest to arrive before precommitting nil. */
export const TIMEOUT_PREVOTE_MS = 1000;
/** Extra prevote wait per round. */
export const TIMEOUT_PREVOTE_DELTA_MS = 500;
/** Wait after 2f+1 precommits for any value (line 47) before moving to the next round. */
export const TIMEOUT_PRECOMMIT_MS = 1000;
/** Extra precommit wait per round. */
export const TIMEOUT_PRECOMMIT_DELTA_MS = 500;
/** Cap of the propose timeout (reached at round 6): twice round 0's, ample for a 16 MiB block on a slow link. */
export const MAX_TIMEOUT_PROPOSE_MS = 6000;
/** Cap of the prevote timeout (reached at round 4): votes are ~150 bytes, 3 s is far above any consortium RTT. */
export const MAX_TIMEOUT_PREVOTE_MS = 3000;
/** Cap of the precommit timeout (reached at round 4), same reason as the prevote cap. */
export const MAX_TIMEOUT_PRECOMMIT_MS = 3000;

/** Base, per-round growth and cap of each timeout, in milliseconds. */
export interface TimeoutConfig {
  proposeMs: number;
  proposeDeltaMs: number;
  maxProposeMs: number;
  prevoteMs: number;
  prevoteDeltaMs: number;
  maxPrevoteMs: number;
  precommitMs: number;
  precommitDeltaMs: number;
  maxPrecommitMs: number;
}

/** medchain's timeouts (the constants above). */
export const DEFAULT_TIMEOUTS: Readonly<TimeoutConfig> = Object.freeze({
  proposeMs: TIMEOUT_PROPOSE_MS,
  proposeDeltaMs: TIMEOUT_PROPOSE_DELTA_MS,
  maxProposeMs: MAX_TIMEOUT_PROPOSE_MS,
  prevoteMs: TIMEOUT_PREVOTE_MS,
  prevoteDeltaMs: TIMEOUT_PREVOTE_DELTA_MS,
  maxPrevoteMs: MAX_TIMEOUT_PREVOTE_MS,
  precommitMs: TIMEOUT_PRECOMMIT_MS,
  precommitDeltaMs: TIMEOUT_PRECOMMIT_DELTA_MS,
  maxPrecommitMs: MAX_TIMEOUT_PRECOMMIT_MS,
});

/** The timeout of `step` in `round`: base + delta·round, at most the cap. */
export function timeoutMs(config: Readonly<TimeoutConfig>, step: Step, round: number): number {
  switch (step) {
    case 'propose':
      return Math.min(config.proposeMs + config.proposeDeltaMs * round, config.maxProposeMs);
    case 'prevote':
      return Math.min(config.prevoteMs + config.prevoteDeltaMs * round, config.maxPrevoteMs);
    case 'precommit':
      return Math.min(config.precommitMs + config.precommitDeltaMs * round, config.maxPrecommitMs);
  }
}

/** Checks a timeout config: non-negative safe integers, each base at most its cap. Returns a message or null. */
export function timeoutConfigProblem(config: Readonly<TimeoutConfig>): string | null {
  for (const [k, v] of Object.entries(config)) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return `timeouts.${k} must be a non-negative integer`;
  }
  if (config.proposeMs > config.maxProposeMs) return 'timeouts.proposeMs exceeds maxProposeMs';
  if (config.prevoteMs > config.maxPrevoteMs) return 'timeouts.prevoteMs exceeds maxPrevoteMs';
  if (config.precommitMs > config.maxPrecommitMs) return 'timeouts.precommitMs exceeds maxPrecommitMs';
  return null;
}
