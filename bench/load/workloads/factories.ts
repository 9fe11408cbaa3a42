/**
 * Tx factories by workload name, imported by the signer threads. Pure functions of their
 * inputs (see types.ts): a sender's k-th tx is the same whichever thread signs it.
 */
import { sha256 } from '../../../core/crypto/index.js';
import type { FactoryParams, TxFactory, WorkloadName } from './types.js';

/**
 * gasLimit of a load transfer: its intrinsic gas is 1,000 + 4 per byte ≈ 1,650 for a ~160-byte
 * tx (core/execution/gas.ts). The block packer counts gasLimit, not gas used, so a tight limit
 * lets 50M/2,000 = 25,000 transfers fit a dev block instead of 50 at the vector's 1,000,000.
 */
export const TRANSFER_GAS_LIMIT = 2_000;
/** Amount per load transfer: the smallest, so a modest funding lasts any run. */
export const TRANSFER_AMOUNT = 1;

/** Params of the transfer factory: the group's addresses (raw bytes) in sender order. */
export interface TransferParams extends FactoryParams {
  addresses: Uint8Array[];
}

/**
 * Sender i pays sender i+1 of the same group: recipients are existing accounts, so the state
 * does not grow during the run and a memory slope measures the node, not the state.
 */
const transfer: TxFactory = (params, sender) => {
  const { addresses } = params as TransferParams;
  return {
    to: addresses[(sender.index + 1) % sender.groupSize],
    method: 'transfer',
    args: [TRANSFER_AMOUNT],
    gasLimit: TRANSFER_GAS_LIMIT,
  };
};

/** Params of the consent factory: the consent contract and the gas limit measured in setup. */
export interface ConsentParams extends FactoryParams {
  consent: Uint8Array;
  gasLimit: number;
}

/** Grant terms of a load grant: one category, one HL7 purpose, from genesis time to 2100-01-01. */
export const CONSENT_CATEGORY = 'lab';
export const CONSENT_PURPOSE = 'TREAT';
export const CONSENT_UNTIL_MS = 4_102_444_800_000;
/** Marker bytes of a load actor address, so load grants are recognisable in the state. */
const ACTOR_TAG = 0xc0;

/**
 * The actor of a sender's k-th grant: distinct per (sender, k), since consent caps a patient's
 * live grants to one actor at 32 (MAX_LIVE_GRANTS) and a real patient grants many actors.
 */
export function consentActor(senderIndex: number, k: number): Uint8Array {
  const a = new Uint8Array(20);
  a[0] = ACTOR_TAG;
  new DataView(a.buffer).setUint32(4, senderIndex);
  new DataView(a.buffer).setFloat64(8, k);
  return a;
}

/** A patient (the sender) grants a fresh actor access to lab data for treatment: consent.grant. */
const consent: TxFactory = (params, sender, k) => {
  const p = params as ConsentParams;
  return {
    to: p.consent,
    method: 'grant',
    args: [consentActor(sender.index, k), [CONSENT_CATEGORY], [CONSENT_PURPOSE], 0, CONSENT_UNTIL_MS],
    gasLimit: p.gasLimit,
  };
};

/** Category and device of a load record anchor; consent for the category is granted in setup. */
export const RECORD_CATEGORY = CONSENT_CATEGORY;
export const RECORD_DEVICE = 'load-analyser';
/** Purpose records.anchor checks consent for (genesis/contracts/records.mc). */
export const RECORD_PURPOSE = 'TREAT';

/**
 * A distinct 32-byte "content hash" per (run, workload, sender, k): records.anchor refuses a hash
 * anchored before, so every run uses its own `salt`, and `tag` keeps the record and claim
 * workloads' hashes apart. A SHA-256 digest, as a real anchor's would be.
 */
export function loadHash(salt: Uint8Array, tag: number, senderIndex: number, k: number): Uint8Array {
  const b = new Uint8Array(13);
  const v = new DataView(b.buffer);
  b[0] = tag;
  v.setUint32(1, senderIndex);
  v.setUint32(5, Math.floor(k / 2 ** 32));
  v.setUint32(9, k >>> 0);
  return sha256(salt, b);
}
/** Tags of loadHash. */
export const RECORD_HASH_TAG = 1;
export const CLAIM_HASH_TAG = 2;
export const READING_HASH_TAG = 3;
export const CASE_HASH_TAG = 4;

/** Params of the record factory: each practitioner (sender) anchors records of its own patient. */
export interface RecordParams extends FactoryParams {
  records: Uint8Array;
  /** The patient of each sender, by group index (each granted that sender consent in setup). */
  patients: Uint8Array[];
  salt: Uint8Array;
  gasLimit: number;
}

/** A practitioner anchors a fresh lab result of its patient: records.anchor, consent checked. */
const record: TxFactory = (params, sender, k) => {
  const p = params as RecordParams;
  return {
    to: p.records,
    method: 'anchor',
    args: [p.patients[sender.index], loadHash(p.salt, RECORD_HASH_TAG, sender.index, k), RECORD_CATEGORY, RECORD_DEVICE],
    gasLimit: p.gasLimit,
  };
};

/** The one line item of a load claim: an office visit (CPT 99213), covered with a 20% copay. */
export const CLAIM_CODE = '99213';
export const CLAIM_AMOUNT = 100;
/**
 * Service date of a sender's k-th claim: claims refuses an item already claimed for the same
 * (patient, code, date) as a duplicate, so each claim of a sender (whose patient is its own) has
 * its own date. Dates below this base are free for the setup's probe claim.
 */
export const CLAIM_DATE_BASE = 1_767_225_600_000;

/** Params of the claim factory: each provider (sender) claims on its own patient's policy. */
export interface ClaimParams extends FactoryParams {
  claims: Uint8Array;
  /** Run-unique prefix of policy and claim ids (claims refuses an id used before). */
  runId: string;
  salt: Uint8Array;
  gasLimit: number;
}

/** The policy id of a sender's patient (at most 64 characters: claims' MAX_ID). */
export function claimPolicyId(runId: string, senderIndex: number): string {
  return `${runId}-P${senderIndex}`;
}

/** A provider submits a fresh claim, adjudicated and paid in the same tx: claims.submitClaim. */
const claim: TxFactory = (params, sender, k) => {
  const p = params as ClaimParams;
  return {
    to: p.claims,
    method: 'submitClaim',
    args: [
      `${p.runId}-C${sender.index}-${k}`,
      claimPolicyId(p.runId, sender.index),
      [[CLAIM_CODE, CLAIM_AMOUNT, CLAIM_DATE_BASE + k]],
      loadHash(p.salt, CLAIM_HASH_TAG, sender.index, k),
    ],
    gasLimit: p.gasLimit,
  };
};

/** Allowed range of a load batch (2.0–8.0 °C, a vaccine's) and the sensor id of its logger. */
export const READING_MIN_TENTHS = 20;
export const READING_MAX_TENTHS = 80;
export const READING_SENSOR = 'load-logger';

/** Params of the reading factory: each holder (sender) reports on its own batch. */
export interface ReadingParams extends FactoryParams {
  supplychain: Uint8Array;
  /** The batch of each sender, by group index (registered by that sender in setup). */
  batches: Uint8Array[];
  gasLimit: number;
}

/** The i-th load reading: readings walk the allowed range, so they vary and none is an excursion. */
function walkRange(i: number): number {
  return READING_MIN_TENTHS + (i % (READING_MAX_TENTHS - READING_MIN_TENTHS + 1));
}

/** A holder's logger reports its k-th temperature of its batch: supplychain.recordReading. */
const reading: TxFactory = (params, sender, k) => {
  const p = params as ReadingParams;
  return {
    to: p.supplychain,
    method: 'recordReading',
    args: [p.batches[sender.index], walkRange(k), READING_SENSOR],
    gasLimit: p.gasLimit,
  };
};

/** Readings per `upload` tx: a logger uploading every 4 hours at 15-minute intervals. */
export const UPLOAD_READINGS = 16;

/**
 * A holder's logger uploads UPLOAD_READINGS temperatures of its batch in one tx:
 * supplychain.recordReadings, continuing the walk of the allowed range.
 */
const upload: TxFactory = (params, sender, k) => {
  const p = params as ReadingParams;
  const readings = Array.from({ length: UPLOAD_READINGS }, (_, j) => walkRange(k * UPLOAD_READINGS + j));
  return { to: p.supplychain, method: 'recordReadings', args: [p.batches[sender.index], readings, READING_SENSOR], gasLimit: p.gasLimit };
};

/**
 * Disease (ICD-10) and region (ISO 3166-2) codes of load case reports: a few of each, so
 * reports of many senders share each surveillance.stats counter as real reports do. The
 * longest of each is what the setup's probe reports, so its gas bounds every load report.
 */
export const CASE_DISEASES = ['A09', 'J10.1', 'U07.1', 'B05'] as const;
export const CASE_REGIONS = ['FR-75', 'FR-13', 'FR-69', 'FR-ARA', 'DE-BE'] as const;
/** A day in ms: a case's onset is a day (00:00 UTC). */
export const DAY_MS = 86_400_000;
/** How many days before the run's start a load case's symptoms began (onset must not be in the future). */
export const CASE_ONSET_AGO_MS = 3 * DAY_MS;

/** Params of the case factory: practitioners (senders) report fresh cases. */
export interface CaseParams extends FactoryParams {
  surveillance: Uint8Array;
  salt: Uint8Array;
  /** Onset of every load case: a day (ms at 00:00 UTC) before any block of the run. */
  onset: number;
  gasLimit: number;
}

/**
 * A practitioner reports a new case: surveillance.report with a fresh 32-byte case id and a
 * (disease, region) pair that cycles with k and the sender, so counters are shared.
 */
const caseReport: TxFactory = (params, sender, k) => {
  const p = params as CaseParams;
  return {
    to: p.surveillance,
    method: 'report',
    args: [loadHash(p.salt, CASE_HASH_TAG, sender.index, k), CASE_DISEASES[k % CASE_DISEASES.length], CASE_REGIONS[(sender.index + k) % CASE_REGIONS.length], p.onset],
    gasLimit: p.gasLimit,
  };
};

/** The factory of each workload. */
export const FACTORIES: Readonly<Record<WorkloadName, TxFactory>> = { transfer, consent, record, claim, reading, upload, case: caseReport };
