/** Round timeouts grow by a delta per round (the paper's timeoutX(r)) up to their caps. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMEOUTS,
  MAX_TIMEOUT_PRECOMMIT_MS,
  MAX_TIMEOUT_PREVOTE_MS,
  MAX_TIMEOUT_PROPOSE_MS,
  timeoutMs,
  MAX_ROUND,
} from '../../../core/consensus/index.js';

describe('timeouts', () => {
  it('are base + delta·round', () => {
    expect([0, 1, 2].map((r) => timeoutMs(DEFAULT_TIMEOUTS, 'propose', r))).toEqual([3000, 3500, 4000]);
    expect([0, 1, 2].map((r) => timeoutMs(DEFAULT_TIMEOUTS, 'prevote', r))).toEqual([1000, 1500, 2000]);
    expect([0, 1, 2].map((r) => timeoutMs(DEFAULT_TIMEOUTS, 'precommit', r))).toEqual([1000, 1500, 2000]);
  });

  it('are capped, up to the highest round', () => {
    for (const r of [50, 10_000, MAX_ROUND]) {
      expect(timeoutMs(DEFAULT_TIMEOUTS, 'propose', r)).toBe(MAX_TIMEOUT_PROPOSE_MS);
      expect(timeoutMs(DEFAULT_TIMEOUTS, 'prevote', r)).toBe(MAX_TIMEOUT_PREVOTE_MS);
      expect(timeoutMs(DEFAULT_TIMEOUTS, 'precommit', r)).toBe(MAX_TIMEOUT_PRECOMMIT_MS);
    }
  });

  it('a capped round lasts at most 12 s, so two rounds fit in the 30 s recommit bound', () => {
    expect(MAX_TIMEOUT_PROPOSE_MS + MAX_TIMEOUT_PREVOTE_MS + MAX_TIMEOUT_PRECOMMIT_MS).toBeLessThanOrEqual(12_000);
  });
});
