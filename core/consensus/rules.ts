/**
 * Algorithm 1 of Buchman, Kwon, Milosevic, "The latest gossip on BFT consensus" (arXiv
 * 1807.04938v3): StartRound, the upon-rules and the timeout handlers, one function each,
 * named by the paper's line numbers. 2f+1 is "more than 2/3 of the voting power" and f+1
 * "more than 1/3" (integer arithmetic, core/block isQuorum). Values are block hashes; valid(v)
 * is the app's answer to a `validate` action, and a rule that needs it waits for it.
 */
import { VOTE_PRECOMMIT, VOTE_PREVOTE, type Commit, type VoteType } from '../block/index.js';
import type { Hash } from '../types.js';
import type { Draft } from './draft.js';
import { ConsensusError } from './errors.js';
import { replayBuffered } from './intake.js';
import {
  FIRED_LOCK,
  FIRED_PRECOMMIT_TIMEOUT,
  FIRED_PREVOTE_TIMEOUT,
  isOneThird,
  proposerIndex,
  stepOrder,
  type RoundState,
} from './state.js';
import { timeoutMs } from './timeouts.js';
import type { Step } from './types.js';
import { sameValue } from './vote.js';
import { hasQuorumAny, hasQuorumFor, NIL_KEY, quorumValue, signaturesFor, valueKey } from './voteSet.js';

/**
 * Most rule executions in one transition before it is declared a bug. Every execution
 * advances the step, round, height or a "first time" flag, so a transition runs a handful;
 * the bound turns a would-be infinite loop into an error.
 */
export const MAX_RULE_EXECUTIONS = 10_000;

/**
 * Lines 11-21: StartRound(round). As in the paper the proposer schedules no propose timeout
 * (line 21 is the else branch): it waits for its app's block, and if the others move on
 * without it, their messages of the next round take it along (line 55).
 */
export function startRound(d: Draft, round: number): void {
  const s = d.s;
  s.round = round; // line 12
  s.step = 'propose'; // line 13
  s.awaitingBlock = false;
  if (proposerIndex(s.validators, s.height, round) === s.selfIndex) {
    if (s.rounds.get(round)?.proposal) {
      // Already proposed in this round (a restarted node replayed its own signed proposal): line 19 is done.
    } else if (s.validValue !== null) {
      // lines 15-16, 19: re-propose the last possible decision value with its round
      d.emit({
        type: 'signProposal',
        proposal: { height: s.height, round, blockHash: s.validValue, validRound: s.validRound, proposerIndex: s.selfIndex },
      });
    } else {
      // line 18: getValue() — the app builds a block and answers with `proposalBlock`
      s.awaitingBlock = true;
      d.emit({ type: 'propose', height: s.height, round });
    }
  } else {
    scheduleTimeout(d, 'propose'); // line 21
  }
}

/** Line 19 for a value from getValue(): the app's block for the round this node proposes in. */
export function onProposalBlock(d: Draft, height: number, round: number, blockHash: Hash): void {
  const s = d.s;
  if (!s.awaitingBlock || height !== s.height || round !== s.round || s.step !== 'propose' || s.selfIndex === null) return;
  s.awaitingBlock = false;
  d.setValidity(valueKey(blockHash), 'valid'); // a block this node built is valid
  d.emit({ type: 'signProposal', proposal: { height, round, blockHash, validRound: s.validRound, proposerIndex: s.selfIndex } });
}

/** Lines 57-67: OnTimeoutPropose / OnTimeoutPrevote / OnTimeoutPrecommit; stale timeouts do nothing. */
export function onTimeout(d: Draft, height: number, round: number, step: Step): void {
  const s = d.s;
  if (height !== s.height || round !== s.round) return;
  if (step === 'propose' && s.step === 'propose') {
    vote(d, VOTE_PREVOTE, null); // line 59
    s.step = 'prevote'; // line 60
  } else if (step === 'prevote' && s.step === 'prevote') {
    vote(d, VOTE_PRECOMMIT, null); // line 63
    s.step = 'precommit'; // line 64
  } else if (step === 'precommit') {
    startRound(d, s.round + 1); // line 67
  }
}

/** Runs the upon-rules until none applies. */
export function runRules(d: Draft): void {
  for (let i = 0; i < MAX_RULE_EXECUTIONS; i++) {
    const fired =
      line49Decide(d) ||
      line55SkipRound(d) ||
      line22Proposal(d) ||
      line28ProposalWithValidRound(d) ||
      line34PrevoteTimeout(d) ||
      line36Lock(d) ||
      line44PrecommitNil(d) ||
      line47PrecommitTimeout(d);
    if (!fired) return;
  }
  throw new ConsensusError('CONSENSUS_INTERNAL', `upon-rules did not settle after ${MAX_RULE_EXECUTIONS} executions`, {
    height: d.s.height,
    round: d.s.round,
  });
}

/** Decides `blockHash` at this height with `commit` and starts the next height (lines 51-54). */
export function decide(d: Draft, blockHash: Hash, commit: Commit): void {
  const s = d.s;
  d.emit({ type: 'commit', height: s.height, round: commit.round, blockHash, commit }); // line 51
  const held = s.nextHeight;
  s.height += 1; // line 52
  s.lockedValue = null; // line 53
  s.lockedRound = -1;
  s.validValue = null;
  s.validRound = -1;
  s.nextHeight = [];
  s.lastCommit = commit;
  d.clearHeight();
  replayBuffered(d, held);
  startRound(d, 0); // line 54
}

/** valid(v) as known so far: true, false, or undefined while the app has not answered. */
function valid(d: Draft, v: Hash): boolean | undefined {
  const r = d.s.validity.get(valueKey(v));
  return r === 'valid' ? true : r === 'invalid' ? false : undefined;
}

/** The current round's log. */
function current(d: Draft): RoundState {
  return d.roundState(d.s.round);
}

/** Emits this node's vote for the driver to guard, sign, send and feed back (non-validators stay silent). */
function vote(d: Draft, type: VoteType, blockHash: Hash | null): void {
  const s = d.s;
  if (s.selfIndex === null) return;
  d.emit({ type: 'signVote', vote: { type, height: s.height, round: s.round, blockHash, validatorIndex: s.selfIndex } });
}

function scheduleTimeout(d: Draft, step: Step): void {
  const s = d.s;
  d.emit({ type: 'scheduleTimeout', height: s.height, round: s.round, step, ms: timeoutMs(s.timeouts, step, s.round) });
}

function markFired(d: Draft, bit: number): void {
  const rs = current(d);
  d.setRound(d.s.round, { ...rs, fired: rs.fired | bit });
}

/** Lines 22-27: ⟨PROPOSAL, h, r, v, -1⟩ from proposer(h, r) while step = propose. */
function line22Proposal(d: Draft): boolean {
  const s = d.s;
  const p = current(d).proposal;
  if (s.step !== 'propose' || p === null || p.validRound !== -1) return false;
  const ok = valid(d, p.blockHash);
  if (ok === undefined) return false;
  const accept = ok && (s.lockedRound === -1 || sameValue(s.lockedValue, p.blockHash)); // line 23
  vote(d, VOTE_PREVOTE, accept ? p.blockHash : null); // lines 24, 26
  s.step = 'prevote'; // line 27
  return true;
}

/** Lines 28-33: ⟨PROPOSAL, h, r, v, vr⟩ AND 2f+1 ⟨PREVOTE, h, vr, id(v)⟩ while step = propose ∧ 0 ≤ vr < r. */
function line28ProposalWithValidRound(d: Draft): boolean {
  const s = d.s;
  const p = current(d).proposal;
  if (s.step !== 'propose' || p === null || p.validRound < 0 || p.validRound >= s.round) return false;
  const pol = s.rounds.get(p.validRound);
  if (!pol || !hasQuorumFor(pol.prevotes, valueKey(p.blockHash), s.totalPower)) return false;
  const ok = valid(d, p.blockHash);
  if (ok === undefined) return false;
  const accept = ok && (s.lockedRound <= p.validRound || sameValue(s.lockedValue, p.blockHash)); // line 29
  vote(d, VOTE_PREVOTE, accept ? p.blockHash : null); // lines 30, 32
  s.step = 'prevote'; // line 33
  return true;
}

/** Lines 34-35: 2f+1 ⟨PREVOTE, h, r, ∗⟩ while step = prevote, for the first time. */
function line34PrevoteTimeout(d: Draft): boolean {
  const rs = current(d);
  if (d.s.step !== 'prevote' || rs.fired & FIRED_PREVOTE_TIMEOUT || !hasQuorumAny(rs.prevotes, d.s.totalPower)) return false;
  markFired(d, FIRED_PREVOTE_TIMEOUT);
  scheduleTimeout(d, 'prevote');
  return true;
}

/** Lines 36-43: ⟨PROPOSAL, h, r, v, ∗⟩ AND 2f+1 ⟨PREVOTE, h, r, id(v)⟩ while valid(v) ∧ step ≥ prevote, first time. */
function line36Lock(d: Draft): boolean {
  const s = d.s;
  const rs = current(d);
  const p = rs.proposal;
  if (rs.fired & FIRED_LOCK || p === null || stepOrder(s.step) < stepOrder('prevote')) return false;
  if (!hasQuorumFor(rs.prevotes, valueKey(p.blockHash), s.totalPower) || valid(d, p.blockHash) !== true) return false;
  markFired(d, FIRED_LOCK);
  if (s.step === 'prevote') {
    s.lockedValue = p.blockHash; // line 38
    s.lockedRound = s.round; // line 39
    vote(d, VOTE_PRECOMMIT, p.blockHash); // line 40
    s.step = 'precommit'; // line 41
  }
  s.validValue = p.blockHash; // line 42
  s.validRound = s.round; // line 43
  return true;
}

/** Lines 44-46: 2f+1 ⟨PREVOTE, h, r, nil⟩ while step = prevote. */
function line44PrecommitNil(d: Draft): boolean {
  if (d.s.step !== 'prevote' || !hasQuorumFor(current(d).prevotes, NIL_KEY, d.s.totalPower)) return false;
  vote(d, VOTE_PRECOMMIT, null); // line 45
  d.s.step = 'precommit'; // line 46
  return true;
}

/** Lines 47-48: 2f+1 ⟨PRECOMMIT, h, r, ∗⟩ for the first time. */
function line47PrecommitTimeout(d: Draft): boolean {
  const rs = current(d);
  if (rs.fired & FIRED_PRECOMMIT_TIMEOUT || !hasQuorumAny(rs.precommits, d.s.totalPower)) return false;
  markFired(d, FIRED_PRECOMMIT_TIMEOUT);
  scheduleTimeout(d, 'precommit');
  return true;
}

/** Lines 49-54: ⟨PROPOSAL, h, r, v, ∗⟩ from proposer(h, r) AND 2f+1 ⟨PRECOMMIT, h, r, id(v)⟩, in any round r. */
function line49Decide(d: Draft): boolean {
  const s = d.s;
  let found: { round: number; blockHash: Hash; key: string } | null = null;
  for (const [r, rs] of s.rounds) {
    if (found !== null && r > found.round) continue; // the lowest deciding round, whatever the map's order
    const key = quorumValue(rs.precommits, s.totalPower);
    if (key === null || rs.proposal === null || valueKey(rs.proposal.blockHash) !== key) continue;
    if (valid(d, rs.proposal.blockHash) !== true) continue; // line 50
    found = { round: r, blockHash: rs.proposal.blockHash, key };
  }
  if (found === null) return false;
  const precommits = s.rounds.get(found.round)!.precommits;
  decide(d, found.blockHash, { height: s.height, round: found.round, blockHash: found.blockHash, signatures: signaturesFor(precommits, found.key) });
  return true;
}

/** Lines 55-56: f+1 ⟨∗, h, round, ∗, ∗⟩ with round > round_p: StartRound(round) (the highest such round). */
function line55SkipRound(d: Draft): boolean {
  const s = d.s;
  let target = -1;
  for (const [r, rs] of s.rounds) if (r > s.round && r > target && isOneThird(rs.senderPower, s.totalPower)) target = r;
  if (target < 0) return false;
  startRound(d, target);
  return true;
}
