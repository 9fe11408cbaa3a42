/**
 * claims (genesis/contracts/claims.mc), policies and escrow, through the real executor and
 * the dev genesis: createPolicy by an active insurer with every refusal, getPolicy, and
 * deposit moving the insurer's balance into its escrow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genesisContractAddress } from '../../core/genesis/index.js';
import type { Json } from '../../core/contracts/index.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { HOSPITAL, INSURER, INSURER2, OUTSIDER, PATIENT, policyRules as rules, REGULATOR, registerCast } from './cast.js';
import { dev, MedChain, revertReason } from './harness.js';

const dirs = new TempDirs();
let c: MedChain;

beforeAll(async () => {
  c = await MedChain.open(dirs);
  await registerCast(c);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

describe('claims: createPolicy', () => {
  it('an active insurer creates a policy; getPolicy shows the terms and what is left', async () => {
    const rs = rules(c);
    const r = await c.ok(INSURER, 'claims', 'createPolicy', ['POL-1', dev(PATIENT), rs as Json]);
    expect(r.events).toEqual([{ contract: 'claims', event: 'PolicyCreated', data: { policyId: 'POL-1', insurer: dev(INSURER), patient: dev(PATIENT) } }]);
    expect(c.view('claims', 'getPolicy', ['POL-1'])).toEqual({
      insurer: dev(INSURER),
      patient: dev(PATIENT),
      deductible: 100,
      annualLimit: 1000,
      validFrom: rs.validFrom,
      validUntil: rs.validUntil,
      coverage: rs.coverage,
      preAuth: ['70450'],
      deductibleLeft: 100,
      annualLimitLeft: 1000,
    });
    expect(c.view('claims', 'getPolicy', ['POL-404'])).toBeNull();
  });

  it('refuses callers that are not active insurers', async () => {
    const rs = await c.block(
      [HOSPITAL, OUTSIDER, REGULATOR, PATIENT].map((from, i) => ({ from, contract: 'claims' as const, method: 'createPolicy', args: [`X-${i}`, dev(PATIENT), rules(c) as Json] })),
    );
    expect(rs.map(revertReason)).toEqual(['not-insurer', 'not-insurer', 'not-insurer', 'not-insurer']);
  });

  it('refuses a used or malformed policy id and bad rules', async () => {
    const bad = (over: Record<string, unknown>, id = 'P-BAD') => ({ from: INSURER, contract: 'claims' as const, method: 'createPolicy', args: [id, dev(PATIENT), rules(c, over) as Json] });
    const rs = await c.block([
      bad({}, 'POL-1'),
      bad({}, ''),
      bad({}, 'p'.repeat(65)),
      bad({ deductible: -1 }),
      bad({ annualLimit: -1 }),
      bad({ deductible: 10 ** 14 + 1 }),
      bad({ validFrom: 10, validUntil: 10 }),
      bad({ coverage: {} }),
      bad({ coverage: { A: { copayBps: 10_001, maxPerClaim: 1 } } }),
      bad({ coverage: { A: { copayBps: -1, maxPerClaim: 1 } } }),
      bad({ coverage: { A: { copayBps: 0, maxPerClaim: -1 } } }),
      bad({ coverage: { '': { copayBps: 0, maxPerClaim: 1 } } }),
    ]);
    expect(rs.map(revertReason)).toEqual(['policy-exists', 'bad-policy-id', 'bad-policy-id', ...Array(9).fill('bad-rules')]);
  });

  it('a suspended insurer can no longer create policies', async () => {
    await c.ok(REGULATOR, 'registry', 'suspend', [dev(INSURER2)]);
    expect(revertReason(await c.send(INSURER2, 'claims', 'createPolicy', ['POL-S', dev(PATIENT), rules(c) as Json]))).toBe('not-insurer');
    expect(revertReason(await c.send(INSURER2, 'claims', 'deposit', [5]))).toBe('not-insurer');
  });
});

describe('claims: deposit and escrowOf', () => {
  it("moves the insurer's balance into its escrow, held by the claims contract", async () => {
    const claims = genesisContractAddress('claims');
    const before = c.balance(INSURER);
    const r = await c.ok(INSURER, 'claims', 'deposit', [10_000]);
    expect(r.events).toEqual([{ contract: 'claims', event: 'Deposited', data: { insurer: dev(INSURER), amount: 10_000, escrow: 10_000 } }]);
    await c.ok(INSURER, 'claims', 'deposit', [500]);
    expect(c.view('claims', 'escrowOf', [dev(INSURER)])).toBe(10_500);
    expect(c.view('claims', 'escrowOf', [dev(HOSPITAL)])).toBe(0);
    expect(c.balance(INSURER)).toBe(before - 10_500n);
    expect(c.balance(claims)).toBe(10_500n);
  });

  it('refuses non-insurers, amounts ≤ 0 or too large, and more than the insurer holds', async () => {
    const rs = await c.block([
      { from: HOSPITAL, contract: 'claims', method: 'deposit', args: [5] },
      { from: INSURER, contract: 'claims', method: 'deposit', args: [0] },
      { from: INSURER, contract: 'claims', method: 'deposit', args: [-5] },
      { from: INSURER, contract: 'claims', method: 'deposit', args: [10 ** 14 + 1] },
    ]);
    expect(rs.map(revertReason)).toEqual(['not-insurer', 'bad-amount', 'bad-amount', 'bad-amount']);
    const broke = await c.send(INSURER, 'claims', 'deposit', [10 ** 14]); // dev accounts hold 10^12
    expect(broke.status).toBe('reverted');
    expect(broke.error).toMatch(/INSUFFICIENT_FUNDS/);
    expect(c.view('claims', 'escrowOf', [dev(INSURER)])).toBe(10_500);
  });
});
