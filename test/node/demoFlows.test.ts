/**
 * `medchain demo supply` and `medchain demo surveillance` through the real compiled CLI
 * against a real dev node process, each run twice on the same chain: the exit code and the
 * key lines of the output, and the state they leave, read back through `state_call`, so a
 * step that silently does nothing fails the test. Also: all three demos share one chain,
 * and an unknown demo name is a clear error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, devKey, keyFromSecret, type MedchainClient } from '../../rpc/client/index.js';
import { sha256 } from '../../core/crypto/index.js';
import { runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';

const DEMO_TIMEOUT_MS = 60_000;
let node: NodeProcess;
let client: MedchainClient;
let contracts: Record<string, string>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-demos-'));
const [manufacturer, distributor, pharmacy, lab, cdc] = [5, 6, 7, 8, 9].map((i) => devKey(i).addressHex);
const hospital = devKey(1).addressHex;
const labtech = keyFromSecret(sha256(new TextEncoder().encode('medchain-demo-labtech'))).addressHex;

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0', '--block-ms', '30']);
  client = await createClient(node.url, { WebSocket });
  contracts = (await client.getInfo()).contracts as Record<string, string>;
});
afterAll(async () => {
  await client?.close();
  await node?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const view = <T = unknown>(contract: string, method: string, args: unknown[]) => client.call<T>('state_call', { to: contracts[contract], method, args });
/** Runs `medchain demo <name>` against the node; it must exit 0. */
async function demo(name: string): Promise<string> {
  const { code, out } = await runCli(['demo', name, '--rpc', node.url], DEMO_TIMEOUT_MS);
  expect(code, out).toBe(0);
  expect(out).toContain('done: every step did what it should');
  expect(out).not.toMatch(/REVERTED|UNEXPECTED/);
  return out;
}
/** The full 32-byte ids the output names after `label`, in order. */
function ids(out: string, label: RegExp): string[] {
  return [...out.matchAll(new RegExp(`${label.source}(0x[0-9a-f]{64})`, 'g'))].map((m) => m[1]!);
}

describe('medchain demo supply', () => {
  it('runs the cold chain twice on one chain, with fresh batches whose state is what the steps say', async () => {
    const seen = new Set<string>();
    for (let run = 0; run < 2; run++) {
      const out = await demo('supply');
      expect(out).toMatch(/EXCURSION: 9\.3 °C is outside 2\.0 °C\.\.8\.0 °C[\s\S]*batch: quarantined[\s\S]*refused as expected: quarantined[\s\S]*released/);
      expect(out).toMatch(/dispensed 10, 490 left[\s\S]*get: \{.*"quantity":490,.*"status":"active"/);
      expect(out).toMatch(/0\. manufacturer → distributor: shipped at block \d+, received at block \d+\n\s+1\. distributor → pharmacy: shipped at block \d+, received at block \d+/);
      expect(out).toMatch(/supplychain\.recall\([\s\S]*supplychain\.ship\([\s\S]*refused as expected: recalled/);
      if (run === 0) expect(out).not.toContain('skipped');
      else expect(out.match(/registry\.registerOrg\((manufacturer|distributor|pharmacy)\) — already done on this chain, skipped/g)).toHaveLength(3);

      const [batch, recalled] = ids(out, /registerBatch\(.*\n\s+→ batch /);
      expect(batch).toBeDefined();
      expect(recalled).toBeDefined();
      for (const id of [batch!, recalled!]) {
        expect(seen.has(id), 'a fresh batch id per run').toBe(false);
        seen.add(id);
      }
      expect(await view('supplychain', 'get', [batch])).toMatchObject({
        manufacturer,
        productCode: 'GTIN-05099999000017',
        minTenthsC: 20,
        maxTenthsC: 80,
        status: 'active',
        holder: pharmacy,
        receiver: null,
        initialQuantity: 500,
        quantity: 490,
        hops: 2,
        readings: 4,
        excursions: 1,
        minSeen: 38,
        maxSeen: 93,
      });
      const history = await view<Array<Record<string, unknown>>>('supplychain', 'history', [batch]);
      expect(history).toMatchObject([
        { from: manufacturer, to: distributor, cancelledHeight: null },
        { from: distributor, to: pharmacy, cancelledHeight: null },
      ]);
      for (const h of history) expect(h.receivedHeight).toBeGreaterThan(h.height as number);
      expect(await view('supplychain', 'isUsable', [batch])).toBe(true);
      expect(await view('supplychain', 'get', [recalled])).toMatchObject({ status: 'recalled', recallReason: 'RC-STERILITY', holder: manufacturer, receiver: null, hops: 0, quantity: 500 });
      expect(await view('supplychain', 'isUsable', [recalled])).toBe(false);
    }
    for (const [org, kind] of [[manufacturer, 'manufacturer'], [distributor, 'distributor'], [pharmacy, 'pharmacy']] as const) {
      expect(await view('registry', 'activeKind', [org])).toBe(kind);
    }
  }, 2 * DEMO_TIMEOUT_MS);
});

describe('medchain demo surveillance', () => {
  it('runs twice on one chain: cases confirmed, discarded and refused as the output says, counters add up', async () => {
    const expected = [
      { reported: 3, confirmed: 1, discarded: 1 },
      { reported: 6, confirmed: 2, discarded: 2 },
    ];
    const seen = new Set<string>();
    for (let run = 0; run < 2; run++) {
      const out = await demo('surveillance');
      expect(out).toMatch(/confirmed by a lab: still needs a cdc[\s\S]*confirmed by a cdc: the case is now confirmed[\s\S]*discarded: not-a-case[\s\S]*refused as expected: own-report/);
      expect(out).toContain(`stats(B05, FR-69): reported ${expected[run]!.reported}, confirmed ${expected[run]!.confirmed}, discarded ${expected[run]!.discarded}`);
      if (run === 1) expect(out).toMatch(/registerPractitioner\(labtech\) — already done on this chain, skipped/);

      const [confirmed, discarded, pending] = ids(out, /case /);
      for (const id of [confirmed!, discarded!, pending!]) {
        expect(id).toBeDefined();
        expect(seen.has(id), 'a fresh case id per run').toBe(false);
        seen.add(id);
      }
      expect(await view('surveillance', 'case', [confirmed])).toMatchObject({ status: 'confirmed', disease: 'B05', region: 'FR-69', org: hospital, confirmations: 2 });
      expect(await view('surveillance', 'confirmedBy', [confirmed, lab])).toBe(true);
      expect(await view('surveillance', 'confirmedBy', [confirmed, cdc])).toBe(true);
      expect(await view('surveillance', 'case', [discarded])).toMatchObject({ status: 'discarded', org: hospital, reason: 'not-a-case' });
      expect(await view('surveillance', 'case', [pending])).toMatchObject({ status: 'reported', org: lab, confirmations: 0 });
      expect(await view('surveillance', 'confirmedBy', [pending, lab])).toBe(false);
      expect(await view('surveillance', 'stats', ['B05', 'FR-69'])).toEqual(expected[run]);
      expect(await view('surveillance', 'totals', ['B05'])).toEqual(expected[run]);
    }
    expect(await view('registry', 'practitionerOrg', [labtech])).toBe(lab);
  }, 2 * DEMO_TIMEOUT_MS);

  it('the claims demo runs on the same chain after the other two (one role per dev account)', async () => {
    const { code, out } = await runCli(['demo', 'claims', '--rpc', node.url], DEMO_TIMEOUT_MS);
    expect(code, out).toBe(0);
    expect(out).toMatch(/registry\.registerOrg\(hospital\) — already done on this chain, skipped/);
    expect(out).toContain('done: every step succeeded');
  }, DEMO_TIMEOUT_MS);
});

describe('medchain demo usage', () => {
  it('an unknown or missing demo name exits 1 listing the three demos, without a stack trace', async () => {
    for (const [args, why] of [[['demo', 'frobnicate'], 'unknown demo "frobnicate"'], [['demo'], ''], [['demo', 'supply', 'extra'], 'unexpected "extra"']] as const) {
      const { code, out } = await runCli([...args]);
      expect(code, out).toBe(1);
      expect(out).toContain('usage: medchain demo claims|supply|surveillance [--rpc url]');
      expect(out).toContain(why);
      expect(out).not.toMatch(/unexpected error|\n\s+at /);
    }
  });

  it('help lists the three demos', async () => {
    const { code, out } = await runCli(['help']);
    expect(code).toBe(0);
    for (const name of ['claims', 'supply', 'surveillance']) expect(out).toMatch(new RegExp(`^  demo ${name} `, 'm'));
  });
});
