/** Vote sets: power tallies, quorum tests in integer arithmetic, duplicates, equivocation, certificates. */
import { describe, expect, it } from 'vitest';
import { addVote, emptyVoteSet, hasQuorumAny, hasQuorumFor, hasVote, NIL_KEY, quorumValue, signaturesFor, valueKey, type VoteSet } from '../../../core/consensus/index.js';
import { A, C, vote, VOTE_PREVOTE } from './helpers.js';

const proposedA = (key: string) => key === valueKey(A);

function add(set: VoteSet, i: number, v: Uint8Array | null, power = 1): VoteSet {
  const r = addVote(set, vote(VOTE_PREVOTE, 1, 0, v, i), power, proposedA);
  if (r.kind === 'duplicate') return set;
  return r.set;
}

describe('voteSet', () => {
  it('tallies power per value and in total', () => {
    let s = emptyVoteSet(4);
    s = add(add(add(s, 0, A, 2), 1, A, 3), 2, null, 4);
    expect(s.power).toBe(9);
    expect(s.tally.get(valueKey(A))).toBe(5);
    expect(s.tally.get(NIL_KEY)).toBe(4);
  });

  it('quorum is more than 2/3 of the total power, exactly', () => {
    let s = emptyVoteSet(4);
    s = add(add(s, 0, A), 1, A);
    expect(hasQuorumFor(s, valueKey(A), 3)).toBe(false); // 2 of 3 is exactly 2/3: not more
    expect(hasQuorumFor(s, valueKey(A), 2)).toBe(true);
    s = add(s, 2, C);
    expect(hasQuorumAny(s, 4)).toBe(true); // 3 of 4, mixed values
    expect(quorumValue(s, 4)).toBeNull();
    expect(quorumValue(add(s, 3, A), 4)).toBe(valueKey(A));
  });

  it('ignores duplicates and leaves the input set unchanged', () => {
    const s = add(emptyVoteSet(4), 0, A);
    expect(addVote(s, vote(VOTE_PREVOTE, 1, 0, A, 0), 1, proposedA)).toEqual({ kind: 'duplicate' });
    const copy = structuredClone(s);
    add(s, 1, A);
    expect(s).toEqual(copy);
  });

  it('reports equivocation once and counts the second value only when it is nil or proposed', () => {
    const s0 = add(emptyVoteSet(4), 0, C);
    const r1 = addVote(s0, vote(VOTE_PREVOTE, 1, 0, A, 0), 1, proposedA);
    expect(r1).toMatchObject({ kind: 'equivocation', report: true });
    const s1 = (r1 as { set: VoteSet }).set;
    expect(s1.power).toBe(1);
    expect(s1.tally.get(valueKey(A))).toBe(1);
    expect(hasVote(s1, 0, A) && hasVote(s1, 0, C)).toBe(true);
    const r2 = addVote(s1, vote(VOTE_PREVOTE, 1, 0, null, 0), 1, proposedA);
    expect(r2).toMatchObject({ kind: 'equivocation', report: false });
    const r3 = addVote((r2 as { set: VoteSet }).set, vote(VOTE_PREVOTE, 1, 0, new Uint8Array(32).fill(9), 0), 1, proposedA);
    expect(hasVote((r3 as { set: VoteSet }).set, 0, new Uint8Array(32).fill(9))).toBe(false);
    expect(addVote(s1, vote(VOTE_PREVOTE, 1, 0, A, 0), 1, proposedA)).toEqual({ kind: 'duplicate' });
  });

  it('lists the signatures for a value in ascending validator order', () => {
    let s = emptyVoteSet(5);
    s = add(add(add(add(s, 4, A), 1, A), 2, C), 0, A);
    s = (addVote(s, vote(VOTE_PREVOTE, 1, 0, A, 2), 1, proposedA) as { set: VoteSet }).set;
    expect(signaturesFor(s, valueKey(A)).map(([i]) => i)).toEqual([0, 1, 2, 4]);
  });
});
