import { encode, equalBytes, type Value } from '../encoding/index.js';
import { DOMAIN_VOTE, sha256, signDomain, signingDigest, verify } from '../crypto/index.js';
import type { Hash, Height } from '../types.js';
import { BlockError } from './errors.js';
import { isQuorum, totalPower, type Validator } from './validators.js';

/** Vote kinds of the Tendermint algorithm. */
export const VOTE_PREVOTE = 1;
export const VOTE_PRECOMMIT = 2;
export type VoteType = typeof VOTE_PREVOTE | typeof VOTE_PRECOMMIT;

/** Hash used for "no block" where a 32-byte hash is required (genesis prevHash, empty commit). */
export const ZERO_HASH: Hash = new Uint8Array(32);

/**
 * The bytes a validator signs for a vote (under the `medchain/vote/v1` domain): chainId is
 * inside so a vote can't be replayed on another chain; `blockHash = nil` is a vote for nothing.
 */
export function votePayload(chainId: string, type: VoteType, height: Height, round: number, blockHash: Hash | null): Uint8Array {
  return encode([type, chainId, height, round, blockHash]);
}

/** Signs a vote. */
export function signVote(
  chainId: string,
  type: VoteType,
  height: Height,
  round: number,
  blockHash: Hash | null,
  secretKey: Uint8Array,
): Uint8Array {
  return signDomain(DOMAIN_VOTE, votePayload(chainId, type, height, round, blockHash), secretKey);
}

/**
 * A commit certificate: precommits of more than 2/3 of the voting power for `blockHash` at
 * (`height`, `round`). `signatures` are `[validatorIndex, sig]`, strictly ascending by index.
 */
export interface Commit {
  height: Height;
  round: number;
  blockHash: Hash;
  signatures: Array<[number, Uint8Array]>;
}

/** The commit as its canonical tuple. */
export function commitTuple(c: Commit): Value[] {
  return [c.height, c.round, c.blockHash, c.signatures.map(([i, s]) => [i, s])];
}

/** sha256 of the encoded commit (the next header's `lastCommitHash`); ZERO_HASH for none. */
export function commitHash(c: Commit | null): Hash {
  return c ? sha256(encode(commitTuple(c))) : ZERO_HASH;
}

/** Rebuilds a commit from its decoded tuple, checking field types. */
export function commitFromTuple(v: Value): Commit {
  const bad = (msg: string) => new BlockError('BLOCK_BAD_COMMIT', `commit: ${msg}`, { field: 'commit' });
  if (!Array.isArray(v) || v.length !== 4) throw bad('expected a 4-element array');
  const [height, round, blockHash, sigs] = v;
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) throw bad('bad height');
  if (typeof round !== 'number' || !Number.isSafeInteger(round) || round < 0) throw bad('bad round');
  if (!(blockHash instanceof Uint8Array) || blockHash.length !== 32) throw bad('bad blockHash');
  if (!Array.isArray(sigs)) throw bad('signatures must be an array');
  const signatures: Array<[number, Uint8Array]> = [];
  for (const s of sigs) {
    if (!Array.isArray(s) || s.length !== 2 || typeof s[0] !== 'number' || !(s[1] instanceof Uint8Array) || s[1].length !== 64) {
      throw bad('each signature must be [validatorIndex, 64-byte sig]');
    }
    signatures.push([s[0], s[1]]);
  }
  return { height, round, blockHash, signatures };
}

/**
 * The signature checks of a commit, for batch verification in the sig pool: `message` is
 * the domain-separated digest the validators signed (what the native verify is given).
 */
export function commitSigItems(chainId: string, c: Commit, validators: readonly Validator[]) {
  const message = signingDigest(DOMAIN_VOTE, votePayload(chainId, VOTE_PRECOMMIT, c.height, c.round, c.blockHash));
  return c.signatures.map(([i, signature]) => ({ publicKey: validators[i].publicKey, message, signature }));
}

/**
 * Checks a commit's structure and quorum against a validator set (height and block match,
 * indices in range and strictly ascending, more than 2/3 of the power) and returns the
 * signature checks still to run, so callers can batch them through the sig pool.
 */
export function checkCommit(
  chainId: string,
  c: Commit,
  validators: readonly Validator[],
  expected: { height: Height; blockHash: Hash },
): ReturnType<typeof commitSigItems> {
  if (c.height !== expected.height) throw commitError(expected.height, `is for height ${c.height}`);
  if (!equalBytes(c.blockHash, expected.blockHash)) throw commitError(expected.height, 'is for another block');
  let power = 0;
  let last = -1;
  for (const [i] of c.signatures) {
    if (!Number.isSafeInteger(i) || i <= last || i >= validators.length) {
      throw commitError(expected.height, `bad validator index ${i}`);
    }
    last = i;
    power += validators[i].power;
  }
  if (!isQuorum(power, totalPower(validators))) {
    throw commitError(expected.height, 'signatures do not reach more than 2/3 of the voting power');
  }
  return commitSigItems(chainId, c, validators);
}

/** Throws unless every signature check passed, naming the first failing validator. */
export function assertCommitSigs(c: Commit, results: readonly boolean[]): void {
  const badAt = results.indexOf(false);
  if (badAt >= 0) throw commitError(c.height, `invalid signature of validator ${c.signatures[badAt][0]}`);
}

/** checkCommit plus signature verification in this thread (small sets, tests). */
export function verifyCommit(
  chainId: string,
  c: Commit,
  validators: readonly Validator[],
  expected: { height: Height; blockHash: Hash },
): void {
  const items = checkCommit(chainId, c, validators, expected);
  assertCommitSigs(c, items.map((it) => verify(it.signature, it.message, it.publicKey)));
}

function commitError(height: Height, msg: string): BlockError {
  return new BlockError('BLOCK_BAD_COMMIT', `commit for height ${height}: ${msg}`, { height });
}
