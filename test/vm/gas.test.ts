/** Gas: fixed costs, no partial writes when gas runs out anywhere, never more than the limit. */
import { describe, expect, it } from 'vitest';
import { execute, gas as G, OutOfGas, OPCODES, type HostValue } from '../../vm/index.js';
import { STATIC_GAS } from '../../vm/gas.js';
import { addr, Deployed, fixture, MemoryHost } from './helpers.js';

describe('gas table', () => {
  it('every valid opcode costs at least 1 (so a gas limit bounds the instruction count)', () => {
    OPCODES.forEach((info, op) => {
      if (info) expect(STATIC_GAS[op], info.name).toBeGreaterThanOrEqual(1);
    });
  });

  it('storage writes cost more than reads, reads more than arithmetic', () => {
    expect(G.GAS_SSTORE).toBeGreaterThan(G.GAS_SLOAD);
    expect(G.GAS_SLOAD).toBeGreaterThan(G.GAS_ARITH);
  });
});

describe('gas: the same program always costs the same', () => {
  it('pinned costs of the bench fixture (a change here is a consensus change)', () => {
    const d = new Deployed(fixture('bench'));
    const costs = {
      arith10: d.call('arith', [10]).gasUsed,
      arith100: d.call('arith', [100]).gasUsed,
      collections20: d.call('collections', [20]).gasUsed,
      hashing5: d.call('hashing', [5]).gasUsed,
    };
    // repeat in a fresh VM and host
    const e = new Deployed(fixture('bench'));
    expect({ arith10: e.call('arith', [10]).gasUsed, arith100: e.call('arith', [100]).gasUsed, collections20: e.call('collections', [20]).gasUsed, hashing5: e.call('hashing', [5]).gasUsed }).toEqual(costs);
    // linear in n: every round of arith costs the same
    const per = (costs.arith100 - costs.arith10) / 90;
    expect(Number.isInteger(per)).toBe(true);
    expect(costs).toMatchInlineSnapshot(`
      {
        "arith10": 291,
        "arith100": 1821,
        "collections20": 1948,
        "hashing5": 1158,
      }
    `);
  });

  it('a storage write costs its base plus its canonical size in bytes', () => {
    const d = new Deployed('contract s\nstorage { v: string }\nfn set(x: string) { storage.v = x }');
    const a = d.call('set', ['a']).gasUsed;
    const b = d.call('set', ['a'.repeat(33)]).gasUsed;
    // 32 more bytes of value (str8 header after 31 chars: +1) and 32 more bytes of argument (+1 header)
    expect(b - a).toBe(G.GAS_SSTORE_PER_BYTE * 33 + G.GAS_ARG_PER_BYTE * 33);
  });
});

describe('gas: out of gas at every point leaves no partial writes', () => {
  it('storageRule(4): every gas limit below the cost fails cleanly, the exact cost succeeds', () => {
    const d = new Deployed(fixture('bench'));
    const full = d.call('storageRule', [4]);
    const need = full.gasUsed;
    const fresh = () => new Deployed(fixture('bench'));
    const base = fresh();
    for (let limit = 0; limit < need; limit += limit < 2_000 ? 1 : 7) {
      const host = new MemoryHost();
      let err: unknown;
      try {
        execute({ code: base.prog, fn: 'storageRule', args: [4], host, gasLimit: limit });
      } catch (e) {
        err = e;
      }
      expect(err, `limit ${limit}`).toBeInstanceOf(OutOfGas);
      expect((err as OutOfGas).gasUsed).toBe(limit);
      expect(host.storage.size).toBe(0);
    }
    const host = new MemoryHost();
    const ok = execute({ code: base.prog, fn: 'storageRule', args: [4], host, gasLimit: need });
    expect(ok.gasUsed).toBe(need);
    expect(ok.writes).toHaveLength(5);
  });

  it('claims.submit: out of gas anywhere never pays and never writes (moves are buffered like writes)', () => {
    const c = new Deployed(fixture('claims'));
    c.host.balances.set('0x' + '05'.repeat(20), 1_000_000n);
    c.host.caller = addr(5);
    c.call('createPolicy', [{ A: [0, 100] }, 0, 10_000, 0, 10 ** 12]);
    c.call('enrol', [addr(4), 1]);
    c.call('fund', [1_000]);
    c.host.caller = addr(2);
    const args: HostValue[] = [addr(4), 1, [{ code: 'A', qty: 1, price: 50 }]];
    const snapshot = () => ({ storage: new Map(c.host.storage), balances: new Map(c.host.balances) });
    const before = snapshot();
    const need = execute({ code: c.prog, fn: 'submit', args, host: Object.assign(new MemoryHost(), { storage: new Map(c.host.storage), balances: new Map(c.host.balances), caller: addr(2) }), gasLimit: 10_000_000 }).gasUsed;
    for (let limit = 0; limit < need; limit += 13) {
      expect(() => execute({ code: c.prog, fn: 'submit', args, host: c.host, gasLimit: limit })).toThrow(OutOfGas);
    }
    // execute never changes the host: effects only come back from a successful call
    expect(snapshot()).toEqual(before);
  });
});

describe('gas: never more than the limit', () => {
  it('gasUsed ≤ gasLimit on success and failure', () => {
    const d = new Deployed(fixture('bench'));
    for (const limit of [0, 50, 500, 5_000, 50_000]) {
      try {
        const r = execute({ code: d.prog, fn: 'collections', args: [30], host: new MemoryHost(), gasLimit: limit });
        expect(r.gasUsed).toBeLessThanOrEqual(limit);
      } catch (e) {
        expect((e as OutOfGas).gasUsed).toBeLessThanOrEqual(limit);
      }
    }
  });
});
