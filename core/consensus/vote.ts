/**
 * Votes on the wire and their signatures: signing with DOMAIN_VOTE over core/block's
 * `votePayload` (the bytes commit certificates are checked against), the signature check in
 * the shape the sig pool takes, the canonical tuple codec, and equivocation evidence checks.
 */
import { votePayload, VOTE_PRECOMMIT, VOTE_PREVOTE, type Validator } from '../block/index.js';
import { DOMAIN_VOTE, signDomain, signingDigest, verifyDomain } from '../crypto/index.js';
import { decode, encode, equalBytes, EncodingError, type Value } from '../encoding/index.js';
import { ConsensusError } from './errors.js';
import type { Evidence, UnsignedVote, Vote } from './types.js';

import type { SigCheck } from '../types.js';
export type { SigCheck };

/** Signs a vote with a validator's secret key. */
export function signVoteMessage(chainId: string, vote: UnsignedVote, secretKey: Uint8Array): Vote {
  const payload = votePayload(chainId, vote.type, vote.height, vote.round, vote.blockHash);
  return { ...vote, signature: signDomain(DOMAIN_VOTE, payload, secretKey) };
}

/** The pool check of a vote's signature, or null when its validator index is not in the set. */
export function voteSigCheck(chainId: string, vote: Vote, validators: readonly Validator[]): SigCheck | null {
  const v = validators[vote.validatorIndex];
  if (!Number.isSafeInteger(vote.validatorIndex) || v === undefined) return null;
  const payload = votePayload(chainId, vote.type, vote.height, vote.round, vote.blockHash);
  return { publicKey: v.publicKey, message: signingDigest(DOMAIN_VOTE, payload), signature: vote.signature };
}

/** Verifies a vote's signature in this thread (tests, tiny sets); the node goes through the pool. */
export function verifyVote(chainId: string, vote: Vote, validators: readonly Validator[]): boolean {
  const v = validators[vote.validatorIndex];
  if (!Number.isSafeInteger(vote.validatorIndex) || v === undefined) return false;
  const payload = votePayload(chainId, vote.type, vote.height, vote.round, vote.blockHash);
  return verifyDomain(DOMAIN_VOTE, payload, vote.signature, v.publicKey);
}

/** The vote as its canonical tuple `[type, height, round, blockHash | nil, validatorIndex, signature]`. */
export function voteTuple(v: Vote): Value[] {
  return [v.type, v.height, v.round, v.blockHash, v.validatorIndex, v.signature];
}

/** Canonical encoding of a vote. */
export function encodeVote(v: Vote): Uint8Array {
  return encode(voteTuple(v));
}

/** Rebuilds a vote from its decoded tuple, checking every field's type and range. */
export function voteFromTuple(t: Value): Vote {
  const bad = (msg: string) => new ConsensusError('CONSENSUS_BAD_MESSAGE', `vote: ${msg}`, {});
  if (!Array.isArray(t) || t.length !== 6) throw bad('expected a 6-element array');
  const [type, height, round, blockHash, validatorIndex, signature] = t;
  if (type !== VOTE_PREVOTE && type !== VOTE_PRECOMMIT) throw bad('type must be 1 (prevote) or 2 (precommit)');
  if (!isUint(height)) throw bad('height must be an unsigned integer');
  if (!isUint(round)) throw bad('round must be an unsigned integer');
  if (blockHash !== null && !(blockHash instanceof Uint8Array && blockHash.length === 32)) throw bad('blockHash must be 32 bytes or nil');
  if (!isUint(validatorIndex)) throw bad('validatorIndex must be an unsigned integer');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw bad('signature must be 64 bytes');
  return { type, height, round, blockHash, validatorIndex, signature };
}

/** Decodes a vote from the wire; throws ConsensusError('CONSENSUS_BAD_MESSAGE'). */
export function decodeVote(bytes: Uint8Array): Vote {
  return voteFromTuple(decodeMessage(bytes, 'vote'));
}

/** Decodes canonical msgpack, turning an EncodingError into CONSENSUS_BAD_MESSAGE for `what`. */
export function decodeMessage(bytes: Uint8Array, what: string): Value {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof EncodingError) throw new ConsensusError('CONSENSUS_BAD_MESSAGE', `${what}: ${e.message}`, { cause: e.code });
    throw e;
  }
}

/** Whether `v` is a safe non-negative integer. */
export function isUint(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Whether two vote values are the same (both nil, or equal hashes). */
export function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b);
}

/**
 * Why `ev` is not evidence of equivocation against `validators` (null when it is, signatures
 * aside): both votes from one validator in the set, same type, height and round, different values.
 */
export function evidenceProblem(ev: Evidence, validators: readonly Validator[]): string | null {
  const { vote1: a, vote2: b } = ev;
  if (a.validatorIndex !== b.validatorIndex) return 'votes are from different validators';
  if (!Number.isSafeInteger(a.validatorIndex) || validators[a.validatorIndex] === undefined) return 'unknown validator';
  if (a.type !== b.type || a.height !== b.height || a.round !== b.round) return 'votes are for different steps';
  if (sameValue(a.blockHash, b.blockHash)) return 'votes are for the same value';
  return null;
}

/** Canonical encoding of evidence (the p2p `evidence` payload): `[vote1Bytes, vote2Bytes]`. */
export function encodeEvidence(ev: Evidence): Uint8Array {
  return encode([encodeVote(ev.vote1), encodeVote(ev.vote2)]);
}

/** Decodes evidence from a peer; throws ConsensusError('CONSENSUS_BAD_MESSAGE'). */
export function decodeEvidence(bytes: Uint8Array): Evidence {
  const t = decodeMessage(bytes, 'evidence');
  if (!Array.isArray(t) || t.length !== 2 || !(t[0] instanceof Uint8Array) || !(t[1] instanceof Uint8Array)) {
    throw new ConsensusError('CONSENSUS_BAD_MESSAGE', 'evidence: expected [vote1: bytes, vote2: bytes]', {});
  }
  return { vote1: decodeVote(t[0]), vote2: decodeVote(t[1]) };
}

/** The two signature checks of an evidence record (run them through the pool after evidenceProblem). */
export function evidenceSigChecks(chainId: string, ev: Evidence, validators: readonly Validator[]): SigCheck[] {
  const c1 = voteSigCheck(chainId, ev.vote1, validators);
  const c2 = voteSigCheck(chainId, ev.vote2, validators);
  if (c1 === null || c2 === null) throw new ConsensusError('CONSENSUS_BAD_MESSAGE', 'evidence: unknown validator', {});
  return [c1, c2];
}
