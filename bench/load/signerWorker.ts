/**
 * The piscina signer thread: signs a range of sequence numbers of the plan (its workerData)
 * with node:crypto and returns them packed in one transferred buffer.
 */
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { packBatch } from './signedBatch.js';
import { txAt, type SignerPlan } from './signerPlan.js';
import { FastSigner } from './signer.js';

const plan = workerData as SignerPlan;
/** Per-thread signers, built on first use (creating a KeyObject costs ~50 µs). */
const signers: Array<FastSigner | undefined> = [];

function signerOf(i: number): FastSigner {
  return (signers[i] ??= new FastSigner(plan.seeds.subarray(i * 32, i * 32 + 32)));
}

/** Signs sequence numbers [from, from + count). */
export default function signRange(task: { from: number; count: number }): ArrayBuffer {
  const out = [];
  for (let j = task.from; j < task.from + task.count; j++) {
    const { sender, nonce, body } = txAt(plan, j);
    const signer = signerOf(sender);
    out.push(signer.sign({ chainId: plan.chainId, nonce, sender: signer.publicKey, ...body }));
  }
  return move(packBatch(out)) as ArrayBuffer;
}
