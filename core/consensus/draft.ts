/**
 * The working copy a transition edits: a shallow copy of the input state whose maps are
 * copied on first write, so `step` can be written imperatively while its input state stays
 * untouched (the transition is pure from outside).
 */
import type { ConsensusState, RoundState, StepResult, Validity } from './state.js';
import { emptyRound } from './state.js';
import type { ConsensusAction } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A transition in progress: the state being built and the actions emitted so far. */
export class Draft {
  readonly s: Mutable<ConsensusState>;
  readonly actions: ConsensusAction[] = [];
  #roundsOwned = false;
  #validityOwned = false;

  constructor(state: ConsensusState) {
    this.s = { ...state };
  }

  /** Number of validators. */
  get n(): number {
    return this.s.validators.length;
  }

  /** Voting power of validator `i`. */
  power(i: number): number {
    return this.s.validators[i].power;
  }

  /** The log of round `r` (an empty one if nothing arrived for it yet). */
  roundState(r: number): RoundState {
    return this.s.rounds.get(r) ?? emptyRound(this.n);
  }

  /** Replaces the log of round `r`. */
  setRound(r: number, rs: RoundState): void {
    if (!this.#roundsOwned) {
      this.s.rounds = new Map(this.s.rounds);
      this.#roundsOwned = true;
    }
    (this.s.rounds as Map<number, RoundState>).set(r, rs);
  }

  /** Records valid(v) for a value key. */
  setValidity(key: string, v: Validity): void {
    if (!this.#validityOwned) {
      this.s.validity = new Map(this.s.validity);
      this.#validityOwned = true;
    }
    (this.s.validity as Map<string, Validity>).set(key, v);
  }

  /** Empties the message log and validity cache (a new height, line 53). */
  clearHeight(): void {
    this.s.rounds = new Map();
    this.s.validity = new Map();
    this.#roundsOwned = true;
    this.#validityOwned = true;
  }

  /** Appends an action. */
  emit(a: ConsensusAction): void {
    this.actions.push(a);
  }

  /** The finished transition. */
  result(): StepResult {
    return { state: this.s, actions: this.actions };
  }
}
