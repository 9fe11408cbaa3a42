/**
 * Commit certificates: quorum (> 2/3 of the power, integer math), signer index rules, the
 * height and block they are for, signatures, and vote domain separation. Also the validator
 * set hash and orderedRoot.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { devKey, DOMAIN_TX, DOMAIN_VOTE, sha256, signDomain, signingDigest, verify, verifyDomain } from '../../../core/crypto/index.js';
import { encode, toHex } from '../../../core/encoding/index.js';
import {
  assertCommitSigs,
  BlockError,
  checkCommit,
  isQuorum,
  MAX_TOTAL_POWER,
  orderedRoot,
  signVote,
  totalPower,
  validator,
  validatorsHash,
  verifyCommit,
  VOTE_PRECOMMIT,
  VOTE_PREVOTE,
  votePayload,
  type Commit,
  type Validator,
} from '../../../core/block/index.js';
import { Trie } from '../../../core/trie/index.js';

const CHAIN = 'medchain-test';
const keys = Array.from({ length: 7 }, (_, i) => devKey(i));
const HEIGHT = 12;
const BLOCK = sha256(Uint8Array.of(1, 2, 3));

function set(powers: number[]): Validator[] {
  return powers.map((p, i) => validator(keys[i].publicKey, p));
}

/** A commit signed by validators `signers` (indices into the set) for (HEIGHT, round 0, BLOCK). */
function commitBy(signers: number[], over: Partial<Commit> = {}): Commit {
  const c = { height: HEIGHT, round: 0, blockHash: BLOCK, ...over };
  return {
    ...c,
    signatures: signers.map((i) => [i, signVote(CHAIN, VOTE_PRECOMMIT, c.height, c.round, c.blockHash, keys[i].secretKey)] as [number, Uint8Array]),
  };
}

const expected = { height: HEIGHT, blockHash: BLOCK };

function expectBadCommit(f: () => unknown, message?: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(BlockError);
  expect((caught as BlockError).code).toBe('BLOCK_BAD_COMMIT');
  if (message) expect((caught as BlockError).message).toMatch(message);
}

describe('quorum', () => {
  it('isQuorum is strictly more than 2/3 of the power', () => {
    expect(isQuorum(2, 3)).toBe(false);
    expect(isQuorum(3, 3)).toBe(true);
    expect(isQuorum(3, 4)).toBe(true);
    expect(isQuorum(2, 4)).toBe(false);
    expect(isQuorum(4, 6)).toBe(false); // exactly 2/3
    expect(isQuorum(5, 6)).toBe(true);
    expect(isQuorum(67, 100)).toBe(true);
    expect(isQuorum(66, 99)).toBe(false);
    expect(isQuorum(1, 1)).toBe(true);
    expect(isQuorum(0, 1)).toBe(false);
  });

  it('2 of 3 equal validators are not enough; 3 of 3 are', () => {
    const v = set([1, 1, 1]);
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([0, 1]), v, expected), /2\/3/);
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([1, 2]), v, expected), /2\/3/);
    expect(() => verifyCommit(CHAIN, commitBy([0, 1, 2]), v, expected)).not.toThrow();
  });

  it('3 of 4 equal validators are enough, 2 of 4 are not', () => {
    const v = set([1, 1, 1, 1]);
    expect(() => verifyCommit(CHAIN, commitBy([0, 1, 3]), v, expected)).not.toThrow();
    expect(() => verifyCommit(CHAIN, commitBy([1, 2, 3]), v, expected)).not.toThrow();
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([0, 3]), v, expected));
  });

  it('counts power, not heads', () => {
    const v = set([10, 1, 1, 1]); // total 13: > 26/3 needs 9
    expect(() => verifyCommit(CHAIN, commitBy([0]), v, expected)).not.toThrow();
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([1, 2, 3]), v, expected));
    const w = set([3, 3, 3, 1]); // total 10: needs 7
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([0, 1]), w, expected));
    expect(() => verifyCommit(CHAIN, commitBy([0, 1, 3]), w, expected)).not.toThrow(); // 7 * 3 = 21 > 20
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([1, 2]), w, expected)); // 6 * 3 = 18 ≤ 20
  });

  it('a single validator (dev mode) commits alone; an empty commit never does', () => {
    const v = set([1]);
    expect(() => verifyCommit(CHAIN, commitBy([0]), v, expected)).not.toThrow();
    expectBadCommit(() => verifyCommit(CHAIN, commitBy([]), v, expected));
  });

  it('property: quorum over any set within MAX_TOTAL_POWER agrees with exact bigint arithmetic', () => {
    const powers = fc.array(fc.integer({ min: 1, max: MAX_TOTAL_POWER }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(powers, fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), (ps, signs) => {
        let total = 0n;
        const scaled = ps.map((p) => Math.max(1, Math.floor(p / ps.length)));
        for (const p of scaled) total += BigInt(p);
        const v = scaled.map((power) => ({ power }) as Validator);
        let power = 0;
        let exact = 0n;
        scaled.forEach((p, i) => {
          if (signs[i]) {
            power += p;
            exact += BigInt(p);
          }
        });
        expect(BigInt(totalPower(v))).toBe(total);
        expect(isQuorum(power, totalPower(v))).toBe(exact * 3n > total * 2n);
      }),
      { numRuns: 2000 },
    );
    // right at the boundary: 2/3 exactly is not a quorum, one more is
    const third = Math.floor(MAX_TOTAL_POWER / 3);
    expect(isQuorum(2 * third, 3 * third)).toBe(false);
    expect(isQuorum(2 * third + 1, 3 * third)).toBe(true);
  });

  it('totalPower sums the set', () => {
    expect(totalPower(set([1, 2, 3, 4]))).toBe(10);
    expect(totalPower([])).toBe(0);
  });
});

describe('checkCommit structure', () => {
  const v = set([1, 1, 1, 1]);

  it('rejects signer indices out of order, duplicated, negative or out of range', () => {
    const good = commitBy([0, 1, 2]);
    const sigs = good.signatures;
    const cases: Array<Array<[number, Uint8Array]>> = [
      [sigs[1], sigs[0], sigs[2]], // descending
      [sigs[0], sigs[0], sigs[1], sigs[2]], // duplicate
      [sigs[0], [0, sigs[1][1]], sigs[2]], // duplicate index with another sig
      [[-1, sigs[0][1]], sigs[1], sigs[2]],
      [sigs[0], sigs[1], sigs[2], [4, sigs[2][1]]], // out of range
      [sigs[0], sigs[1], [2 ** 40, sigs[2][1]]],
      [sigs[0], sigs[1], [1.5, sigs[2][1]]],
    ];
    for (const signatures of cases) {
      expectBadCommit(() => checkCommit(CHAIN, { ...good, signatures }, v, expected), /validator index/);
    }
  });

  it('a duplicated signer cannot manufacture a quorum', () => {
    const good = commitBy([0, 1]);
    const dup: Commit = { ...good, signatures: [good.signatures[0], good.signatures[1], good.signatures[1]] };
    expectBadCommit(() => verifyCommit(CHAIN, dup, v, expected));
  });

  it('rejects a commit for another height or another block', () => {
    expectBadCommit(() => checkCommit(CHAIN, commitBy([0, 1, 2], { height: HEIGHT + 1 }), v, expected), /height/);
    expectBadCommit(() => checkCommit(CHAIN, commitBy([0, 1, 2], { blockHash: sha256(Uint8Array.of(9)) }), v, expected), /another block/);
    // the commit claims the expected block but its votes were signed for another height
    const other = commitBy([0, 1, 2], { height: HEIGHT - 1 });
    expectBadCommit(() => verifyCommit(CHAIN, { ...other, height: HEIGHT }, v, expected), /invalid signature/);
  });

  it('returns one signature check per signer, over the signed digest of the precommit payload', () => {
    const c = commitBy([0, 2, 3]);
    const items = checkCommit(CHAIN, c, v, expected);
    expect(items).toHaveLength(3);
    expect(items.map((i) => toHex(i.publicKey))).toEqual([0, 2, 3].map((i) => toHex(keys[i].publicKey)));
    for (const it of items) {
      // the pool verifies `message` natively, so it must be the digest the validator signed
      expect(it.message).toEqual(signingDigest(DOMAIN_VOTE, votePayload(CHAIN, VOTE_PRECOMMIT, HEIGHT, 0, BLOCK)));
      expect(verify(it.signature, it.message, it.publicKey)).toBe(true);
    }
  });
});

describe('commit signatures', () => {
  const v = set([1, 1, 1, 1]);

  it('rejects a bad signature, naming the validator', () => {
    const c = commitBy([0, 1, 2]);
    const bad = c.signatures[1][1].slice();
    bad[5] ^= 1;
    c.signatures[1] = [1, bad];
    expectBadCommit(() => verifyCommit(CHAIN, c, v, expected), /invalid signature of validator 1/);
  });

  it("rejects a signature by another validator's key in a signer's slot", () => {
    const c = commitBy([0, 1, 2]);
    c.signatures[2] = [2, signVote(CHAIN, VOTE_PRECOMMIT, HEIGHT, 0, BLOCK, keys[3].secretKey)];
    expectBadCommit(() => verifyCommit(CHAIN, c, v, expected), /validator 2/);
  });

  it('rejects votes for another chain, round or vote type', () => {
    const otherChain = commitBy([0, 1, 2]);
    otherChain.signatures = [0, 1, 2].map((i) => [i, signVote('other-chain', VOTE_PRECOMMIT, HEIGHT, 0, BLOCK, keys[i].secretKey)]);
    expectBadCommit(() => verifyCommit(CHAIN, otherChain, v, expected), /invalid signature/);

    const round1 = commitBy([0, 1, 2], { round: 1 });
    expect(() => verifyCommit(CHAIN, round1, v, expected)).not.toThrow();
    expectBadCommit(() => verifyCommit(CHAIN, { ...round1, round: 0 }, v, expected), /invalid signature/);

    const prevotes = commitBy([0, 1, 2]);
    prevotes.signatures = [0, 1, 2].map((i) => [i, signVote(CHAIN, VOTE_PREVOTE, HEIGHT, 0, BLOCK, keys[i].secretKey)]);
    expectBadCommit(() => verifyCommit(CHAIN, prevotes, v, expected), /invalid signature/);
  });

  it('domain separation: a tx-domain signature of the same vote bytes does not count', () => {
    const payload = votePayload(CHAIN, VOTE_PRECOMMIT, HEIGHT, 0, BLOCK);
    const c = commitBy([0, 1, 2]);
    c.signatures[0] = [0, signDomain(DOMAIN_TX, payload, keys[0].secretKey)];
    expectBadCommit(() => verifyCommit(CHAIN, c, v, expected), /invalid signature of validator 0/);
    // while the vote-domain signature of those bytes does
    c.signatures[0] = [0, signDomain(DOMAIN_VOTE, payload, keys[0].secretKey)];
    expect(() => verifyCommit(CHAIN, c, v, expected)).not.toThrow();
  });

  it('assertCommitSigs names the first failing signer', () => {
    const c = commitBy([0, 2, 3]);
    expect(() => assertCommitSigs(c, [true, true, true])).not.toThrow();
    expectBadCommit(() => assertCommitSigs(c, [true, false, false]), /validator 2/);
  });

  it('votePayload binds every field', () => {
    const base = toHex(votePayload(CHAIN, VOTE_PRECOMMIT, 5, 0, BLOCK));
    expect(base).toBe(toHex(encode([VOTE_PRECOMMIT, CHAIN, 5, 0, BLOCK])));
    const variants = [
      votePayload('x', VOTE_PRECOMMIT, 5, 0, BLOCK),
      votePayload(CHAIN, VOTE_PREVOTE, 5, 0, BLOCK),
      votePayload(CHAIN, VOTE_PRECOMMIT, 6, 0, BLOCK),
      votePayload(CHAIN, VOTE_PRECOMMIT, 5, 1, BLOCK),
      votePayload(CHAIN, VOTE_PRECOMMIT, 5, 0, null),
    ].map(toHex);
    expect(new Set([base, ...variants]).size).toBe(6);
  });
});

describe('validatorsHash', () => {
  it('is sha256 of [[publicKey, power], …] in set order and changes with power or order', () => {
    const v = set([1, 2]);
    expect(validatorsHash(v)).toEqual(sha256(encode([[keys[0].publicKey, 1], [keys[1].publicKey, 2]])));
    expect(validatorsHash(set([1, 3]))).not.toEqual(validatorsHash(v));
    expect(validatorsHash([v[1], v[0]])).not.toEqual(validatorsHash(v));
  });

  it('derives the validator address from its key', () => {
    expect(validator(keys[0].publicKey).address).toEqual(keys[0].address);
    expect(validator(keys[0].publicKey).power).toBe(1);
  });
});

describe('orderedRoot', () => {
  it('of no items is the empty trie root', async () => {
    const empty = await orderedRoot([]);
    expect(empty).toEqual(new Trie().root());
    expect(toHex(empty)).toBe(toHex(sha256(Uint8Array.of(0x80))));
  });

  it('is stable, and equals a trie mapping encode(index) → item', async () => {
    const items = [Uint8Array.of(1), new Uint8Array(40).fill(7), Uint8Array.of(3, 4)];
    const a = await orderedRoot(items);
    const b = await orderedRoot(items.map((x) => x.slice()));
    expect(a).toEqual(b);
    const t = new Trie();
    for (let i = 0; i < items.length; i++) await t.put(encode(i), items[i]);
    expect(a).toEqual(t.flush().root);
  });

  it('depends on order and content', async () => {
    const items = [Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)];
    const a = toHex(await orderedRoot(items));
    expect(toHex(await orderedRoot([items[1], items[0], items[2]]))).not.toBe(a);
    expect(toHex(await orderedRoot(items.slice(0, 2)))).not.toBe(a);
    expect(toHex(await orderedRoot([...items, Uint8Array.of(4)]))).not.toBe(a);
  });

  it('handles more than 128 items (multi-byte index keys)', async () => {
    const items = Array.from({ length: 300 }, (_, i) => encode(['tx', i]));
    const root = await orderedRoot(items);
    expect(root).toHaveLength(32);
    expect(await orderedRoot(items)).toEqual(root);
  });
});
