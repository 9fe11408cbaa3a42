/**
 * The SafetyGuard (double-sign protection): which messages may be signed after the last one,
 * the lock it keeps, where a restarted validator resumes, and the persisted record's codec.
 * A property test drives random sign requests through the guard, keeping nothing but the
 * encoded record between them (as across crashes), and checks no two different values are
 * ever signed at one step.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VOTE_PRECOMMIT, VOTE_PREVOTE } from '../../../core/block/index.js';
import {
  checkSign,
  ConsensusError,
  decodeSafetyRecord,
  encodeSafetyRecord,
  proposalTarget,
  recordSigned,
  resumePoint,
  SIGN_STEP_PROPOSAL,
  voteTarget,
  type SafetyRecord,
  type SignTarget,
} from '../../../core/consensus/index.js';
import { encode } from '../../../core/encoding/index.js';
import { A, B, C } from './helpers.js';

const SIG = (n: number) => new Uint8Array(64).fill(n);
const target = (height: number, round: number, step: 0 | 1 | 2, blockHash: Uint8Array | null, validRound = -1): SignTarget => ({ height, round, step, blockHash, validRound });

describe('checkSign', () => {
  const last = recordSigned(null, target(5, 2, VOTE_PREVOTE, A), SIG(1));

  it('signs anything when nothing was signed yet', () => {
    expect(checkSign(null, target(1, 0, VOTE_PRECOMMIT, null))).toEqual({ kind: 'sign' });
  });

  it('signs later positions: a later step, round or height', () => {
    for (const t of [target(5, 2, VOTE_PRECOMMIT, C), target(5, 3, SIGN_STEP_PROPOSAL, C), target(6, 0, VOTE_PREVOTE, null)]) {
      expect(checkSign(last, t).kind).toBe('sign');
    }
  });

  it('re-sends the stored signature for the identical message', () => {
    expect(checkSign(last, target(5, 2, VOTE_PREVOTE, A))).toEqual({ kind: 'resend', signature: SIG(1) });
  });

  it('refuses another value at the same step (conflict) and any earlier position (regression)', () => {
    expect(checkSign(last, target(5, 2, VOTE_PREVOTE, C))).toMatchObject({ kind: 'refuse', reason: 'conflict' });
    expect(checkSign(last, target(5, 2, VOTE_PREVOTE, null))).toMatchObject({ kind: 'refuse', reason: 'conflict' });
    expect(checkSign(last, target(5, 2, SIGN_STEP_PROPOSAL, A))).toMatchObject({ kind: 'refuse', reason: 'regression' });
    expect(checkSign(last, target(5, 1, VOTE_PRECOMMIT, A))).toMatchObject({ kind: 'refuse', reason: 'regression' });
    expect(checkSign(last, target(4, 9, VOTE_PRECOMMIT, A))).toMatchObject({ kind: 'refuse', reason: 'regression' });
  });

  it('treats a proposal with another validRound as another message', () => {
    const p = recordSigned(null, target(3, 1, SIGN_STEP_PROPOSAL, A, 0), SIG(2));
    expect(checkSign(p, target(3, 1, SIGN_STEP_PROPOSAL, A, -1)).kind).toBe('refuse');
    expect(checkSign(p, target(3, 1, SIGN_STEP_PROPOSAL, A, 0)).kind).toBe('resend');
  });

  it('maps votes and proposals to their targets', () => {
    expect(voteTarget({ type: VOTE_PRECOMMIT, height: 2, round: 1, blockHash: A, validatorIndex: 3 })).toEqual(target(2, 1, 2, A));
    expect(proposalTarget({ height: 2, round: 1, blockHash: A, validRound: 0, proposerIndex: 3 })).toEqual(target(2, 1, 0, A, 0));
  });
});

describe('the lock in the record, and resumePoint', () => {
  it('a non-nil precommit sets the lock; nil precommits and later prevotes keep it; a new height drops it', () => {
    let r = recordSigned(null, target(7, 0, VOTE_PRECOMMIT, A), SIG(1));
    expect(r.lock).toEqual({ height: 7, round: 0, blockHash: A });
    r = recordSigned(r, target(7, 1, VOTE_PREVOTE, C), SIG(2));
    r = recordSigned(r, target(7, 1, VOTE_PRECOMMIT, null), SIG(3));
    expect(r.lock).toEqual({ height: 7, round: 0, blockHash: A });
    r = recordSigned(r, target(7, 2, VOTE_PRECOMMIT, C), SIG(4));
    expect(r.lock).toEqual({ height: 7, round: 2, blockHash: C });
    r = recordSigned(r, target(8, 0, VOTE_PREVOTE, B(1)), SIG(5));
    expect(r.lock).toBeNull();
  });

  it('resumes at the last signed round and lock of the same height, else at round 0 unlocked', () => {
    const r = recordSigned(recordSigned(null, target(7, 2, VOTE_PRECOMMIT, A), SIG(1)), target(7, 4, VOTE_PREVOTE, null), SIG(2));
    expect(resumePoint(r, 7)).toEqual({ round: 4, lock: { round: 2, blockHash: A } });
    expect(resumePoint(r, 8)).toEqual({ round: 0, lock: null });
    expect(resumePoint(null, 1)).toEqual({ round: 0, lock: null });
  });
});

describe('the persisted record', () => {
  it('round-trips through its canonical encoding', () => {
    const records: SafetyRecord[] = [
      recordSigned(null, target(1, 0, SIGN_STEP_PROPOSAL, A, -1), SIG(9)),
      recordSigned(null, target(2 ** 40, 7, VOTE_PRECOMMIT, C), SIG(8)),
      recordSigned(recordSigned(null, target(3, 0, VOTE_PRECOMMIT, A), SIG(1)), target(3, 1, VOTE_PREVOTE, null), SIG(7)),
    ];
    for (const r of records) expect(decodeSafetyRecord(encodeSafetyRecord(r))).toEqual(r);
  });

  it('rejects anything else with CONSENSUS_BAD_SAFETY_RECORD', () => {
    const good = encodeSafetyRecord(recordSigned(null, target(1, 0, VOTE_PREVOTE, A), SIG(1)));
    const bad = [
      new Uint8Array(0),
      good.subarray(0, good.length - 1),
      encode([2, 1, 0, 1, A, -1, SIG(1), null]),
      encode([1, 1, 0, 3, A, -1, SIG(1), null]),
      encode([1, 1, 0, 1, new Uint8Array(5), -1, SIG(1), null]),
      encode([1, 1, 0, 1, A, -2, SIG(1), null]),
      encode([1, 1, 0, 1, A, -1, new Uint8Array(63), null]),
      encode([1, 1, 0, 1, A, -1, SIG(1), [1, 0]]),
      encode([1, -1, 0, 1, A, -1, SIG(1), null]),
      encode([1, 1, 0, 1, A, -1, SIG(1)]),
    ];
    for (const b of bad) {
      expect(() => decodeSafetyRecord(b)).toThrow(ConsensusError);
      try {
        decodeSafetyRecord(b);
      } catch (e) {
        expect((e as ConsensusError).code).toBe('CONSENSUS_BAD_SAFETY_RECORD');
      }
    }
  });
});

describe('guarded signing across crashes (property)', () => {
  it('never signs two different values at one (height, round, step), whatever is requested', () => {
    const arbTarget = fc
      .record({
        height: fc.integer({ min: 1, max: 3 }),
        round: fc.integer({ min: 0, max: 3 }),
        step: fc.constantFrom(0 as const, 1 as const, 2 as const),
        value: fc.constantFrom(A, C, null),
      })
      .map(({ height, round, step, value }) => target(height, round, step, step === 0 && value === null ? A : value));
    fc.assert(
      fc.property(fc.array(arbTarget, { maxLength: 100 }), (requests) => {
        let disk: Uint8Array | null = null; // only the encoded record is kept between requests, as across a crash
        const signed = new Map<string, string>();
        let n = 0;
        for (const t of requests) {
          const record = disk ? decodeSafetyRecord(disk) : null;
          const d = checkSign(record, t);
          if (d.kind !== 'refuse') {
            const sig = d.kind === 'resend' ? d.signature : SIG(++n % 256);
            disk = encodeSafetyRecord(recordSigned(record, t, sig)); // persisted before sending
            const key = `${t.height}/${t.round}/${t.step}`;
            const value = `${t.blockHash ? t.blockHash[0] : 'nil'}/${t.validRound}`;
            expect(signed.get(key) ?? value).toBe(value);
            signed.set(key, value);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
