/**
 * The data of the consensus state machine: messages (proposals and votes), the events that
 * drive `step`, and the actions it returns. Values are opaque 32-byte block hashes; the
 * blocks themselves stay with the node (it builds, validates and stores them when asked).
 */
import type { Commit, VoteType } from '../block/index.js';
import type { Hash, Height } from '../types.js';

/** The step of a round (Algorithm 1 line 4). Ordered: propose < prevote < precommit. */
export type Step = 'propose' | 'prevote' | 'precommit';

/** A proposal as the proposer signs it: `validRound` is -1 unless it re-proposes a value seen with a quorum of prevotes. */
export interface UnsignedProposal {
  height: Height;
  round: number;
  blockHash: Hash;
  /** Algorithm 1's `vr`: the round in which the proposer saw 2f+1 prevotes for this value, or -1. */
  validRound: number;
  proposerIndex: number;
}

/** A signed proposal (⟨PROPOSAL, h, r, v, vr⟩), under DOMAIN_PROPOSAL (proposal.ts). */
export interface Proposal extends UnsignedProposal {
  signature: Uint8Array;
}

/** A vote as a validator signs it: `blockHash = null` is a vote for nil. */
export interface UnsignedVote {
  type: VoteType;
  height: Height;
  round: number;
  blockHash: Hash | null;
  validatorIndex: number;
}

/** A signed prevote or precommit, over `votePayload(chainId, type, height, round, blockHash)` under DOMAIN_VOTE. */
export interface Vote extends UnsignedVote {
  signature: Uint8Array;
}

/** Two signed votes by one validator for different values at one (height, round, type). */
export interface Evidence {
  vote1: Vote;
  vote2: Vote;
}

/** Events: everything that can change the state machine. Signatures are checked by the driver before they enter. */
export type ConsensusEvent =
  /** Begin consensus at the state's height and round (Algorithm 1 line 10). Sent once, first. */
  | { type: 'start' }
  /** A proposal received (or this node's own, fed back after signing). Signature already verified. */
  | { type: 'proposal'; proposal: Proposal }
  /** A vote received (or this node's own, fed back after signing). Signature already verified. */
  | { type: 'vote'; vote: Vote }
  /** A timeout scheduled by a `scheduleTimeout` action fired. Stale ones are ignored. */
  | { type: 'timeout'; height: Height; round: number; step: Step }
  /** The app's answer to `propose`: the hash of the block it built (getValue(), line 18). */
  | { type: 'proposalBlock'; height: Height; round: number; blockHash: Hash }
  /** The app's answer to `validate`: valid(v) for the block with this hash at this height. */
  | { type: 'validated'; height: Height; blockHash: Hash; valid: boolean }
  /**
   * A block of this height fetched by block sync, with a commit certificate the driver has
   * checked (checkCommit + signatures) and a block it has validated: decides the height.
   */
  | { type: 'syncedBlock'; height: Height; blockHash: Hash; commit: Commit };

/** Actions: what the node must do after a step, in order. */
export type ConsensusAction =
  /** Build a block for (height, round) and answer with `proposalBlock` (getValue(), line 18). */
  | { type: 'propose'; height: Height; round: number }
  /** Run valid(v) on the block with this hash (re-execute it) and answer with `validated`. */
  | { type: 'validate'; height: Height; round: number; blockHash: Hash }
  /** Check the SafetyGuard, persist the new safety record, sign, broadcast with the block, feed back as `proposal`. */
  | { type: 'signProposal'; proposal: UnsignedProposal }
  /** Check the SafetyGuard, persist the new safety record, sign, broadcast, feed back as `vote`. */
  | { type: 'signVote'; vote: UnsignedVote }
  /** Deliver `{type:'timeout', height, round, step}` after `ms` milliseconds. */
  | { type: 'scheduleTimeout'; height: Height; round: number; step: Step; ms: number }
  /** The height is decided: store the block `blockHash` with its commit certificate (line 51). */
  | { type: 'commit'; height: Height; round: number; blockHash: Hash; commit: Commit }
  /** A validator equivocated: gossip the evidence and record it on chain. */
  | { type: 'evidence'; evidence: Evidence };
