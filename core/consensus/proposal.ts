/**
 * Proposals on the wire and their signatures.
 *
 * Proposals get their own signing domain, DOMAIN_PROPOSAL, instead of being a third vote
 * type under DOMAIN_VOTE: the vote domain is what commit certificates and evidence are
 * checked under, so keeping proposals out of it means no proposal signature can ever be
 * presented as a vote (or the reverse), whatever a verifier forgets to check; and the
 * payload carries `validRound`, which votes do not have. The constant lives here, not in
 * core/crypto, because only consensus signs proposals; it is not a prefix of any other
 * domain, nor they of it (design §3; a test checks).
 */
import type { Validator } from '../block/index.js';
import { signDomain, signingDigest, verifyDomain } from '../crypto/index.js';
import { encode, type Value } from '../encoding/index.js';
import { ConsensusError } from './errors.js';
import type { Proposal, UnsignedProposal } from './types.js';
import { decodeMessage, isUint, type SigCheck } from './vote.js';

/** Domain of consensus proposal signatures. */
export const DOMAIN_PROPOSAL = 'medchain/proposal/v1';

/** The bytes a proposer signs: chainId inside so a proposal cannot be replayed on another chain. */
export function proposalPayload(chainId: string, p: UnsignedProposal): Uint8Array {
  return encode([chainId, p.height, p.round, p.blockHash, p.validRound, p.proposerIndex]);
}

/** Signs a proposal with the proposer's secret key. */
export function signProposalMessage(chainId: string, p: UnsignedProposal, secretKey: Uint8Array): Proposal {
  return { ...p, signature: signDomain(DOMAIN_PROPOSAL, proposalPayload(chainId, p), secretKey) };
}

/** The pool check of a proposal's signature, or null when its proposer index is not in the set. */
export function proposalSigCheck(chainId: string, p: Proposal, validators: readonly Validator[]): SigCheck | null {
  const v = validators[p.proposerIndex];
  if (!Number.isSafeInteger(p.proposerIndex) || v === undefined) return null;
  return { publicKey: v.publicKey, message: signingDigest(DOMAIN_PROPOSAL, proposalPayload(chainId, p)), signature: p.signature };
}

/** Verifies a proposal's signature in this thread (tests, tiny sets); the node goes through the pool. */
export function verifyProposal(chainId: string, p: Proposal, validators: readonly Validator[]): boolean {
  const v = validators[p.proposerIndex];
  if (!Number.isSafeInteger(p.proposerIndex) || v === undefined) return false;
  return verifyDomain(DOMAIN_PROPOSAL, proposalPayload(chainId, p), p.signature, v.publicKey);
}

/** The proposal as its canonical tuple `[height, round, blockHash, validRound, proposerIndex, signature]`. */
export function proposalTuple(p: Proposal): Value[] {
  return [p.height, p.round, p.blockHash, p.validRound, p.proposerIndex, p.signature];
}

/** Canonical encoding of a proposal. */
export function encodeProposal(p: Proposal): Uint8Array {
  return encode(proposalTuple(p));
}

/** Rebuilds a proposal from its decoded tuple, checking every field's type and range. */
export function proposalFromTuple(t: Value): Proposal {
  const bad = (msg: string) => new ConsensusError('CONSENSUS_BAD_MESSAGE', `proposal: ${msg}`, {});
  if (!Array.isArray(t) || t.length !== 6) throw bad('expected a 6-element array');
  const [height, round, blockHash, validRound, proposerIndex, signature] = t;
  if (!isUint(height)) throw bad('height must be an unsigned integer');
  if (!isUint(round)) throw bad('round must be an unsigned integer');
  if (!(blockHash instanceof Uint8Array) || blockHash.length !== 32) throw bad('blockHash must be 32 bytes');
  if (typeof validRound !== 'number' || !Number.isSafeInteger(validRound) || validRound < -1 || validRound >= round) {
    throw bad('validRound must be -1 or a round below the proposal round');
  }
  if (!isUint(proposerIndex)) throw bad('proposerIndex must be an unsigned integer');
  if (!(signature instanceof Uint8Array) || signature.length !== 64) throw bad('signature must be 64 bytes');
  return { height, round, blockHash, validRound, proposerIndex, signature };
}

/** Decodes a proposal from the wire; throws ConsensusError('CONSENSUS_BAD_MESSAGE'). */
export function decodeProposal(bytes: Uint8Array): Proposal {
  return proposalFromTuple(decodeMessage(bytes, 'proposal'));
}
