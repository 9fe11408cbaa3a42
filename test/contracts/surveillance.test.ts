/**
 * surveillance (genesis/contracts/surveillance.mc) through the real executor and the dev
 * genesis: case reports by active practitioners, confirmation by an independent lab AND a
 * cdc organisation (each organisation once, never the reporter's own), discards by a cdc or
 * a regulator, the public counters per (disease, region) and per disease, events, views,
 * and every refusal with malformed and hostile input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DAY, dev, hashOf, MedChain, revertReason, type Call, type TxResult } from './harness.js';

// The cast of this file (dev accounts): its own, since it needs cdc organisations and a
// lab practitioner that the shared cast does not register.
const REGULATOR = 0;
const HOSPITAL = 1;
const CDC = 2;
const DOCTOR = 3; // practitioner of HOSPITAL
const LAB2 = 4;
const LAB = 5;
const CDC2 = 6;
const SCIENTIST = 7; // practitioner of LAB
const PHARMACY = 8;
const OUTSIDER = 9;

const dirs = new TempDirs();

/** The regulator registers `who` as an organisation of `kind`. */
const org = (who: number, kind: string, name: string): Call => ({ from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(who), kind, name] });

/** Registers this file's cast; licences valid for a year. */
async function registerCast(c: MedChain): Promise<void> {
  const rs = await c.block([
    org(HOSPITAL, 'hospital', 'St Mary'),
    org(CDC, 'cdc', 'National CDC'),
    org(CDC2, 'cdc', 'Regional Health Protection'),
    org(LAB, 'lab', 'Central Lab'),
    org(LAB2, 'lab', 'Reference Lab'),
    org(PHARMACY, 'pharmacy', 'Corner Pharmacy'),
  ]);
  const until = c.now + 365 * DAY;
  const ps = await c.block([
    { from: HOSPITAL, contract: 'registry', method: 'registerPractitioner', args: [dev(DOCTOR), 'LIC-3', 'infectious-diseases', until] },
    { from: LAB, contract: 'registry', method: 'registerPractitioner', args: [dev(SCIENTIST), 'LIC-7', 'microbiology', until] },
  ]);
  for (const x of [...rs, ...ps]) if (x.status !== 'ok') throw new Error(`registerCast: ${x.error}`);
}

let c: MedChain;
beforeAll(async () => {
  c = await MedChain.open(dirs);
  await registerCast(c);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

let serial = 0;
/** A fresh 32-byte case id (tests only: real ones are hashes the reporter derives). */
const newId = (label = 'case') => hashOf(`${label} #${++serial}`);
/** 00:00 UTC of the day holding `ms`: onsets are days. */
const dayOf = (ms: number) => ms - (ms % DAY);
const report = (from: number, id: string, disease = 'A09', region = 'FR-75', onset = dayOf(c.now) - DAY): Promise<TxResult> =>
  c.send(from, 'surveillance', 'report', [id, disease, region, onset]);
const confirm = (from: number, id: string): Promise<TxResult> => c.send(from, 'surveillance', 'confirm', [id]);
const discard = (from: number, id: string, reason = 'not-a-case'): Promise<TxResult> => c.send(from, 'surveillance', 'discard', [id, reason]);
const stats = (disease: string, region: string) => c.view('surveillance', 'stats', [disease, region]);
const totals = (disease: string) => c.view('surveillance', 'totals', [disease]);
const caseOf = (id: string) => c.view('surveillance', 'case', [id]) as Record<string, unknown> | null;
const call = (from: number, method: string, args: Call['args']): Call => ({ from, contract: 'surveillance', method, args });

/** Reports a case that must be accepted; returns its id. */
async function reported(disease: string, region: string, from = DOCTOR): Promise<string> {
  const id = newId(`${disease}/${region}`);
  const r = await report(from, id, disease, region);
  if (r.status !== 'ok') throw new Error(`report: ${r.error}`);
  return id;
}

describe('surveillance: report', () => {
  it('records a case by an active practitioner, counts it and emits Reported', async () => {
    const id = newId();
    const onset = dayOf(c.now) - 3 * DAY;
    const r = await report(DOCTOR, id, 'A09', 'FR-75', onset);
    expect(r.status).toBe('ok');
    expect(r.events).toEqual([{ contract: 'surveillance', event: 'Reported', data: { caseId: id, disease: 'A09', region: 'FR-75', onset, org: dev(HOSPITAL) } }]);
    expect(caseOf(id)).toEqual({ status: 'reported', disease: 'A09', region: 'FR-75', onset, org: dev(HOSPITAL), confirmations: 0, reportedAt: c.chain.head.timeMs, closedAt: null, reason: null });
    expect(stats('A09', 'FR-75')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
    expect(totals('A09')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
  });

  it('keeps neither the reporting practitioner nor anything but codes in the case', async () => {
    const id = await reported('B05', 'FR-13');
    const view = caseOf(id)!;
    expect(Object.keys(view).sort()).toEqual(['closedAt', 'confirmations', 'disease', 'onset', 'org', 'reason', 'region', 'reportedAt', 'status']);
    expect(Object.values(view)).not.toContain(dev(DOCTOR));
  });

  it('a lab scientist reports too, counted with its lab', async () => {
    const r = await report(SCIENTIST, newId(), 'J10', 'FR-69');
    expect(r.events[0].data).toMatchObject({ org: dev(LAB) });
    expect(stats('J10', 'FR-69')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
  });

  it('the same case id cannot be reported twice, even with other codes or by another practitioner', async () => {
    const id = await reported('A00', 'FR-33');
    const rs = await c.block([call(DOCTOR, 'report', [id, 'A00', 'FR-33', dayOf(c.now) - DAY]), call(SCIENTIST, 'report', [id, 'A01', 'FR-34', dayOf(c.now) - DAY])]);
    expect(rs.map(revertReason)).toEqual(['already-reported', 'already-reported']);
    expect(caseOf(id)).toMatchObject({ disease: 'A00', region: 'FR-33', org: dev(HOSPITAL) });
    expect(stats('A00', 'FR-33')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
    expect(stats('A01', 'FR-34')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
  });

  it('onset is a day (00:00 UTC) not after the block time, and positive', async () => {
    const at = c.now; // the next block's time
    const today = dayOf(at);
    const rs = await c.block([
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', today]),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', DAY]), // 1970-01-02: the first day allowed
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', today + DAY]), // tomorrow
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', today + 365 * DAY]),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', 0]),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', -DAY]),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', '-9223372036854775808']),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', today - DAY + 1]), // a time within a day
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', today - 3_600_000]),
      call(DOCTOR, 'report', [newId(), 'A02', 'FR-01', 1]),
    ]);
    expect(rs.map(revertReason)).toEqual([
      undefined, undefined, 'bad-onset', 'bad-onset', 'bad-onset', 'bad-onset', 'bad-onset', 'onset-not-day', 'onset-not-day', 'onset-not-day',
    ]);
    expect(stats('A02', 'FR-01')).toEqual({ reported: 2, confirmed: 0, discarded: 0 });
  });

  it('refuses malformed input: ids that are not 32 bytes, empty or over-long codes (64 is the limit)', async () => {
    const onset = dayOf(c.now) - DAY;
    const rs = await c.block([
      call(DOCTOR, 'report', ['0x' + '11'.repeat(31), 'A03', 'FR-02', onset]),
      call(DOCTOR, 'report', ['0x' + '11'.repeat(33), 'A03', 'FR-02', onset]),
      call(DOCTOR, 'report', ['0x', 'A03', 'FR-02', onset]),
      call(DOCTOR, 'report', ['0x' + '11'.repeat(4096), 'A03', 'FR-02', onset]),
      call(DOCTOR, 'report', [newId(), '', 'FR-02', onset]),
      call(DOCTOR, 'report', [newId(), 'd'.repeat(65), 'FR-02', onset]),
      call(DOCTOR, 'report', [newId(), 'Jane Doe, 12 Rue de la Paix, born 1984-02-03; tested positive for'.padEnd(200, '.'), 'FR-02', onset]),
      call(DOCTOR, 'report', [newId(), 'A03', '', onset]),
      call(DOCTOR, 'report', [newId(), 'A03', 'r'.repeat(65), onset]),
      call(DOCTOR, 'report', [newId(), 'A03', 'r'.repeat(10_000), onset]),
      call(DOCTOR, 'report', [newId(), 'd'.repeat(64), 'r'.repeat(64), onset]),
    ]);
    expect(rs.map(revertReason)).toEqual(['bad-id', 'bad-id', 'bad-id', 'bad-id', 'bad-disease', 'bad-disease', 'bad-disease', 'bad-region', 'bad-region', 'bad-region', undefined]);
    expect(stats('d'.repeat(64), 'r'.repeat(64))).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
    expect(totals('A03')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
  });

  it('refuses anyone but an active practitioner: organisations of every kind, the regulator, outsiders', async () => {
    const rs = await c.block([HOSPITAL, LAB, CDC, PHARMACY, REGULATOR, OUTSIDER].map((from) => call(from, 'report', [newId(), 'A04', 'FR-03', dayOf(c.now) - DAY])));
    expect(rs.map(revertReason)).toEqual(Array(6).fill('not-practitioner'));
    expect(stats('A04', 'FR-03')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
  });
});

describe('surveillance: confirmation by a lab and a cdc', () => {
  it('a lab alone leaves the case reported; the cdc after it confirms the case, once, with Confirmed', async () => {
    const id = await reported('A08', 'FR-10');
    const byLab = await confirm(LAB, id);
    expect(byLab.status).toBe('ok');
    expect(byLab.events).toEqual([{ contract: 'surveillance', event: 'ConfirmedBy', data: { caseId: id, org: dev(LAB), kind: 'lab' } }]);
    expect(caseOf(id)).toMatchObject({ status: 'reported', confirmations: 1 });
    expect(caseOf(id)).toMatchObject({ closedAt: null, reason: null });
    expect(stats('A08', 'FR-10')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });

    const byCdc = await confirm(CDC, id);
    expect(byCdc.events).toEqual([
      { contract: 'surveillance', event: 'ConfirmedBy', data: { caseId: id, org: dev(CDC), kind: 'cdc' } },
      { contract: 'surveillance', event: 'Confirmed', data: { caseId: id, disease: 'A08', region: 'FR-10' } },
    ]);
    expect(caseOf(id)).toMatchObject({ status: 'confirmed', confirmations: 2, closedAt: c.chain.head.timeMs });
    expect(stats('A08', 'FR-10')).toEqual({ reported: 1, confirmed: 1, discarded: 0 });
    expect(totals('A08')).toEqual({ reported: 1, confirmed: 1, discarded: 0 });
    expect(c.view('surveillance', 'confirmedBy', [id, dev(LAB)])).toBe(true);
    expect(c.view('surveillance', 'confirmedBy', [id, dev(CDC)])).toBe(true);
    expect(c.view('surveillance', 'confirmedBy', [id, dev(LAB2)])).toBe(false);

    // a confirmed case takes no more confirmations (and counts once)
    const rs = await c.block([call(LAB2, 'confirm', [id]), call(CDC2, 'confirm', [id]), call(CDC, 'confirm', [id])]);
    expect(rs.map(revertReason)).toEqual(['not-pending', 'not-pending', 'not-pending']);
    expect(stats('A08', 'FR-10')).toEqual({ reported: 1, confirmed: 1, discarded: 0 });
  });

  it('cdc first, then a lab practitioner, who confirms for its lab (the lab org cannot confirm again)', async () => {
    const id = await reported('A08', 'FR-11');
    expect((await confirm(CDC, id)).events.map((e) => e.event)).toEqual(['ConfirmedBy']);
    expect(caseOf(id)).toMatchObject({ status: 'reported', confirmations: 1 });
    const r = await confirm(SCIENTIST, id);
    expect(r.events).toEqual([
      { contract: 'surveillance', event: 'ConfirmedBy', data: { caseId: id, org: dev(LAB), kind: 'lab' } },
      { contract: 'surveillance', event: 'Confirmed', data: { caseId: id, disease: 'A08', region: 'FR-11' } },
    ]);
    expect(c.view('surveillance', 'confirmedBy', [id, dev(LAB)])).toBe(true);
    expect(c.view('surveillance', 'confirmedBy', [id, dev(SCIENTIST)])).toBe(false);
    expect(totals('A08')).toEqual({ reported: 2, confirmed: 2, discarded: 0 });
  });

  it('each organisation confirms once: the lab and its practitioner are one confirmer, a second cdc vote is refused', async () => {
    const id = await reported('A08', 'FR-12');
    expect((await confirm(SCIENTIST, id)).status).toBe('ok');
    expect(revertReason(await confirm(LAB, id))).toBe('already-confirmed');
    expect(revertReason(await confirm(SCIENTIST, id))).toBe('already-confirmed');
    const id2 = await reported('A08', 'FR-12');
    expect((await confirm(CDC, id2)).status).toBe('ok');
    expect(revertReason(await confirm(CDC, id2))).toBe('already-confirmed');
    expect(caseOf(id)).toMatchObject({ status: 'reported', confirmations: 1 });
    expect(caseOf(id2)).toMatchObject({ status: 'reported', confirmations: 1 });
  });

  it('two labs without a cdc, or two cdcs without a lab, do not confirm a case', async () => {
    const labsOnly = await reported('A15', 'FR-20');
    const cdcsOnly = await reported('A15', 'FR-20');
    const rs = await c.block([call(LAB, 'confirm', [labsOnly]), call(LAB2, 'confirm', [labsOnly]), call(CDC, 'confirm', [cdcsOnly]), call(CDC2, 'confirm', [cdcsOnly])]);
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(rs.flatMap((r) => r.events.map((e) => e.event))).not.toContain('Confirmed');
    expect(caseOf(labsOnly)).toMatchObject({ status: 'reported', confirmations: 2 });
    expect(caseOf(cdcsOnly)).toMatchObject({ status: 'reported', confirmations: 2 });
    expect(stats('A15', 'FR-20')).toEqual({ reported: 2, confirmed: 0, discarded: 0 });
    // the missing kind completes each
    const done = await c.block([call(CDC, 'confirm', [labsOnly]), call(LAB2, 'confirm', [cdcsOnly])]);
    expect(done.map((r) => r.events.at(-1)!.event)).toEqual(['Confirmed', 'Confirmed']);
    expect(caseOf(labsOnly)).toMatchObject({ status: 'confirmed', confirmations: 3 });
    expect(stats('A15', 'FR-20')).toEqual({ reported: 2, confirmed: 2, discarded: 0 });
  });

  it("the reporter's own lab cannot confirm its report, neither as the organisation nor through any of its practitioners", async () => {
    const id = await reported('A16', 'FR-21', SCIENTIST);
    expect(caseOf(id)).toMatchObject({ org: dev(LAB) });
    const rs = await c.block([call(LAB, 'confirm', [id]), call(SCIENTIST, 'confirm', [id])]);
    expect(rs.map(revertReason)).toEqual(['own-report', 'own-report']);
    // another lab and a cdc confirm it
    const ok = await c.block([call(LAB2, 'confirm', [id]), call(CDC, 'confirm', [id])]);
    expect(ok.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(caseOf(id)).toMatchObject({ status: 'confirmed', confirmations: 2 });
  });

  it('refuses confirmers that are not a lab, a lab practitioner or a cdc', async () => {
    const id = await reported('A17', 'FR-22');
    const rs = await c.block([HOSPITAL, DOCTOR, PHARMACY, REGULATOR, OUTSIDER].map((from) => call(from, 'confirm', [id])));
    expect(rs.map(revertReason)).toEqual(Array(5).fill('not-confirmer'));
    expect(caseOf(id)).toMatchObject({ status: 'reported', confirmations: 0 });
  });

  it('refuses unknown cases and malformed ids', async () => {
    const rs = await c.block([
      call(LAB, 'confirm', [hashOf('never reported')]),
      call(LAB, 'confirm', ['0x' + '22'.repeat(31)]),
      call(LAB, 'confirm', ['0x']),
      call(LAB, 'confirm', ['0x' + '22'.repeat(5000)]),
    ]);
    expect(rs.map(revertReason)).toEqual(['unknown-case', 'bad-id', 'bad-id', 'bad-id']);
  });
});

describe('surveillance: discard', () => {
  it('a cdc discards a reported case with a reason code; Discarded; the counters move', async () => {
    const id = await reported('A20', 'FR-30');
    expect((await confirm(LAB, id)).status).toBe('ok');
    const r = await discard(CDC, id, 'lab-negative');
    expect(r.events).toEqual([{ contract: 'surveillance', event: 'Discarded', data: { caseId: id, disease: 'A20', region: 'FR-30', reason: 'lab-negative', by: dev(CDC) } }]);
    expect(caseOf(id)).toEqual({ status: 'discarded', disease: 'A20', region: 'FR-30', onset: expect.any(Number), org: dev(HOSPITAL), confirmations: 1, reportedAt: expect.any(Number), closedAt: c.chain.head.timeMs, reason: 'lab-negative' });
    expect(stats('A20', 'FR-30')).toEqual({ reported: 1, confirmed: 0, discarded: 1 });
    // a discarded case takes no confirmation and no second discard
    const rs = await c.block([call(CDC2, 'confirm', [id]), call(LAB2, 'confirm', [id]), call(CDC2, 'discard', [id, 'duplicate']), call(REGULATOR, 'discard', [id, 'x'])]);
    expect(rs.map(revertReason)).toEqual(['not-pending', 'not-pending', 'already-discarded', 'already-discarded']);
    expect(caseOf(id)).toMatchObject({ reason: 'lab-negative' });
    expect(stats('A20', 'FR-30')).toEqual({ reported: 1, confirmed: 0, discarded: 1 });
  });

  it('a regulator discards a confirmed case: it moves from confirmed to discarded in the counters', async () => {
    const keep = await reported('A21', 'FR-31');
    const drop = await reported('A21', 'FR-31');
    await c.block([call(LAB, 'confirm', [keep]), call(CDC, 'confirm', [keep]), call(LAB, 'confirm', [drop]), call(CDC, 'confirm', [drop])]);
    expect(stats('A21', 'FR-31')).toEqual({ reported: 2, confirmed: 2, discarded: 0 });
    const r = await discard(REGULATOR, drop, 'reported-in-error');
    expect(r.events[0]).toMatchObject({ event: 'Discarded', data: { by: dev(REGULATOR), reason: 'reported-in-error' } });
    expect(caseOf(drop)).toMatchObject({ status: 'discarded', confirmations: 2 });
    expect(caseOf(keep)).toMatchObject({ status: 'confirmed' });
    expect(stats('A21', 'FR-31')).toEqual({ reported: 2, confirmed: 1, discarded: 1 });
    expect(totals('A21')).toEqual({ reported: 2, confirmed: 1, discarded: 1 });
  });

  it('refuses anyone but a cdc or a regulator: labs, practitioners, providers, insurers, outsiders', async () => {
    const id = await reported('A23', 'FR-33');
    const rs = await c.block([LAB, SCIENTIST, DOCTOR, HOSPITAL, PHARMACY, OUTSIDER].map((from) => call(from, 'discard', [id, 'not-a-case'])));
    expect(rs.map(revertReason)).toEqual(Array(6).fill('not-authority'));
    expect(caseOf(id)).toMatchObject({ status: 'reported' });
  });

  it('refuses malformed input: bad ids, empty or over-long reasons (64 is the limit), unknown cases', async () => {
    const id = await reported('A24', 'FR-34');
    const rs = await c.block([
      call(CDC, 'discard', ['0x' + '33'.repeat(31), 'x']),
      call(CDC, 'discard', ['0x', 'x']),
      call(CDC, 'discard', [id, '']),
      call(CDC, 'discard', [id, 'r'.repeat(65)]),
      call(CDC, 'discard', [id, 'the patient, John Smith, was seen by'.padEnd(5000, '.')]),
      call(CDC, 'discard', [hashOf('never reported either'), 'x']),
      call(CDC, 'discard', [id, 'r'.repeat(64)]),
    ]);
    expect(rs.map(revertReason)).toEqual(['bad-id', 'bad-id', 'bad-reason', 'bad-reason', 'bad-reason', 'unknown-case', undefined]);
    expect(caseOf(id)).toMatchObject({ status: 'discarded', reason: 'r'.repeat(64) });
  });
});

describe('surveillance: statistics', () => {
  it('counts per (disease, region) and per disease across regions, separately for each code', async () => {
    const a = await reported('U07.1', 'DE-BE');
    const b = await reported('U07.1', 'DE-BE');
    const d = await reported('U07.1', 'DE-HH');
    await reported('U07.1', 'DE-HH');
    await reported('B01', 'DE-BE');
    await c.block([call(LAB, 'confirm', [a]), call(CDC, 'confirm', [a]), call(CDC, 'discard', [b, 'not-a-case']), call(LAB2, 'confirm', [d]), call(CDC2, 'confirm', [d])]);
    expect(stats('U07.1', 'DE-BE')).toEqual({ reported: 2, confirmed: 1, discarded: 1 });
    expect(stats('U07.1', 'DE-HH')).toEqual({ reported: 2, confirmed: 1, discarded: 0 });
    expect(stats('B01', 'DE-BE')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
    expect(totals('U07.1')).toEqual({ reported: 4, confirmed: 2, discarded: 1 });
    expect(totals('B01')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
    // codes are exact: no case folding, no prefix match
    expect(stats('u07.1', 'DE-BE')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
    expect(stats('U07', 'DE-BE')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
    expect(totals('U07')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
  });

  it('views answer for unknown and hostile keys without reverting', () => {
    expect(caseOf(hashOf('nobody'))).toBeNull();
    expect(caseOf('0x')).toBeNull();
    expect(caseOf('0x' + 'ff'.repeat(1000))).toBeNull();
    expect(stats('', '')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
    expect(stats('x'.repeat(10_000), 'y')).toEqual({ reported: 0, confirmed: 0, discarded: 0 });
    expect(c.view('surveillance', 'confirmedBy', [hashOf('nobody'), dev(LAB)])).toBe(false);
    expect(() => c.view('surveillance', 'case', ['not hex'])).toThrow();
    expect(() => c.view('surveillance', 'stats', ['A09'])).toThrow();
    expect(() => c.view('surveillance', 'confirmedBy', [hashOf('nobody'), '0x1234'])).toThrow();
  });
});

describe('surveillance: suspension', () => {
  it("a suspended cdc, a suspended lab's practitioner and a suspended hospital's doctor lose their rights", async () => {
    const id = await reported('A30', 'FR-40');
    await c.block([
      { from: REGULATOR, contract: 'registry', method: 'suspend', args: [dev(CDC2)] },
      { from: REGULATOR, contract: 'registry', method: 'suspend', args: [dev(LAB)] },
      { from: REGULATOR, contract: 'registry', method: 'suspend', args: [dev(HOSPITAL)] },
    ]);
    const rs = await c.block([
      call(CDC2, 'confirm', [id]),
      call(CDC2, 'discard', [id, 'x']),
      call(LAB, 'confirm', [id]),
      call(SCIENTIST, 'confirm', [id]),
      call(DOCTOR, 'report', [newId(), 'A30', 'FR-40', dayOf(c.now) - DAY]),
    ]);
    expect(rs.map(revertReason)).toEqual(['not-confirmer', 'not-authority', 'not-confirmer', 'not-confirmer', 'not-practitioner']);
    // the case reported by the suspended hospital's doctor is still confirmed by others
    const ok = await c.block([call(LAB2, 'confirm', [id]), call(CDC, 'confirm', [id])]);
    expect(ok.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(caseOf(id)).toMatchObject({ status: 'confirmed', org: dev(HOSPITAL) });
  });
});

describe('surveillance: other callers (a fresh chain)', () => {
  // dev 0 regulator, 1 hospital, 2 cdc, 3 a doctor with a two-day licence, 4 an insurer,
  // 5 a lab, 6 a ministry (an organisation of kind regulator), 7 a pharmacist of 8 a
  // pharmacy, 9 an outsider
  const INSURER = 4;
  const MINISTRY = 6;
  const PHARMACIST = 7;
  beforeAll(async () => {
    const first = c;
    c = await MedChain.open(dirs);
    await first.close();
    const rs = await c.block([
      org(HOSPITAL, 'hospital', 'St Mary'),
      org(CDC, 'cdc', 'National CDC'),
      org(INSURER, 'insurer', 'Acme Health'),
      org(LAB, 'lab', 'Central Lab'),
      org(MINISTRY, 'regulator', 'Ministry of Health'),
      org(PHARMACY, 'pharmacy', 'Corner Pharmacy'),
    ]);
    const ps = await c.block([
      { from: HOSPITAL, contract: 'registry', method: 'registerPractitioner', args: [dev(DOCTOR), 'LIC-3', 'locum', c.now + 2 * DAY] },
      { from: PHARMACY, contract: 'registry', method: 'registerPractitioner', args: [dev(PHARMACIST), 'LIC-7', 'pharmacy', c.now + 365 * DAY] },
    ]);
    for (const x of [...rs, ...ps]) if (x.status !== 'ok') throw new Error(`cast: ${x.error}`);
  });

  it('a pharmacist reports (counted with its pharmacy) but neither a pharmacist nor an insurer confirms or discards', async () => {
    const id = await reported('J11', 'FR-70', PHARMACIST);
    expect(caseOf(id)).toMatchObject({ org: dev(PHARMACY) });
    const rs = await c.block([
      call(PHARMACIST, 'confirm', [id]),
      call(INSURER, 'confirm', [id]),
      call(PHARMACIST, 'discard', [id, 'x']),
      call(INSURER, 'discard', [id, 'x']),
      call(INSURER, 'report', [newId(), 'J11', 'FR-70', dayOf(c.now) - DAY]),
    ]);
    expect(rs.map(revertReason)).toEqual(['not-confirmer', 'not-confirmer', 'not-authority', 'not-authority', 'not-practitioner']);
  });

  it('an organisation of kind regulator may discard', async () => {
    const id = await reported('A22', 'FR-32', PHARMACIST);
    const r = await discard(MINISTRY, id, 'duplicate');
    expect(r.events[0]).toMatchObject({ event: 'Discarded', data: { by: dev(MINISTRY), reason: 'duplicate' } });
    expect(caseOf(id)).toMatchObject({ status: 'discarded', reason: 'duplicate' });
    expect(stats('A22', 'FR-32')).toEqual({ reported: 1, confirmed: 0, discarded: 1 });
  });

  it('refuses a practitioner whose licence has expired', async () => {
    expect((await report(DOCTOR, newId(), 'A05', 'FR-04')).status).toBe('ok');
    c.advance(2 * DAY);
    expect(revertReason(await report(DOCTOR, newId(), 'A05', 'FR-04'))).toBe('not-practitioner');
    expect(stats('A05', 'FR-04')).toEqual({ reported: 1, confirmed: 0, discarded: 0 });
  });
});
