/**
 * Short real runs of the load suite against a spawned dev node (the compiled CLI and signer
 * worker in dist/, which `npm test` builds first). The suite returns its figures; only the
 * harness (bench/index.ts) writes bench/results, so these runs leave no results behind.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../../../bench/suites/load.js';
import type { Figure } from '../../../bench/figure.js';

const byName = (figs: Figure[], suffix: string) => figs.find((f) => f.name.endsWith(suffix));

describe('load suite on a spawned dev node', () => {
  it('runs transfers open-loop at 200 tx/s for 3 s and finalizes them', { timeout: 20_000 }, async () => {
    const started = performance.now();
    const figs = await run(['--spawn', '--rate', '200', '--duration', '3s', '--drain', '5s', '--quiet', '--senders', '16']);
    const finalized = byName(figs, 'finalized tx/s')!;
    expect(finalized.median).toBeGreaterThan(0);
    expect(finalized.reference).toMatch(/offered tx\/s$/);
    expect(byName(figs, 'offered tx/s')!.median).toBeGreaterThan(150);
    expect(byName(figs, 'send→final p99')!.repeats).toBeGreaterThan(0);
    expect(figs.filter((f) => f.name.includes('rejected:'))).toEqual([]);
    expect(byName(figs, 'node RSS max')!.median).toBeGreaterThan(10);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it('measures read calls closed-loop over several connections', { timeout: 20_000 }, async () => {
    const figs = await run(['--spawn', '--rpc-method', 'chain_getInfo', '--duration', '1s', '--connections', '2', '--window', '2', '--quiet']);
    const calls = byName(figs, 'chain_getInfo, 2 connections — calls/s')!;
    expect(calls.median).toBeGreaterThan(0);
    expect(calls.reference).toMatch(/node_version/);
    expect(figs.some((f) => f.name.includes('error:'))).toBe(false);
  });

  it('runs the consent workload and a consent.check call scenario in one invocation', { timeout: 20_000 }, async () => {
    const figs = await run([
      ...['--spawn', '--mix', 'consent=100', '--rate', '100', '--duration', '2s', '--drain', '5s', '--quiet', '--senders', '8'],
      ...['--and', '--spawn', '--call', 'consent.check', '--duration', '1s', '--connections', '2', '--quiet'],
    ]);
    expect(byName(figs, 'consent=100 @100 tx/s — finalized tx/s')!.median).toBeGreaterThan(0);
    // Every sampled receipt is ok: a reverted grant would show up in these figures.
    expect(figs.filter((f) => f.name.includes('reverted receipts'))).toEqual([]);
    expect(byName(figs, 'consent=100 @100 tx/s — consent sampled receipts ok')!.median).toBe(100);
    expect(byName(figs, 'consent.check, 2 connections — calls/s')!.median).toBeGreaterThan(0);
  });

  it('runs the medical mix: every sampled receipt of each workload is ok and every sampled claim is paid in full', { timeout: 30_000 }, async () => {
    const figs = await run(['--spawn', '--mix', 'consent=34,record=33,claim=33', '--rate', '150', '--duration', '3s', '--drain', '5s', '--quiet', '--senders', '12']);
    const label = 'consent=34,record=33,claim=33 @150 tx/s';
    expect(byName(figs, `${label} — finalized tx/s`)!.median).toBeGreaterThan(0);
    for (const w of ['consent', 'record', 'claim']) {
      const ok = byName(figs, `${label} — ${w} sampled receipts ok`)!;
      expect(ok.median).toBe(100);
      expect(ok.repeats).toBeGreaterThan(20);
    }
    const paid = byName(figs, `${label} — claim sampled claims paid in full`)!;
    expect([paid.median, paid.repeats > 20]).toEqual([100, true]);
    expect(figs.filter((f) => f.name.includes('reverted receipts') || f.name.includes('rejected:'))).toEqual([]);
  });

  it("runs the issue's transfer/consent/claim mix closed-loop and reports each workload's receipts", { timeout: 30_000 }, async () => {
    const figs = await run(['--spawn', '--mix', 'transfer=60,consent=20,claim=20', '--rate', 'max', '--duration', '2s', '--drain', '5s', '--quiet', '--senders', '20', '--max-pending', '600']);
    const label = 'transfer=60,consent=20,claim=20 @max';
    const finalized = byName(figs, `${label} — finalized tx/s`)!;
    expect(finalized.median).toBeGreaterThan(0);
    expect(finalized.target).toMatch(/>= 2,000 tx\/s \(issue 9, for the full medical mix; this is transfer=60,consent=20,claim=20\)/);
    for (const w of ['transfer', 'consent', 'claim']) expect(byName(figs, `${label} — ${w} sampled receipts ok`)!.median).toBe(100);
    expect(byName(figs, `${label} — claim sampled claims paid in full`)!.median).toBe(100);
  });

  it('--no-targets leaves the dev-node targets off (the testnet suite judges its phases by issue 8)', { timeout: 30_000 }, async () => {
    const figs = await run(['--spawn', '--rate', 'max', '--duration', '1s', '--drain', '5s', '--quiet', '--senders', '8', '--max-pending', '400', '--no-targets']);
    expect(byName(figs, 'transfer=100 @max — finalized tx/s')!.median).toBeGreaterThan(0);
    expect(figs.filter((f) => f.target !== undefined || f.met !== undefined).map((f) => f.name)).toEqual([]);
  });
});
