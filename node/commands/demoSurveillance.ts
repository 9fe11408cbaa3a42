/**
 * Disease surveillance against a running dev node, over JSON-RPC with the client SDK and the
 * dev keys: a hospital practitioner reports cases under pseudonymous 32-byte ids, a lab and a
 * cdc confirm one, a cdc discards another, the reporter's own organisation is refused as a
 * confirmer (a lab technician's report, which the lab itself may not confirm), and the public
 * counters are printed. Each step prints what it sent and what the chain answered.
 *
 * Safe to run again on the same chain: registrations that already hold are skipped and the
 * case ids are fresh per run (derived from the head height); the counters add up over runs.
 */
import { sha256 } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import type { MedchainClient } from '../../rpc/client/index.js';
import { DAY_MS, demoKeys, demoSteps, extraDemoKey, YEAR_MS } from './demoSteps.js';

/** Measles (ICD-10 B05) in the Rhône (ISO 3166-2 FR-69): codes only, never free text. */
const DISEASE = 'B05';
const REGION = 'FR-69';

/** The public counters (`stats` and `totals`). */
export interface SurveillanceStats {
  reported: number;
  confirmed: number;
  discarded: number;
}

/** What the demo ends with: its case ids and the counters before and after. */
export interface SurveillanceDemoResult {
  cases: { confirmed: string; discarded: string; pending: string };
  before: SurveillanceStats;
  after: SurveillanceStats;
  failures: number;
}

/** Runs the flow; `print` receives one line per step. */
export async function runSurveillanceDemo(client: MedchainClient, print: (line: string) => void): Promise<SurveillanceDemoResult> {
  const keys = { ...demoKeys(['regulator', 'hospital', 'doctor', 'lab', 'cdc'] as const), labtech: extraDemoKey('labtech') };
  const { info, contracts, addr, view, send, refused, skip, ensureOrg, failures } = await demoSteps(client, keys, print, ['registry', 'surveillance']);
  const head = await client.getHeader(info.height);
  // block times follow the validators' clocks; a fresh chain's head is still the genesis time
  const now = Math.max(head!.timeMs, Date.now());
  // onsets are days (ms at 00:00 UTC): the contract refuses a finer time
  const today = now - (now % DAY_MS);
  const run = `${info.height}`;
  // the reporter derives the id off chain from its local case number and a secret salt: a
  // hash of a name alone could be guessed
  const caseId = (org: 'hospital' | 'lab', n: number) => toHex(sha256(new TextEncoder().encode(`demo-${org}-secret-salt/CASE-${run}-${n}`)));
  const statsLine = (s: SurveillanceStats) => `reported ${s.reported}, confirmed ${s.confirmed}, discarded ${s.discarded}, awaiting ${s.reported - s.confirmed - s.discarded}`;
  const ensurePractitioner = async (org: 'hospital' | 'lab', p: 'doctor' | 'labtech', licence: string, specialty: string) => {
    if ((await view('registry', 'get', [addr(p)])) === null) {
      await send(org, 'registry', 'registerPractitioner', [addr(p), licence, specialty, now + YEAR_MS], () => `${p} registered`);
    } else skip(`registry.registerPractitioner(${p})`);
  };

  print(`medchain ${info.chainId} at height ${info.height}; surveillance ${contracts.surveillance}`);
  print(`regulator ${addr('regulator')}, hospital ${addr('hospital')}, doctor ${addr('doctor')}, lab ${addr('lab')}, lab technician ${addr('labtech')}, cdc ${addr('cdc')}`);

  // 1. the organisations and their staff
  await ensureOrg('regulator', 'hospital', 'hospital', 'Demo General Hospital');
  await ensureOrg('regulator', 'lab', 'lab', 'Demo Reference Laboratory');
  await ensureOrg('regulator', 'cdc', 'cdc', 'Demo Disease Control Centre');
  await ensurePractitioner('hospital', 'doctor', 'MD-0042', 'internal medicine');
  await ensurePractitioner('lab', 'labtech', 'LT-0007', 'microbiology');
  const before = await view<SurveillanceStats>('surveillance', 'stats', [DISEASE, REGION]);
  print(`      stats(${DISEASE}, ${REGION}) before: ${statsLine(before)}`);

  // 2. the hospital's doctor reports two cases, the lab's technician a third
  const cases = { confirmed: caseId('hospital', 1), discarded: caseId('hospital', 2), pending: caseId('lab', 1) };
  const reported = (label: string) => () => `${label} case reported, awaiting a lab and a cdc`;
  await send('doctor', 'surveillance', 'report', [cases.confirmed, DISEASE, REGION, today - 3 * DAY_MS], reported('hospital'));
  await send('doctor', 'surveillance', 'report', [cases.discarded, DISEASE, REGION, today - 2 * DAY_MS], reported('hospital'));
  await send('labtech', 'surveillance', 'report', [cases.pending, DISEASE, REGION, today - DAY_MS], reported('lab'));

  // 3. a lab and a cdc confirm the first; a cdc discards the second
  const confirmed = (r: { events: Array<{ event: string; data: unknown }> }) => {
    const by = r.events.find((e) => e.event === 'ConfirmedBy')?.data as { kind: string };
    return r.events.some((e) => e.event === 'Confirmed') ? `confirmed by a ${by.kind}: the case is now confirmed` : `confirmed by a ${by.kind}: still needs a ${by.kind === 'lab' ? 'cdc' : 'lab'}`;
  };
  await send('lab', 'surveillance', 'confirm', [cases.confirmed], confirmed);
  await send('cdc', 'surveillance', 'confirm', [cases.confirmed], confirmed);
  await send('cdc', 'surveillance', 'discard', [cases.discarded, 'not-a-case'], () => 'discarded: not-a-case');

  // 4. the reporter's own organisation never confirms its own report
  await refused('lab', 'surveillance', 'confirm', [cases.pending], 'own-report');

  for (const [label, id] of Object.entries(cases)) {
    const c = (await view<{ status: string; confirmations: number; org: string; reason: string | null }>('surveillance', 'case', [id]))!;
    const org = Object.entries(keys).find(([, k]) => k.addressHex === c.org)?.[0] ?? c.org;
    print(`      case ${id} (${label}): ${c.status}, reported by the ${org}, ${c.confirmations} confirmation(s)${c.reason ? `, reason ${c.reason}` : ''}`);
  }
  const after = await view<SurveillanceStats>('surveillance', 'stats', [DISEASE, REGION]);
  print(`      stats(${DISEASE}, ${REGION}): ${statsLine(after)}`);
  print(`      totals(${DISEASE}): ${statsLine(await view<SurveillanceStats>('surveillance', 'totals', [DISEASE]))}`);

  print(failures() === 0 ? 'done: every step did what it should' : `done: ${failures()} step(s) went wrong`);
  return { cases, before, after, failures: failures() };
}
