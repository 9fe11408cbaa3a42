/** The medical-contract fixtures, end to end on an in-memory host: what issue 7 will build on. */
import { describe, expect, it } from 'vitest';
import { execute, Revert, type HostValue } from '../../vm/index.js';
import { addr, Deployed, fixture, MemoryHost } from './helpers.js';

const REGULATOR = addr(1);
const HOSPITAL = addr(2);
const DOCTOR = addr(3);
const PATIENT = addr(4);
const INSURER = addr(5);

function as(d: Deployed, who: Uint8Array): Deployed {
  d.host.caller = who;
  return d;
}

function reverts(f: () => unknown, reason: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(Revert);
    expect((e as Revert).reason).toBe(reason);
    return;
  }
  throw new Error(`did not revert with ${reason}`);
}

describe('registry', () => {
  function setup(): Deployed {
    const r = new Deployed(fixture('registry'));
    as(r, REGULATOR).call('addRegulator', [REGULATOR]);
    r.call('registerOrg', [HOSPITAL, 'hospital', 'St. Mary', 10_000_000]);
    as(r, HOSPITAL).call('registerPractitioner', [DOCTOR, 'Dr. Who', 'L-1', 'cardiology', 5_000_000]);
    return r;
  }

  it('registers organisations and practitioners with optional fields', () => {
    const r = setup();
    expect({ ...(r.view('entry', [DOCTOR]) as object) }).toEqual({
      kind: 'practitioner', name: 'Dr. Who', org: HOSPITAL, licence: 'L-1', specialty: 'cardiology', validUntil: 5_000_000, active: true,
    });
    expect({ ...(r.view('entry', [HOSPITAL]) as object) }).toMatchObject({ kind: 'hospital', org: null, licence: null });
    expect(r.view('isPractitioner', [DOCTOR])).toBe(true);
    expect(r.view('isPractitioner', [HOSPITAL])).toBe(false);
    expect(r.view('kindOf', [PATIENT])).toBe(null);
  });

  it('enforces who may do what', () => {
    const r = setup();
    reverts(() => as(r, PATIENT).call('registerOrg', [addr(9), 'lab', 'x', 1]), 'only a regulator registers organisations');
    reverts(() => as(r, REGULATOR).call('registerOrg', [addr(9), 'spa', 'x', 1]), 'unknown organisation kind');
    reverts(() => as(r, PATIENT).call('registerPractitioner', [addr(9), 'x', 'l', 's', 1]), 'caller is not registered');
    reverts(() => as(r, DOCTOR).call('registerPractitioner', [addr(9), 'x', 'l', 's', 1]), 'only an active organisation');
  });

  it('licence expiry and suspension by the organisation', () => {
    const r = setup();
    r.host.timeMs = 6_000_000;
    expect(r.view('isPractitioner', [DOCTOR])).toBe(false);
    r.host.timeMs = 1_000;
    reverts(() => as(r, PATIENT).call('suspend', [DOCTOR]), 'not allowed');
    as(r, HOSPITAL).call('suspend', [DOCTOR]);
    expect(r.view('isPractitioner', [DOCTOR])).toBe(false);
  });
});

describe('consent', () => {
  it('grant, check by category, purpose and period, revoke', () => {
    const c = new Deployed(fixture('consent'));
    as(c, PATIENT);
    const id = c.call('grant', [DOCTOR, ['lab', 'imaging'], ['treatment'], 500_000, 2_000_000]).result;
    expect(id).toBe(1);
    expect(c.view('check', [PATIENT, DOCTOR, 'imaging', 'treatment'])).toBe(true);
    expect(c.view('check', [PATIENT, DOCTOR, 'genetics', 'treatment'])).toBe(false);
    expect(c.view('check', [PATIENT, HOSPITAL, 'lab', 'treatment'])).toBe(false);
    c.host.timeMs = 2_000_000;
    expect(c.view('check', [PATIENT, DOCTOR, 'lab', 'treatment'])).toBe(false);
    c.host.timeMs = 1_000_000;
    reverts(() => as(c, DOCTOR).call('revoke', [1]), 'only the patient may revoke');
    as(c, PATIENT).call('revoke', [1]);
    expect(c.view('check', [PATIENT, DOCTOR, 'lab', 'treatment'])).toBe(false);
    reverts(() => c.call('revoke', [1]), 'already revoked');
    reverts(() => c.call('grant', [DOCTOR, [], ['x'], 1, 2]), '1 to 32 categories');
  });

  it('logAccess: needs a grant, or break-glass by a registered practitioner (a view of the registry)', () => {
    const registryAddr = addr(0xaa);
    const r = new Deployed(fixture('registry'));
    as(r, REGULATOR).call('addRegulator', [REGULATOR]);
    r.call('registerOrg', [HOSPITAL, 'hospital', 'H', 10_000_000]);
    as(r, HOSPITAL).call('registerPractitioner', [DOCTOR, 'D', 'L', 'er', 10_000_000]);
    const c = new Deployed(fixture('consent'));
    c.host.views = (target, fn, args, gasLimit) => {
      expect(target).toEqual(registryAddr);
      const host = Object.assign(new MemoryHost(), { storage: r.host.storage, caller: c.host.self, timeMs: c.host.timeMs });
      const out = execute({ code: r.prog, fn, args, host, gasLimit, mode: 'view' });
      return { result: out.result, gasUsed: out.gasUsed };
    };
    as(c, PATIENT).call('setRegistry', [registryAddr]);
    const record = new Uint8Array(32).fill(0xab);
    reverts(() => as(c, HOSPITAL).call('logAccess', [PATIENT, record, 'lab', 'treatment', false]), 'no valid consent');
    reverts(() => as(c, HOSPITAL).call('logAccess', [PATIENT, record, 'lab', 'treatment', true]), 'break-glass needs a registered practitioner');
    const ev = as(c, DOCTOR).call('logAccess', [PATIENT, record, 'lab', 'treatment', true]).events;
    expect(ev.map((e) => [e.name, { ...e.data }])).toEqual([['Accessed', { patient: PATIENT, actor: DOCTOR, record, breakGlass: true }]]);
    as(c, PATIENT).call('grant', [HOSPITAL, ['lab'], ['treatment'], 0, 2_000_000]);
    expect(as(c, HOSPITAL).call('logAccess', [PATIENT, record, 'lab', 'treatment', false]).events).toHaveLength(1);
  });
});

describe('claims', () => {
  const PROVIDER = HOSPITAL;
  const covered: HostValue = { X100: [10, 100], X200: [0, 1000] };
  const item = (code: string, qty: number, price: number) => ({ code, qty, price });

  function setup(deductible = 0, limit = 10_000): Deployed {
    const c = new Deployed(fixture('claims'));
    c.host.balances.set('0x' + '05'.repeat(20), 1_000_000n);
    as(c, INSURER).call('createPolicy', [covered, deductible, limit, 0, 10 ** 12]);
    c.call('enrol', [PATIENT, 1]);
    c.call('fund', [5_000]);
    return c;
  }

  it('adjudicates per item with reason codes and pays the provider from escrow', () => {
    const c = setup();
    const r = as(c, PROVIDER).call('submit', [PATIENT, 1_000, [item('X100', 2, 80), item('X200', 1, 300), item('Z999', 1, 50), item('X100', 0, 1)]]);
    expect(r.result).toEqual([
      ['X100', 90, 'paid'], // min(160, cap 100) - copay 10
      ['X200', 300, 'paid'],
      ['Z999', 0, 'not covered'],
      ['X100', 0, 'invalid item'],
    ]);
    expect(c.host.balance(PROVIDER)).toBe(390n);
    expect(c.view('escrowOf', [INSURER])).toBe(4_610);
    expect(c.view('spentOf', [PATIENT, 0])).toBe(390);
    expect(r.events.map((e) => [e.name, e.data.paid])).toEqual([['ClaimPaid', 390]]);
  });

  it('detects duplicates by hash key, applies the deductible and the annual limit', () => {
    const c = setup(100, 250);
    const items = [item('X200', 1, 150)];
    expect(as(c, PROVIDER).call('submit', [PATIENT, 1_000, items]).result).toEqual([['X200', 50, 'paid']]);
    reverts(() => c.call('submit', [PATIENT, 1_000, items]), 'duplicate claim');
    expect(c.call('submit', [PATIENT, 2_000, [item('X200', 1, 90)]]).result).toEqual([['X200', 90, 'paid']]);
    expect(c.call('submit', [PATIENT, 3_000, [item('X200', 1, 500), item('X200', 1, 1)]]).result).toEqual([
      ['X200', 110, 'capped by annual limit'],
      ['X200', 0, 'annual limit reached'],
    ]);
  });

  it('a revert leaves no writes: escrow too low', () => {
    const c = setup();
    const before = new Map(c.host.storage);
    reverts(() => as(c, PROVIDER).call('submit', [PATIENT, 1_000, Array.from({ length: 6 }, () => item('X200', 1, 1000))]), 'insurer escrow too low');
    expect(c.host.storage).toEqual(before);
    reverts(() => c.call('submit', [PATIENT, 10 ** 13, [item('X200', 1, 1)]]), 'policy not valid on that date');
  });
});
