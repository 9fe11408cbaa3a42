/**
 * The votes of one type (prevote or precommit) at one (height, round), with power tallies.
 *
 * Counting follows the paper: "2f+1 ⟨PREVOTE, h, r, id(v)⟩" is the power of the validators
 * that sent a prevote for id(v), and "2f+1 ⟨PREVOTE, h, r, ∗⟩" the power of the validators that
 * sent any prevote. So an equivocator's second vote, for another value, counts toward that
 * value (never twice toward one value, and never twice toward "any"). This matters for
 * liveness: if a Byzantine vote completed a quorum that locked some honest validators, the
 * others must be able to count the same vote when gossip brings it, or they can never accept
 * the locked value (a permanent split that the simulation found). Safety is unaffected: the
 * paper's proof already allows f validators to vote for everything.
 *
 * Memory stays bounded: a validator's first vote is always kept; later votes for other values
 * are kept only for nil or for a value proposed at this height (the only values honest
 * validators vote for, so the only ones whose tally can matter) — at most one per value. Each
 * equivocation is reported once per validator and set. Immutable: adding returns a new set.
 */
import { isQuorum } from '../block/index.js';
import { toHex } from '../encoding/index.js';
import type { Hash } from '../types.js';
import type { Vote } from './types.js';
import { sameValue } from './vote.js';

/** Tally key of a vote for nil. */
export const NIL_KEY = 'nil';

/** Tally key of a value: its hash in hex, or NIL_KEY. */
export function valueKey(hash: Hash | null): string {
  return hash === null ? NIL_KEY : toHex(hash);
}

/** Votes by validator index, their total power and the power per value. */
export interface VoteSet {
  /** The first vote of each validator (index = validator index), null if none yet. */
  readonly votes: readonly (Vote | null)[];
  /** Later votes of equivocators for other values (nil or proposed values), counted; one per validator and value. */
  readonly extra: readonly Vote[];
  /** Validators already reported for equivocating in this set. */
  readonly equivocators: readonly number[];
  /** Power of the validators that voted (any value, each once). */
  readonly power: number;
  /** Power per value key (valueKey) of the validators that voted for it. */
  readonly tally: ReadonlyMap<string, number>;
}

/** What adding a vote did. */
export type AddVoteResult =
  | { kind: 'added'; set: VoteSet }
  /** A vote this set already holds (a gossip duplicate): nothing changes. */
  | { kind: 'duplicate' }
  /** A vote for another value from a validator that already voted: `first` is its first vote; `report` once per validator. */
  | { kind: 'equivocation'; set: VoteSet; first: Vote; report: boolean };

/** An empty set for `n` validators. */
export function emptyVoteSet(n: number): VoteSet {
  return { votes: new Array<Vote | null>(n).fill(null), extra: [], equivocators: [], power: 0, tally: new Map() };
}

/**
 * Adds `vote` from a validator of voting power `power` (the caller checked its index);
 * `isProposed(key)` says whether a value was proposed at this height (see above).
 */
export function addVote(set: VoteSet, vote: Vote, power: number, isProposed: (key: string) => boolean): AddVoteResult {
  const i = vote.validatorIndex;
  const key = valueKey(vote.blockHash);
  const first = set.votes[i];
  if (!first) {
    const votes = set.votes.slice();
    votes[i] = vote;
    return { kind: 'added', set: { ...set, votes, power: set.power + power, tally: addPower(set.tally, key, power) } };
  }
  if (sameValue(first.blockHash, vote.blockHash)) return { kind: 'duplicate' };
  if (set.extra.some((v) => v.validatorIndex === i && sameValue(v.blockHash, vote.blockHash))) return { kind: 'duplicate' };
  const report = !set.equivocators.includes(i);
  let next = report ? { ...set, equivocators: [...set.equivocators, i] } : set;
  if (key === NIL_KEY || isProposed(key)) next = { ...next, extra: [...next.extra, vote], tally: addPower(next.tally, key, power) };
  return { kind: 'equivocation', set: next, first, report };
}

function addPower(tally: ReadonlyMap<string, number>, key: string, power: number): Map<string, number> {
  const next = new Map(tally);
  next.set(key, (next.get(key) ?? 0) + power);
  return next;
}

/** Whether the set holds validator `i`'s vote for `blockHash` (what gossip asks before sending it). */
export function hasVote(set: VoteSet, i: number, blockHash: Hash | null): boolean {
  const first = set.votes[i];
  if (!first) return false;
  return sameValue(first.blockHash, blockHash) || set.extra.some((v) => v.validatorIndex === i && sameValue(v.blockHash, blockHash));
}

/** Power of the votes for `key`. */
export function powerFor(set: VoteSet, key: string): number {
  return set.tally.get(key) ?? 0;
}

/** Whether votes for `key` carry more than 2/3 of `total` (the paper's 2f+1). */
export function hasQuorumFor(set: VoteSet, key: string, total: number): boolean {
  return isQuorum(powerFor(set, key), total);
}

/** Whether votes for any values together carry more than 2/3 of `total` (2f+1 ⟨…, ∗⟩). */
export function hasQuorumAny(set: VoteSet, total: number): boolean {
  return isQuorum(set.power, total);
}

/** The first non-nil value key with more than 2/3 of `total`, if any (only one can have it while at most f equivocate). */
export function quorumValue(set: VoteSet, total: number): string | null {
  for (const [key, power] of set.tally) if (key !== NIL_KEY && isQuorum(power, total)) return key;
  return null;
}

/** Every vote in the set: first votes by index, then the counted extra votes. */
export function allVotes(set: VoteSet): Vote[] {
  const out: Vote[] = [];
  for (const v of set.votes) if (v) out.push(v);
  return out.concat(set.extra);
}

/** `[validatorIndex, signature]` of the votes for `key`, ascending by index (a commit certificate's order). */
export function signaturesFor(set: VoteSet, key: string): Array<[number, Uint8Array]> {
  const out: Array<[number, Uint8Array]> = [];
  for (const v of allVotes(set)) if (valueKey(v.blockHash) === key) out.push([v.validatorIndex, v.signature]);
  return out.sort((a, b) => a[0] - b[0]);
}
