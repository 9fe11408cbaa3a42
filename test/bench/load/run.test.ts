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
    // Every sampled receipt is ok: a reverted grant would show up as this figure.
    expect(figs.filter((f) => f.name.includes('reverted receipts'))).toEqual([]);
    expect(byName(figs, 'consent.check, 2 connections — calls/s')!.median).toBeGreaterThan(0);
  });

  it('refuses a mix it cannot run before funding anything, instead of skipping it', { timeout: 20_000 }, async () => {
    const started = performance.now();
    // claim's setup is not written; on a chain without the claims contract the refusal names it.
    await expect(run(['--spawn', '--mix', 'transfer=60,claim=40', '--duration', '1s', '--quiet'])).rejects.toThrow(
      /claim workload( needs the claims contract: chain_getInfo\(\)\.contracts\.claims is missing|: the chain has claims at 0x[0-9a-f]{40}.* not written yet)/,
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
