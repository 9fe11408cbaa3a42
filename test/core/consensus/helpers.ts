/** Hand-written event sequences for the state machine's unit tests. */
import { validator, VOTE_PRECOMMIT, VOTE_PREVOTE, type Validator, type VoteType } from '../../../core/block/index.js';
import {
  initState,
  step,
  type ConsensusAction,
  type ConsensusEvent,
  type ConsensusState,
  type InitOptions,
  type Proposal,
  type Vote,
} from '../../../core/consensus/index.js';
import type { Hash } from '../../../core/types.js';

/** A block hash made of one repeated byte. */
export const B = (byte: number): Hash => new Uint8Array(32).fill(byte);
/** Two distinct values. */
export const A = B(0xaa);
export const C = B(0xcc);

/** A validator set with fake keys (the machine never looks at keys). */
export function validators(powers: number[]): Validator[] {
  return powers.map((p, i) => validator(new Uint8Array(32).fill(i + 1), p));
}

const SIG = new Uint8Array(64);

/** A vote (signature already "verified": the machine trusts it). */
export function vote(type: VoteType, height: number, round: number, blockHash: Hash | null, i: number): Vote {
  return { type, height, round, blockHash, validatorIndex: i, signature: SIG };
}

/** A vote event. */
export const prevote = (h: number, r: number, v: Hash | null, i: number): ConsensusEvent => ({ type: 'vote', vote: vote(VOTE_PREVOTE, h, r, v, i) });
export const precommit = (h: number, r: number, v: Hash | null, i: number): ConsensusEvent => ({ type: 'vote', vote: vote(VOTE_PRECOMMIT, h, r, v, i) });

/** A proposal event. */
export function proposal(h: number, r: number, v: Hash, validRound: number, proposerIndex: number): ConsensusEvent {
  const p: Proposal = { height: h, round: r, blockHash: v, validRound, proposerIndex, signature: SIG };
  return { type: 'proposal', proposal: p };
}

export const validated = (h: number, v: Hash, valid = true): ConsensusEvent => ({ type: 'validated', height: h, blockHash: v, valid });
export const timeout = (h: number, r: number, s: 'propose' | 'prevote' | 'precommit'): ConsensusEvent => ({ type: 'timeout', height: h, round: r, step: s });

/** A machine under test: feeds events, keeps every action. */
export class Machine {
  state: ConsensusState;
  /** Actions of the last `feed` call. */
  last: ConsensusAction[] = [];
  /** All actions so far. */
  all: ConsensusAction[] = [];

  constructor(opts: Partial<InitOptions> & { powers?: number[] } = {}) {
    const { powers = [1, 1, 1, 1], ...rest } = opts;
    this.state = initState({ validators: validators(powers), selfIndex: 0, height: 1, ...rest });
  }

  /** Applies events in order; returns the actions they produced. */
  feed(...events: ConsensusEvent[]): ConsensusAction[] {
    this.last = [];
    for (const e of events) {
      const r = step(this.state, e);
      this.state = r.state;
      this.last.push(...r.actions);
    }
    this.all.push(...this.last);
    return this.last;
  }

  /** The signVote actions of the last feed, as [type, round, value byte | null]. */
  votes(): Array<[VoteType, number, number | null]> {
    return this.last.flatMap((a) => (a.type === 'signVote' ? [[a.vote.type, a.vote.round, a.vote.blockHash ? a.vote.blockHash[0] : null]] : []));
  }

  /** Actions of one type from the last feed. */
  of<T extends ConsensusAction['type']>(type: T): Array<Extract<ConsensusAction, { type: T }>> {
    return this.last.filter((a): a is Extract<ConsensusAction, { type: T }> => a.type === type);
  }
}

export { VOTE_PRECOMMIT, VOTE_PREVOTE };
