/**
 * The medical workloads (design §8), declared against the contracts they need so that a mix
 * naming them fails up front with what is missing. Their setup and tx factories are written
 * when the VM and the genesis contracts land; see the plan in each `todo`.
 */
import { LoadError } from '../errors.js';
import type { Workload, WorkloadName } from './types.js';

function pending(name: WorkloadName, requires: readonly string[], todo: string): Workload {
  return {
    name,
    requires,
    setup: async (ctx) => {
      const where = requires.map((c) => `${c} at ${ctx.info.contracts?.[c]}`).join(', ');
      throw new LoadError(
        'LOAD_WORKLOAD_NOT_IMPLEMENTED',
        `${name} workload: the chain has ${where}, but this generator's ${name} setup and tx factory are not written yet ` +
          `(bench/load/workloads/medical.ts, factories.ts): ${todo}`,
        { workload: name },
      );
    },
  };
}

/** A patient grants a practitioner access to a data category for a purpose (consent.grant). */
export const consentWorkload = pending(
  'consent',
  ['consent'],
  'senders act as patients; setup registers a hospital and practitioners in the registry; each tx is consent.grant(actor, category, purpose, period)',
);

/** A practitioner anchors a record hash for a patient, checked against consent (records.anchor). */
export const recordWorkload = pending(
  'record',
  ['records', 'consent', 'registry'],
  'senders act as registered practitioners; setup grants them consent from patient accounts; each tx anchors a fresh content hash',
);

/** A provider submits a claim that is adjudicated in the same tx (claims.submit). */
export const claimWorkload = pending(
  'claim',
  ['claims', 'registry', 'consent'],
  'setup registers an insurer with a funded policy and providers, and patients consent to payment; each tx submits a claim with unique line items',
);
