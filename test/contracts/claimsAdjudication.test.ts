/**
 * claims (genesis/contracts/claims.mc), automatic adjudication in the submitting tx,
 * through the real executor and the dev genesis: the arithmetic (cap, deductible, copay,
 * annual limit), every item reason (not-covered, needs-preauth, duplicate across policies
 * and insurers, insufficient-funds), whole-claim denials (policy, no-consent), payment from
 * escrow to the provider, claim status, and the refusals that revert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../core/contracts/index.js';
import { genesisContractAddress } from '../../core/genesis/index.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DOCTOR, grant, HOSPITAL, INSURER, INSURER2, LAB, OUTSIDER, PATIENT, PATIENT2, PHARMACY, policyRules, REGULATOR, registerCast } from './cast.js';
import { DAY, dev, hashOf, MedChain, revertReason, type TxResult } from './harness.js';

const dirs = new TempDirs();
let c: MedChain;
const REC = hashOf('claims: visit note');
const D1 = 1_767_300_000_000;
const D2 = D1 + DAY;
const D3 = D1 + 2 * DAY;
let consentId: number;

beforeAll(async () => {
  c = await MedChain.open(dirs);
  await registerCast(c);
  consentId = await grant(c, PATIENT, INSURER, ['claims'], ['HPAYMT']);
  await c.ok(INSURER, 'claims', 'createPolicy', ['POL-1', dev(PATIENT), policyRules(c) as Json]);
  await c.ok(INSURER, 'claims', 'deposit', [10_000]);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

type Item = [string, number, number];
const submit = (from: number, claimId: string, policyId: string, items: Item[], rec = REC): Promise<TxResult> =>
  c.send(from, 'claims', 'submitClaim', [claimId, policyId, items, rec]);
const claim = (id: string) => c.view('claims', 'getClaim', [id]) as { status: string; paid: number; items: Array<{ code: string; status: string; paid: number; reason: string | null }> };
const reasons = (id: string) => claim(id).items.map((i) => i.reason);
const escrow = (insurer: number) => c.view('claims', 'escrowOf', [dev(insurer)]);
const policy = (id: string) => c.view('claims', 'getPolicy', [id]) as { deductibleLeft: number; annualLimitLeft: number };

describe('claims: adjudication arithmetic and payment', () => {
  it('pays min(amount, cap) after the deductible, less the copay, from escrow to the provider', async () => {
    const before = c.balance(HOSPITAL);
    const r = await submit(HOSPITAL, 'CLM-1', 'POL-1', [['99213', 300, D1], ['80053', 400, D1]]);
    // 99213: allowed 300, deductible 100, (300-100)·80 % = 160; 80053: allowed 300 (cap), no copay = 300
    expect(r.events).toEqual([{ contract: 'claims', event: 'ClaimAdjudicated', data: { claimId: 'CLM-1', status: 'paid', paid: 460 } }]);
    expect(c.view('claims', 'getClaim', ['CLM-1'])).toEqual({
      policyId: 'POL-1',
      provider: dev(HOSPITAL),
      recordHash: REC,
      status: 'paid',
      paid: 460,
      items: [
        { code: '99213', status: 'paid', paid: 160, reason: null },
        { code: '80053', status: 'paid', paid: 300, reason: null },
      ],
    });
    expect(c.balance(HOSPITAL)).toBe(before + 460n);
    expect(escrow(INSURER)).toBe(10_000 - 460);
    expect(c.balance(genesisContractAddress('claims'))).toBe(10_000n - 460n);
    expect(policy('POL-1')).toMatchObject({ deductibleLeft: 0, annualLimitLeft: 540 });
  });

  it('floors the copay share', async () => {
    await submit(HOSPITAL, 'CLM-2', 'POL-1', [['99213', 7, D2]]); // 7 · 0.8 = 5.6
    expect(claim('CLM-2')).toMatchObject({ status: 'paid', paid: 5 });
  });

  it('gives each item its reason: not-covered, needs-preauth, duplicate; partial when some are paid', async () => {
    const r = await submit(HOSPITAL, 'CLM-3', 'POL-1', [['XXXXX', 50, D1], ['70450', 900, D1], ['99213', 300, D1], ['99213', 100, D3], ['99213', 100, D3]]);
    expect(r.events[0].data).toEqual({ claimId: 'CLM-3', status: 'partial', paid: 80 });
    expect(claim('CLM-3').items).toEqual([
      { code: 'XXXXX', status: 'denied', paid: 0, reason: 'not-covered' },
      { code: '70450', status: 'denied', paid: 0, reason: 'needs-preauth' },
      { code: '99213', status: 'denied', paid: 0, reason: 'duplicate' },
      { code: '99213', status: 'paid', paid: 80, reason: null },
      { code: '99213', status: 'denied', paid: 0, reason: 'duplicate' },
    ]);
  });

  it('denied when nothing is paid', async () => {
    const r = await submit(HOSPITAL, 'CLM-4', 'POL-1', [['XXXXX', 50, D1], ['99213', 300, D1]]);
    expect(r.events[0].data).toEqual({ claimId: 'CLM-4', status: 'denied', paid: 0 });
    expect(reasons('CLM-4')).toEqual(['not-covered', 'duplicate']);
  });

  it('caps payments by what is left of the annual limit (reason annual-limit)', async () => {
    const left = policy('POL-1').annualLimitLeft; // 1000 - 460 - 5 - 80 = 455
    expect(left).toBe(455);
    await submit(HOSPITAL, 'CLM-5', 'POL-1', [['99213', 500, D3 + 1], ['80053', 300, D3 + 1], ['80053', 300, D3 + 2]]);
    expect(claim('CLM-5')).toMatchObject({ status: 'paid', paid: 455 });
    expect(claim('CLM-5').items.map((i) => [i.paid, i.reason])).toEqual([[400, null], [55, 'annual-limit'], [0, 'annual-limit']]);
    expect(policy('POL-1')).toMatchObject({ annualLimitLeft: 0 });
  });
});

describe('claims: deductible, duplicates across insurers, escrow', () => {
  beforeAll(async () => {
    await grant(c, PATIENT, INSURER2, ['claims'], ['HPAYMT']);
    await grant(c, PATIENT2, INSURER2, ['claims'], ['HPAYMT']);
    await c.ok(INSURER2, 'claims', 'createPolicy', ['B-1', dev(PATIENT), policyRules(c, { deductible: 1000 }) as Json]);
    await c.ok(INSURER2, 'claims', 'createPolicy', ['B-2', dev(PATIENT2), policyRules(c, { deductible: 0 }) as Json]);
    await c.ok(INSURER2, 'claims', 'deposit', [100]);
  });

  it('an item absorbed by the deductible is approved with 0 paid (reason deductible)', async () => {
    await submit(LAB, 'B-CLM-1', 'B-1', [['80053', 250, D1 + 7]]);
    expect(claim('B-CLM-1')).toMatchObject({ status: 'paid', paid: 0, items: [{ code: '80053', status: 'paid', paid: 0, reason: 'deductible' }] });
    expect(policy('B-1')).toMatchObject({ deductibleLeft: 750 });
  });

  it('a (patient, code, service date) already claimed under another insurer is a duplicate', async () => {
    await submit(PHARMACY, 'B-CLM-2', 'B-1', [['99213', 300, D1], ['99213', 300, D3 + 1]]);
    expect(reasons('B-CLM-2')).toEqual(['duplicate', 'duplicate']);
    expect(claim('B-CLM-2').status).toBe('denied');
  });

  it('insufficient-funds when the escrow cannot cover an item; later items and resubmission still work', async () => {
    const before = c.balance(LAB);
    await submit(LAB, 'B-CLM-3', 'B-2', [['80053', 200, D1], ['99213', 100, D1]]);
    expect(claim('B-CLM-3').items).toEqual([
      { code: '80053', status: 'denied', paid: 0, reason: 'insufficient-funds' },
      { code: '99213', status: 'paid', paid: 80, reason: null },
    ]);
    expect(claim('B-CLM-3')).toMatchObject({ status: 'partial', paid: 80 });
    expect(escrow(INSURER2)).toBe(20);
    expect(c.balance(LAB)).toBe(before + 80n);
    // the unpaid item was not recorded as claimed: it goes through once the insurer deposits
    await c.ok(INSURER2, 'claims', 'deposit', [1000]);
    await submit(LAB, 'B-CLM-4', 'B-2', [['80053', 200, D1]]);
    expect(claim('B-CLM-4')).toMatchObject({ status: 'paid', paid: 200 });
  });
});

describe('claims: whole-claim denials', () => {
  it('an unknown policy denies every item with reason policy', async () => {
    const r = await submit(HOSPITAL, 'W-1', 'NO-SUCH', [['99213', 10, D1], ['80053', 10, D1]]);
    expect(r.events[0].data).toEqual({ claimId: 'W-1', status: 'denied', paid: 0 });
    expect(claim('W-1')).toMatchObject({ policyId: 'NO-SUCH', status: 'denied', paid: 0 });
    expect(claim('W-1').items).toEqual([
      { code: '99213', status: 'denied', paid: 0, reason: 'policy' },
      { code: '80053', status: 'denied', paid: 0, reason: 'policy' },
    ]);
  });

  it('a policy outside its validity at block time denies the claim (policy)', async () => {
    const now = c.now;
    await c.ok(INSURER, 'claims', 'createPolicy', ['FUTURE', dev(PATIENT), policyRules(c, { validFrom: now + 10 * DAY, validUntil: now + 20 * DAY }) as Json]);
    await c.ok(INSURER, 'claims', 'createPolicy', ['PAST', dev(PATIENT), policyRules(c, { validFrom: 0, validUntil: now - DAY }) as Json]);
    await submit(HOSPITAL, 'W-2', 'FUTURE', [['99213', 10, D1 + 99]]);
    await submit(HOSPITAL, 'W-3', 'PAST', [['99213', 10, D1 + 99]]);
    expect(reasons('W-2')).toEqual(['policy']);
    expect(reasons('W-3')).toEqual(['policy']);
  });

  it("without the patient's (claims, HPAYMT) consent for the insurer: no-consent", async () => {
    await c.ok(INSURER, 'claims', 'createPolicy', ['POL-2', dev(PATIENT), policyRules(c) as Json]);
    await c.ok(PATIENT, 'consent', 'revoke', [consentId]);
    const before = escrow(INSURER);
    await submit(HOSPITAL, 'W-4', 'POL-2', [['99213', 10, D1 + 5]]);
    expect(claim('W-4')).toMatchObject({ status: 'denied', paid: 0, items: [{ code: '99213', status: 'denied', paid: 0, reason: 'no-consent' }] });
    expect(escrow(INSURER)).toBe(before);
  });

  it('a denied claim uses up its id', async () => {
    expect(revertReason(await submit(HOSPITAL, 'W-1', 'POL-1', [['99213', 10, D1]]))).toBe('claim-exists');
  });
});

describe('claims: refusals (the tx reverts)', () => {
  it('only an active hospital, lab or pharmacy submits', async () => {
    const rs = await c.block(
      [INSURER, DOCTOR, OUTSIDER, REGULATOR, PATIENT].map((from, i) => ({ from, contract: 'claims' as const, method: 'submitClaim', args: [`R-${i}`, 'POL-1', [['99213', 1, 1]], REC] as Json[] })),
    );
    expect(rs.map(revertReason)).toEqual(Array(5).fill('not-provider'));
  });

  it('refuses a used or malformed claim id, bad items and a bad record hash', async () => {
    const s = (id: string, items: Json, rec = REC) => ({ from: HOSPITAL, contract: 'claims' as const, method: 'submitClaim', args: [id, 'POL-1', items, rec] });
    const rs = await c.block([
      s('CLM-1', [['99213', 1, 1]]),
      s('', [['99213', 1, 1]]),
      s('c'.repeat(65), [['99213', 1, 1]]),
      s('R-10', []),
      s('R-11', Array.from({ length: 51 }, (_, i) => ['99213', 1, i])),
      s('R-12', [['99213', -1, 1]]),
      s('R-13', [['99213', 10 ** 14 + 1, 1]]),
      s('R-14', [['', 1, 1]]),
      s('R-15', [['99213', 1, 1]], '0x1234'),
    ]);
    expect(rs.map(revertReason)).toEqual(['claim-exists', 'bad-claim-id', 'bad-claim-id', 'bad-items', 'bad-items', 'bad-items', 'bad-items', 'bad-items', 'bad-hash']);
  });

  it('a suspended hospital can no longer submit', async () => {
    await c.ok(REGULATOR, 'registry', 'suspend', [dev(HOSPITAL)]);
    expect(revertReason(await submit(HOSPITAL, 'R-20', 'POL-1', [['99213', 1, 1]]))).toBe('not-provider');
  });
});
