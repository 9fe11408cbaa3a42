/**
 * The cast of the contract tests, as dev accounts: dev 0 the genesis regulator, 1 a
 * hospital, 2 and 6 insurers, 3 a practitioner of the hospital, 4 and 7 patients, 5 a lab,
 * 8 a pharmacy, 9 an unregistered outsider. `registerCast` puts them in the registry.
 */
import { DAY, dev, type MedChain } from './harness.js';

export const REGULATOR = 0;
export const HOSPITAL = 1;
export const INSURER = 2;
export const DOCTOR = 3;
export const PATIENT = 4;
export const LAB = 5;
export const INSURER2 = 6;
export const PATIENT2 = 7;
export const PHARMACY = 8;
export const OUTSIDER = 9;

/** Registers the organisations and the doctor (licence valid for a year). */
export async function registerCast(c: MedChain): Promise<void> {
  const rs = await c.block([
    { from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(HOSPITAL), 'hospital', 'St Mary'] },
    { from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(INSURER), 'insurer', 'Acme Health'] },
    { from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(INSURER2), 'insurer', 'Beta Mutual'] },
    { from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(LAB), 'lab', 'Central Lab'] },
    { from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(PHARMACY), 'pharmacy', 'Corner Pharmacy'] },
  ]);
  const r = await c.send(HOSPITAL, 'registry', 'registerPractitioner', [dev(DOCTOR), 'LIC-3', 'cardiology', c.now + 365 * DAY]);
  for (const x of [...rs, r]) if (x.status !== 'ok') throw new Error(`registerCast: ${x.error}`);
}

/** A grant of `patient` to `actor`, valid from now on for a year; returns its id. */
export async function grant(c: MedChain, patient: number, actor: number | string, categories: string[], purposes: string[], from = c.now - DAY, until = c.now + 365 * DAY): Promise<number> {
  const r = await c.ok(patient, 'consent', 'grant', [typeof actor === 'number' ? dev(actor) : actor, categories, purposes, from, until]);
  return r.result as number;
}

/**
 * Policy rules (deductible 100, annual limit 1000, valid a day ago to a year on) covering
 * 99213 (copay 20 %, cap 500), 80053 (no copay, cap 300) and 70450 (needs pre-authorisation).
 */
export function policyRules(c: MedChain, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    deductible: 100,
    annualLimit: 1000,
    validFrom: c.now - DAY,
    validUntil: c.now + 365 * DAY,
    coverage: { '99213': { copayBps: 2000, maxPerClaim: 500 }, '80053': { copayBps: 0, maxPerClaim: 300 }, '70450': { copayBps: 1000, maxPerClaim: 2000 } },
    preAuth: ['70450'],
    ...over,
  };
}
