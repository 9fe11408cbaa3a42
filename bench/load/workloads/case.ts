/**
 * The `case` workload: practitioners report infectious-disease cases (surveillance.report,
 * genesis/contracts/surveillance.mc), each report checked against the practitioner's
 * registration and counted in the public (disease, region) and per-disease statistics in the
 * same tx. Case ids are fresh per run; the few disease and region codes are shared, so many
 * reports update the same counters.
 *
 * Setup, in two waves (more beyond SETUP_WAVE² senders, see registerOrgs): the dev regulator
 * registers one hospital per SETUP_WAVE senders; each hospital registers its senders as
 * practitioners; one probe report, with the longest codes, measures the gas and must show in
 * the statistics.
 */
import { fromHex } from '../../../core/encoding/index.js';
import { LoadError } from '../errors.js';
import { CASE_DISEASES, CASE_HASH_TAG, CASE_ONSET_AGO_MS, CASE_REGIONS, DAY_MS, loadHash, type CaseParams } from './factories.js';
import { devRegulator, FAR_FUTURE_MS, probeGasLimit, registerOrgs, runSalt, SETUP_GAS } from './medicalSetup.js';
import { SETUP_WAVE, submitInWaves } from './setupWaves.js';
import type { Workload } from './types.js';

/** Sender index of the probe's case id: outside the load's indices, so it never collides. */
const PROBE_INDEX = 0xffffffff;

/** The longest of `codes` (the probe reports it, so its gas bounds the load's). */
const longest = (codes: readonly string[]): string => codes.reduce((a, b) => (b.length > a.length ? b : a));

/** Practitioners report disease cases. */
export const caseWorkload: Workload = {
  name: 'case',
  requires: ['surveillance', 'registry'],
  setup: async (ctx): Promise<CaseParams> => {
    const c = ctx.info.contracts!;
    const surveillance = fromHex(c.surveillance, 20);
    const registry = fromHex(c.registry, 20);
    const { regulator } = await devRegulator(ctx);
    const practitioners = ctx.senders;
    const hospitals = ctx.newAccounts(Math.ceil(practitioners.length / SETUP_WAVE));
    const started = performance.now();
    await registerOrgs(
      ctx,
      regulator,
      hospitals.map((h, i) => ({ address: h.address, kind: 'hospital', name: `Load hospital ${i}` })),
    );
    await submitInWaves(
      ctx,
      practitioners.map((p, i) => ({
        from: hospitals[Math.floor(i / SETUP_WAVE)],
        body: { to: registry, method: 'registerPractitioner', args: [fromHex(p.address, 20), `LOAD-${i}`, 'infectious-diseases', FAR_FUTURE_MS], gasLimit: SETUP_GAS },
      })),
    );
    const { salt } = runSalt();
    // onset before the run's first block: a day (00:00 UTC, as the contract requires) a few days before the head
    const { height } = await ctx.rpc.call<{ height: number }>('chain_getInfo');
    const head = await ctx.rpc.call<{ timeMs: number }>('chain_getHeader', [height]);
    const onset = head.timeMs - (head.timeMs % DAY_MS) - CASE_ONSET_AGO_MS;
    const disease = longest(CASE_DISEASES);
    const region = longest(CASE_REGIONS);
    const before = await ctx.rpc.call<{ reported: number }>('state_call', [c.surveillance, 'stats', [disease, region]]);
    const gasLimit = await probeGasLimit(ctx, 'surveillance.report', practitioners[0], {
      to: surveillance,
      method: 'report',
      args: [loadHash(salt, CASE_HASH_TAG, PROBE_INDEX, 0), disease, region, onset],
    });
    const after = await ctx.rpc.call<{ reported: number }>('state_call', [c.surveillance, 'stats', [disease, region]]);
    if (after.reported !== before.reported + 1) {
      throw new LoadError('LOAD_SETUP_FAILED', `the probe report left stats(${disease}, ${region}) at ${JSON.stringify(after)}, not one more than ${JSON.stringify(before)}`, { disease, region });
    }
    ctx.log(`case: ${hospitals.length} hospitals registered ${practitioners.length} practitioners in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { surveillance, salt, onset, gasLimit };
  },
};
