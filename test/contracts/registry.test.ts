/**
 * registry (genesis/contracts/registry.mc) through the real executor and the dev genesis:
 * genesis regulators, organisation and practitioner registration with every refusal,
 * activity (licence validity, suspension of the practitioner or of its organisation).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DAY, dev, MedChain, revertReason } from './harness.js';

const dirs = new TempDirs();
let c: MedChain;

// dev 0: genesis regulator; 1 hospital; 2 insurer; 3 practitioner of 1; 5 lab; 8 pharmacy
beforeAll(async () => {
  c = await MedChain.open(dirs);
  await c.block([
    { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(1), 'hospital', 'St Mary'] },
    { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(2), 'insurer', 'Acme Health'] },
    { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(5), 'lab', 'Central Lab'] },
    { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(8), 'pharmacy', 'Corner Pharmacy'] },
  ]);
});
afterAll(async () => {
  await c?.close();
  dirs.cleanup();
});

describe('registry: genesis regulators', () => {
  it('lists the dev genesis regulator (dev 0) as an active regulator', () => {
    expect(c.view('registry', 'get', [dev(0)])).toEqual({ kind: 'regulator', name: null, org: null, licence: null, specialty: null, validUntil: null, active: true });
    expect(c.view('registry', 'isRegulator', [dev(0)])).toBe(true);
    expect(c.view('registry', 'activeKind', [dev(0)])).toBe('regulator');
  });

  it('answers null for an unknown subject', () => {
    expect(c.view('registry', 'get', [dev(9)])).toBeNull();
    expect(c.view('registry', 'isRegulator', [dev(9)])).toBe(false);
    expect(c.view('registry', 'activeKind', [dev(9)])).toBeNull();
  });
});

describe('registry: registerOrg', () => {
  it('registers an organisation of each kind, with an OrgRegistered event', async () => {
    expect(c.view('registry', 'get', [dev(1)])).toEqual({ kind: 'hospital', name: 'St Mary', org: null, licence: null, specialty: null, validUntil: null, active: true });
    const kinds = ['hospital', 'insurer', 'lab', 'pharmacy', 'manufacturer', 'distributor', 'regulator', 'cdc'];
    const addrs = kinds.map((_, i) => '0x' + (i + 1).toString(16).padStart(2, '0').repeat(20));
    const rs = await c.block(kinds.map((kind, i) => ({ from: 0, contract: 'registry' as const, method: 'registerOrg', args: [addrs[i], kind, `org ${kind}`] })));
    rs.forEach((r, i) => {
      expect(r.status, kinds[i]).toBe('ok');
      expect(r.events).toEqual([{ contract: 'registry', event: 'OrgRegistered', data: { org: addrs[i], kind: kinds[i], by: dev(0) } }]);
      expect(c.view('registry', 'activeKind', [addrs[i]])).toBe(kinds[i]);
    });
  });

  it('lets a registered regulator organisation register organisations too', async () => {
    const reg = '0x' + '07'.repeat(20); // registered as kind "regulator" above
    expect(c.view('registry', 'isRegulator', [reg])).toBe(true);
    expect(c.view('registry', 'isRegulator', [dev(1)])).toBe(false);
  });

  it('refuses: not a regulator, unknown kind, bad name, already registered', async () => {
    const fresh = '0x' + 'aa'.repeat(20);
    const rs = await c.block([
      { from: 1, contract: 'registry', method: 'registerOrg', args: [fresh, 'hospital', 'Rogue'] },
      { from: 9, contract: 'registry', method: 'registerOrg', args: [fresh, 'hospital', 'Rogue'] },
      { from: 0, contract: 'registry', method: 'registerOrg', args: [fresh, 'clinic', 'Unknown kind'] },
      { from: 0, contract: 'registry', method: 'registerOrg', args: [fresh, 'hospital', ''] },
      { from: 0, contract: 'registry', method: 'registerOrg', args: [fresh, 'hospital', 'x'.repeat(129)] },
      { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(1), 'lab', 'Again'] },
      { from: 0, contract: 'registry', method: 'registerOrg', args: [dev(0), 'hospital', 'The regulator'] },
    ]);
    expect(rs.map(revertReason)).toEqual(['not-regulator', 'not-regulator', 'bad-kind', 'bad-name', 'bad-name', 'already-registered', 'already-registered']);
    expect(c.view('registry', 'get', [fresh])).toBeNull();
  });
});

describe('registry: registerPractitioner', () => {
  it('a hospital, lab or pharmacy registers its practitioners', async () => {
    const until = c.now + 30 * DAY;
    const rs = await c.block([
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [dev(3), 'LIC-3', 'cardiology', until] },
      { from: 5, contract: 'registry', method: 'registerPractitioner', args: ['0x' + '51'.repeat(20), 'LIC-51', 'pathology', until] },
      { from: 8, contract: 'registry', method: 'registerPractitioner', args: ['0x' + '81'.repeat(20), 'LIC-81', '', until] },
    ]);
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(rs[0].events).toEqual([{ contract: 'registry', event: 'PractitionerRegistered', data: { practitioner: dev(3), org: dev(1), validUntil: until } }]);
    expect(c.view('registry', 'get', [dev(3)])).toEqual({ kind: 'practitioner', name: null, org: dev(1), licence: 'LIC-3', specialty: 'cardiology', validUntil: until, active: true });
    expect(c.view('registry', 'practitionerOrg', [dev(3)])).toBe(dev(1));
    expect(c.view('registry', 'practitionerOrg', [dev(1)])).toBeNull();
    expect(c.view('registry', 'activeKind', [dev(3)])).toBe('practitioner');
  });

  it('refuses: caller not an active hospital/lab/pharmacy, bad licence or validity, already registered', async () => {
    const p = '0x' + 'bb'.repeat(20);
    const until = c.now + DAY;
    const rs = await c.block([
      { from: 2, contract: 'registry', method: 'registerPractitioner', args: [p, 'L', 's', until] }, // insurer
      { from: 9, contract: 'registry', method: 'registerPractitioner', args: [p, 'L', 's', until] }, // unregistered
      { from: 0, contract: 'registry', method: 'registerPractitioner', args: [p, 'L', 's', until] }, // regulator
      { from: 3, contract: 'registry', method: 'registerPractitioner', args: [p, 'L', 's', until] }, // a practitioner
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [p, '', 's', until] },
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [p, 'L', 's', c.now - 1] },
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [dev(3), 'L', 's', until] },
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [dev(2), 'L', 's', until] },
      { from: 1, contract: 'registry', method: 'registerPractitioner', args: [dev(0), 'L', 's', until] },
    ]);
    expect(rs.map(revertReason)).toEqual([
      'not-provider', 'not-provider', 'not-provider', 'not-provider', 'bad-licence', 'bad-validity', 'already-registered', 'already-registered', 'already-registered',
    ]);
  });

  it('a practitioner is active only while block.time < validUntil', async () => {
    const p = '0x' + 'cc'.repeat(20);
    const until = c.now + 2 * DAY;
    await c.ok(1, 'registry', 'registerPractitioner', [p, 'LIC-CC', 'gp', until]);
    expect(c.view('registry', 'get', [p])).toMatchObject({ active: true });
    c.now = until - 1;
    await c.block([]);
    expect(c.view('registry', 'get', [p])).toMatchObject({ active: true });
    c.now = until;
    await c.block([]);
    expect(c.view('registry', 'get', [p])).toMatchObject({ kind: 'practitioner', active: false });
    expect(c.view('registry', 'practitionerOrg', [p])).toBeNull();
  });
});

describe('registry: suspend', () => {
  it('only a regulator suspends, only registered subjects, once', async () => {
    const rs = await c.block([
      { from: 1, contract: 'registry', method: 'suspend', args: [dev(3)] },
      { from: 0, contract: 'registry', method: 'suspend', args: [dev(9)] },
      { from: 0, contract: 'registry', method: 'suspend', args: [dev(0)] },
    ]);
    expect(rs.map(revertReason)).toEqual(['not-regulator', 'not-registered', 'not-registered']);
  });

  it('a suspended practitioner is inactive; the event names who suspended', async () => {
    const p = '0x' + '51'.repeat(20);
    const r = await c.ok(0, 'registry', 'suspend', [p]);
    expect(r.events).toEqual([{ contract: 'registry', event: 'Suspended', data: { subject: p, by: dev(0) } }]);
    expect(c.view('registry', 'get', [p])).toMatchObject({ kind: 'practitioner', active: false });
    expect(revertReason(await c.send(0, 'registry', 'suspend', [p]))).toBe('already-suspended');
  });

  it("a suspended organisation is inactive, and so are its practitioners; it can no longer register any", async () => {
    expect(c.view('registry', 'get', [dev(3)])).toMatchObject({ active: true });
    await c.ok(0, 'registry', 'suspend', [dev(1)]);
    expect(c.view('registry', 'get', [dev(1)])).toMatchObject({ kind: 'hospital', active: false });
    expect(c.view('registry', 'activeKind', [dev(1)])).toBeNull();
    expect(c.view('registry', 'get', [dev(3)])).toMatchObject({ kind: 'practitioner', org: dev(1), active: false });
    expect(c.view('registry', 'practitionerOrg', [dev(3)])).toBeNull();
    const r = await c.send(1, 'registry', 'registerPractitioner', ['0x' + 'dd'.repeat(20), 'L', 's', c.now + DAY]);
    expect(revertReason(r)).toBe('not-provider');
  });
});
