/**
 * The demos' shared steps against a scripted client: what counts as a failure (a revert, an
 * expected refusal that did not come or came with another code), skipped registrations, and
 * the clear error for a chain a demo cannot play. The real flows run in test/node/demoFlows.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { demoKeys, demoSteps, extraDemoKey, celsius } from '../../../node/commands/demoSteps.js';
import { NodeError } from '../../../node/errors.js';
import { devKey, type MedchainClient, type Receipt } from '../../../rpc/client/index.js';

const CONTRACTS = { registry: '0x' + '11'.repeat(20), supplychain: '0x' + '22'.repeat(20) };

/** A client whose receipts and views come from the test; it records what was sent. */
function scripted(receipts: Array<Partial<Receipt>>, views: Record<string, unknown> = {}, contracts: Record<string, string> = CONTRACTS) {
  const sent: Array<{ from: string; to: string; method: string }> = [];
  const client = {
    getInfo: async () => ({ chainId: 'test', height: 7, contracts }),
    call: async (_m: string, p: { method: string; args: unknown[] }) => views[`${p.method}(${p.args.join(',')})`] ?? null,
    txBuilder: (key: { addressHex: string }) => ({
      sendAndWait: async (tx: { to: string; method: string }) => {
        sent.push({ from: key.addressHex, to: tx.to, method: tx.method });
        return { status: 'ok', height: 1, gasUsed: 1, events: [], result: null, ...receipts.shift() } as Receipt;
      },
    }),
  } as unknown as MedchainClient;
  return { client, sent };
}

describe('demoSteps', () => {
  const keys = demoKeys(['regulator', 'manufacturer'] as const);

  it('gives each role its dev account and the lab technician a fixed extra key', () => {
    expect(keys.regulator.addressHex).toBe(devKey(0).addressHex);
    expect(keys.manufacturer.addressHex).toBe(devKey(5).addressHex);
    expect(extraDemoKey('labtech').addressHex).toBe(extraDemoKey('labtech').addressHex);
    expect(demoKeys(['regulator', 'hospital', 'insurer', 'doctor', 'patient', 'manufacturer', 'distributor', 'pharmacy', 'lab', 'cdc'] as const)).toSatisfy(
      (k: Record<string, { addressHex: string }>) => new Set(Object.values(k).map((x) => x.addressHex)).size === 10,
    );
  });

  it('send prints the step and its outcome; a revert counts as a failure', async () => {
    const { client, sent } = scripted([{}, { status: 'reverted', error: 'reverted: not-holder (at 3:5)' }]);
    const lines: string[] = [];
    const s = await demoSteps(client, keys, (l) => lines.push(l), ['supplychain']);
    await s.send('manufacturer', 'supplychain', 'ship', ['0x' + 'ab'.repeat(32), 'x'.repeat(200)], () => 'shipped');
    expect(s.failures()).toBe(0);
    await s.send('manufacturer', 'supplychain', 'ship', ['0x' + 'ab'.repeat(32)]);
    expect(s.failures()).toBe(1);
    expect(sent).toEqual([
      { from: keys.manufacturer.addressHex, to: CONTRACTS.supplychain, method: 'ship' },
      { from: keys.manufacturer.addressHex, to: CONTRACTS.supplychain, method: 'ship' },
    ]);
    expect(lines[0]).toMatch(/^ 1\. manufacturer: supplychain\.ship\(0xabababab…, "x+…\)$/);
    expect(lines[0]!.length).toBeLessThan(140);
    expect(lines[1]).toBe('      → shipped   [block 1, gas 1]');
    expect(lines[3]).toContain('REVERTED: reverted: not-holder (at 3:5)');
  });

  it('refused passes only on a revert with exactly the expected code', async () => {
    const { client } = scripted([
      { status: 'reverted', error: 'reverted: recalled (at 1:1)' },
      { status: 'reverted', error: 'reverted: already-recalled (at 1:1)' },
      { status: 'reverted', error: 'reverted: recalledx (at 1:1)' },
      {},
      { status: 'reverted', error: 'reverted: recalled' },
    ]);
    const lines: string[] = [];
    const s = await demoSteps(client, keys, (l) => lines.push(l), []);
    const failuresAfterEach: number[] = [];
    for (let i = 0; i < 5; i++) {
      await s.refused('manufacturer', 'supplychain', 'ship', [], 'recalled');
      failuresAfterEach.push(s.failures());
    }
    expect(failuresAfterEach).toEqual([0, 1, 2, 3, 3]);
    expect(lines[1]).toContain('refused as expected: recalled');
    expect(lines[3]).toContain('UNEXPECTED: reverted: already-recalled (at 1:1), expected a revert with recalled');
    expect(lines[7]).toContain('UNEXPECTED: accepted');
  });

  it('ensureOrg registers an unknown organisation, skips one of the right kind, refuses one of another kind', async () => {
    const m = keys.manufacturer.addressHex;
    const fresh = scripted([{}]);
    const lines: string[] = [];
    const s = await demoSteps(fresh.client, keys, (l) => lines.push(l), []);
    await s.ensureOrg('regulator', 'manufacturer', 'manufacturer', 'M');
    expect(fresh.sent).toEqual([{ from: keys.regulator.addressHex, to: CONTRACTS.registry, method: 'registerOrg' }]);

    const known = scripted([], { [`get(${m})`]: { kind: 'manufacturer' } });
    const s2 = await demoSteps(known.client, keys, (l) => lines.push(l), []);
    await s2.ensureOrg('regulator', 'manufacturer', 'manufacturer', 'M');
    expect(known.sent).toEqual([]);
    expect(lines.at(-1)).toBe(' 1. registry.registerOrg(manufacturer) — already done on this chain, skipped');

    const other = scripted([], { [`get(${m})`]: { kind: 'pharmacy' } });
    const s3 = await demoSteps(other.client, keys, () => {}, []);
    await expect(s3.ensureOrg('regulator', 'manufacturer', 'manufacturer', 'M')).rejects.toMatchObject({ code: 'NODE_DEMO_CHAIN', message: expect.stringMatching(/already registered as a pharmacy/) });
    expect(other.sent).toEqual([]);
  });

  it('refuses a chain without the contracts a demo needs, naming the missing one', async () => {
    const { client } = scripted([], {}, { registry: CONTRACTS.registry });
    const err = await demoSteps(client, keys, () => {}, ['registry', 'surveillance']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({ code: 'NODE_DEMO_CHAIN', message: expect.stringContaining('no surveillance contract') });
  });

  it('prints temperatures in degrees from tenths', () => {
    expect([celsius(20), celsius(-800), celsius(93), celsius(-5)]).toEqual(['2.0 °C', '-80.0 °C', '9.3 °C', '-0.5 °C']);
  });
});
