/**
 * The SafetyGuard: double-sign protection (design §6). A validator persists the last message
 * it signed — (height, round, step, value) plus the signature — before the message leaves the
 * node, and consults it before signing anything else. It never signs a message at an earlier
 * (height, round, step) than the last one, nor a different value at the same one; signing the
 * identical message again returns the stored signature (a re-broadcast). Keeping only the last
 * record is enough because the state machine signs in strictly increasing (height, round, step)
 * order; an earlier step can't be checked for conflicts, so it is refused outright (as
 * CometBFT's FilePV does).
 *
 * The record also keeps the validator's lock (its last non-nil precommit at the record's
 * height: lockedValue/lockedRound of Algorithm 1, which change only when a precommit is
 * signed, lines 38-40), so a restarted node resumes with its lock instead of forgetting it.
 *
 * Pure functions; the node owns the storage: check → sign → persist `recordSigned(…)` → send.
 *
 * The guard keeps a restarted validator safe; to keep it live the node also needs a
 * write-ahead log of the current height's proposals and votes (those for which `logChanged`
 * is true, its own included, written before they are sent), replayed into the machine before
 * `start`. Without it a vote lost in flight when the node crashed, or the quorum of prevotes
 * behind its lock, is gone for good, and the simulation shows that can stall a height forever.
 */
import { VOTE_PRECOMMIT, VOTE_PREVOTE } from '../block/index.js';
import { encode, equalBytes, type Value } from '../encoding/index.js';
import type { Hash, Height } from '../types.js';
import { ConsensusError } from './errors.js';
import type { UnsignedProposal, UnsignedVote } from './types.js';
import { decodeMessage, isUint, sameValue } from './vote.js';

/** Step number of a proposal signature: the first message of a round. */
export const SIGN_STEP_PROPOSAL = 0;
/** Signing steps in their order within a round: proposal 0, prevote 1, precommit 2 (the vote type numbers). */
export type SignStep = typeof SIGN_STEP_PROPOSAL | typeof VOTE_PREVOTE | typeof VOTE_PRECOMMIT;

/** Version tag of the persisted record's encoding. */
export const SAFETY_RECORD_VERSION = 1;

/** What a signature would cover, as the guard sees it. `validRound` is -1 for votes. */
export interface SignTarget {
  height: Height;
  round: number;
  step: SignStep;
  blockHash: Hash | null;
  validRound: number;
}

/** A validator's lock: its last non-nil precommit. */
export interface Lock {
  height: Height;
  round: number;
  blockHash: Hash;
}

/** The persisted record: the last signed message and the lock. */
export interface SafetyRecord extends SignTarget {
  signature: Uint8Array;
  lock: Lock | null;
}

/** The guard's answer. */
export type SignDecision =
  | { kind: 'sign' }
  /** The identical message was signed last: send this signature again, sign nothing new. */
  | { kind: 'resend'; signature: Uint8Array }
  /** Signing would risk a double sign: `conflict` = other value at the same step, `regression` = an earlier step. */
  | { kind: 'refuse'; reason: 'conflict' | 'regression'; last: SafetyRecord };

/** The guard's view of a vote. */
export function voteTarget(v: UnsignedVote): SignTarget {
  return { height: v.height, round: v.round, step: v.type, blockHash: v.blockHash, validRound: -1 };
}

/** The guard's view of a proposal. */
export function proposalTarget(p: UnsignedProposal): SignTarget {
  return { height: p.height, round: p.round, step: SIGN_STEP_PROPOSAL, blockHash: p.blockHash, validRound: p.validRound };
}

/** Orders (height, round, step) positions: negative, zero or positive. */
function comparePosition(a: SignTarget, b: SignTarget): number {
  return a.height - b.height || a.round - b.round || a.step - b.step;
}

/** Decides whether `target` may be signed after `last` (null: nothing signed yet). */
export function checkSign(last: SafetyRecord | null, target: SignTarget): SignDecision {
  if (last === null) return { kind: 'sign' };
  const order = comparePosition(target, last);
  if (order > 0) return { kind: 'sign' };
  if (order < 0) return { kind: 'refuse', reason: 'regression', last };
  if (sameValue(target.blockHash, last.blockHash) && target.validRound === last.validRound) {
    return { kind: 'resend', signature: last.signature };
  }
  return { kind: 'refuse', reason: 'conflict', last };
}

/** The record to persist after signing `target` (before the message is sent). */
export function recordSigned(last: SafetyRecord | null, target: SignTarget, signature: Uint8Array): SafetyRecord {
  let lock = last?.lock && last.lock.height === target.height ? last.lock : null;
  if (target.step === VOTE_PRECOMMIT && target.blockHash !== null) {
    lock = { height: target.height, round: target.round, blockHash: target.blockHash };
  }
  return { ...target, signature, lock };
}

/**
 * Where a restarted validator resumes at `height` (its chain head + 1): the round of its last
 * signature there (so it does not sit through rounds it already left) and its lock.
 */
export function resumePoint(last: SafetyRecord | null, height: Height): { round: number; lock: { round: number; blockHash: Hash } | null } {
  if (last === null || last.height !== height) return { round: 0, lock: null };
  const lock = last.lock && last.lock.height === height ? { round: last.lock.round, blockHash: last.lock.blockHash } : null;
  return { round: last.round, lock };
}

/** Canonical encoding `[version, height, round, step, blockHash|nil, validRound, signature, [h, r, hash]|nil]`. */
export function encodeSafetyRecord(r: SafetyRecord): Uint8Array {
  const lock: Value = r.lock ? [r.lock.height, r.lock.round, r.lock.blockHash] : null;
  return encode([SAFETY_RECORD_VERSION, r.height, r.round, r.step, r.blockHash, r.validRound, r.signature, lock]);
}

/** Decodes a persisted record; throws ConsensusError('CONSENSUS_BAD_SAFETY_RECORD'). */
export function decodeSafetyRecord(bytes: Uint8Array): SafetyRecord {
  const bad = (msg: string) => new ConsensusError('CONSENSUS_BAD_SAFETY_RECORD', `safety record: ${msg}`, {});
  let t: Value;
  try {
    t = decodeMessage(bytes, 'safety record');
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!Array.isArray(t) || t.length !== 8) throw bad('expected an 8-element array');
  const [version, height, round, step, blockHash, validRound, signature, lock] = t;
  if (version !== SAFETY_RECORD_VERSION) throw bad(`unknown version ${String(version)}`);
  if (!isUint(height) || !isUint(round)) throw bad('height and round must be unsigned integers');
  if (step !== SIGN_STEP_PROPOSAL && step !== VOTE_PREVOTE && step !== VOTE_PRECOMMIT) throw bad('bad step');
  if (blockHash !== null && !isHash(blockHash)) throw bad('blockHash must be 32 bytes or nil');
  if (typeof validRound !== 'number' || !Number.isSafeInteger(validRound) || validRound < -1) throw bad('bad validRound');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw bad('signature must be 64 bytes');
  let parsedLock: Lock | null = null;
  if (lock !== null) {
    if (!Array.isArray(lock) || lock.length !== 3 || !isUint(lock[0]) || !isUint(lock[1]) || !isHash(lock[2])) throw bad('bad lock');
    parsedLock = { height: lock[0], round: lock[1], blockHash: lock[2] };
  }
  return { height, round, step, blockHash, validRound, signature, lock: parsedLock };
}

function isHash(v: unknown): v is Hash {
  return v instanceof Uint8Array && v.length === 32;
}

/** Whether two records are identical (tests, and a node checking its write). */
export function sameRecord(a: SafetyRecord, b: SafetyRecord): boolean {
  return equalBytes(encodeSafetyRecord(a), encodeSafetyRecord(b));
}
