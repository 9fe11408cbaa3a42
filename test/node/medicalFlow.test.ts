/**
 * The medical flow of issue 7 end to end over JSON-RPC, against a real dev node process with
 * the dev keys and the SDK: registry, consent, record anchoring with its access audit and
 * break-glass, a funded policy, a claim adjudicated on chain (covered, pre-auth, not-covered
 * and duplicate items) with the payment visible in balances, an events subscription, a
 * surveillance case reported, confirmed by a lab and a cdc and counted, and
 * `medchain demo claims` run twice against the same node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, devKey, jsonToValue, type MedchainClient, type Receipt } from '../../rpc/client/index.js';
import { runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';

let node: NodeProcess;
let client: MedchainClient;
let contracts: Record<string, string>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-medflow-'));
const [regulator, hospital, insurer, doctor, patient, lab, cdc, , , outsider] = Array.from({ length: 10 }, (_, i) => devKey(i));
const RECORD = '0x' + 'ab'.repeat(32);
const YEAR = 365 * 24 * 3_600_000;
let now: number;

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '30']);
  client = await createClient(node.url, { WebSocket });
  contracts = (await client.getInfo()).contracts as Record<string, string>;
  now = Date.now();
});
afterAll(async () => {
  await client?.close();
  await node?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Key = ReturnType<typeof devKey>;
type J = null | boolean | number | string | J[] | { [k: string]: J };
const builders = new Map<Key, ReturnType<MedchainClient['txBuilder']>>();
/** Sends a contract call signed by `key`, args as JSON (converted like the CLI's --args), and waits for the receipt. */
function send(key: Key, contract: string, method: string, args: J[]): Promise<Receipt> {
  if (!builders.has(key)) builders.set(key, client.txBuilder(key));
  return builders.get(key)!.sendAndWait({ to: contracts[contract], method, args: args.map((a) => jsonToValue(a)) }, { timeoutMs: 15_000 });
}
async function ok(key: Key, contract: string, method: string, args: J[]): Promise<Receipt> {
  const r = await send(key, contract, method, args);
  expect(r.error, `${contract}.${method}`).toBeUndefined();
  return r;
}
const view = <T = J>(contract: string, method: string, args: J[]) => client.call<T>('state_call', { to: contracts[contract], method, args });

describe('medical flow over JSON-RPC (dev node)', () => {
  it('lists the genesis contracts in chain_getInfo', () => {
    expect(Object.keys(contracts).sort()).toEqual(['claims', 'consent', 'records', 'registry', 'supplychain', 'surveillance', 'validators']);
  });

  it('registry: the regulator registers organisations, the hospital its practitioner', async () => {
    await ok(regulator, 'registry', 'registerOrg', [hospital.addressHex, 'hospital', 'General Hospital']);
    await ok(regulator, 'registry', 'registerOrg', [insurer.addressHex, 'insurer', 'Health Insurance Co']);
    await ok(hospital, 'registry', 'registerPractitioner', [doctor.addressHex, 'MD-1', 'cardiology', now + YEAR]);
    expect(await view('registry', 'get', [doctor.addressHex])).toMatchObject({ kind: 'practitioner', org: hospital.addressHex, active: true });
    const refused = await send(outsider, 'registry', 'registerOrg', [outsider.addressHex, 'hospital', 'Fake']);
    expect(refused).toMatchObject({ status: 'reverted' });
    expect(refused.error).toContain('not-regulator');
  });

  it('consent and records: grant, anchor, audited access, break-glass, revoke', async () => {
    const noConsent = await send(doctor, 'records', 'anchor', [patient.addressHex, RECORD, 'lab', 'analyser-1']);
    expect(noConsent.error).toContain('no-consent');
    const g = await ok(patient, 'consent', 'grant', [doctor.addressHex, ['lab'], ['TREAT'], now - 60_000, now + YEAR]);
    expect(g.result).toBe(1);
    expect(g.events[0]).toMatchObject({ contract: contracts.consent, event: 'Granted', data: { grantId: 1, patient: patient.addressHex, actor: doctor.addressHex } });
    expect(await view('consent', 'check', [patient.addressHex, doctor.addressHex, 'lab', 'TREAT'])).toBe(true);
    const a = await ok(doctor, 'records', 'anchor', [patient.addressHex, RECORD, 'lab', 'analyser-1']);
    expect(a.events[0]).toMatchObject({ event: 'Anchored', data: { recordHash: RECORD, author: doctor.addressHex, org: hospital.addressHex } });
    expect(await view('records', 'get', [RECORD])).toMatchObject({ patient: patient.addressHex, category: 'lab', author: doctor.addressHex, org: hospital.addressHex, device: 'analyser-1', height: a.height });
    expect((await ok(doctor, 'consent', 'logAccess', [patient.addressHex, RECORD, 'TREAT', false])).events.map((e) => e.event)).toEqual(['Accessed']);
    expect((await send(outsider, 'consent', 'logAccess', [patient.addressHex, RECORD, 'TREAT', false])).error).toContain('no-consent');
    await ok(patient, 'consent', 'revoke', [1]);
    expect(await view('consent', 'check', [patient.addressHex, doctor.addressHex, 'lab', 'TREAT'])).toBe(false);
    const glass = await ok(doctor, 'consent', 'logAccess', [patient.addressHex, RECORD, 'ETREAT', true]);
    expect(glass.events).toMatchObject([{ event: 'BreakGlass', data: { actor: doctor.addressHex, consented: false } }]);
  });

  it('claims: a funded policy, a claim adjudicated and paid in its own tx, a duplicate denied', async () => {
    await ok(patient, 'consent', 'grant', [insurer.addressHex, ['claims'], ['HPAYMT'], now - 60_000, now + YEAR]);
    const rules = {
      deductible: 100,
      annualLimit: 10_000,
      validFrom: now - 60_000,
      validUntil: now + YEAR,
      coverage: { '99213': { copayBps: 2_000, maxPerClaim: 500 }, '80053': { copayBps: 0, maxPerClaim: 300 }, '70450': { copayBps: 1_000, maxPerClaim: 2_000 } },
      preAuth: ['70450'],
    };
    await ok(insurer, 'claims', 'createPolicy', ['POL-1', patient.addressHex, rules]);
    await ok(insurer, 'claims', 'deposit', [5_000]);
    expect(await view('claims', 'escrowOf', [insurer.addressHex])).toBe(5_000);
    expect(await view('claims', 'getPolicy', ['POL-1'])).toMatchObject({ insurer: insurer.addressHex, coverage: rules.coverage, deductibleLeft: 100, annualLimitLeft: 10_000 });

    const events = client.subscribe('events', { contract: contracts.claims, event: 'ClaimAdjudicated' });
    await events.ready;
    const before = (await client.getAccount(hospital.addressHex)).balance;
    const day = 1_767_312_000_000;
    const r = await ok(hospital, 'claims', 'submitClaim', ['CLM-1', 'POL-1', [['99213', 300, day], ['80053', 400, day], ['70450', 900, day], ['73030', 150, day]], RECORD]);
    // 99213: (300 − 100 deductible) × 80 % = 160; 80053: capped at 300, no copay
    expect(r.events).toEqual([{ contract: contracts.claims, event: 'ClaimAdjudicated', data: { claimId: 'CLM-1', status: 'partial', paid: 460 } }]);
    expect(await view('claims', 'getClaim', ['CLM-1'])).toEqual({
      policyId: 'POL-1',
      provider: hospital.addressHex,
      recordHash: RECORD,
      status: 'partial',
      paid: 460,
      items: [
        { code: '99213', status: 'paid', paid: 160, reason: null },
        { code: '80053', status: 'paid', paid: 300, reason: null },
        { code: '70450', status: 'denied', paid: 0, reason: 'needs-preauth' },
        { code: '73030', status: 'denied', paid: 0, reason: 'not-covered' },
      ],
    });
    expect((await client.getAccount(hospital.addressHex)).balance).toBe(before + 460n);
    expect(await view('claims', 'escrowOf', [insurer.addressHex])).toBe(4_540);

    await ok(hospital, 'claims', 'submitClaim', ['CLM-2', 'POL-1', [['99213', 300, day]], RECORD]);
    expect(await view('claims', 'getClaim', ['CLM-2'])).toMatchObject({ status: 'denied', paid: 0, items: [{ reason: 'duplicate' }] });
    expect((await send(hospital, 'claims', 'submitClaim', ['CLM-2', 'POL-1', [['99213', 1, day + 1]], RECORD])).error).toContain('claim-exists');

    const seen: unknown[] = [];
    for await (const e of events) {
      seen.push((e as { data: unknown }).data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([
      { claimId: 'CLM-1', status: 'partial', paid: 460 },
      { claimId: 'CLM-2', status: 'denied', paid: 0 },
    ]);
  });

  it('surveillance: a case reported, confirmed by a lab and a cdc, counted in the public statistics', async () => {
    await ok(regulator, 'registry', 'registerOrg', [lab.addressHex, 'lab', 'Public Health Lab']);
    await ok(regulator, 'registry', 'registerOrg', [cdc.addressHex, 'cdc', 'Disease Control Centre']);
    const events = client.subscribe('events', { contract: contracts.surveillance, event: 'Confirmed' });
    await events.ready;
    const id = '0x' + 'ce'.repeat(32);
    const yesterday = now - (now % 86_400_000) - 86_400_000; // onsets are days (00:00 UTC)
    const r = await ok(doctor, 'surveillance', 'report', [id, 'A09', 'FR-75', yesterday]);
    expect(r.events).toEqual([{ contract: contracts.surveillance, event: 'Reported', data: { caseId: id, disease: 'A09', region: 'FR-75', onset: yesterday, org: hospital.addressHex } }]);
    expect((await send(doctor, 'surveillance', 'report', [id, 'A09', 'FR-75', yesterday])).error).toContain('already-reported');
    expect((await send(hospital, 'surveillance', 'confirm', [id])).error).toContain('not-confirmer');
    await ok(lab, 'surveillance', 'confirm', [id]);
    expect(await view('surveillance', 'case', [id])).toMatchObject({ status: 'reported', confirmations: 1 });
    const c = await ok(cdc, 'surveillance', 'confirm', [id]);
    expect(c.events.map((e) => e.event)).toEqual(['ConfirmedBy', 'Confirmed']);
    expect(await view('surveillance', 'case', [id])).toMatchObject({ status: 'confirmed', disease: 'A09', region: 'FR-75', org: hospital.addressHex, confirmations: 2 });
    expect(await view('surveillance', 'stats', ['A09', 'FR-75'])).toEqual({ reported: 1, confirmed: 1, discarded: 0 });
    expect(await view('surveillance', 'totals', ['A09'])).toEqual({ reported: 1, confirmed: 1, discarded: 0 });
    for await (const e of events) {
      expect((e as { data: unknown }).data).toEqual({ caseId: id, disease: 'A09', region: 'FR-75' });
      break;
    }
  });

  it('medchain demo claims runs the whole flow and can run again on the same chain', async () => {
    for (let i = 0; i < 2; i++) {
      const { code, out } = await runCli(['demo', 'claims', '--rpc', node.url], 30_000);
      expect(code, out).toBe(0);
      expect(out).toMatch(/submitClaim[\s\S]*partial, paid 500[\s\S]*needs-preauth[\s\S]*not-covered[\s\S]*denied, paid 0[\s\S]*duplicate/);
      expect(out).toContain('done: every step succeeded');
    }
  });
});
