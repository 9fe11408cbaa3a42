/**
 * The supplychain tests' shared cast and helpers: a dev-genesis chain (real executor) with
 * manufacturers, distributors, dispensers, an insurer and a second regulator registered.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Json } from '../../core/contracts/index.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { DAY, dev, hashOf, MedChain, revertReason, type Call } from './harness.js';

// This file's cast (dev accounts): 0 the genesis regulator, then organisations registered here.
export const REGULATOR = 0;
export const MANU = 1;
export const DIST = 2;
export const PHARMACY = 3;
export const HOSPITAL = 4;
export const DIST2 = 5; // suspended in the last tests
export const INSURER = 6;
export const REG2 = 7; // a regulator registered as an organisation
export const MANU2 = 8;
export const OUTSIDER = 9; // never registered

export const GTIN = '00312345678906';
/** The chain of the test file that called `openSupplyChain` (set in its beforeAll). */
export let c: MedChain;

/** Opens a dev-genesis chain with the cast registered before the calling file's tests, and closes it after. */
export function openSupplyChain(): void {
  const dirs = new TempDirs();
  beforeAll(async () => {
    c = await MedChain.open(dirs);
    const orgs: Array<[number, string]> = [
      [MANU, 'manufacturer'],
      [DIST, 'distributor'],
      [PHARMACY, 'pharmacy'],
      [HOSPITAL, 'hospital'],
      [DIST2, 'distributor'],
      [INSURER, 'insurer'],
      [REG2, 'regulator'],
      [MANU2, 'manufacturer'],
    ];
    const rs = await c.block(orgs.map(([who, kind]) => ({ from: REGULATOR, contract: 'registry', method: 'registerOrg', args: [dev(who), kind, `org ${who}`] })));
    for (const r of rs) if (r.status !== 'ok') throw new Error(`cast: ${r.error}`);
  });
  afterAll(async () => {
    await c?.close();
    dirs.cleanup();
  });
}

export interface BatchOpts {
  product?: Json;
  lot?: Json;
  quantity?: Json;
  expiry?: Json;
  min?: Json;
  max?: Json;
}
/** registerBatch's positional args: 2–8 °C, 1000 units, a year to expiry unless overridden. */
export const batchArgs = (id: string, o: BatchOpts = {}): Json[] => [id, o.product ?? GTIN, o.lot ?? hashOf(`lot ${id}`), o.quantity ?? 1000, o.expiry ?? c.now + 365 * DAY, o.min ?? 20, o.max ?? 80];
export const call = (from: number, method: string, ...args: Json[]): Call => ({ from, contract: 'supplychain', method, args });
export const send = (from: number, method: string, ...args: Json[]) => c.send(from, 'supplychain', method, args);
export const ok = (from: number, method: string, ...args: Json[]) => c.ok(from, 'supplychain', method, args);
export const view = (method: string, ...args: Json[]) => c.view('supplychain', method, args);
export const reasons = async (calls: Call[]) => (await c.block(calls)).map(revertReason);
export const get = (id: string) => view('get', id) as Record<string, Json>;
/** Registers a batch by `from` (default the manufacturer) and returns its id. */
export const registered = async (label: string, o: BatchOpts = {}, from = MANU): Promise<string> => {
  const id = hashOf(`batch ${label}`);
  await ok(from, 'registerBatch', ...batchArgs(id, o));
  return id;
};
/** Ships and receives in one block; returns the two receipts. */
export const handOver = (id: string, from: number, to: number) => c.block([call(from, 'ship', id, dev(to)), call(to, 'receive', id)]);

