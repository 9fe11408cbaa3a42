/**
 * The consensus state of Algorithm 1 (lines 1-9) for one validator, plus the message log of
 * the current height. Immutable: `step` returns a new state and never changes its input.
 */
import { MAX_TOTAL_POWER, totalPower, type Commit, type Validator } from '../block/index.js';
import type { Hash, Height } from '../types.js';
import { ConsensusError } from './errors.js';
import { DEFAULT_TIMEOUTS, timeoutConfigProblem, type TimeoutConfig } from './timeouts.js';
import type { ConsensusAction, Proposal, Step, Vote } from './types.js';
import { allVotes, emptyVoteSet, type VoteSet } from './voteSet.js';

/**
 * Highest round accepted: round + 1 and timeouts stay exact, it fits an int32 for other
 * implementations, and at capped timeouts (≤ 12 s a round) it is ~800 years without a block.
 */
export const MAX_ROUND = 2 ** 31 - 1;

/** Bits of RoundState.fired: the "for the first time" upon-rules already executed in the round. */
export const FIRED_PREVOTE_TIMEOUT = 1; // line 34
export const FIRED_LOCK = 2; // line 36
export const FIRED_PRECOMMIT_TIMEOUT = 4; // line 47

/** The message log of one round of the current height. */
export interface RoundState {
  /** The first proposal received from the round's proposer (a second, different one is ignored). */
  readonly proposal: Proposal | null;
  readonly prevotes: VoteSet;
  readonly precommits: VoteSet;
  /** Validators that sent any message in this round, by index (line 55's f+1 ⟨∗, h, round, ∗, ∗⟩). */
  readonly senders: readonly boolean[];
  /** Voting power of `senders`. */
  readonly senderPower: number;
  /** FIRED_* bits. */
  readonly fired: number;
}

/** Outcome of valid(v) for a block hash at this height: asked and not answered yet, or the answer. */
export type Validity = 'pending' | 'valid' | 'invalid';

/** A message held for the next height. */
export type BufferedMessage = { type: 'proposal'; proposal: Proposal } | { type: 'vote'; vote: Vote };

/** One validator's consensus state (Algorithm 1's process-local variables) and its message log. */
export interface ConsensusState {
  /** The validator set of this height, in proposer order. */
  readonly validators: readonly Validator[];
  readonly totalPower: number;
  /** This node's index in `validators`; null for a non-validator that follows consensus without voting. */
  readonly selfIndex: number | null;
  readonly timeouts: Readonly<TimeoutConfig>;
  /** Whether the `start` event has run (line 10). */
  readonly started: boolean;
  /** h_p (line 2). */
  readonly height: Height;
  /** round_p (line 3). */
  readonly round: number;
  /** step_p (line 4). */
  readonly step: Step;
  /** lockedValue_p, lockedRound_p (lines 6-7). */
  readonly lockedValue: Hash | null;
  readonly lockedRound: number;
  /** validValue_p, validRound_p (lines 8-9). */
  readonly validValue: Hash | null;
  readonly validRound: number;
  /** This node, as proposer, asked the app for a block for the current round (line 18) and awaits it. */
  readonly awaitingBlock: boolean;
  /** Message log of the current height by round. */
  readonly rounds: ReadonlyMap<number, RoundState>;
  /** valid(v) per block hash (hex) at this height. */
  readonly validity: ReadonlyMap<string, Validity>;
  /** Messages for height + 1 received early, at most MAX_BUFFERED_PER_VALIDATOR per validator. */
  readonly nextHeight: readonly BufferedMessage[];
  /** The commit certificate of height - 1 when this node decided it (peers still there need its precommits). */
  readonly lastCommit: Commit | null;
}

/** The result of one transition: the new state and the actions to perform, in order. */
export interface StepResult {
  state: ConsensusState;
  actions: ConsensusAction[];
}

/** Options of initState. */
export interface InitOptions {
  validators: readonly Validator[];
  /** This node's validator index, or null for a non-validator. */
  selfIndex: number | null;
  /** The height to decide: the chain head's height + 1. */
  height: Height;
  /** Round to start in (a restarted validator resumes at its last signed round: safety.ts resumePoint). */
  round?: number;
  /** The lock restored from the safety record (resumePoint), if any; it is restored as validValue/validRound too. */
  lock?: { round: number; blockHash: Hash } | null;
  timeouts?: Readonly<TimeoutConfig>;
}

/** The state before `start`: Algorithm 1's initialization (lines 1-9) at `height`. */
export function initState(opts: InitOptions): ConsensusState {
  const bad = (msg: string, context: Record<string, unknown> = {}) => new ConsensusError('CONSENSUS_BAD_CONFIG', msg, context);
  const { validators, selfIndex, height } = opts;
  const round = opts.round ?? 0;
  const lock = opts.lock ?? null;
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  if (!Array.isArray(validators) || validators.length === 0) throw bad('the validator set is empty');
  for (const [i, v] of validators.entries()) {
    if (!Number.isSafeInteger(v.power) || v.power <= 0) throw bad(`validator ${i} has power ${v.power}, expected a positive integer`, { index: i });
  }
  const total = totalPower(validators);
  if (total > MAX_TOTAL_POWER) throw bad(`total voting power ${total} exceeds ${MAX_TOTAL_POWER}`);
  if (selfIndex !== null && (!Number.isSafeInteger(selfIndex) || selfIndex < 0 || selfIndex >= validators.length)) {
    throw bad(`selfIndex ${selfIndex} is not a validator index`, { selfIndex });
  }
  if (!Number.isSafeInteger(height) || height < 1) throw bad(`height ${height} must be a positive integer`, { height });
  if (!Number.isSafeInteger(round) || round < 0 || round > MAX_ROUND) throw bad(`round ${round} is out of range`, { round });
  if (lock !== null && (!Number.isSafeInteger(lock.round) || lock.round < 0 || lock.round > round || !isHash(lock.blockHash))) {
    throw bad('lock must be a 32-byte hash at a round no later than the start round', { round });
  }
  const problem = timeoutConfigProblem(timeouts);
  if (problem) throw bad(problem);
  return {
    validators,
    totalPower: total,
    selfIndex,
    timeouts,
    started: false,
    height,
    round,
    step: 'propose',
    lockedValue: lock ? lock.blockHash : null,
    lockedRound: lock ? lock.round : -1,
    // A lock is also a possible decision value the validator saw (line 36 sets both), and one it
    // validated: restored as validValue, the validator re-proposes it (lines 15-16). Without
    // this, honest proposers whose restarts cleared validValue propose fresh values that the
    // locked validators reject forever (a livelock the simulation found).
    validValue: lock ? lock.blockHash : null,
    validRound: lock ? lock.round : -1,
    awaitingBlock: false,
    rounds: new Map(),
    validity: new Map(),
    nextHeight: [],
    lastCommit: null,
  };
}

/** proposer(h, r) = validators[(h + r) mod n] (issue 8, design §6). */
export function proposerIndex(validators: readonly Validator[], height: Height, round: number): number {
  return (height + round) % validators.length;
}

/** An empty round log. */
export function emptyRound(n: number): RoundState {
  const votes = emptyVoteSet(n);
  return { proposal: null, prevotes: votes, precommits: votes, senders: new Array<boolean>(n).fill(false), senderPower: 0, fired: 0 };
}

/** Whether `power` is more than 1/3 of `total` (the paper's f+1, integer arithmetic). */
export function isOneThird(power: number, total: number): boolean {
  return power * 3 > total;
}

/** Order of steps (step_p ≥ prevote in line 36). */
export function stepOrder(step: Step): number {
  return step === 'propose' ? 0 : step === 'prevote' ? 1 : 2;
}

/**
 * Whether a step added to the message log of the height it started in: what the node's
 * write-ahead log keeps (the proposals and votes to replay before `start` after a restart).
 */
export function logChanged(before: ConsensusState, after: ConsensusState): boolean {
  return after.height === before.height && after.rounds !== before.rounds;
}

/** The signed messages of the current height, rounds ascending: what gossip re-sends to peers that lack them. */
export function storedMessages(state: ConsensusState): { proposals: Proposal[]; votes: Vote[] } {
  const proposals: Proposal[] = [];
  const votes: Vote[] = [];
  for (const r of [...state.rounds.keys()].sort((a, b) => a - b)) {
    const rs = state.rounds.get(r)!;
    if (rs.proposal) proposals.push(rs.proposal);
    votes.push(...allVotes(rs.prevotes), ...allVotes(rs.precommits));
  }
  return { proposals, votes };
}

function isHash(v: unknown): v is Hash {
  return v instanceof Uint8Array && v.length === 32;
}
