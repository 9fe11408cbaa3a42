/**
 * The signing plan shared with the signer threads: which sender signs the tx at each sequence
 * number, with which nonce and which workload's factory. Sequence j belongs to sender
 * j mod S as its k = floor(j / S)-th tx, so every sender sends at rate/S and nonces rise in
 * send order.
 */
import { FACTORIES, type FactoryParams, type TxBody, type WorkloadName } from './workloads/index.js';

/** Structured-cloneable plan (sent once to every signer thread as workerData). */
export interface SignerPlan {
  chainId: string;
  /** Seeds of the S senders, 32 bytes each, concatenated. */
  seeds: Uint8Array;
  /** Nonce of each sender's first load tx (after any setup txs). */
  startNonces: number[];
  /** Workload of each sender, as an index into `workloads`. */
  workloadOf: Uint8Array;
  /** Each sender's index within its workload's group. */
  groupIndex: Uint32Array;
  workloads: Array<{ name: WorkloadName; groupSize: number; params: FactoryParams }>;
}

/** Number of senders in a plan. */
export function senderCount(plan: SignerPlan): number {
  return plan.startNonces.length;
}

/** Sender, nonce and tx body of sequence number `j`. */
export function txAt(plan: SignerPlan, j: number): { sender: number; nonce: number; body: TxBody } {
  const n = senderCount(plan);
  const sender = j % n;
  const k = Math.floor(j / n);
  const w = plan.workloads[plan.workloadOf[sender]];
  const body = FACTORIES[w.name](w.params, { index: plan.groupIndex[sender], groupSize: w.groupSize }, k);
  return { sender, nonce: plan.startNonces[sender] + k, body };
}
