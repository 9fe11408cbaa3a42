/**
 * Equivocation evidence executed on chain (core/execution/evidence.ts): recorded once with its
 * event, every kind of non-evidence reverted with a reason, hostile args never thrown on.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { validator, VOTE_PRECOMMIT, VOTE_PREVOTE, type VoteType } from '../../../core/block/index.js';
import { encodeVote, signVoteMessage } from '../../../core/consensus/index.js';
import { decode, encode, type Value } from '../../../core/encoding/index.js';
import {
  applyTx,
  envelope,
  EVIDENCE_ADDRESS,
  EVIDENCE_GAS,
  EVIDENCE_MAX_AGE,
  EVIDENCE_METHOD,
  evidenceSlot,
  reportEquivocation,
  UNAVAILABLE_EXECUTOR,
  type BlockEnv,
} from '../../../core/execution/index.js';
import { StateDB } from '../../../core/state/index.js';
import { Trie } from '../../../core/trie/index.js';
import { decodeTx } from '../../../core/tx/index.js';
import { DEV, DEV_CHAIN, signedTxBytes } from '../../fixtures/chainFixtures.js';

const SET = DEV.slice(0, 4).map((k) => validator(k.publicKey));
const REPORTER = DEV[5].address;
const HASH_A = new Uint8Array(32).fill(0xa);
const HASH_B = new Uint8Array(32).fill(0xb);

let state: StateDB;
beforeEach(() => {
  state = new StateDB(new Trie({ keyLength: 32 }));
});

const env = (height = 10, validatorsAt: BlockEnv['validatorsAt'] = (h) => (h <= height ? SET : undefined)) => ({ chainId: DEV_CHAIN, height, validatorsAt });

function vote(by: number, blockHash: Uint8Array | null, over: { type?: VoteType; height?: number; round?: number; index?: number; chainId?: string } = {}): Uint8Array {
  return encodeVote(
    signVoteMessage(
      over.chainId ?? DEV_CHAIN,
      { type: over.type ?? VOTE_PREVOTE, height: over.height ?? 7, round: over.round ?? 2, blockHash, validatorIndex: over.index ?? by },
      DEV[by].secretKey,
    ),
  );
}

const report = (args: Value[], e = env(), gas = 1_000_000) => reportEquivocation(state, e, REPORTER, EVIDENCE_METHOD, args, gas);

describe('reportEquivocation', () => {
  it('records two conflicting signed votes once, with an Equivocation event, whichever order they come in', () => {
    const a = vote(2, HASH_A);
    const b = vote(2, null);
    const out = report([a, b]);
    expect(out).toMatchObject({ ok: true, gasUsed: EVIDENCE_GAS });
    const slot = evidenceSlot(SET[2].address, 7, 2, VOTE_PREVOTE);
    const stored = decode(state.getStorage(EVIDENCE_ADDRESS, slot)!) as Value[];
    expect(stored.slice(0, 4)).toEqual([SET[2].address, 7, 2, VOTE_PREVOTE]);
    expect(stored.slice(6)).toEqual([REPORTER, 10]);
    if (!out.ok) throw new Error('unreachable');
    expect(out.events).toEqual([{ contract: EVIDENCE_ADDRESS, event: 'Equivocation', data: { validator: SET[2].address, height: 7, round: 2, step: VOTE_PREVOTE, reporter: REPORTER } }]);
    expect(report([b, a])).toMatchObject({ ok: false, error: 'evidence: already recorded' });
    // Precommits of the same round are another offence.
    expect(report([vote(2, HASH_A, { type: VOTE_PRECOMMIT }), vote(2, HASH_B, { type: VOTE_PRECOMMIT })])).toMatchObject({ ok: true });
  });

  it.each<[string, () => Value[], RegExp]>([
    ['different validators', () => [vote(1, HASH_A), vote(2, HASH_B)], /different validators/],
    ['different rounds', () => [vote(2, HASH_A), vote(2, HASH_B, { round: 3 })], /different steps/],
    ['different heights', () => [vote(2, HASH_A), vote(2, HASH_B, { height: 8 })], /different steps/],
    ['prevote vs precommit', () => [vote(2, HASH_A), vote(2, HASH_B, { type: VOTE_PRECOMMIT })], /different steps/],
    ['the same value twice', () => [vote(2, HASH_A), vote(2, HASH_A)], /same value/],
    ['a validator index outside the set', () => [vote(2, HASH_A, { index: 9 }), vote(2, HASH_B, { index: 9 })], /unknown validator/],
    ['a signature by another key', () => [vote(2, HASH_A), vote(3, HASH_B, { index: 2 })], /bad vote signature/],
    ['votes of another chain', () => [vote(2, HASH_A, { chainId: 'other' }), vote(2, HASH_B, { chainId: 'other' })], /bad vote signature/],
    ['a future height', () => [vote(2, HASH_A, { height: 11 }), vote(2, HASH_B, { height: 11 })], /not in the past/],
    ['height 0', () => [vote(2, HASH_A, { height: 0 }), vote(2, HASH_B, { height: 0 })], /not in the past/],
    ['one arg', () => [vote(2, HASH_A)], /args must be/],
    ['three args', () => [vote(2, HASH_A), vote(2, HASH_B), vote(2, null)], /args must be/],
    ['strings', () => ['a', 'b'], /args must be/],
    ['garbage bytes', () => [new Uint8Array([0xc1]), new Uint8Array([0x90])], /vote/],
    ['oversized bytes', () => [new Uint8Array(100_000), vote(2, HASH_B)], /too large/],
    ['a vote that is a map', () => [encode({ a: 1 }), vote(2, HASH_B)], /vote/],
  ])('reverts %s and records nothing', (_name, args, reason) => {
    const before = state.snapshot();
    const out = report(args());
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error).toMatch(reason);
    expect(out.error.startsWith('evidence: ')).toBe(true);
    state.revertTo(before);
  });

  it('reverts without the set of that height, beyond the age limit, on another method, and out of gas', () => {
    const pair = [vote(2, HASH_A), vote(2, HASH_B)];
    expect(report(pair, { chainId: DEV_CHAIN, height: 10, validatorsAt: undefined })).toMatchObject({ ok: false, error: 'evidence: validator set of height 7 unknown' });
    expect(report(pair, env(7 + EVIDENCE_MAX_AGE + 1, () => SET))).toMatchObject({ ok: false, error: expect.stringMatching(/older than/) });
    expect(reportEquivocation(state, env(), REPORTER, 'transfer', pair, 1_000_000)).toMatchObject({ ok: false, error: expect.stringMatching(/unknown method/) });
    expect(report(pair, env(), EVIDENCE_GAS - 1)).toMatchObject({ ok: false, gasUsed: EVIDENCE_GAS - 1, error: 'evidence: out of gas' });
    expect(report(pair, env(7 + EVIDENCE_MAX_AGE, () => SET))).toMatchObject({ ok: true });
  });

  it('takes every tx to the evidence address, so funds cannot be sent there by a transfer', () => {
    const from = DEV[0].address;
    state.setAccount(from, { nonce: 0, balance: 1_000n, codeHash: null });
    const bytes = signedTxBytes(0, 0, { to: EVIDENCE_ADDRESS, method: 'transfer', args: [5] });
    const blockEnv: BlockEnv = { chainId: DEV_CHAIN, height: 10, timeMs: 1, proposer: DEV[1].address, validatorsAt: () => SET };
    const r = applyTx(state, blockEnv, envelope(decodeTx(bytes), bytes), UNAVAILABLE_EXECUTOR);
    expect(r).toMatchObject({ status: 'reverted', error: expect.stringMatching(/unknown method/) });
    expect(state.getAccount(from).balance).toBe(1_000n);
    expect(state.getAccount(EVIDENCE_ADDRESS).balance).toBe(0n);

    const ok = signedTxBytes(0, 1, { to: EVIDENCE_ADDRESS, method: EVIDENCE_METHOD, args: [vote(1, HASH_A), vote(1, HASH_B)] });
    expect(applyTx(state, blockEnv, envelope(decodeTx(ok), ok), UNAVAILABLE_EXECUTOR)).toMatchObject({ status: 'ok', events: [{ event: 'Equivocation' }] });
  });
});
