/**
 * validators (genesis/contracts/validators.mc) through the real executor: the genesis set
 * in `epochs`, proposals to add and remove, approvals past 2/3 of the current power
 * scheduling the change at block.height + 2, and every refusal (non-validators, bad keys,
 * duplicates, double votes, expiry, the last validator, withdrawals), with the chain's
 * own per-height set (Chain.validatorsAt) following the contract.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validator, validatorsHash } from '../../core/block/index.js';
import { addressOf, devKey, getPublicKey, sha256 } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DAY, dev, devSpec, MedChain, revertReason, type TxResult } from './harness.js';

const dirs = new TempDirs();
const open: MedChain[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.close();
  dirs.cleanup();
});

/** A chain whose genesis validators are dev accounts `members` with `powers`. */
async function chainOf(members: number[], powers: number[] = members.map(() => 1)): Promise<MedChain> {
  const spec = devSpec();
  spec.validators = members.map((i, j) => validator(devKey(i).publicKey, powers[j]));
  const c = await MedChain.open(dirs, spec);
  open.push(c);
  return c;
}

const pk = (i: number) => toHex(devKey(i).publicKey);
const tail = (i: number) => toHex(sha256(devKey(i).publicKey).slice(20));
/** proposeAdd arguments for dev account i. */
const addArgs = (i: number, power = 1) => [dev(i), pk(i), power, tail(i)];
const member = (i: number, power = 1) => ({ addr: dev(i), publicKey: pk(i), power });
const addrs = (c: MedChain, height: number) => c.chain.validatorsAt(height).map((v) => toHex(v.address));
const ok = (r: TxResult) => {
  if (r.status !== 'ok') throw new Error(`reverted: ${r.error}`);
  return r;
};

describe('validators: genesis', () => {
  it('holds the genesis set as the epoch from height 0', async () => {
    const c = await chainOf([0, 1, 2], [2, 1, 1]);
    expect(c.view('validators', 'current', [])).toEqual([member(0, 2), member(1), member(2)]);
    expect(c.view('validators', 'schedule', [])).toEqual([{ from: 0, members: [member(0, 2), member(1), member(2)] }]);
    expect(c.view('validators', 'isValidator', [dev(1)])).toBe(true);
    expect(c.view('validators', 'isValidator', [dev(5)])).toBe(false);
    expect(c.view('validators', 'openProposals', [])).toEqual([]);
    expect(addrs(c, 1)).toEqual([dev(0), dev(1), dev(2)]);
  });
});

describe('validators: one validator', () => {
  it("the only validator's proposal passes at once and takes effect two heights later", async () => {
    const c = await chainOf([0]);
    const r = ok(await c.send(0, 'validators', 'proposeAdd', addArgs(1)));
    const h = c.chain.head.height; // the block that scheduled it
    expect(r.result).toBe(1);
    expect(r.events.map((e) => e.event)).toEqual(['Proposed', 'Approved', 'Scheduled']);
    expect(r.events[0].data).toEqual({ id: 1, kind: 'add', validator: dev(1), by: dev(0) });
    expect(r.events[1].data).toEqual({ id: 1, by: dev(0), power: 1, total: 1 });
    expect(r.events[2].data).toEqual({ id: 1, kind: 'add', validator: dev(1), effectiveHeight: h + 2 });
    expect(c.view('validators', 'schedule', [])).toEqual([
      { from: 0, members: [member(0)] },
      { from: h + 2, members: [member(0), member(1)] },
    ]);
    // The chain's set: unchanged for h+1, the new one from h+2.
    expect(addrs(c, h + 1)).toEqual([dev(0)]);
    await c.block([]);
    expect(addrs(c, h + 1)).toEqual([dev(0)]);
    expect(addrs(c, h + 2)).toEqual([dev(0), dev(1)]);
    expect(toHex(validatorsHash(c.chain.validatorsAt(h + 2)))).toBe(toHex(validatorsHash([validator(devKey(0).publicKey), validator(devKey(1).publicKey)])));
    // The view at the head (h+1) still answers the old set; `at` sees the scheduled one.
    expect(c.view('validators', 'current', [])).toEqual([member(0)]);
    expect(c.view('validators', 'at', [h + 2])).toEqual([member(0), member(1)]);
    expect(c.view('validators', 'openProposals', [])).toEqual([]);
    expect(c.view('validators', 'proposal', [1])).toMatchObject({ kind: 'add', approvals: [dev(0)] });
  });

  it('the new validator cannot vote before its effective height, and then it must', async () => {
    const c = await chainOf([0]);
    ok(await c.send(0, 'validators', 'proposeAdd', addArgs(1)));
    // Block h+1: dev 1 is not yet current.
    expect(revertReason(await c.send(1, 'validators', 'proposeAdd', addArgs(2)))).toBe('not-validator');
    // Block h+2: dev 1 is current; a 2-validator set needs both (1 of 2 is not > 2/3).
    const r = ok(await c.send(1, 'validators', 'proposeAdd', addArgs(2)));
    expect(r.events.map((e) => e.event)).toEqual(['Proposed', 'Approved']);
    expect(r.events[1].data).toMatchObject({ power: 1, total: 2 });
    const a = ok(await c.send(0, 'validators', 'approve', [r.result as number]));
    expect(a.events.map((e) => e.event)).toEqual(['Approved', 'Scheduled']);
    const h = c.chain.head.height;
    expect(addrs(c, h + 1)).toEqual([dev(0), dev(1)]);
    await c.block([]);
    expect(addrs(c, h + 2)).toEqual([dev(0), dev(1), dev(2)]);
  });
});

describe('validators: quorum is more than 2/3 of the current power', () => {
  it('4 equal validators: 2 approvals wait, the 3rd schedules', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const id = ok(await c.send(0, 'validators', 'proposeAdd', addArgs(4))).result as number;
    const r1 = ok(await c.send(1, 'validators', 'approve', [id]));
    expect(r1.events.map((e) => e.event)).toEqual(['Approved']);
    expect(r1.events[0].data).toEqual({ id, by: dev(1), power: 2, total: 4 });
    expect(c.view('validators', 'openProposals', [])).toMatchObject([{ id, kind: 'add', member: member(4), proposer: dev(0), approvals: [dev(0), dev(1)] }]);
    const r2 = ok(await c.send(3, 'validators', 'approve', [id]));
    expect(r2.events.map((e) => e.event)).toEqual(['Approved', 'Scheduled']);
    expect(c.view('validators', 'openProposals', [])).toEqual([]);
    expect(revertReason(await c.send(2, 'validators', 'approve', [id]))).toBe('closed');
  });

  it('3 equal validators: exactly 2/3 is not enough', async () => {
    const c = await chainOf([0, 1, 2]);
    const id = ok(await c.send(0, 'validators', 'proposeRemove', [dev(2)])).result as number;
    expect(ok(await c.send(1, 'validators', 'approve', [id])).events.map((e) => e.event)).toEqual(['Approved']);
    const last = ok(await c.send(2, 'validators', 'approve', [id]));
    expect(last.events.map((e) => e.event)).toEqual(['Approved', 'Scheduled']);
    const h = c.chain.head.height;
    await c.block([]);
    expect(addrs(c, h + 2)).toEqual([dev(0), dev(1)]);
  });

  it('counts power, not heads', async () => {
    const c = await chainOf([0, 1, 2], [5, 1, 1]);
    // 5 of 7 > 2/3: the heavy validator alone passes it.
    const r = ok(await c.send(0, 'validators', 'proposeAdd', addArgs(3, 3)));
    expect(r.events.map((e) => e.event)).toEqual(['Proposed', 'Approved', 'Scheduled']);
    // The two light ones together do not (2 of 7).
    const id = ok(await c.send(1, 'validators', 'proposeRemove', [dev(0)])).result as number;
    expect(ok(await c.send(2, 'validators', 'approve', [id])).events.map((e) => e.event)).toEqual(['Approved']);
    expect(c.chain.validatorsAt(c.chain.head.height + 1).map((v) => v.power)).toEqual([5, 1, 1, 3]);
  });

  it('approvals of validators removed since no longer count', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const add = ok(await c.send(3, 'validators', 'proposeAdd', addArgs(5))).result as number; // dev 3 approves
    const rm = ok(await c.send(0, 'validators', 'proposeRemove', [dev(3)])).result as number;
    ok(await c.send(1, 'validators', 'approve', [rm]));
    ok(await c.send(2, 'validators', 'approve', [rm])); // scheduled: dev 3 leaves
    await c.block([]);
    expect(addrs(c, c.chain.head.height + 1)).toEqual([dev(0), dev(1), dev(2)]);
    // dev 3's approval of `add` no longer counts: 1 of 3 after dev 0 approves is 2 of 3 (not > 2/3).
    const r = ok(await c.send(0, 'validators', 'approve', [add]));
    expect(r.events[0].data).toEqual({ id: add, by: dev(0), power: 1, total: 3 });
    expect(revertReason(await c.send(3, 'validators', 'approve', [add]))).toBe('not-validator');
  });
});

describe('validators: refusals', () => {
  it('proposeAdd: non-validators, bad keys, an address that is not the key\'s, bad power, members, duplicates', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const rs = await c.block([
      { from: 9, contract: 'validators', method: 'proposeAdd', args: addArgs(4) },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: [dev(4), pk(4).slice(0, -2), 1, tail(4)] },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: [dev(4), pk(5), 1, tail(5)] },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: [dev(4), pk(4), 1, tail(5)] },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: [dev(4), pk(4), 1, tail(4) + '00'] },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: [dev(4), pk(4), 1, '0x'] },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(4, 0) },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(4, -1) },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(4, 1_000_001) },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(2) },
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(4) },
      { from: 1, contract: 'validators', method: 'proposeAdd', args: addArgs(4, 2) },
    ]);
    expect(rs.map(revertReason)).toEqual([
      'not-validator',
      'bad-public-key',
      'address-not-of-key',
      'address-not-of-key',
      'address-not-of-key',
      'address-not-of-key',
      'bad-power',
      'bad-power',
      'bad-power',
      'already-validator',
      undefined,
      'duplicate-proposal',
    ]);
    expect(c.view('validators', 'openProposals', [])).toHaveLength(1);
  });

  it('proposeRemove: non-validators, non-members, the last validator', async () => {
    const c = await chainOf([0]);
    expect(revertReason(await c.send(0, 'validators', 'proposeRemove', [dev(0)]))).toBe('last-validator');
    expect(revertReason(await c.send(0, 'validators', 'proposeRemove', [dev(3)]))).toBe('not-validator');
    expect(revertReason(await c.send(3, 'validators', 'proposeRemove', [dev(0)]))).toBe('not-validator');
    expect(addrs(c, c.chain.head.height + 1)).toEqual([dev(0)]);
  });

  it('approve: outsiders, unknown ids, double votes, expired proposals', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const id = ok(await c.send(0, 'validators', 'proposeAdd', addArgs(4))).result as number;
    const rs = await c.block([
      { from: 7, contract: 'validators', method: 'approve', args: [id] },
      { from: 1, contract: 'validators', method: 'approve', args: [99] },
      { from: 0, contract: 'validators', method: 'approve', args: [id] },
      { from: 1, contract: 'validators', method: 'approve', args: [id] },
      { from: 1, contract: 'validators', method: 'approve', args: [id] },
    ]);
    expect(rs.map(revertReason)).toEqual(['not-validator', 'no-proposal', 'already-approved', undefined, 'already-approved']);
    c.advance(8 * DAY);
    expect(revertReason(await c.send(2, 'validators', 'approve', [id]))).toBe('expired');
    expect(c.view('validators', 'openProposals', [])).toEqual([]);
    // An expired proposal no longer blocks a new one for the same change.
    const again = ok(await c.send(2, 'validators', 'proposeAdd', addArgs(4)));
    expect(again.result).toBe(id + 1);
    expect(c.view('validators', 'openProposals', [])).toHaveLength(1);
  });

  it('withdraw: only the proposer, only while open', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const id = ok(await c.send(0, 'validators', 'proposeAdd', addArgs(4))).result as number;
    expect(revertReason(await c.send(1, 'validators', 'withdraw', [id]))).toBe('not-proposer');
    expect(revertReason(await c.send(0, 'validators', 'withdraw', [id + 1]))).toBe('no-proposal');
    expect(ok(await c.send(0, 'validators', 'withdraw', [id])).events.map((e) => e.event)).toEqual(['Withdrawn']);
    expect(revertReason(await c.send(0, 'validators', 'withdraw', [id]))).toBe('closed');
    expect(revertReason(await c.send(1, 'validators', 'approve', [id]))).toBe('closed');
    expect(c.view('validators', 'openProposals', [])).toEqual([]);
  });

  it('bounds the open proposals', async () => {
    const c = await chainOf([0, 1, 2, 3]);
    const many = Array.from({ length: 33 }, (_, i) => {
      const key = getPublicKey(sha256(new TextEncoder().encode(`candidate-${i}`)));
      return { from: 0, contract: 'validators' as const, method: 'proposeAdd', args: [toHex(addressOf(key)), toHex(key), 1, toHex(sha256(key).slice(20))] };
    });
    const rs = await c.block(many);
    expect(rs.slice(0, 32).every((r) => r.status === 'ok')).toBe(true);
    expect(revertReason(rs[32])).toBe('too-many-proposals');
  });

  it('caps the set at 256 validators, and the chain reads a full set', async () => {
    const c = await chainOf([0]);
    const candidate = (i: number) => {
      const key = getPublicKey(sha256(new TextEncoder().encode(`member-${i}`)));
      return [toHex(addressOf(key)), toHex(key), 1, toHex(sha256(key).slice(20))];
    };
    // The sole validator's proposals pass at once, each on the latest scheduled set, for two
    // blocks (until the first block's change takes effect): 128 + 127 new members.
    const batch = (from: number, n: number) =>
      c.block(Array.from({ length: n }, (_, k) => ({ from: 0, contract: 'validators' as const, method: 'proposeAdd', args: candidate(from + k), gasLimit: 380_000 })));
    const first = await batch(0, 128);
    expect(first.map(revertReason).filter(Boolean)).toEqual([]);
    const second = await batch(128, 128);
    expect(second.slice(0, 127).map(revertReason).filter(Boolean)).toEqual([]);
    expect(revertReason(second[127])).toBe('too-many-validators');
    const h = c.chain.head.height;
    await c.block([]);
    expect(c.chain.validatorsAt(h + 1)).toHaveLength(129); // the first batch's set
    const set = c.chain.validatorsAt(h + 2);
    expect(set).toHaveLength(256);
    expect(toHex(set[255].address)).toBe(candidate(254)[0]);
  });

  it('a scheduled change closes open proposals it makes impossible (superseded)', async () => {
    const c = await chainOf([0, 1]);
    const rm0 = ok(await c.send(1, 'validators', 'proposeRemove', [dev(0)])).result as number;
    const rm1 = ok(await c.send(0, 'validators', 'proposeRemove', [dev(1)])).result as number;
    const r = ok(await c.send(0, 'validators', 'approve', [rm0])); // dev 0 agrees to leave
    expect(r.events.map((e) => e.event)).toEqual(['Approved', 'Scheduled', 'Superseded']);
    expect(r.events[2].data).toEqual({ id: rm1, by: rm0 });
    expect(revertReason(await c.send(1, 'validators', 'approve', [rm1]))).toBe('closed');
    expect(c.view('validators', 'at', [c.chain.head.height + 2])).toEqual([member(1)]);
  });
});

describe('validators: several changes in flight', () => {
  it('changes scheduled in consecutive blocks build on each other; epochs stay at most three', async () => {
    const c = await chainOf([0]);
    const h1 = c.chain.head.height + 1;
    ok(await c.send(0, 'validators', 'proposeAdd', addArgs(1, 2))); // block h1 → from h1+2
    // Block h1+1: the current set is still {0}, so dev 0 alone passes a second change.
    ok(await c.send(0, 'validators', 'proposeAdd', addArgs(2)));
    expect(c.view('validators', 'schedule', []).map((e: { from: number }) => e.from)).toEqual([0, h1 + 2, h1 + 3]);
    expect(addrs(c, h1 + 1)).toEqual([dev(0)]);
    await c.block([]);
    expect(addrs(c, h1 + 2)).toEqual([dev(0), dev(1)]);
    await c.block([]);
    expect(addrs(c, h1 + 3)).toEqual([dev(0), dev(1), dev(2)]);
    // Two changes in one block: the second builds on the first, one epoch for both.
    const ids = await c.block([
      { from: 0, contract: 'validators', method: 'proposeAdd', args: addArgs(3) },
      { from: 1, contract: 'validators', method: 'proposeAdd', args: addArgs(4) },
    ]);
    expect(ids.map((r) => r.status)).toEqual(['ok', 'ok']);
    const h = c.chain.head.height;
    await c.block([
      { from: 1, contract: 'validators', method: 'approve', args: [ids[0].result as number] },
      { from: 2, contract: 'validators', method: 'approve', args: [ids[0].result as number] },
      { from: 0, contract: 'validators', method: 'approve', args: [ids[1].result as number] },
      { from: 2, contract: 'validators', method: 'approve', args: [ids[1].result as number] },
    ]);
    const sched = c.view('validators', 'schedule', []) as Array<{ from: number; members: unknown[] }>;
    expect(sched.map((e) => e.from)).toEqual([h1 + 3, h + 3]);
    expect(sched[1].members).toEqual([member(0), member(1, 2), member(2), member(3), member(4)]);
    await c.block([]);
    await c.block([]);
    expect(addrs(c, h + 3)).toEqual([dev(0), dev(1), dev(2), dev(3), dev(4)]);
    expect(addrs(c, h + 2)).toEqual([dev(0), dev(1), dev(2)]);
  });
});
