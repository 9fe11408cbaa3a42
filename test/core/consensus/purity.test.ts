/**
 * Properties of `step` over random event sequences (fast-check): it never changes its input
 * state, it is deterministic (replaying the events gives the same states and actions), it never
 * asks to sign two different votes for one (height, round, type), heights never go back and
 * rounds never go back within a height.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VOTE_PRECOMMIT, VOTE_PREVOTE } from '../../../core/block/index.js';
import { initState, step, valueKey, type ConsensusAction, type ConsensusEvent, type ConsensusState } from '../../../core/consensus/index.js';
import { A, B, C, validators, vote } from './helpers.js';

const VALUES = [A, C, B(1), null];
const SIG = new Uint8Array(64);

const arbEvent: fc.Arbitrary<ConsensusEvent> = fc.oneof(
  fc.record({ h: fc.integer({ min: 1, max: 3 }), r: fc.integer({ min: 0, max: 4 }), v: fc.constantFrom(...VALUES), i: fc.integer({ min: 0, max: 4 }), t: fc.constantFrom(VOTE_PREVOTE, VOTE_PRECOMMIT) })
    .map(({ h, r, v, i, t }): ConsensusEvent => ({ type: 'vote', vote: vote(t, h, r, v, i) })),
  fc.record({ h: fc.integer({ min: 1, max: 3 }), r: fc.integer({ min: 0, max: 4 }), v: fc.constantFrom(A, C, B(1)), vr: fc.integer({ min: -1, max: 3 }), i: fc.integer({ min: 0, max: 3 }) })
    .map(({ h, r, v, vr, i }): ConsensusEvent => ({ type: 'proposal', proposal: { height: h, round: r, blockHash: v, validRound: vr, proposerIndex: i, signature: SIG } })),
  fc.record({ h: fc.integer({ min: 1, max: 3 }), r: fc.integer({ min: 0, max: 4 }), s: fc.constantFrom('propose' as const, 'prevote' as const, 'precommit' as const) })
    .map(({ h, r, s }): ConsensusEvent => ({ type: 'timeout', height: h, round: r, step: s })),
  fc.record({ h: fc.integer({ min: 1, max: 3 }), v: fc.constantFrom(A, C, B(1)), ok: fc.boolean() }).map(({ h, v, ok }): ConsensusEvent => ({ type: 'validated', height: h, blockHash: v, valid: ok })),
  fc.record({ h: fc.integer({ min: 1, max: 3 }), r: fc.integer({ min: 0, max: 4 }), v: fc.constantFrom(A, C) }).map(({ h, r, v }): ConsensusEvent => ({ type: 'proposalBlock', height: h, round: r, blockHash: v })),
);

function run(events: ConsensusEvent[], self: number | null): Array<{ state: ConsensusState; actions: ConsensusAction[] }> {
  let state = initState({ validators: validators([1, 1, 1, 1]), selfIndex: self, height: 1 });
  const out = [];
  for (const e of [{ type: 'start' } as ConsensusEvent, ...events]) {
    const r = step(state, e);
    out.push(r);
    state = r.state;
  }
  return out;
}

describe('step over random event sequences', () => {
  it('leaves its input untouched and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 60 }), fc.constantFrom(0, 1, null), (events, self) => {
        let state = initState({ validators: validators([1, 1, 1, 1]), selfIndex: self, height: 1 });
        for (const e of [{ type: 'start' } as ConsensusEvent, ...events]) {
          const snapshot = structuredClone(state);
          const r = step(state, e);
          expect(state).toEqual(snapshot);
          state = r.state;
        }
        expect(run(events, self)).toEqual(run(events, self));
      }),
      { numRuns: 300 },
    );
  });

  it('never asks to sign conflicting votes, and never goes back in height or round', () => {
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 80 }), (events) => {
        const signed = new Map<string, string>();
        let last = { height: 1, round: 0 };
        for (const { state, actions } of run(events, 0)) {
          for (const a of actions) {
            if (a.type !== 'signVote') continue;
            const k = `${a.vote.height}/${a.vote.round}/${a.vote.type}`;
            expect(signed.get(k) ?? valueKey(a.vote.blockHash)).toBe(valueKey(a.vote.blockHash));
            signed.set(k, valueKey(a.vote.blockHash));
          }
          expect(state.height).toBeGreaterThanOrEqual(last.height);
          if (state.height === last.height) expect(state.round).toBeGreaterThanOrEqual(last.round);
          last = { height: state.height, round: state.round };
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('core/consensus source', () => {
  it('has no clock, randomness, timers or I/O (design §1, style guide)', () => {
    const dir = new URL('../../../core/consensus/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const src = readFileSync(new URL(file, dir), 'utf8');
      expect(src, file).not.toMatch(/Date\.now|new Date|Math\.random|setTimeout|setInterval|performance\.now|process\.|from 'node:|from "node:/);
    }
  });
});
