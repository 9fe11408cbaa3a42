/**
 * Determinism: the same program and inputs in two isolated VM instances (fresh module
 * graphs, fresh hosts) give byte-identical results, receipts (gas, effects) and events,
 * whatever order map arguments were built in.
 */
import { describe, expect, it, vi } from 'vitest';
import { encode, type Value } from '../../core/encoding/index.js';
import type * as VmModule from '../../vm/index.js';
import { addr, fixture, MemoryHost } from './helpers.js';

type Vm = typeof VmModule;

async function freshVm(): Promise<Vm> {
  vi.resetModules();
  return (await import('../../vm/index.js')) as Vm;
}

/** Runs a scripted session of the claims and consent fixtures; returns the canonical bytes of everything observable. */
function session(vm: Vm, reverseMaps: boolean): Uint8Array {
  const out: Value[] = [];
  const record = (r: ReturnType<Vm['execute']> | Error) => {
    if (r instanceof Error) {
      const h = r as VmModule.VmHalt;
      out.push(['error', h.code, h.message, h.gasUsed, h.position ? [h.position.line, h.position.column] : null]);
    } else {
      out.push(['ok', r.result as Value, r.gasUsed, r.steps, r.events.map((e) => [e.name, e.data as Value]), r.writes.map((w) => [w.path as Value, (w.value ?? null) as Value]), r.transfers.map((t) => [t.from, t.to, t.amount])]);
    }
  };
  const claims = vm.compile(fixture('claims'));
  const consent = vm.compile(fixture('consent'));
  const host = new MemoryHost();
  host.balances.set('0x' + '05'.repeat(20), 1_000_000n);
  const call = (code: Uint8Array, caller: Uint8Array, fn: string, args: VmModule.HostValue[], gasLimit = 1_000_000) => {
    host.caller = caller;
    try {
      const r = vm.execute({ code, fn, args, host, gasLimit });
      host.apply(r);
      record(r);
    } catch (e) {
      record(e as Error);
    }
  };
  const covered: { [k: string]: VmModule.HostValue } = {};
  const codes = ['B20', 'A10', 'C30', 'é1', 'Z9'];
  for (const c of reverseMaps ? [...codes].reverse() : codes) covered[c] = [c.length, 100 * c.charCodeAt(0)];
  call(claims.code, addr(5), 'createPolicy', [covered, 50, 10_000, 0, 10 ** 12]);
  call(claims.code, addr(5), 'enrol', [addr(4), 1]);
  call(claims.code, addr(5), 'fund', [5_000]);
  const items = codes.map((code, i) => ({ price: 30 * i + 7, qty: i, code }));
  call(claims.code, addr(2), 'submit', [addr(4), 1_000, items]);
  call(claims.code, addr(2), 'submit', [addr(4), 1_000, items]); // duplicate: reverts
  call(claims.code, addr(2), 'submit', [addr(4), 2_000, items], 3_000); // out of gas
  call(consent.code, addr(4), 'grant', [addr(3), ['lab', 'imaging'], ['treatment'], 0, 5_000_000]);
  call(consent.code, addr(4), 'check', [addr(4), addr(3), 'lab', 'treatment']);
  call(consent.code, addr(9), 'revoke', [1]);
  out.push(claims.code, consent.code, vm.disassemble(claims.code));
  return encode(out);
}

describe('determinism', () => {
  it('two isolated VM instances produce byte-identical sessions', async () => {
    const a = session(await freshVm(), false);
    const b = session(await freshVm(), false);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('the order keys were inserted into a map argument does not matter', async () => {
    const vm = await freshVm();
    expect(Buffer.from(session(vm, false)).equals(Buffer.from(session(vm, true)))).toBe(true);
  });

  it('the compiler is deterministic too (same source, same bytes)', async () => {
    const a = (await freshVm()).compile(fixture('consent')).code;
    const b = (await freshVm()).compile(fixture('consent')).code;
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('vm/ never reads clocks or randomness (source scan)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'vm');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
      const src = readFileSync(path.join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/Date\.now\(|Math\.random\(|setTimeout\(|setInterval\(|performance\.now\(|from '(node:)?(fs|net|http|crypto|child_process|worker_threads)'/);
      expect(src, f).not.toMatch(/from '\.\.\//);
    }
  });
});
