/**
 * One test group per rule of Algorithm 1 (Buchman, Kwon, Milosevic 2018), with hand-written
 * event sequences. n = 4 validators of power 1 (2f+1 = 3, f+1 = 2), this node is validator 0
 * at height 1, and proposer(1, r) = validators[(1 + r) mod 4]: round 0 → 1, 1 → 2, 2 → 3, 3 → 0.
 */
import { describe, expect, it } from 'vitest';
import { TIMEOUT_PRECOMMIT_MS, TIMEOUT_PREVOTE_MS, TIMEOUT_PROPOSE_DELTA_MS, TIMEOUT_PROPOSE_MS } from '../../../core/consensus/index.js';
import { A, C, Machine, precommit, prevote, proposal, timeout, validated, VOTE_PRECOMMIT, VOTE_PREVOTE } from './helpers.js';

const START = { type: 'start' } as const;

/** A started machine that has received round 0's valid proposal for A and prevoted A. */
function prevotedA(opts = {}): Machine {
  const m = new Machine(opts);
  m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A));
  expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, 0xaa]]);
  return m;
}

describe('StartRound (lines 10-21)', () => {
  it('a non-proposer schedules OnTimeoutPropose(h, round) after timeoutPropose(round) (line 21)', () => {
    const m = new Machine();
    expect(m.feed(START)).toEqual([{ type: 'scheduleTimeout', height: 1, round: 0, step: 'propose', ms: TIMEOUT_PROPOSE_MS }]);
    expect(m.state).toMatchObject({ height: 1, round: 0, step: 'propose', lockedRound: -1, validRound: -1 });
  });

  it('the proposer asks the app for a value (line 18) and proposes it with validRound -1 (line 19)', () => {
    const m = new Machine({ selfIndex: 1 });
    expect(m.feed(START)).toEqual([{ type: 'propose', height: 1, round: 0 }]);
    expect(m.feed({ type: 'proposalBlock', height: 1, round: 0, blockHash: A })).toEqual([
      { type: 'signProposal', proposal: { height: 1, round: 0, blockHash: A, validRound: -1, proposerIndex: 1 } },
    ]);
    // its own proposal comes back signed: it is valid (the app built it) and gets its prevote (line 24)
    m.feed(proposal(1, 0, A, -1, 1));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, 0xaa]]);
    expect(m.of('validate')).toEqual([]);
  });

  it('ignores a block it did not ask for, or for another round', () => {
    const m = new Machine({ selfIndex: 1 });
    m.feed(START);
    expect(m.feed({ type: 'proposalBlock', height: 1, round: 1, blockHash: A })).toEqual([]);
    expect(m.feed({ type: 'proposalBlock', height: 2, round: 0, blockHash: A })).toEqual([]);
    expect(new Machine().feed({ type: 'proposalBlock', height: 1, round: 0, blockHash: A })).toEqual([]);
  });

  it('a proposer with a validValue re-proposes it with its validRound, without asking the app (lines 15-16)', () => {
    const m = new Machine({ selfIndex: 2 }); // proposer of round 1
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A), prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3));
    expect(m.state).toMatchObject({ validRound: 0, lockedRound: 0 });
    m.feed(precommit(1, 0, null, 0), precommit(1, 0, null, 1), precommit(1, 0, null, 3), timeout(1, 0, 'precommit'));
    expect(m.of('propose')).toEqual([]);
    expect(m.of('signProposal')).toEqual([{ type: 'signProposal', proposal: { height: 1, round: 1, blockHash: A, validRound: 0, proposerIndex: 2 } }]);
  });

  it('a restarted proposer re-proposes its lock: the lock is restored as validValue too', () => {
    const m = new Machine({ selfIndex: 3, round: 2, lock: { round: 1, blockHash: C } }); // validator 3 proposes in round 2
    expect(m.feed(START)).toEqual([{ type: 'signProposal', proposal: { height: 1, round: 2, blockHash: C, validRound: 1, proposerIndex: 3 } }]);
  });

  it('a restarted validator resumes at its last round, with its lock', () => {
    const m = new Machine({ round: 2, lock: { round: 1, blockHash: C } });
    expect(m.feed(START)).toEqual([{ type: 'scheduleTimeout', height: 1, round: 2, step: 'propose', ms: TIMEOUT_PROPOSE_MS + 2 * TIMEOUT_PROPOSE_DELTA_MS }]);
    m.feed(proposal(1, 2, A, -1, 3), validated(1, A));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 2, null]]); // locked on C: line 26
  });
});

describe('upon PROPOSAL with validRound -1 while step = propose (lines 22-27)', () => {
  it('prevotes id(v) for a valid value when not locked (line 24), once valid(v) is known', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1));
    expect(m.of('validate')).toEqual([{ type: 'validate', height: 1, round: 0, blockHash: A }]);
    expect(m.votes()).toEqual([]);
    expect(m.state.step).toBe('propose');
    m.feed(validated(1, A));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, 0xaa]]);
    expect(m.state.step).toBe('prevote'); // line 27
  });

  it('prevotes nil for an invalid value (line 26)', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A, false));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]);
  });

  it('prevotes nil when locked on another value, id(v) when locked on v (line 23)', () => {
    const other = new Machine({ round: 1, lock: { round: 0, blockHash: C } });
    other.feed(START, proposal(1, 1, A, -1, 2), validated(1, A));
    expect(other.votes()).toEqual([[VOTE_PREVOTE, 1, null]]);
    const same = new Machine({ round: 1, lock: { round: 0, blockHash: A } });
    same.feed(START, proposal(1, 1, A, -1, 2), validated(1, A));
    expect(same.votes()).toEqual([[VOTE_PREVOTE, 1, 0xaa]]);
  });

  it('does nothing once step ≠ propose: a late proposal after the propose timeout gets no second prevote', () => {
    const m = new Machine();
    m.feed(START, timeout(1, 0, 'propose'));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]);
    m.feed(proposal(1, 0, A, -1, 1), validated(1, A));
    expect(m.votes()).toEqual([]);
  });
});

describe('upon PROPOSAL with validRound vr AND 2f+1 PREVOTE(vr, id(v)) while step = propose, 0 ≤ vr < round (lines 28-33)', () => {
  it('waits for the 2f+1 prevotes of round vr, then prevotes id(v) (line 30)', () => {
    const m = new Machine({ round: 1 });
    m.feed(START, proposal(1, 1, A, 0, 2), validated(1, A));
    expect(m.votes()).toEqual([]); // no POL yet, and line 22 does not apply (vr ≠ -1)
    m.feed(prevote(1, 0, A, 1), prevote(1, 0, A, 2));
    expect(m.votes()).toEqual([]);
    m.feed(prevote(1, 0, A, 3));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 1, 0xaa]]);
    expect(m.state.step).toBe('prevote'); // line 33
  });

  it('prevotes id(v) when locked on another value in a round ≤ vr (line 29: lockedRound ≤ vr)', () => {
    const m = new Machine({ round: 2, lock: { round: 0, blockHash: C } });
    m.feed(START, prevote(1, 1, A, 1), prevote(1, 1, A, 2), prevote(1, 1, A, 3), proposal(1, 2, A, 1, 3), validated(1, A));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 2, 0xaa]]);
  });

  it('prevotes nil when locked on another value after vr (line 32)', () => {
    const m = new Machine({ round: 2, lock: { round: 1, blockHash: C } });
    m.feed(START, prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3), proposal(1, 2, A, 0, 3), validated(1, A));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 2, null]]);
  });

  it('prevotes nil for an invalid value even with its POL (line 32)', () => {
    const m = new Machine({ round: 1 });
    m.feed(START, prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3), proposal(1, 1, A, 0, 2), validated(1, A, false));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 1, null]]);
  });
});

describe('upon 2f+1 PREVOTE(round, ∗) while step = prevote, for the first time (lines 34-35)', () => {
  it('schedules OnTimeoutPrevote once', () => {
    const m = new Machine();
    m.feed(START);
    m.feed(timeout(1, 0, 'propose'), prevote(1, 0, A, 1), prevote(1, 0, C, 2));
    expect(m.of('scheduleTimeout')).toEqual([]);
    m.feed(prevote(1, 0, null, 0)); // its own prevote, fed back after signing
    expect(m.of('scheduleTimeout')).toEqual([{ type: 'scheduleTimeout', height: 1, round: 0, step: 'prevote', ms: TIMEOUT_PREVOTE_MS }]);
    m.feed(prevote(1, 0, C, 3));
    expect(m.of('scheduleTimeout')).toEqual([]);
  });

  it('does not schedule it while step = propose', () => {
    const m = new Machine();
    m.feed(START);
    m.feed(prevote(1, 0, A, 1), prevote(1, 0, C, 2), prevote(1, 0, C, 3));
    expect(m.of('scheduleTimeout')).toEqual([]);
  });
});

describe('upon PROPOSAL(v) AND 2f+1 PREVOTE(round, id(v)) while valid(v) ∧ step ≥ prevote, first time (lines 36-43)', () => {
  it('locks v, precommits id(v) and sets validValue/validRound (lines 38-43)', () => {
    const m = prevotedA();
    m.feed(prevote(1, 0, A, 1), prevote(1, 0, A, 2));
    expect(m.votes()).toEqual([]); // 2 of 4 is not 2f+1
    m.feed(prevote(1, 0, A, 3));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, 0xaa]]);
    expect(m.state).toMatchObject({ step: 'precommit', lockedValue: A, lockedRound: 0, validValue: A, validRound: 0 });
    m.feed(prevote(1, 0, A, 0));
    expect(m.votes()).toEqual([]); // first time only
  });

  it('at step precommit only updates validValue/validRound (line 37 false)', () => {
    const m = prevotedA();
    m.feed(timeout(1, 0, 'prevote'));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, null]]); // line 63
    m.feed(prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3));
    expect(m.votes()).toEqual([]);
    expect(m.state).toMatchObject({ step: 'precommit', lockedRound: -1, lockedValue: null, validValue: A, validRound: 0 });
  });

  it('needs valid(v): a quorum for an invalid value locks nothing', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A, false), prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3));
    expect(m.state).toMatchObject({ lockedRound: -1, validRound: -1 });
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]);
  });

  it('needs the proposal: a prevote quorum without it locks nothing until it arrives', () => {
    const m = new Machine();
    m.feed(START, timeout(1, 0, 'propose'), prevote(1, 0, A, 1), prevote(1, 0, A, 2), prevote(1, 0, A, 3));
    expect(m.state.lockedRound).toBe(-1);
    m.feed(proposal(1, 0, A, -1, 1), validated(1, A));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, 0xaa]]);
  });
});

describe('upon 2f+1 PREVOTE(round, nil) while step = prevote (lines 44-46)', () => {
  it('precommits nil', () => {
    const m = prevotedA();
    m.feed(prevote(1, 0, null, 1), prevote(1, 0, null, 2));
    expect(m.votes()).toEqual([]);
    m.feed(prevote(1, 0, null, 3));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, null]]);
    expect(m.state.step).toBe('precommit');
  });
});

describe('upon 2f+1 PRECOMMIT(round, ∗) for the first time (lines 47-48)', () => {
  it('schedules OnTimeoutPrecommit once, whatever the step', () => {
    const m = new Machine();
    m.feed(START);
    m.feed(precommit(1, 0, A, 1), precommit(1, 0, null, 2));
    expect(m.of('scheduleTimeout')).toEqual([]);
    m.feed(precommit(1, 0, C, 3));
    expect(m.of('scheduleTimeout')).toEqual([{ type: 'scheduleTimeout', height: 1, round: 0, step: 'precommit', ms: TIMEOUT_PRECOMMIT_MS }]);
    m.feed(precommit(1, 0, C, 0));
    expect(m.of('scheduleTimeout')).toEqual([]);
  });
});

describe('upon PROPOSAL(r, v) AND 2f+1 PRECOMMIT(r, id(v)) while decision = nil (lines 49-54)', () => {
  it('decides v with a commit certificate and starts the next height at round 0', () => {
    const m = prevotedA();
    m.feed(precommit(1, 0, A, 3), precommit(1, 0, A, 1));
    expect(m.of('commit')).toEqual([]);
    m.feed(precommit(1, 0, A, 2));
    const [commit] = m.of('commit');
    expect(commit).toMatchObject({ type: 'commit', height: 1, round: 0, blockHash: A });
    expect(commit.commit).toMatchObject({ height: 1, round: 0, blockHash: A });
    expect(commit.commit.signatures.map(([i]) => i)).toEqual([1, 2, 3]); // ascending, as checkCommit wants
    expect(m.state).toMatchObject({ height: 2, round: 0, step: 'propose', lockedRound: -1, lockedValue: null, validRound: -1, validValue: null });
    expect(m.state.rounds.size).toBe(0);
    expect(m.state.lastCommit).toEqual(commit.commit);
    expect(m.last.at(-1)).toEqual({ type: 'scheduleTimeout', height: 2, round: 0, step: 'propose', ms: TIMEOUT_PROPOSE_MS });
  });

  it('decides on a quorum from an earlier round, while in a later one', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A), precommit(1, 3, null, 1), precommit(1, 3, null, 2));
    expect(m.state.round).toBe(3); // f+1 in round 3 (line 55)
    m.feed(precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.of('commit')).toMatchObject([{ height: 1, round: 0, blockHash: A }]);
  });

  it('waits for valid(v) and for the proposal (line 50)', () => {
    const m = new Machine();
    m.feed(START, precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.of('commit')).toEqual([]);
    m.feed(proposal(1, 0, A, -1, 1));
    expect(m.of('commit')).toEqual([]);
    m.feed(validated(1, A));
    expect(m.of('commit')).toMatchObject([{ height: 1, round: 0, blockHash: A }]);
  });

  it('never decides an invalid value', () => {
    const m = new Machine();
    m.feed(START, proposal(1, 0, A, -1, 1), validated(1, A, false), precommit(1, 0, A, 1), precommit(1, 0, A, 2), precommit(1, 0, A, 3));
    expect(m.of('commit')).toEqual([]);
    expect(m.state.height).toBe(1);
  });

  it('a block from sync with a checked certificate decides the height too', () => {
    const m = new Machine();
    m.feed(START);
    const commit = { height: 1, round: 4, blockHash: A, signatures: [] as Array<[number, Uint8Array]> };
    m.feed({ type: 'syncedBlock', height: 1, blockHash: A, commit });
    expect(m.of('commit')).toEqual([{ type: 'commit', height: 1, round: 4, blockHash: A, commit }]);
    expect(m.state.height).toBe(2);
    expect(m.feed({ type: 'syncedBlock', height: 1, blockHash: A, commit })).toEqual([]); // an old height: nothing
  });
});

describe('upon f+1 messages of a later round (lines 55-56)', () => {
  it('starts that round on f+1 of the power, not on less', () => {
    const m = new Machine();
    m.feed(START, prevote(1, 3, A, 1));
    expect(m.state.round).toBe(0);
    m.feed(precommit(1, 3, null, 2));
    expect(m.state.round).toBe(3);
    expect(m.of('propose')).toEqual([{ type: 'propose', height: 1, round: 3 }]); // validator 0 proposes in round 3
  });

  it('counts a proposal as a message of its round, and voting power rather than heads', () => {
    const m = new Machine({ powers: [1, 1, 1, 3] }); // total 6: f+1 is more than 2
    m.feed(START, prevote(1, 2, A, 1), prevote(1, 2, A, 2));
    expect(m.state.round).toBe(0);
    m.feed(proposal(1, 2, A, -1, 3));
    expect(m.state.round).toBe(2);
  });

  it('jumps to the highest such round', () => {
    const m = new Machine();
    m.feed(START, prevote(1, 2, A, 1), prevote(1, 2, A, 2), prevote(1, 5, null, 1), prevote(1, 5, null, 3));
    expect(m.state.round).toBe(5);
  });
});

describe('OnTimeoutPropose / OnTimeoutPrevote / OnTimeoutPrecommit (lines 57-67)', () => {
  it('propose timeout: prevote nil and step prevote (lines 59-60)', () => {
    const m = new Machine();
    m.feed(START, timeout(1, 0, 'propose'));
    expect(m.votes()).toEqual([[VOTE_PREVOTE, 0, null]]);
    expect(m.state.step).toBe('prevote');
  });

  it('prevote timeout: precommit nil and step precommit (lines 63-64)', () => {
    const m = prevotedA();
    m.feed(timeout(1, 0, 'prevote'));
    expect(m.votes()).toEqual([[VOTE_PRECOMMIT, 0, null]]);
    expect(m.state.step).toBe('precommit');
  });

  it('precommit timeout: StartRound(round + 1) with a longer propose timeout (line 67)', () => {
    const m = new Machine();
    m.feed(START);
    m.feed(timeout(1, 0, 'precommit'));
    expect(m.state).toMatchObject({ round: 1, step: 'propose' });
    expect(m.last).toEqual([{ type: 'scheduleTimeout', height: 1, round: 1, step: 'propose', ms: TIMEOUT_PROPOSE_MS + TIMEOUT_PROPOSE_DELTA_MS }]);
  });

  it('drops stale timeouts: other height, other round, or a step already left (line 58, 62, 66 conditions)', () => {
    const m = prevotedA();
    expect(m.feed(timeout(1, 0, 'propose'))).toEqual([]); // step is prevote now
    expect(m.feed(timeout(2, 0, 'prevote'))).toEqual([]);
    expect(m.feed(timeout(1, 1, 'prevote'))).toEqual([]);
    expect(m.feed(timeout(0, 0, 'precommit'))).toEqual([]);
    expect(m.state).toMatchObject({ round: 0, step: 'prevote' });
  });

  it('ignores timeouts and app answers before start', () => {
    const m = new Machine();
    expect(m.feed(timeout(1, 0, 'propose'), validated(1, A))).toEqual([]);
    expect(m.state.started).toBe(false);
  });
});
