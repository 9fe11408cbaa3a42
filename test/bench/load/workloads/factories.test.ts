import { describe, expect, it } from 'vitest';
import { toHex } from '../../../../core/encoding/index.js';
import {
  CASE_DISEASES,
  CASE_HASH_TAG,
  CASE_REGIONS,
  CLAIM_AMOUNT,
  CLAIM_CODE,
  CLAIM_DATE_BASE,
  CLAIM_HASH_TAG,
  claimPolicyId,
  FACTORIES,
  loadHash,
  RECORD_CATEGORY,
  READING_HASH_TAG,
  READING_MAX_TENTHS,
  READING_MIN_TENTHS,
  READING_SENSOR,
  RECORD_HASH_TAG,
  UPLOAD_READINGS,
  type CaseParams,
  type ClaimParams,
  type ReadingParams,
  type RecordParams,
} from '../../../../bench/load/workloads/factories.js';

const salt = new Uint8Array(8).fill(7);
const records = new Uint8Array(20).fill(1);
const claims = new Uint8Array(20).fill(2);
const patients = [new Uint8Array(20).fill(3), new Uint8Array(20).fill(4)];
const recordParams: RecordParams = { records, patients, salt, gasLimit: 10_000 };
const claimParams: ClaimParams = { claims, runId: 'L0707070707070707', salt, gasLimit: 20_000 };
const surveillance = new Uint8Array(20).fill(6);
const caseParams: CaseParams = { surveillance, salt, onset: 1_767_225_600_000, gasLimit: 12_000 };

describe('record and claim tx factories', () => {
  it("a practitioner anchors a fresh 32-byte hash of its own patient's lab data", () => {
    const tx = FACTORIES.record(recordParams, { index: 1, groupSize: 2 }, 5);
    expect(tx).toMatchObject({ to: records, method: 'anchor', gasLimit: 10_000 });
    expect(tx.args[0]).toBe(patients[1]);
    expect(tx.args[1]).toEqual(loadHash(salt, RECORD_HASH_TAG, 1, 5));
    expect((tx.args[1] as Uint8Array).length).toBe(32);
    expect(tx.args[2]).toBe(RECORD_CATEGORY);
  });

  it('a provider claims one covered item on its own policy, with a fresh claim id and service date', () => {
    const tx = FACTORIES.claim(claimParams, { index: 1, groupSize: 2 }, 5);
    expect(tx).toMatchObject({ to: claims, method: 'submitClaim', gasLimit: 20_000 });
    expect(tx.args).toEqual(['L0707070707070707-C1-5', claimPolicyId('L0707070707070707', 1), [[CLAIM_CODE, CLAIM_AMOUNT, CLAIM_DATE_BASE + 5]], loadHash(salt, CLAIM_HASH_TAG, 1, 5)]);
  });

  it("a holder reports on its own batch, readings walking the allowed range and never leaving it", () => {
    const supplychain = new Uint8Array(20).fill(5);
    const batches = [loadHash(salt, READING_HASH_TAG, 0, 0), loadHash(salt, READING_HASH_TAG, 1, 0)];
    const params: ReadingParams = { supplychain, batches, gasLimit: 9_000 };
    const tx = FACTORIES.reading(params, { index: 1, groupSize: 2 }, 0);
    expect(tx).toEqual({ to: supplychain, method: 'recordReading', args: [batches[1], READING_MIN_TENTHS, READING_SENSOR], gasLimit: 9_000 });
    const temps = Array.from({ length: 200 }, (_, k) => FACTORIES.reading(params, { index: 0, groupSize: 2 }, k).args[1] as number);
    expect(Math.min(...temps)).toBe(READING_MIN_TENTHS);
    expect(Math.max(...temps)).toBe(READING_MAX_TENTHS);
    expect(new Set(temps).size).toBe(READING_MAX_TENTHS - READING_MIN_TENTHS + 1);
    expect(FACTORIES.reading(params, { index: 0, groupSize: 2 }, 2 ** 40).args[1]).toBeLessThanOrEqual(READING_MAX_TENTHS);
  });

  it('a logger uploads UPLOAD_READINGS readings of its own batch per tx, walking the allowed range', () => {
    const supplychain = new Uint8Array(20).fill(5);
    const batches = [loadHash(salt, READING_HASH_TAG, 0, 0), loadHash(salt, READING_HASH_TAG, 1, 0)];
    const params: ReadingParams = { supplychain, batches, gasLimit: 60_000 };
    const tx = FACTORIES.upload(params, { index: 1, groupSize: 2 }, 0);
    expect(tx).toMatchObject({ to: supplychain, method: 'recordReadings', gasLimit: 60_000 });
    expect(tx.args[0]).toEqual(batches[1]);
    expect(tx.args[1]).toEqual(Array.from({ length: UPLOAD_READINGS }, (_, j) => READING_MIN_TENTHS + j));
    expect(tx.args[2]).toBe(READING_SENSOR);
    const temps = Array.from({ length: 50 }, (_, k) => FACTORIES.upload(params, { index: 0, groupSize: 2 }, k).args[1] as number[]).flat();
    expect([Math.min(...temps), Math.max(...temps)]).toEqual([READING_MIN_TENTHS, READING_MAX_TENTHS]);
    expect((FACTORIES.upload(params, { index: 0, groupSize: 2 }, 2 ** 40).args[1] as number[]).every((t) => t >= READING_MIN_TENTHS && t <= READING_MAX_TENTHS)).toBe(true);
  });

  it('a practitioner reports a fresh 32-byte case id with codes that cycle, so senders share the statistics counters', () => {
    const tx = FACTORIES.case(caseParams, { index: 1, groupSize: 2 }, 5);
    expect(tx).toEqual({ to: surveillance, method: 'report', args: [loadHash(salt, CASE_HASH_TAG, 1, 5), CASE_DISEASES[5 % 4], CASE_REGIONS[6 % 5], 1_767_225_600_000], gasLimit: 12_000 });
    const pairs = new Set<string>();
    for (let k = 0; k < 40; k++) for (const index of [0, 1, 2]) {
      const [, disease, region] = FACTORIES.case(caseParams, { index, groupSize: 3 }, k).args as [Uint8Array, string, string];
      pairs.add(`${disease}/${region}`);
    }
    expect(pairs.size).toBe(CASE_DISEASES.length * CASE_REGIONS.length);
    // every code fits surveillance.mc's 64-character limit
    for (const code of [...CASE_DISEASES, ...CASE_REGIONS]) expect(code.length).toBeLessThanOrEqual(64);
  });

  it('never repeats a record hash, claim id or (patient, service date) across senders, k, workloads and runs', () => {
    const hashes = new Set<string>();
    const ids = new Set<string>();
    const dates = new Set<string>();
    for (const s of [salt, new Uint8Array(8).fill(8)]) {
      const runId = 'L' + toHex(s).slice(2);
      for (let index = 0; index < 20; index++) {
        for (const k of [0, 1, 2, 255, 256, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 1]) {
          hashes.add(toHex(loadHash(s, RECORD_HASH_TAG, index, k)));
          hashes.add(toHex(loadHash(s, CLAIM_HASH_TAG, index, k)));
          hashes.add(toHex(loadHash(s, READING_HASH_TAG, index, k)));
          hashes.add(toHex(FACTORIES.case({ ...caseParams, salt: s }, { index, groupSize: 20 }, k).args[0] as Uint8Array));
          const c = FACTORIES.claim({ ...claimParams, runId, salt: s }, { index, groupSize: 20 }, k);
          ids.add(c.args[0] as string);
          dates.add(`${c.args[1] as string}/${(c.args[2] as [[string, number, number]])[0][2]}`);
        }
      }
    }
    expect([hashes.size, ids.size, dates.size]).toEqual([2 * 4 * 20 * 8, 2 * 20 * 8, 2 * 20 * 8]);
  });

  it("keeps ids within claims.mc's 64-character limit for the largest sender index and any k a run reaches (2^40)", () => {
    const tx = FACTORIES.claim(claimParams, { index: 0xfffffffe, groupSize: 0xffffffff }, 2 ** 40);
    expect((tx.args[0] as string).length).toBeLessThanOrEqual(64);
    expect((tx.args[1] as string).length).toBeLessThanOrEqual(64);
    expect(Number.isSafeInteger((tx.args[2] as [[string, number, number]])[0][2])).toBe(true);
  });
});
