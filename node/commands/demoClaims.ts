/**
 * The medical flow of issue 7 against a running dev node, over JSON-RPC with the client SDK
 * and the dev keys: register a hospital, an insurer and a practitioner, grant consent,
 * anchor a record and log an access, create and fund a policy, then submit claims that are
 * adjudicated on chain (a covered item, one needing pre-authorisation, a not-covered one,
 * and a duplicate). Each step prints what it sent and what the chain answered.
 *
 * Safe to run again on the same chain: registrations and grants that already hold are
 * skipped, and policy/claim ids, the record hash and the service date are fresh per run.
 */
import { sha256 } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import type { MedchainClient } from '../../rpc/client/index.js';
import { demoKeys, demoSteps, YEAR_MS, type Json } from './demoSteps.js';


/** What the demo ends with: each claim as getClaim shows it, and the money that moved. */
export interface ClaimsDemoResult {
  claims: Record<string, unknown>;
  paidToHospital: bigint;
  escrowLeft: unknown;
  failures: number;
}

/** Runs the flow; `print` receives one line per step. */
export async function runClaimsDemo(client: MedchainClient, print: (line: string) => void): Promise<ClaimsDemoResult> {
  const keys = demoKeys(['regulator', 'hospital', 'insurer', 'doctor', 'patient'] as const);
  const { info, contracts, addr, view, send, skip, ensureOrg, failures } = await demoSteps(client, keys, print, ['registry', 'consent', 'records', 'claims']);
  const head = await client.getHeader(info.height);
  // block times follow the validators' clocks; a fresh chain's head is still the genesis time
  const now = Math.max(head!.timeMs, Date.now());
  const run = `${info.height}`;

  print(`medchain ${info.chainId} at height ${info.height}; contracts: ${Object.entries(contracts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  print(`regulator ${addr('regulator')}, hospital ${addr('hospital')}, insurer ${addr('insurer')}, doctor ${addr('doctor')}, patient ${addr('patient')}`);

  // 1. the regulator registers the hospital and the insurer; the hospital its doctor
  await ensureOrg('regulator', 'hospital', 'hospital', 'Demo General Hospital');
  await ensureOrg('regulator', 'insurer', 'insurer', 'Demo Health Insurance');
  if ((await view('registry', 'get', [addr('doctor')])) === null) {
    await send('hospital', 'registry', 'registerPractitioner', [addr('doctor'), 'MD-0042', 'internal medicine', now + YEAR_MS], () => 'doctor registered');
  } else skip('registry.registerPractitioner(doctor)');
  print(`      doctor: ${JSON.stringify(await view('registry', 'get', [addr('doctor')]))}`);

  // 2. the patient consents: lab data to the doctor for treatment, claims data to the insurer for payment
  for (const [actor, category, purpose] of [['doctor', 'lab', 'TREAT'], ['insurer', 'claims', 'HPAYMT']] as const) {
    if (await view('consent', 'check', [addr('patient'), addr(actor), category, purpose])) skip(`consent.grant(${actor}, ${category}, ${purpose})`);
    else await send('patient', 'consent', 'grant', [addr(actor), [category], [purpose], now - 60_000, now + YEAR_MS], (r) => `grant #${String(r.result)}`);
  }

  // 3. the doctor anchors a lab result (its hash only) and the access is audited
  const recordHash = toHex(sha256(new TextEncoder().encode(`demo lab result, run ${run}`)));
  await send('doctor', 'records', 'anchor', [addr('patient'), recordHash, 'lab', 'demo-analyser'], () => 'anchored');
  print(`      record: ${JSON.stringify(await view('records', 'get', [recordHash]))}`);
  await send('doctor', 'consent', 'logAccess', [addr('patient'), recordHash, 'TREAT', false], (r) => `event ${r.events.map((e) => e.event).join(', ')}`);

  // 4. the insurer creates a policy for the patient and funds its escrow
  const policyId = `DEMO-POL-${run}`;
  const rules = {
    deductible: 50,
    annualLimit: 5_000,
    validFrom: now - 60_000,
    validUntil: now + YEAR_MS,
    coverage: { '99213': { copayBps: 2_000, maxPerClaim: 500 }, '80053': { copayBps: 0, maxPerClaim: 300 }, '70450': { copayBps: 1_000, maxPerClaim: 2_000 } },
    preAuth: ['70450'],
  };
  await send('insurer', 'claims', 'createPolicy', [policyId, addr('patient'), rules], () => `policy ${policyId}`);
  await send('insurer', 'claims', 'deposit', [10_000], (r) => `escrow ${JSON.stringify((r.events[0]?.data as { escrow?: Json })?.escrow)}`);

  // 5. the hospital submits two claims, adjudicated in their own transactions
  const before = (await client.getAccount(addr('hospital'))).balance;
  const date = now; // the service date: fresh per run, so this run's first claim is no duplicate
  const claims: Record<string, unknown> = {};
  const submit = async (claimId: string, items: Array<[string, number, number]>) => {
    await send('hospital', 'claims', 'submitClaim', [claimId, policyId, items, recordHash], (r) => {
      const d = r.events.find((e) => e.event === 'ClaimAdjudicated')?.data as { status: string; paid: number };
      return `${d.status}, paid ${d.paid}`;
    });
    const c = (await view('claims', 'getClaim', [claimId])) as { items: Array<{ code: string; status: string; paid: number; reason: string | null }> };
    for (const it of c.items) print(`        ${it.code.padEnd(6)} ${it.status.padEnd(6)} ${String(it.paid).padStart(5)}  ${it.reason ?? ''}`);
    claims[claimId] = c;
  };
  await submit(`DEMO-CLM-${run}-1`, [['99213', 300, date], ['80053', 400, date], ['70450', 900, date], ['73030', 150, date]]);
  await submit(`DEMO-CLM-${run}-2`, [['99213', 300, date]]);

  const paid = (await client.getAccount(addr('hospital'))).balance - before;
  const escrowLeft = await view('claims', 'escrowOf', [addr('insurer')]);
  print(`hospital received ${paid}; insurer escrow left ${JSON.stringify(escrowLeft)}; policy ${JSON.stringify(await view('claims', 'getPolicy', [policyId]), ['deductibleLeft', 'annualLimitLeft'])}`);
  print(failures() === 0 ? 'done: every step succeeded' : `done: ${failures()} step(s) reverted`);
  return { claims, paidToHospital: paid, escrowLeft, failures: failures() };
}
