/**
 * The `claim` workload: providers submit claims that are adjudicated and paid in the submitting
 * tx (claims.submitClaim: coverage, pre-authorisation, duplicates, deductible, copay, annual
 * limit, escrow; genesis/contracts/claims.mc). Every load claim has a fresh id and service date
 * and is covered, so each one is paid (80 of 100 after the 20% copay) from escrow that lasts
 * far past any run (ESCROW_PER_POLICY), the adjudication's full path rather than a refusal.
 *
 * Setup, in three waves (more when there are over SETUP_WAVE organisations, which regional
 * regulators then register, see registerOrgs): the dev regulator registers the senders as
 * hospitals and one insurer per POLICIES_PER_INSURER senders, dev accounts fund the insurers,
 * and each sender's own fresh patient grants its insurer consent for payment; each insurer
 * creates its patients' policies and deposits their escrow; one probe claim measures the gas
 * and must come back paid.
 */
import { fromHex } from '../../../core/encoding/index.js';
import { LoadError } from '../errors.js';
import { CLAIM_AMOUNT, CLAIM_CODE, CLAIM_DATE_BASE, CLAIM_HASH_TAG, claimPolicyId, loadHash, TRANSFER_GAS_LIMIT, type ClaimParams } from './factories.js';
import { devRegulator, FAR_FUTURE_MS, probeGasLimit, registerOrgs, runSalt, SETUP_GAS } from './medicalSetup.js';
import { SETUP_WAVE, submitInWaves } from './setupWaves.js';
import type { SetupTx, Workload } from './types.js';

/** Policies per insurer: its createPolicy txs and one deposit fit one setup wave. */
const POLICIES_PER_INSURER = SETUP_WAVE - 1;
/** Escrow per policy: 10^8 pays 1.25M claims of 80, over 100 hours at 3 claims/s per sender. */
const ESCROW_PER_POLICY = 100_000_000;
/** Copay of the covered code, basis points (a claim of 100 pays 80). */
const COPAY_BPS = 2_000;
/** Annual limit of a load policy: far above what any run pays (a limit reached turns items into partial payments). */
const ANNUAL_LIMIT = 1_000_000_000_000;
/** Purpose and category of the patient's consent that claims.submitClaim checks for the insurer. */
const PAYMENT_CATEGORY = 'claims';
const PAYMENT_PURPOSE = 'HPAYMT';

/** Providers submit claims. */
export const claimWorkload: Workload = {
  name: 'claim',
  requires: ['claims', 'registry', 'consent'],
  setup: async (ctx): Promise<ClaimParams> => {
    const c = ctx.info.contracts!;
    const claims = fromHex(c.claims, 20);
    const consent = fromHex(c.consent, 20);
    const { regulator, others } = await devRegulator(ctx);
    const providers = ctx.senders;
    const insurers = ctx.newAccounts(Math.ceil(providers.length / POLICIES_PER_INSURER));
    const patients = ctx.newAccounts(providers.length);
    const insurerOf = (i: number) => insurers[Math.floor(i / POLICIES_PER_INSURER)];
    const escrowOf = (j: number) => ESCROW_PER_POLICY * Math.min(POLICIES_PER_INSURER, providers.length - j * POLICIES_PER_INSURER);
    const { salt, runId } = runSalt();
    const started = performance.now();

    const funding: SetupTx[] = insurers.map((ins, j) => ({
      from: others[j % others.length],
      body: { to: fromHex(ins.address, 20), method: 'transfer', args: [escrowOf(j)], gasLimit: TRANSFER_GAS_LIMIT },
    }));
    const grants: SetupTx[] = patients.map((p, i) => ({
      from: p,
      body: { to: consent, method: 'grant', args: [fromHex(insurerOf(i).address, 20), [PAYMENT_CATEGORY], [PAYMENT_PURPOSE], 0, FAR_FUTURE_MS], gasLimit: SETUP_GAS },
    }));
    await registerOrgs(
      ctx,
      regulator,
      [
        ...insurers.map((ins, j) => ({ address: ins.address, kind: 'insurer', name: `Load insurer ${j}` })),
        ...providers.map((p, i) => ({ address: p.address, kind: 'hospital', name: `Load provider ${i}` })),
      ],
      [...funding, ...grants],
    );
    const rules = {
      deductible: 0,
      annualLimit: ANNUAL_LIMIT,
      validFrom: 0,
      validUntil: FAR_FUTURE_MS,
      coverage: { [CLAIM_CODE]: { copayBps: COPAY_BPS, maxPerClaim: CLAIM_AMOUNT * 10 } },
      preAuth: [],
    };
    await submitInWaves(ctx, [
      ...patients.map((p, i) => ({
        from: insurerOf(i),
        body: { to: claims, method: 'createPolicy', args: [claimPolicyId(runId, i), fromHex(p.address, 20), rules], gasLimit: SETUP_GAS },
      })),
      ...insurers.map((ins, j) => ({ from: ins, body: { to: claims, method: 'deposit', args: [escrowOf(j)], gasLimit: SETUP_GAS } })),
    ]);

    const probeId = `${runId}-probe`;
    const gasLimit = await probeGasLimit(ctx, 'claims.submitClaim', providers[0], {
      to: claims,
      method: 'submitClaim',
      args: [probeId, claimPolicyId(runId, 0), [[CLAIM_CODE, CLAIM_AMOUNT, CLAIM_DATE_BASE - 1]], loadHash(salt, CLAIM_HASH_TAG, 0xffffffff, 0)],
    });
    const probe = await ctx.rpc.call<{ status?: string; paid?: number } | null>('state_call', [c.claims, 'getClaim', [probeId]]);
    if (probe?.status !== 'paid') {
      throw new LoadError('LOAD_SETUP_FAILED', `the probe claim was adjudicated ${JSON.stringify(probe)}, not paid: load claims would not take the payment path`, { claimId: probeId });
    }
    ctx.log(
      `claim: ${providers.length} providers, ${insurers.length} insurers with ${providers.length} policies and escrow ${ESCROW_PER_POLICY.toLocaleString('en-US')} each, ` +
        `set up in ${((performance.now() - started) / 1000).toFixed(1)} s; the probe claim was paid ${probe.paid}`,
    );
    return { claims, runId, salt, gasLimit };
  },
};
