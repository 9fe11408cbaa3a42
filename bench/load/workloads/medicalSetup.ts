/**
 * Setup steps the medical workloads share: finding the dev genesis regulator, registering many
 * organisations in a few waves, and measuring a tx's gas to set the load txs' gasLimit.
 */
import { randomBytes } from 'node:crypto';
import { fromHex, toHex } from '../../../core/encoding/index.js';
import { LoadError } from '../errors.js';
import { SETUP_WAVE, submitInWaves } from './setupWaves.js';
import type { Sender, SetupContext, SetupTx, TxBody } from './types.js';

/**
 * gasLimit = measured gas × this: the block packer counts gasLimit, not gas used, so a loose
 * limit (the 2,000,000 of the contract tests) would fit only 25 txs in a 50M-gas block; the
 * margin covers a tx that costs a little more than its probe (longer ids as k grows).
 */
export const GAS_MARGIN = 1.5;
/** Gas of a probe tx (a generous bound; its measured use sets the load txs' limit). */
export const PROBE_GAS = 2_000_000;
/**
 * gasLimit of setup txs (registrations, grants, policies use ~5,000–20,000): the packer counts
 * gasLimit, so PROBE_GAS would fit 25 setup txs in a 50M-gas block, this 500.
 */
export const SETUP_GAS = 100_000;
/** A licence end far past any run: 2100-01-01. */
export const FAR_FUTURE_MS = 4_102_444_800_000;

/**
 * The dev account that the chain's registry lists as a regulator (dev 0 on the dev genesis),
 * and the other dev accounts (one Sender object per account, so their nonces stay in step).
 */
export async function devRegulator(ctx: SetupContext): Promise<{ regulator: Sender; others: Sender[] }> {
  const registry = ctx.info.contracts!.registry;
  const devs = await ctx.devSenders();
  for (const d of devs) {
    if ((await ctx.rpc.call<unknown>('state_call', [registry, 'isRegulator', [d.address]])) === true) return { regulator: d, others: devs.filter((x) => x !== d) };
  }
  throw new LoadError('LOAD_WORKLOAD_UNAVAILABLE', `no dev account is a regulator in the registry at ${registry}: the medical workloads need the dev genesis`, {
    contract: 'registry',
  });
}

/** An organisation to register: its account, kind (registry.mc's list) and name. */
export interface OrgToRegister {
  address: string;
  kind: string;
  name: string;
}

/**
 * Registers `orgs` (registry.registerOrg). Up to SETUP_WAVE the regulator registers them itself,
 * in one wave; beyond that it first registers ceil(n / SETUP_WAVE) fresh regional regulators
 * (kind "regulator", which registry.mc lets register organisations too), each of which then
 * registers its share, so any number of organisations costs two or three waves. `alongside`
 * joins the first wave (independent txs: funding, grants).
 */
export async function registerOrgs(ctx: SetupContext, regulator: Sender, orgs: readonly OrgToRegister[], alongside: readonly SetupTx[] = []): Promise<void> {
  const registry = fromHex(ctx.info.contracts!.registry, 20);
  const register = (from: Sender, o: OrgToRegister): SetupTx => ({
    from,
    body: { to: registry, method: 'registerOrg', args: [fromHex(o.address, 20), o.kind, o.name], gasLimit: SETUP_GAS },
  });
  if (orgs.length <= SETUP_WAVE) {
    await submitInWaves(ctx, [...orgs.map((o) => register(regulator, o)), ...alongside]);
    return;
  }
  const regional = ctx.newAccounts(Math.ceil(orgs.length / SETUP_WAVE));
  await submitInWaves(ctx, [...regional.map((r, i) => register(regulator, { address: r.address, kind: 'regulator', name: `Load regional regulator ${i}` })), ...alongside]);
  await submitInWaves(
    ctx,
    orgs.map((o, i) => register(regional[Math.floor(i / SETUP_WAVE)], o)),
  );
}

/** Submits `body` from `from` with PROBE_GAS and returns the gasLimit for load txs like it. */
export async function probeGasLimit(ctx: SetupContext, what: string, from: Sender, body: Omit<TxBody, 'gasLimit'>): Promise<number> {
  const [probe] = await ctx.submit([{ from, body: { ...body, gasLimit: PROBE_GAS } }]);
  if (!(probe.gasUsed > 0)) throw new LoadError('LOAD_SETUP_FAILED', `${what} probe reported gasUsed ${probe.gasUsed}`, { hash: probe.hash });
  const gasLimit = Math.ceil(probe.gasUsed * GAS_MARGIN);
  ctx.log(`${what} uses ${probe.gasUsed} gas: load txs carry gasLimit ${gasLimit}`);
  return gasLimit;
}

/**
 * A fresh random salt and id for this run's contract keys: records refuses a hash anchored
 * before and claims a reused policy or claim id, and a node may have seen earlier runs.
 */
export function runSalt(): { salt: Uint8Array; runId: string } {
  const salt = new Uint8Array(randomBytes(8));
  return { salt, runId: 'L' + toHex(salt).slice(2) };
}
