/**
 * The `reading` and `upload` workloads: cold-chain loggers report temperatures of the vaccine
 * batches their organisations hold (genesis/contracts/supplychain.mc) — the highest-volume
 * txs of supply-chain traceability: one reading per tx (supplychain.recordReading), or a
 * logger's upload of UPLOAD_READINGS readings (supplychain.recordReadings). Every reading is
 * in range (2.0–8.0 °C), so the batch stays active and each tx takes the counting path.
 *
 * Setup, in two waves (three beyond SETUP_WAVE senders, see registerOrgs): the dev regulator
 * registers the senders as manufacturers; each registers its own batch (the holder is the one
 * who records); one probe reading measures the gas and must be counted on an active batch.
 */
import { fromHex, toHex } from '../../../core/encoding/index.js';
import { LoadError } from '../errors.js';
import { loadHash, READING_HASH_TAG, READING_MAX_TENTHS, READING_MIN_TENTHS, READING_SENSOR, UPLOAD_READINGS, type ReadingParams } from './factories.js';
import { devRegulator, FAR_FUTURE_MS, probeGasLimit, registerOrgs, runSalt, SETUP_GAS } from './medicalSetup.js';
import { submitInWaves } from './setupWaves.js';
import type { SetupContext, Workload } from './types.js';

/** Units per load batch (nothing is dispensed during the run). */
const BATCH_QUANTITY = 10_000;
/** A GTIN-14 product code for the load batches. */
const PRODUCT_CODE = '00312345678906';

/**
 * Registers every sender as a manufacturer holding its own batch, then probes one tx of the
 * workload: its gas sets the load's gasLimit, and it must leave `readings` counted on an
 * active batch.
 */
async function setupHolders(
  ctx: SetupContext,
  name: 'reading' | 'upload',
  probe: { method: 'recordReading'; reading: number; readings: 1 } | { method: 'recordReadings'; reading: number[]; readings: number },
): Promise<ReadingParams> {
  const c = ctx.info.contracts!;
  const supplychain = fromHex(c.supplychain, 20);
  const { regulator } = await devRegulator(ctx);
  const holders = ctx.senders;
  const { salt } = runSalt();
  const started = performance.now();
  await registerOrgs(
    ctx,
    regulator,
    holders.map((h, i) => ({ address: h.address, kind: 'manufacturer', name: `Load manufacturer ${i}` })),
  );
  // batch i's id and lot hash: fresh per run (supplychain refuses an id registered before)
  const batches = holders.map((_, i) => loadHash(salt, READING_HASH_TAG, i, 0));
  await submitInWaves(
    ctx,
    holders.map((h, i) => ({
      from: h,
      body: {
        to: supplychain,
        method: 'registerBatch',
        args: [batches[i], PRODUCT_CODE, loadHash(salt, READING_HASH_TAG, i, 1), BATCH_QUANTITY, FAR_FUTURE_MS, READING_MIN_TENTHS, READING_MAX_TENTHS],
        gasLimit: SETUP_GAS,
      },
    })),
  );
  const gasLimit = await probeGasLimit(ctx, `supplychain.${probe.method}`, holders[0], {
    to: supplychain,
    method: probe.method,
    args: [batches[0], probe.reading, READING_SENSOR],
  });
  const got = await ctx.rpc.call<{ status?: string; readings?: number } | null>('state_call', [c.supplychain, 'get', [toHex(batches[0])]]);
  if (got?.status !== 'active' || got.readings !== probe.readings) {
    throw new LoadError('LOAD_SETUP_FAILED', `the probe ${probe.method} left batch ${toHex(batches[0])} as ${JSON.stringify(got)}, not active with ${probe.readings} readings`, { batch: toHex(batches[0]) });
  }
  ctx.log(`${name}: ${holders.length} manufacturers each registered a batch, set up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { supplychain, batches, gasLimit };
}

/** Holders record cold-chain readings, one per tx. */
export const readingWorkload: Workload = {
  name: 'reading',
  requires: ['supplychain', 'registry'],
  setup: (ctx) => setupHolders(ctx, 'reading', { method: 'recordReading', reading: READING_MIN_TENTHS, readings: 1 }),
};

/** Holders' loggers upload UPLOAD_READINGS readings per tx. */
export const uploadWorkload: Workload = {
  name: 'upload',
  requires: ['supplychain', 'registry'],
  setup: (ctx) => setupHolders(ctx, 'upload', { method: 'recordReadings', reading: Array(UPLOAD_READINGS).fill(READING_MIN_TENTHS), readings: UPLOAD_READINGS }),
};
