/**
 * The `consent` workload: each sender is a patient granting a fresh actor access to lab data
 * for treatment (consent.grant, design §8). Grants need no registration (the patient is the
 * caller), so setup only measures the gas of one grant to set a tight gasLimit.
 */
import { fromHex } from '../../../core/encoding/index.js';
import { LoadError } from '../errors.js';
import { consentActor, CONSENT_CATEGORY, CONSENT_PURPOSE, CONSENT_UNTIL_MS, type ConsentParams } from './factories.js';
import type { Workload } from './types.js';

/**
 * gasLimit = measured gas × this: the block packer counts gasLimit, so a loose limit (the
 * 2,000,000 of the contract tests) would fit only 25 grants in a 50M-gas block; the margin
 * covers a grant that costs more than the probe (storage maps that grew since).
 */
const GAS_MARGIN = 1.5;
/** Gas of the probe grant (a generous bound; its measured use sets the load txs' limit). */
const PROBE_GAS = 2_000_000;
/** Sender index of the probe's actor: outside the load's indices, so it never collides. */
const PROBE_INDEX = 0xffffffff;

/** Patients grant consent. */
export const consentWorkload: Workload = {
  name: 'consent',
  requires: ['consent'],
  setup: async (ctx): Promise<ConsentParams> => {
    const consent = fromHex(ctx.info.contracts!.consent, 20);
    const from = ctx.senders[0];
    const [probe] = await ctx.submit([
      { from, body: { to: consent, method: 'grant', args: [consentActor(PROBE_INDEX, 0), [CONSENT_CATEGORY], [CONSENT_PURPOSE], 0, CONSENT_UNTIL_MS], gasLimit: PROBE_GAS } },
    ]);
    if (!(probe.gasUsed > 0)) throw new LoadError('LOAD_SETUP_FAILED', `consent probe grant reported gasUsed ${probe.gasUsed}`, { hash: probe.hash });
    const gasLimit = Math.ceil(probe.gasUsed * GAS_MARGIN);
    ctx.log(`consent.grant uses ${probe.gasUsed} gas: load grants carry gasLimit ${gasLimit}`);
    return { consent, gasLimit };
  },
};
