/**
 * records (genesis/contracts/records.mc) through the real executor and the dev genesis:
 * anchoring by an active practitioner with the patient's TREAT consent for the category,
 * the provenance `get` returns, and every refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DOCTOR, grant, HOSPITAL, LAB, OUTSIDER, PATIENT, PATIENT2, REGULATOR, registerCast } from './cast.js';
import { DAY, dev, hashOf, MedChain, revertReason } from './harness.js';

const dirs = new TempDirs();
let c: MedChain;

beforeAll(async () => {
  c = await MedChain.open(dirs);
  await registerCast(c);
  await grant(c, PATIENT, DOCTOR, ['lab', 'imaging'], ['TREAT']);
  await grant(c, PATIENT2, DOCTOR, ['lab'], ['HRESCH']);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

const anchor = (from: number, patient: number, hash: string, category = 'lab', device = 'analyser-7') =>
  c.send(from, 'records', 'anchor', [dev(patient), hash, category, device]);

describe('records: anchor and get', () => {
  it('anchors a record with its provenance and emits Anchored', async () => {
    const h = hashOf('records: cbc panel');
    const r = await anchor(DOCTOR, PATIENT, h);
    expect(r.status).toBe('ok');
    expect(r.events).toEqual([{ contract: 'records', event: 'Anchored', data: { recordHash: h, patient: dev(PATIENT), category: 'lab', author: dev(DOCTOR), org: dev(HOSPITAL) } }]);
    const head = c.chain.head;
    expect(c.view('records', 'get', [h])).toEqual({ patient: dev(PATIENT), category: 'lab', author: dev(DOCTOR), org: dev(HOSPITAL), device: 'analyser-7', height: head.height, time: head.timeMs });
    expect(c.view('records', 'get', [hashOf('records: unknown')])).toBeNull();
  });

  it('the same hash cannot be anchored twice', async () => {
    const h = hashOf('records: once');
    expect((await anchor(DOCTOR, PATIENT, h, 'imaging', 'ct-2')).status).toBe('ok');
    expect(revertReason(await anchor(DOCTOR, PATIENT, h, 'imaging', 'ct-2'))).toBe('already-anchored');
    expect(c.view('records', 'get', [h])).toMatchObject({ category: 'imaging', device: 'ct-2' });
  });

  it('refuses without consent (category, TREAT) of the patient for this practitioner', async () => {
    const rs = await c.block([
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('r1'), 'genomics', 'seq'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT2), hashOf('r2'), 'lab', 'seq'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(OUTSIDER), hashOf('r3'), 'lab', 'seq'] },
    ]);
    expect(rs.map(revertReason)).toEqual(['no-consent', 'no-consent', 'no-consent']);
  });

  it('refuses anyone but an active practitioner (organisations, outsiders, the regulator, expired licences)', async () => {
    const rs = await c.block([
      { from: HOSPITAL, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('o1'), 'lab', 'x'] },
      { from: OUTSIDER, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('o2'), 'lab', 'x'] },
      { from: REGULATOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('o3'), 'lab', 'x'] },
    ]);
    expect(rs.map(revertReason)).toEqual(['not-practitioner', 'not-practitioner', 'not-practitioner']);
    // the outsider becomes the lab's phlebotomist for two days, with the patient's consent
    await c.ok(LAB, 'registry', 'registerPractitioner', [dev(OUTSIDER), 'LIC-9', 'phlebotomy', c.now + 2 * DAY]);
    await grant(c, PATIENT, OUTSIDER, ['lab'], ['TREAT']);
    const ok = await anchor(OUTSIDER, PATIENT, hashOf('o4'));
    expect(ok.events[0].data).toMatchObject({ author: dev(OUTSIDER), org: dev(LAB) });
    c.advance(2 * DAY);
    expect(revertReason(await anchor(OUTSIDER, PATIENT, hashOf('o5')))).toBe('not-practitioner');
  });

  it("refuses a practitioner whose organisation is suspended", async () => {
    expect((await anchor(DOCTOR, PATIENT, hashOf('before suspension'))).status).toBe('ok');
    await c.ok(REGULATOR, 'registry', 'suspend', [dev(HOSPITAL)]);
    expect(revertReason(await anchor(DOCTOR, PATIENT, hashOf('after suspension')))).toBe('not-practitioner');
  });

  it('refuses malformed input: a hash that is not 32 bytes, empty or long category, long device', async () => {
    const rs = await c.block([
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), '0x' + '11'.repeat(31), 'lab', 'x'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), '0x' + '11'.repeat(33), 'lab', 'x'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('m1'), '', 'x'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('m2'), 'l'.repeat(65), 'x'] },
      { from: DOCTOR, contract: 'records', method: 'anchor', args: [dev(PATIENT), hashOf('m3'), 'lab', 'd'.repeat(65)] },
    ]);
    expect(rs.map(revertReason)).toEqual(['bad-hash', 'bad-hash', 'bad-category', 'bad-category', 'bad-device']);
  });
});
