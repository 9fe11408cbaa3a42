/**
 * Proposals and votes on the wire: signing with real dev keys, verification in-thread and in
 * the sig pool's shape (the digest), domain separation between votes and proposals, the
 * proposal domain is prefix-free with the other domains, canonical codecs and hostile input,
 * and equivocation evidence checks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validator, votePayload, VOTE_PRECOMMIT, VOTE_PREVOTE, verifyCommit } from '../../../core/block/index.js';
import { devKey, DOMAIN_HELLO, DOMAIN_TX, DOMAIN_VOTE, verify, verifyDomain } from '../../../core/crypto/index.js';
import {
  ConsensusError,
  decodeProposal,
  decodeVote,
  DOMAIN_PROPOSAL,
  encodeProposal,
  encodeVote,
  evidenceProblem,
  evidenceSigChecks,
  proposalPayload,
  proposalSigCheck,
  signProposalMessage,
  signVoteMessage,
  verifyProposal,
  verifyVote,
  voteSigCheck,
  type UnsignedProposal,
  type UnsignedVote,
} from '../../../core/consensus/index.js';
import { encode } from '../../../core/encoding/index.js';
import { A, C } from './helpers.js';

const CHAIN = 'medchain-test';
const keys = [0, 1, 2, 3].map(devKey);
const set = keys.map((k) => validator(k.publicKey));
const uv: UnsignedVote = { type: VOTE_PRECOMMIT, height: 9, round: 2, blockHash: A, validatorIndex: 1 };
const up: UnsignedProposal = { height: 9, round: 2, blockHash: A, validRound: 0, proposerIndex: 3 };

describe('votes', () => {
  it('sign and verify over votePayload under the vote domain, so they make commit certificates', () => {
    const v = signVoteMessage(CHAIN, uv, keys[1].secretKey);
    expect(verifyVote(CHAIN, v, set)).toBe(true);
    expect(verifyDomain(DOMAIN_VOTE, votePayload(CHAIN, VOTE_PRECOMMIT, 9, 2, A), v.signature, keys[1].publicKey)).toBe(true);
    const check = voteSigCheck(CHAIN, v, set)!;
    expect(verify(check.signature, check.message, check.publicKey)).toBe(true); // what the pool runs
    const sigs = [0, 1, 2].map((i) => [i, signVoteMessage(CHAIN, { ...uv, validatorIndex: i }, keys[i].secretKey).signature] as [number, Uint8Array]);
    expect(() => verifyCommit(CHAIN, { height: 9, round: 2, blockHash: A, signatures: sigs }, set, { height: 9, blockHash: A })).not.toThrow();
  });

  it('do not verify for another chain, signer, value or field', () => {
    const v = signVoteMessage(CHAIN, uv, keys[1].secretKey);
    expect(verifyVote('other-chain', v, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, validatorIndex: 2 }, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, blockHash: C }, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, blockHash: null }, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, type: VOTE_PREVOTE }, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, round: 3 }, set)).toBe(false);
    expect(verifyVote(CHAIN, { ...v, validatorIndex: 9 }, set)).toBe(false);
    expect(voteSigCheck(CHAIN, { ...v, validatorIndex: 9 }, set)).toBeNull();
  });

  it('round-trip through the canonical codec; hostile bytes throw CONSENSUS_BAD_MESSAGE', () => {
    const v = signVoteMessage(CHAIN, uv, keys[1].secretKey);
    expect(decodeVote(encodeVote(v))).toEqual(v);
    const nil = signVoteMessage(CHAIN, { ...uv, blockHash: null }, keys[1].secretKey);
    expect(decodeVote(encodeVote(nil))).toEqual(nil);
    const bad = [
      new Uint8Array([0xc1]),
      encode([3, 9, 2, A, 1, v.signature]),
      encode([1, -9, 2, A, 1, v.signature]),
      encode([1, 9, 2, new Uint8Array(31), 1, v.signature]),
      encode([1, 9, 2, A, 1, new Uint8Array(63)]),
      encode([1, 9, 2, A, 1]),
      encode({ type: 1 }),
    ];
    for (const b of bad) expect(() => decodeVote(b)).toThrow(expect.objectContaining({ code: 'CONSENSUS_BAD_MESSAGE' }));
  });

  it('never throw anything but ConsensusError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decodeFn of [decodeVote, decodeProposal]) {
          try {
            decodeFn(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(ConsensusError);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('proposals', () => {
  it('sign and verify under their own domain, never as votes', () => {
    const p = signProposalMessage(CHAIN, up, keys[3].secretKey);
    expect(verifyProposal(CHAIN, p, set)).toBe(true);
    const check = proposalSigCheck(CHAIN, p, set)!;
    expect(verify(check.signature, check.message, check.publicKey)).toBe(true);
    expect(verifyProposal(CHAIN, { ...p, validRound: -1 }, set)).toBe(false);
    expect(verifyProposal(CHAIN, { ...p, proposerIndex: 2 }, set)).toBe(false);
    // the same bytes under the vote domain do not verify: no cross-use of signatures
    expect(verifyDomain(DOMAIN_VOTE, proposalPayload(CHAIN, up), p.signature, keys[3].publicKey)).toBe(false);
  });

  it('use a domain that is not a prefix of another, nor has one as prefix (design §3)', () => {
    const domains = [DOMAIN_TX, DOMAIN_VOTE, DOMAIN_HELLO, DOMAIN_PROPOSAL];
    for (const a of domains) for (const b of domains) if (a !== b) expect(b.startsWith(a)).toBe(false);
  });

  it('round-trip through the canonical codec; validRound must be -1 or below the round', () => {
    const p = signProposalMessage(CHAIN, up, keys[3].secretKey);
    expect(decodeProposal(encodeProposal(p))).toEqual(p);
    for (const vr of [-2, 2, 3]) {
      expect(() => decodeProposal(encode([9, 2, A, vr, 3, p.signature]))).toThrow(expect.objectContaining({ code: 'CONSENSUS_BAD_MESSAGE' }));
    }
  });
});

describe('evidence', () => {
  const v1 = signVoteMessage(CHAIN, { ...uv, type: VOTE_PREVOTE }, keys[2].secretKey);
  const v1b = { ...v1, validatorIndex: 2 };
  const a = signVoteMessage(CHAIN, { ...uv, validatorIndex: 2 }, keys[2].secretKey);
  const b = signVoteMessage(CHAIN, { ...uv, validatorIndex: 2, blockHash: null }, keys[2].secretKey);

  it('accepts two signed votes of one validator for different values at one step', () => {
    expect(evidenceProblem({ vote1: a, vote2: b }, set)).toBeNull();
    expect(evidenceSigChecks(CHAIN, { vote1: a, vote2: b }, set).every((c) => verify(c.signature, c.message, c.publicKey))).toBe(true);
  });

  it('rejects pairs that are not equivocation', () => {
    expect(evidenceProblem({ vote1: a, vote2: a }, set)).toMatch(/same value/);
    expect(evidenceProblem({ vote1: a, vote2: { ...b, round: 3 } }, set)).toMatch(/different steps/);
    expect(evidenceProblem({ vote1: a, vote2: { ...b, validatorIndex: 1 } }, set)).toMatch(/different validators/);
    expect(evidenceProblem({ vote1: { ...a, validatorIndex: 7 }, vote2: { ...b, validatorIndex: 7 } }, set)).toMatch(/unknown/);
    expect(evidenceProblem({ vote1: v1b, vote2: b }, set)).toMatch(/different steps/);
  });
});
