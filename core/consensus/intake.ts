/**
 * Message intake: puts a received proposal or vote into the message log of its round, or
 * holds it for the next height, or drops it. Signatures were verified by the driver; this
 * checks everything else a signature does not: the sender is a validator (the proposal's
 * sender is the round's proposer), the height is this one (or the next: buffered), the round
 * is in range and within the sender's future-round allowance, and duplicates change nothing.
 * A second vote for another value at the same step is equivocation: reported as evidence
 * (and counted toward that value as voteSet.ts explains).
 */
import { MAX_VALIDATORS, VOTE_PRECOMMIT, VOTE_PREVOTE } from '../block/index.js';
import type { Draft } from './draft.js';
import { ConsensusError } from './errors.js';
import { MAX_ROUND, proposerIndex, type BufferedMessage, type RoundState } from './state.js';
import type { Proposal, Vote } from './types.js';
import { sameValue } from './vote.js';
import { addVote, valueKey } from './voteSet.js';

/**
 * Rounds above the current one in which a validator's messages are kept (per validator).
 * Line 55 needs messages from later rounds, but a Byzantine validator could name endless
 * rounds; three covers an honest validator a few rounds ahead, and gossip re-sends the rest
 * once this node catches up.
 */
export const MAX_FUTURE_ROUNDS_PER_VALIDATOR = 3;

/**
 * Messages per validator held for the next height: its proposal and two votes in each of its
 * first rounds there. Bounded per validator so a Byzantine one cannot crowd out the others.
 */
export const MAX_BUFFERED_PER_VALIDATOR = 8;

/** Takes a received (or own, fed back) proposal into the log. */
export function intakeProposal(d: Draft, p: Proposal): void {
  assertProposalShape(p);
  const s = d.s;
  // The next height may have another set (governance): its senders are checked there.
  if (p.height === s.height + 1 && p.proposerIndex < MAX_VALIDATORS) return buffer(d, { type: 'proposal', proposal: p }, p.proposerIndex);
  if (p.proposerIndex >= d.n) return;
  if (p.height !== s.height || p.round > MAX_ROUND) return;
  if (p.proposerIndex !== proposerIndex(s.validators, s.height, p.round)) return;
  if (p.validRound < -1 || p.validRound >= p.round) return;
  if (!admitRound(d, p.round, p.proposerIndex)) return;
  const rs = d.roundState(p.round);
  if (rs.proposal) return; // a duplicate, or the proposer equivocating: the first proposal stands
  d.setRound(p.round, withSender(d, { ...rs, proposal: p }, p.proposerIndex));
  const key = valueKey(p.blockHash);
  if (!s.validity.has(key)) {
    d.setValidity(key, 'pending');
    d.emit({ type: 'validate', height: s.height, round: p.round, blockHash: p.blockHash });
  }
}

/** Takes a received (or own, fed back) vote into the log, reporting equivocation. */
export function intakeVote(d: Draft, v: Vote): void {
  assertVoteShape(v);
  const s = d.s;
  if (v.height === s.height + 1 && v.validatorIndex < MAX_VALIDATORS) return buffer(d, { type: 'vote', vote: v }, v.validatorIndex);
  if (v.validatorIndex >= d.n) return;
  if (v.height !== s.height || v.round > MAX_ROUND) return;
  if (!admitRound(d, v.round, v.validatorIndex)) return;
  const rs = d.roundState(v.round);
  const field = v.type === VOTE_PREVOTE ? 'prevotes' : 'precommits';
  const added = addVote(rs[field], v, d.power(v.validatorIndex), (key) => isProposed(d, key));
  if (added.kind === 'duplicate') return;
  if (added.kind === 'equivocation') {
    if (added.set !== rs[field]) d.setRound(v.round, { ...rs, [field]: added.set });
    if (added.report) d.emit({ type: 'evidence', evidence: { vote1: added.first, vote2: v } });
    return;
  }
  d.setRound(v.round, withSender(d, { ...rs, [field]: added.set }, v.validatorIndex));
}

/** Whether a value was proposed in some round of this height (its conflicting votes are worth counting). */
function isProposed(d: Draft, key: string): boolean {
  for (const rs of d.s.rounds.values()) if (rs.proposal && valueKey(rs.proposal.blockHash) === key) return true;
  return false;
}

/** Replays the messages held for this height (after the height changed). */
export function replayBuffered(d: Draft, held: readonly BufferedMessage[]): void {
  for (const m of held) {
    if (m.type === 'proposal') intakeProposal(d, m.proposal);
    else intakeVote(d, m.vote);
  }
}

/** Whether a message of validator `i` for `round` may enter the log (the future-round allowance). */
function admitRound(d: Draft, round: number, i: number): boolean {
  if (round <= d.s.round) return true;
  if (d.s.rounds.get(round)?.senders[i]) return true;
  let ahead = 0;
  for (const [r, rs] of d.s.rounds) if (r > d.s.round && rs.senders[i]) ahead++;
  return ahead < MAX_FUTURE_ROUNDS_PER_VALIDATOR;
}

/** Marks validator `i` as a sender in the round (for line 55). */
function withSender(d: Draft, rs: RoundState, i: number): RoundState {
  if (rs.senders[i]) return rs;
  const senders = rs.senders.slice();
  senders[i] = true;
  return { ...rs, senders, senderPower: rs.senderPower + d.power(i) };
}

/** Holds a next-height message, unless it is a duplicate or the sender's allowance is used up. */
function buffer(d: Draft, m: BufferedMessage, sender: number): void {
  let count = 0;
  for (const held of d.s.nextHeight) {
    if (senderOf(held) !== sender) continue;
    if (sameMessage(held, m)) return;
    count++;
  }
  if (count >= MAX_BUFFERED_PER_VALIDATOR) return;
  d.s.nextHeight = [...d.s.nextHeight, m];
}

function senderOf(m: BufferedMessage): number {
  return m.type === 'proposal' ? m.proposal.proposerIndex : m.vote.validatorIndex;
}

function sameMessage(a: BufferedMessage, b: BufferedMessage): boolean {
  if (a.type === 'proposal' && b.type === 'proposal') {
    return a.proposal.round === b.proposal.round && sameValue(a.proposal.blockHash, b.proposal.blockHash);
  }
  if (a.type === 'vote' && b.type === 'vote') {
    return a.vote.type === b.vote.type && a.vote.round === b.vote.round && sameValue(a.vote.blockHash, b.vote.blockHash);
  }
  return false;
}

function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isHash(v: unknown): boolean {
  return v instanceof Uint8Array && v.length === 32;
}

/** Throws CONSENSUS_BAD_EVENT unless `p` has a proposal's field types (decodeProposal guarantees them). */
export function assertProposalShape(p: Proposal): void {
  const ok =
    p !== null &&
    typeof p === 'object' &&
    isCount(p.height) &&
    isCount(p.round) &&
    isHash(p.blockHash) &&
    typeof p.validRound === 'number' &&
    Number.isSafeInteger(p.validRound) &&
    isCount(p.proposerIndex) &&
    p.signature instanceof Uint8Array;
  if (!ok) throw new ConsensusError('CONSENSUS_BAD_EVENT', 'proposal event: malformed proposal', {});
}

/** Throws CONSENSUS_BAD_EVENT unless `v` has a vote's field types (decodeVote guarantees them). */
export function assertVoteShape(v: Vote): void {
  const ok =
    v !== null &&
    typeof v === 'object' &&
    (v.type === VOTE_PREVOTE || v.type === VOTE_PRECOMMIT) &&
    isCount(v.height) &&
    isCount(v.round) &&
    (v.blockHash === null || isHash(v.blockHash)) &&
    isCount(v.validatorIndex) &&
    v.signature instanceof Uint8Array;
  if (!ok) throw new ConsensusError('CONSENSUS_BAD_EVENT', 'vote event: malformed vote', {});
}
