/**
 * Tx factories by workload name, imported by the signer threads. Pure functions of their
 * inputs (see types.ts); a workload whose contract does not exist yet has a factory that
 * throws, which is never reached because `requireWorkloads` refuses the mix first.
 */
import { LoadError } from '../errors.js';
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

function notWritten(name: WorkloadName): TxFactory {
  return () => {
    throw new LoadError('LOAD_WORKLOAD_NOT_IMPLEMENTED', `the ${name} tx factory is not written yet (bench/load/workloads/${name}.ts)`, { workload: name });
  };
}

/** The factory of each workload. */
export const FACTORIES: Readonly<Record<WorkloadName, TxFactory>> = {
  transfer,
  consent,
  record: notWritten('record'),
  claim: notWritten('claim'),
};
