/**
 * The `record` workload: practitioners anchor fresh lab results of their patients
 * (records.anchor), each anchor checked against the patient's consent and the practitioner's
 * registration in the same tx (genesis/contracts/records.mc).
 *
 * Setup, in three waves (more beyond SETUP_WAVE² senders, see registerOrgs): the dev
 * regulator registers one hospital per SETUP_WAVE senders while each sender's own fresh
 * patient grants it consent (lab data, treatment); each hospital registers its senders as
 * practitioners; one probe anchor measures the gas.
 */
import { fromHex } from '../../../core/encoding/index.js';
import { loadHash, RECORD_CATEGORY, RECORD_DEVICE, RECORD_HASH_TAG, RECORD_PURPOSE, type RecordParams } from './factories.js';
import { devRegulator, FAR_FUTURE_MS, probeGasLimit, registerOrgs, runSalt, SETUP_GAS } from './medicalSetup.js';
import { SETUP_WAVE, submitInWaves } from './setupWaves.js';
import type { Workload } from './types.js';

/** Sender index of the probe's record hash: outside the load's indices, so it never collides. */
const PROBE_INDEX = 0xffffffff;

/** Practitioners anchor records. */
export const recordWorkload: Workload = {
  name: 'record',
  requires: ['records', 'consent', 'registry'],
  setup: async (ctx): Promise<RecordParams> => {
    const c = ctx.info.contracts!;
    const records = fromHex(c.records, 20);
    const consent = fromHex(c.consent, 20);
    const registry = fromHex(c.registry, 20);
    const { regulator } = await devRegulator(ctx);
    const practitioners = ctx.senders;
    const hospitals = ctx.newAccounts(Math.ceil(practitioners.length / SETUP_WAVE));
    const patients = ctx.newAccounts(practitioners.length);
    const started = performance.now();
    await registerOrgs(
      ctx,
      regulator,
      hospitals.map((h, i) => ({ address: h.address, kind: 'hospital', name: `Load hospital ${i}` })),
      patients.map((p, i) => ({
        from: p,
        body: { to: consent, method: 'grant', args: [fromHex(practitioners[i].address, 20), [RECORD_CATEGORY], [RECORD_PURPOSE], 0, FAR_FUTURE_MS], gasLimit: SETUP_GAS },
      })),
    );
    await submitInWaves(
      ctx,
      practitioners.map((p, i) => ({
        from: hospitals[Math.floor(i / SETUP_WAVE)],
        body: { to: registry, method: 'registerPractitioner', args: [fromHex(p.address, 20), `LOAD-${i}`, 'pathology', FAR_FUTURE_MS], gasLimit: SETUP_GAS },
      })),
    );
    const { salt } = runSalt();
    const patientBytes = patients.map((p) => fromHex(p.address, 20));
    const gasLimit = await probeGasLimit(ctx, 'records.anchor', practitioners[0], {
      to: records,
      method: 'anchor',
      args: [patientBytes[0], loadHash(salt, RECORD_HASH_TAG, PROBE_INDEX, 0), RECORD_CATEGORY, RECORD_DEVICE],
    });
    ctx.log(`record: ${hospitals.length} hospitals registered ${practitioners.length} practitioners, each consented to by its patient, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { records, patients: patientBytes, salt, gasLimit };
  },
};
