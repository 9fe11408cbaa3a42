/**
 * Medical workloads declared against the contracts they need but not written yet: a mix
 * naming them is refused before any account is funded (workloads/index.ts), with the plan.
 */
import { LoadError } from '../errors.js';
import type { Workload, WorkloadName } from './types.js';

function pending(name: WorkloadName, requires: readonly string[], unwritten: string): Workload {
  return {
    name,
    requires,
    unwritten,
    setup: async () => {
      throw new LoadError('LOAD_WORKLOAD_NOT_IMPLEMENTED', `${name} workload: setup not written`, { workload: name });
    },
  };
}

/** A practitioner anchors a record hash for a patient, checked against consent (records.anchor). */
export const recordWorkload = pending(
  'record',
  ['records', 'consent', 'registry'],
  'setup has a genesis regulator register a hospital (registry.registerOrg) and the hospital register the senders as practitioners; ' +
    'patients grant them consent (consent.grant); each tx is records.anchor(fresh content hash, patient, category, device)',
);

/** A provider submits a claim that is adjudicated in the same tx (claims.submitClaim). */
export const claimWorkload = pending(
  'claim',
  ['claims', 'registry', 'consent'],
  'setup has a regulator register an insurer and a hospital, the insurer create policies (claims.createPolicy) and escrow funds (claims.deposit), ' +
    'the hospital register the senders as practitioners, and patients grant the insurer consent for payment; each tx submits a ' +
    'claim with a fresh id and line items (claims.submitClaim), adjudicated in the same tx',
);
