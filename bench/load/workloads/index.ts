/** The workload registry and the availability check run before any setup. */
import { LoadError } from '../errors.js';
import { caseWorkload } from './case.js';
import { claimWorkload } from './claim.js';
import { consentWorkload } from './consent.js';
import { readingWorkload, uploadWorkload } from './reading.js';
import { recordWorkload } from './record.js';
import { transferWorkload } from './transfer.js';
import type { ChainInfo, Workload, WorkloadName } from './types.js';

export * from './types.js';
export { FACTORIES, TRANSFER_AMOUNT, TRANSFER_GAS_LIMIT } from './factories.js';
export { SETUP_WAVE } from './setupWaves.js';

/** Every workload by name. */
export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  transfer: transferWorkload,
  consent: consentWorkload,
  record: recordWorkload,
  claim: claimWorkload,
  reading: readingWorkload,
  upload: uploadWorkload,
  case: caseWorkload,
};

/**
 * Refuses a mix before any account is funded: LOAD_WORKLOAD_UNAVAILABLE naming the first
 * contract a workload needs that the chain lacks (e.g. "consent workload needs the consent
 * contract: chain_getInfo().contracts.consent is missing"). Never skips a workload silently: a
 * mix that cannot run as asked must not report figures as if it had.
 */
export function requireWorkloads(names: readonly WorkloadName[], info: ChainInfo): void {
  for (const name of names) {
    for (const contract of WORKLOADS[name].requires) {
      const address = info.contracts?.[contract];
      if (typeof address !== 'string' || address === '') {
        throw new LoadError('LOAD_WORKLOAD_UNAVAILABLE', `${name} workload needs the ${contract} contract: chain_getInfo().contracts.${contract} is missing`, {
          workload: name,
          contract,
        });
      }
    }
  }
}
