/**
 * consent (genesis/contracts/consent.mc) through the real executor and the dev genesis:
 * grant ids and events, what `check` covers (actor, category, purpose, [from, until)),
 * revocation, every refusal, and the access audit of logAccess including break-glass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DOCTOR, grant, HOSPITAL, INSURER, OUTSIDER, PATIENT, PATIENT2, REGULATOR, registerCast } from './cast.js';
import { DAY, dev, hashOf, HOUR, MedChain, revertReason } from './harness.js';

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

const check = (patient: number, actor: number | string, category: string, purpose: string) =>
  c.view('consent', 'check', [dev(patient), typeof actor === 'number' ? dev(actor) : actor, category, purpose]);

describe('consent: grant and check', () => {
  it('returns increasing grant ids and emits Granted with the terms', async () => {
    const from = c.now;
    const until = c.now + 10 * DAY;
    const r = await c.ok(PATIENT, 'consent', 'grant', [dev(DOCTOR), ['lab', 'imaging'], ['TREAT'], from, until]);
    expect(r.result).toBe(1);
    expect(r.events).toEqual([
      { contract: 'consent', event: 'Granted', data: { grantId: 1, patient: dev(PATIENT), actor: dev(DOCTOR), categories: ['lab', 'imaging'], purposes: ['TREAT'], from, until } },
    ]);
    expect(await grant(c, PATIENT2, DOCTOR, ['lab'], ['TREAT'])).toBe(2);
    expect(c.view('consent', 'getGrant', [1])).toEqual({ patient: dev(PATIENT), actor: dev(DOCTOR), categories: ['lab', 'imaging'], purposes: ['TREAT'], from, until, revoked: false });
    expect(c.view('consent', 'getGrant', [99])).toBeNull();
  });

  it('covers exactly the granted actor, categories and purposes', () => {
    expect(check(PATIENT, DOCTOR, 'lab', 'TREAT')).toBe(true);
    expect(check(PATIENT, DOCTOR, 'imaging', 'TREAT')).toBe(true);
    expect(check(PATIENT, DOCTOR, 'genomics', 'TREAT')).toBe(false);
    expect(check(PATIENT, DOCTOR, 'lab', 'HRESCH')).toBe(false);
    expect(check(PATIENT, HOSPITAL, 'lab', 'TREAT')).toBe(false);
    expect(check(OUTSIDER, DOCTOR, 'lab', 'TREAT')).toBe(false);
  });

  it('holds only while from ≤ block.time < until', async () => {
    const from = c.now + 5 * HOUR;
    const until = from + 2 * HOUR;
    await c.ok(PATIENT, 'consent', 'grant', [dev(OUTSIDER), ['genomics'], ['HRESCH'], from, until]);
    const at = async (t: number) => {
      c.now = t;
      await c.block([]);
      return check(PATIENT, OUTSIDER, 'genomics', 'HRESCH');
    };
    expect(await at(from - 1)).toBe(false);
    expect(await at(from)).toBe(true);
    expect(await at(until - 1)).toBe(true);
    expect(await at(until)).toBe(false);
  });

  it('refuses bad terms', async () => {
    const a = dev(OUTSIDER);
    const rs = await c.block([
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['lab'], ['TREAT'], 10, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['lab'], ['TREAT'], 11, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, [], ['TREAT'], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, [''], ['TREAT'], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['x'.repeat(65)], ['TREAT'], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, Array.from({ length: 17 }, (_, i) => `c${i}`), ['TREAT'], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['lab'], [], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['lab'], ['TREAT', 'treat'], 0, 10] },
      { from: PATIENT, contract: 'consent', method: 'grant', args: [a, ['lab'], ['MARKETING'], 0, 10] },
    ]);
    expect(rs.map(revertReason)).toEqual(['bad-period', 'bad-period', 'bad-categories', 'bad-categories', 'bad-categories', 'bad-categories', 'bad-purpose', 'bad-purpose', 'bad-purpose']);
  });

  it('accepts every HL7 purpose the consortium uses', async () => {
    const purposes = ['TREAT', 'ETREAT', 'HPAYMT', 'HRESCH', 'PUBHLTH'];
    await grant(c, PATIENT2, REGULATOR, ['claims'], purposes);
    for (const p of purposes) expect(check(PATIENT2, REGULATOR, 'claims', p), p).toBe(true);
  });

  it('bounds the unrevoked grants of one patient to one actor (too-many-grants); revoking frees room', async () => {
    const actor = '0x' + '77'.repeat(20);
    const calls = Array.from({ length: 32 }, () => ({ from: PATIENT2, contract: 'consent' as const, method: 'grant', args: [actor, ['lab'], ['TREAT'], 0, 1] }));
    const rs = await c.block(calls);
    expect(rs.every((r) => r.status === 'ok')).toBe(true);
    expect(revertReason(await c.send(PATIENT2, 'consent', 'grant', [actor, ['lab'], ['TREAT'], 0, 1]))).toBe('too-many-grants');
    await c.ok(PATIENT2, 'consent', 'revoke', [rs[5].result as number]);
    expect((await c.send(PATIENT2, 'consent', 'grant', [actor, ['lab'], ['TREAT'], 0, 1])).status).toBe('ok');
  });
});

describe('consent: revoke', () => {
  it('only the granting patient revokes, once; check turns false; other grants stay', async () => {
    const id = await grant(c, PATIENT, HOSPITAL, ['medication'], ['TREAT']);
    const other = await grant(c, PATIENT, HOSPITAL, ['medication', 'lab'], ['TREAT']);
    expect(check(PATIENT, HOSPITAL, 'lab', 'TREAT')).toBe(true);
    const rs = await c.block([
      { from: HOSPITAL, contract: 'consent', method: 'revoke', args: [id] },
      { from: PATIENT2, contract: 'consent', method: 'revoke', args: [id] },
      { from: PATIENT, contract: 'consent', method: 'revoke', args: [12345] },
      { from: PATIENT, contract: 'consent', method: 'revoke', args: [other] },
    ]);
    expect(rs.slice(0, 3).map(revertReason)).toEqual(['not-patient', 'not-patient', 'unknown-grant']);
    expect(rs[3].events).toEqual([{ contract: 'consent', event: 'Revoked', data: { grantId: other, patient: dev(PATIENT), actor: dev(HOSPITAL) } }]);
    expect(check(PATIENT, HOSPITAL, 'lab', 'TREAT')).toBe(false);
    expect(check(PATIENT, HOSPITAL, 'medication', 'TREAT')).toBe(true);
    expect(c.view('consent', 'getGrant', [other])).toMatchObject({ revoked: true });
    expect(revertReason(await c.send(PATIENT, 'consent', 'revoke', [other]))).toBe('already-revoked');
    await c.ok(PATIENT, 'consent', 'revoke', [id]);
    expect(check(PATIENT, HOSPITAL, 'medication', 'TREAT')).toBe(false);
  });
});

describe('consent: logAccess', () => {
  const rec = hashOf('consent-test lab result');
  const logAccess = (from: number, args: unknown[]) => c.send(from, 'consent', 'logAccess', args as never);

  beforeAll(async () => {
    // grant 1 lets the doctor use the patient's lab data for TREAT: anchor a lab record
    await c.ok(DOCTOR, 'records', 'anchor', [dev(PATIENT), rec, 'lab', 'analyser-7']);
  });

  it('an actor whose grant covers the record category and purpose is logged with Accessed', async () => {
    const r = await logAccess(DOCTOR, [dev(PATIENT), rec, 'TREAT', false]);
    expect(r.status).toBe('ok');
    expect(r.events).toEqual([{ contract: 'consent', event: 'Accessed', data: { patient: dev(PATIENT), actor: dev(DOCTOR), recordHash: rec, category: 'lab', purpose: 'TREAT' } }]);
  });

  it('refuses no-consent without a covering grant (other actor, other purpose, other category)', async () => {
    await grant(c, PATIENT, INSURER, ['imaging'], ['HPAYMT']);
    const rs = await c.block([
      { from: OUTSIDER, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'TREAT', false] },
      { from: DOCTOR, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'HRESCH', false] },
      { from: INSURER, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'HPAYMT', false] },
    ]);
    expect(rs.map(revertReason)).toEqual(['no-consent', 'no-consent', 'no-consent']);
  });

  it('refuses an unknown record, the wrong patient and an unknown purpose', async () => {
    const rs = await c.block([
      { from: DOCTOR, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), hashOf('never anchored'), 'TREAT', false] },
      { from: DOCTOR, contract: 'consent', method: 'logAccess', args: [dev(PATIENT2), rec, 'TREAT', false] },
      { from: DOCTOR, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'FUN', false] },
    ]);
    expect(rs.map(revertReason)).toEqual(['unknown-record', 'wrong-patient', 'bad-purpose']);
  });

  it('break-glass: an active practitioner without consent gets in, always audited with BreakGlass', async () => {
    const r = await logAccess(DOCTOR, [dev(PATIENT), rec, 'ETREAT', true]);
    expect(r.status).toBe('ok');
    expect(r.events).toEqual([
      { contract: 'consent', event: 'BreakGlass', data: { patient: dev(PATIENT), actor: dev(DOCTOR), recordHash: rec, category: 'lab', purpose: 'ETREAT', consented: false } },
    ]);
    const withGrant = await logAccess(DOCTOR, [dev(PATIENT), rec, 'TREAT', true]);
    expect(withGrant.events.map((e) => [e.event, (e.data as { consented: boolean }).consented])).toEqual([['BreakGlass', true]]);
  });

  it('break-glass is refused (no-consent) to anyone but an active practitioner', async () => {
    const rs = await c.block([
      { from: OUTSIDER, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'ETREAT', true] },
      { from: HOSPITAL, contract: 'consent', method: 'logAccess', args: [dev(PATIENT), rec, 'ETREAT', true] },
    ]);
    expect(rs.map(revertReason)).toEqual(['no-consent', 'no-consent']);
    await c.ok(REGULATOR, 'registry', 'suspend', [dev(DOCTOR)]);
    expect(revertReason(await logAccess(DOCTOR, [dev(PATIENT), rec, 'ETREAT', true]))).toBe('no-consent');
    // a grant still lets the suspended practitioner's access through, audited
    expect((await logAccess(DOCTOR, [dev(PATIENT), rec, 'TREAT', false])).status).toBe('ok');
  });
});
