/** The workload registry and the availability check run before any setup. */
import { LoadError } from '../errors.js';
import { consentWorkload } from './consent.js';
import { claimWorkload, recordWorkload } from './medical.js';
import { transferWorkload } from './transfer.js';
import type { ChainInfo, Workload, WorkloadName } from './types.js';

export * from './types.js';
export { FACTORIES, TRANSFER_AMOUNT, TRANSFER_GAS_LIMIT } from './factories.js';

/** Every workload by name. */
export const WORKLOADS: Readonly<Record<WorkloadName, Workload>> = {
  transfer: transferWorkload,
  consent: consentWorkload,
  record: recordWorkload,
  claim: claimWorkload,
};

/**
 * Refuses a mix before any account is funded: LOAD_WORKLOAD_UNAVAILABLE naming the first
 * contract a workload needs that the chain lacks (e.g. "consent workload needs the consent
 * contract: chain_getInfo().contracts.consent is missing"), or LOAD_WORKLOAD_NOT_IMPLEMENTED
 * for a workload whose setup is not written. Never skips a workload silently: a mix that cannot
 * run as asked must not report figures as if it had.
 */
export function requireWorkloads(names: readonly WorkloadName[], info: ChainInfo): void {
  for (const name of names) {
    const w = WORKLOADS[name];
    for (const contract of w.requires) {
      const address = info.contracts?.[contract];
      if (typeof address !== 'string' || address === '') {
        throw new LoadError('LOAD_WORKLOAD_UNAVAILABLE', `${name} workload needs the ${contract} contract: chain_getInfo().contracts.${contract} is missing`, {
          workload: name,
          contract,
        });
      }
    }
    if (w.unwritten !== undefined) {
      const where = w.requires.map((c) => `${c} at ${info.contracts![c]}`).join(', ');
      throw new LoadError(
        'LOAD_WORKLOAD_NOT_IMPLEMENTED',
        `${name} workload: the chain has ${where}, but this generator's ${name} setup and tx factory are not written yet ` +
          `(bench/load/workloads/medical.ts): ${w.unwritten}`,
        { workload: name },
      );
    }
  }
}
