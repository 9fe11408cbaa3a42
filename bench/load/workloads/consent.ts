/**
 * The `consent` workload: each sender is a patient granting a fresh actor access to lab data
 * for treatment (consent.grant, design §8). Grants need no registration (the patient is the
 * caller), so setup only measures the gas of one grant to set a tight gasLimit.
 */
import { fromHex } from '../../../core/encoding/index.js';
import { consentActor, CONSENT_CATEGORY, CONSENT_PURPOSE, CONSENT_UNTIL_MS, type ConsentParams } from './factories.js';
import { probeGasLimit } from './medicalSetup.js';
import type { Workload } from './types.js';

/** Sender index of the probe's actor: outside the load's indices, so it never collides. */
const PROBE_INDEX = 0xffffffff;

/** Patients grant consent. */
export const consentWorkload: Workload = {
  name: 'consent',
  requires: ['consent'],
  setup: async (ctx): Promise<ConsentParams> => {
    const consent = fromHex(ctx.info.contracts!.consent, 20);
    const gasLimit = await probeGasLimit(ctx, 'consent.grant', ctx.senders[0], {
      to: consent,
      method: 'grant',
      args: [consentActor(PROBE_INDEX, 0), [CONSENT_CATEGORY], [CONSENT_PURPOSE], 0, CONSENT_UNTIL_MS],
    });
    return { consent, gasLimit };
  },
};
