/**
 * What the machine does with messages beyond Algorithm 1's rules: duplicates, unknown
 * validators, wrong proposers, old and future heights (buffered, bounded), far-future rounds
 * (bounded per validator), equivocation (evidence, counting), voting power, non-validators,
 * bad events and bad configuration.
 */
import { describe, expect, it } from 'vitest';
import {
  ConsensusError,
  initState,
  logChanged,
  MAX_BUFFERED_PER_VALIDATOR,
  MAX_FUTURE_ROUNDS_PER_VALIDATOR,
  MAX_ROUND,
  step,
} from '../../../core/consensus/index.js';
import { MAX_VALIDATORS } from '../../../core/block/index.js';
import { A, B, C, Machine, precommit, prevote, proposal, timeout, validated, validators, vote, VOTE_PRECOMMIT, VOTE_PREVOTE } from './helpers.js';

const START = { type: 'start' } as const;

describe('message intake', () => {
  it('counts a duplicate vote once', () => {
    const m = new Machine();
    m.feed(START, timeout(1, 0, 'propose'), prevote(1, 0, null, 1), prevote(1, 0, null, 1), prevote(1, 0, null, 2), prevote(1, 0, null, 2));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]); // no precommit: 2 distinct validators only
    expect(m.state.rounds.get(0)!.prevotes.power).toBe(2);
  });

  it('drops votes from unknown validators and proposals from anyone but the round proposer', () => {
    const m = new Machine();
    m.feed(START);
    const before = m.state;
    m.feed(prevote(1, 0, A, 4), prevote(1, 0, A, 99), proposal(1, 0, A, -1, 2), proposal(1, 0, A, -1, 7));
    expect(m.last).toEqual([]);
    expect(m.state.rounds).toEqual(before.rounds);
  });

  it('drops proposals whose validRound is not below their round', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, 0, 1), proposal(1, 0, A, 3, 1));
    expect(m.state.rounds.get(0)?.proposal ?? null).toBeNull();
  });

  it('keeps the first proposal of a round; a second, different one does not replace it', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), proposal(1, 0, C, -1, 1));
    expect(m.state.rounds.get(0)!.proposal!.blockHash).toEqual(A);
    expect(m.of('validate')).toHaveLength(1);
  });

  it('drops messages of old heights and of heights beyond the next', () => {
    const m = new Machine({ height: 5 });
    m.feed(START, prevote(4, 0, A, 1), precommit(4, 0, A, 2), prevote(7, 0, A, 1), proposal(4, 0, A, -1, 0));
    expect(m.state.rounds.size).toBe(0);
    expect(m.state.nextHeight).toEqual([]);
  });

  it('buffers next-height messages and replays them when the height is decided', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A));
    // height 2, round 0: proposer is validator 2; all its messages arrive early
    m.feed(proposal(2, 0, C, -1, 2), precommit(2, 0, C, 1), precommit(2, 0, C, 2), precommit(2, 0, C, 3));
    expect(m.state.nextHeight).toHaveLength(4);
    m.feed(precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.of('commit').map((c) => c.height)).toEqual([1]);
    expect(m.of('validate')).toEqual([{ type: 'validate', height: 2, round: 0, blockHash: C }]);
    m.feed(validated(2, C));
    expect(m.of('commit').map((c) => c.height)).toEqual([2]);
    expect(m.state.height).toBe(3);
  });

  it('holds next-height messages from indexes beyond this set (governance may grow the next one), up to MAX_VALIDATORS', () => {
    const m = new Machine(); // 4 validators
    m.feed(START, proposal(2, 0, C, -1, 6), prevote(2, 0, C, 5), prevote(2, 0, C, MAX_VALIDATORS - 1), prevote(2, 0, C, MAX_VALIDATORS), proposal(2, 0, C, -1, MAX_VALIDATORS));
    expect(m.state.nextHeight.map((b) => (b.type === 'vote' ? b.vote.validatorIndex : b.proposal.proposerIndex))).toEqual([6, 5, MAX_VALIDATORS - 1]);
    // decided under the same set, they are checked against it on replay: none of them enters
    m.feed(proposal(1, 0, A, -1, 1), validated(1, A), precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.state.height).toBe(2);
    expect(m.state.rounds.get(0)?.proposal ?? null).toBeNull();
    expect(m.state.rounds.get(0)?.prevotes.power ?? 0).toBe(0);
  });

  it('buffers at most MAX_BUFFERED_PER_VALIDATOR next-height messages per validator, and no duplicates', () => {
    const m = new Machine();
    m.feed(START);
    for (let r = 0; r < 3 * MAX_BUFFERED_PER_VALIDATOR; r++) m.feed(prevote(2, r, A, 1), prevote(2, r, A, 1));
    m.feed(prevote(2, 0, A, 2));
    expect(m.state.nextHeight.filter((b) => b.type === 'vote' && b.vote.validatorIndex === 1)).toHaveLength(MAX_BUFFERED_PER_VALIDATOR);
    expect(m.state.nextHeight).toHaveLength(MAX_BUFFERED_PER_VALIDATOR + 1); // validator 2 still has room
  });

  it('keeps a validator’s messages in at most MAX_FUTURE_ROUNDS_PER_VALIDATOR rounds ahead', () => {
    const m = new Machine();
    m.feed(START);
    for (let r = 10; r < 20; r++) m.feed(prevote(1, r, A, 1), precommit(1, r, A, 1));
    const rounds = [...m.state.rounds.keys()].filter((r) => r > 0);
    expect(rounds).toHaveLength(MAX_FUTURE_ROUNDS_PER_VALIDATOR);
    m.feed(prevote(1, 10, null, 2)); // validator 2 has its own allowance: round 10 now has f+1
    expect(m.state.round).toBe(10);
  });

  it('drops rounds beyond MAX_ROUND', () => {
    const m = new Machine();
    m.feed(START, prevote(1, MAX_ROUND + 1, A, 1), prevote(1, MAX_ROUND + 1, A, 2));
    expect(m.state.rounds.size).toBe(0);
  });

  it('reports an equivocation once per validator and step, with both signed votes', () => {
    const m = new Machine();
    m.feed(START, prevote(1, 0, A, 3), prevote(1, 0, C, 3), prevote(1, 0, null, 3), precommit(1, 0, A, 3), precommit(1, 0, B(1), 3));
    const ev = m.of('evidence');
    expect(ev).toHaveLength(2);
    expect(ev[0].evidence.vote1).toEqual(vote(VOTE_PREVOTE, 1, 0, A, 3));
    expect(ev[0].evidence.vote2).toEqual(vote(VOTE_PREVOTE, 1, 0, C, 3));
    expect(ev[1].evidence.vote2.type).toBe(VOTE_PRECOMMIT);
  });

  it("counts an equivocator's second vote toward a proposed value or nil, never twice toward any", () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A));
    m.feed(prevote(1, 0, C, 3), prevote(1, 0, A, 3), prevote(1, 0, B(7), 3), prevote(1, 0, null, 3));
    const set = m.state.rounds.get(0)!.prevotes;
    expect(set.power).toBe(1);
    expect(Object.fromEntries(set.tally)).toMatchObject({ ['0x' + 'cc'.repeat(32)]: 1, ['0x' + 'aa'.repeat(32)]: 1, nil: 1 });
    expect(set.tally.has('0x' + '07'.repeat(32))).toBe(false); // never proposed: not kept
    // validator 3's vote for A completes the quorum with 0 (own, fed back) and 1
    m.feed(prevote(1, 0, A, 0), prevote(1, 0, A, 1));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, 0xaa]]);
  });

  it('weighs votes by power: 2f+1 is more than 2/3 of the total power', () => {
    const m = new Machine({ powers: [3, 1, 1, 1], selfIndex: 1 }); // total 6: a quorum needs 5
    m.feed(START, timeout(1, 0, 'propose'), prevote(1, 0, null, 1), prevote(1, 0, null, 2), prevote(1, 0, null, 3));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]);
    m.feed(prevote(1, 0, null, 0));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, null]]);
  });

  it('a non-validator follows consensus without ever voting or proposing', () => {
    const m = new Machine({ selfIndex: null });
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A), prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3));
    m.feed(precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.all.filter((a) => a.type === 'signVote' || a.type === 'signProposal' || a.type === 'propose')).toEqual([]);
    expect(m.all.filter((a) => a.type === 'commit')).toHaveLength(1);
  });

  it('logs messages received before start and acts on them at start', () => {
    const m = new Machine();
    m.feed(proposal(1, 0, A, -1, 1), validated(1, A));
    expect(m.votes()).toEqual([]);
    m.feed(START);
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, 0xaa]]);
  });

  it('a restarted proposer that replays its own signed proposal does not propose again', () => {
    const m = new Machine({ selfIndex: 1 });
    m.feed(proposal(1, 0, A, -1, 1), START);
    expect(m.all.filter((a) => a.type === 'propose' || a.type === 'signProposal')).toEqual([]);
  });
});

describe('bad events and configuration', () => {
  const state = initState({ validators: validators([1, 1, 1, 1]), selfIndex: 0, height: 1 });

  it('throws CONSENSUS_BAD_EVENT for malformed events', () => {
    const bad: unknown[] = [
      { type: 'nope' },
      { type: 'vote', vote: { ...vote(VOTE_PREVOTE, 1, 0, A, 1), type: 3 } },
      { type: 'vote', vote: { ...vote(VOTE_PREVOTE, 1, 0, A, 1), height: -1 } },
      { type: 'vote', vote: { ...vote(VOTE_PREVOTE, 1, 0, A, 1), blockHash: new Uint8Array(31) } },
      { type: 'vote', vote: { ...vote(VOTE_PREVOTE, 1, 0, A, 1), round: 1.5 } },
      { type: 'proposal', proposal: { height: 1, round: 0, blockHash: A, validRound: 'x', proposerIndex: 1, signature: new Uint8Array(64) } },
      { type: 'timeout', height: '1', round: 0, step: 'propose' },
      { type: 'validated', height: 1, blockHash: 'aa' },
      { type: 'syncedBlock', height: 1, blockHash: A, commit: { height: 2, round: 0, blockHash: A, signatures: [] } },
      { type: 'syncedBlock', height: 1, blockHash: A, commit: { height: 1, round: 0, blockHash: C, signatures: [] } },
    ];
    for (const e of bad) {
      expect(() => step(state, e as never), JSON.stringify(e)).toThrow(expect.objectContaining({ code: 'CONSENSUS_BAD_EVENT' }));
    }
  });

  it('throws CONSENSUS_BAD_CONFIG for a state that cannot run', () => {
    const v = validators([1, 1, 1, 1]);
    const bad = [
      { validators: [], selfIndex: null, height: 1 },
      { validators: validators([1, 0]), selfIndex: 0, height: 1 },
      { validators: validators([1, 1.5]), selfIndex: 0, height: 1 },
      { validators: validators([2 ** 52, 2 ** 52]), selfIndex: 0, height: 1 },
      { validators: v, selfIndex: 4, height: 1 },
      { validators: v, selfIndex: -1, height: 1 },
      { validators: v, selfIndex: 0, height: 0 },
      { validators: v, selfIndex: 0, height: 1, round: -1 },
      { validators: v, selfIndex: 0, height: 1, round: MAX_ROUND + 1 },
      { validators: v, selfIndex: 0, height: 1, round: 1, lock: { round: 2, blockHash: A } },
      { validators: v, selfIndex: 0, height: 1, lock: { round: 0, blockHash: new Uint8Array(3) } },
      { validators: v, selfIndex: 0, height: 1, timeouts: { ...state.timeouts, proposeMs: -1 } },
      { validators: v, selfIndex: 0, height: 1, timeouts: { ...state.timeouts, prevoteMs: 10_000 } },
    ];
    for (const opts of bad) {
      let err: unknown;
      try {
        initState(opts as never);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(opts, (_k, x) => (x instanceof Uint8Array ? `bytes(${x.length})` : x))).toBeInstanceOf(ConsensusError);
      expect((err as ConsensusError).code).toBe('CONSENSUS_BAD_CONFIG');
    }
  });
});

describe('logChanged (what the write-ahead log keeps)', () => {
  it('is true for messages that entered the log, false for duplicates, ignored junk and other events', () => {
    let state = initState({ validators: validators([1, 1, 1, 1]), selfIndex: 0, height: 1 });
    const feed = (e: Parameters<typeof step>[1]) => {
      const r = step(state, e);
      const changed = logChanged(state, r.state);
      state = r.state;
      return changed;
    };
    expect(feed(START)).toBe(false);
    expect(feed(prevote(1, 0, A, 1))).toBe(true);
    expect(feed(prevote(1, 0, A, 1))).toBe(false);
    expect(feed(prevote(1, 0, C, 1))).toBe(true); // first equivocation: recorded
    expect(feed(prevote(1, 0, B(5), 1))).toBe(false); // more junk from the same validator: nothing kept
    expect(feed(prevote(1, 0, A, 9))).toBe(false);
    expect(feed(timeout(1, 0, 'prevote'))).toBe(false);
  });
});
