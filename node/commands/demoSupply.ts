/**
 * The vaccine cold chain against a running dev node, over JSON-RPC with the client SDK and the
 * dev keys: a regulator registers a manufacturer, a distributor and a pharmacy; the
 * manufacturer registers a vaccine batch kept at 2–8 °C; readings in range; ship and receive
 * to the distributor; an excursion quarantines the batch and a regulator releases it; ship
 * and receive to the pharmacy, which dispenses; the batch and its custody history as the
 * chain shows them; then a recall of a second batch and the refused shipment of it. Each step
 * prints what it sent and what the chain answered; refusals the rules demand are shown as such.
 *
 * Safe to run again on the same chain: registrations that already hold are skipped, and the
 * lot codes (hence the batch ids) are fresh per run, derived from the head height.
 */
import { sha256 } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import type { MedchainClient, Receipt } from '../../rpc/client/index.js';
import { celsius, DAY_MS, demoKeys, demoSteps } from './demoSteps.js';

/** The vaccine's storage range, 2.0–8.0 °C in tenths. */
const MIN_TENTHS = 20;
const MAX_TENTHS = 80;
const PRODUCT = 'GTIN-05099999000017';
const QUANTITY = 500;

/** The batch as `supplychain.get` shows it (the fields the demo prints). */
interface BatchView {
  status: string;
  holder: string;
  receiver: string | null;
  quantity: number;
  hops: number;
  readings: number;
  excursions: number;
  minSeen: number | null;
  maxSeen: number | null;
  recallReason: string | null;
}
interface Hop {
  from: string;
  to: string;
  height: number;
  receivedHeight: number | null;
  cancelledHeight: number | null;
}

/** What the demo ends with: the ids of its two batches and the steps that went wrong. */
export interface SupplyDemoResult {
  batch: string;
  recalledBatch: string;
  failures: number;
}

/** Runs the flow; `print` receives one line per step. */
export async function runSupplyDemo(client: MedchainClient, print: (line: string) => void): Promise<SupplyDemoResult> {
  const keys = demoKeys(['regulator', 'manufacturer', 'distributor', 'pharmacy'] as const);
  const { info, contracts, addr, view, send, refused, ensureOrg, failures } = await demoSteps(client, keys, print, ['registry', 'supplychain']);
  const head = await client.getHeader(info.height);
  // block times follow the validators' clocks; a fresh chain's head is still the genesis time
  const now = Math.max(head!.timeMs, Date.now());
  const run = `${info.height}`;
  const roleOf = new Map(Object.entries(keys).map(([role, k]) => [k.addressHex, role]));
  const who = (a: string | null) => (a === null ? '-' : (roleOf.get(a) ?? a));
  // a batch id is a hash of the manufacturer's lot data, never the lot code itself
  const lot = (suffix: string) => {
    const code = `DEMO-LOT-${run}-${suffix}`;
    return { batch: toHex(sha256(new TextEncoder().encode(`${addr('manufacturer')}/${code}`))), lotHash: toHex(sha256(new TextEncoder().encode(code))) };
  };
  const reading = (r: Receipt) => {
    const e = r.events.find((ev) => ev.event === 'Excursion')?.data as { tenthsC: number } | undefined;
    const t = (r.events.find((ev) => ev.event === 'ReadingRecorded')?.data as { tenthsC: number }).tenthsC;
    return e ? `EXCURSION: ${celsius(t)} is outside ${celsius(MIN_TENTHS)}..${celsius(MAX_TENTHS)}` : `${celsius(t)}, in range`;
  };
  const show = async (label: string, batch: string) => {
    const b = (await view<BatchView | null>('supplychain', 'get', [batch]))!;
    const seen = b.minSeen === null ? 'no readings' : `${b.readings} readings ${celsius(b.minSeen)}..${celsius(b.maxSeen!)}, ${b.excursions} excursion(s)`;
    print(`      ${label}: ${b.status}${b.recallReason ? ` (${b.recallReason})` : ''}, holder ${who(b.holder)}${b.receiver ? ` → ${who(b.receiver)}` : ''}, ${b.quantity} units, ${b.hops} hop(s), ${seen}; usable ${await view('supplychain', 'isUsable', [batch])}`);
  };

  print(`medchain ${info.chainId} at height ${info.height}; supplychain ${contracts.supplychain}`);
  print(`regulator ${addr('regulator')}, manufacturer ${addr('manufacturer')}, distributor ${addr('distributor')}, pharmacy ${addr('pharmacy')}`);

  // 1. the regulator registers the three custodians
  await ensureOrg('regulator', 'manufacturer', 'manufacturer', 'Demo Vaccines Ltd');
  await ensureOrg('regulator', 'distributor', 'distributor', 'Demo Cold Logistics');
  await ensureOrg('regulator', 'pharmacy', 'pharmacy', 'Demo Community Pharmacy');

  // 2. the manufacturer registers a vaccine batch kept at 2–8 °C and logs it in range
  const { batch, lotHash } = lot('A');
  const expiry = now + 180 * DAY_MS;
  await send('manufacturer', 'supplychain', 'registerBatch', [batch, PRODUCT, lotHash, QUANTITY, expiry, MIN_TENTHS, MAX_TENTHS], () => `batch ${batch}: ${QUANTITY} doses, ${celsius(MIN_TENTHS)}..${celsius(MAX_TENTHS)}`);
  await send('manufacturer', 'supplychain', 'recordReading', [batch, 45, 'LOGGER-FACTORY-1'], reading);

  // 3. to the distributor: in transit the sender still holds it and its carrier logs
  await send('manufacturer', 'supplychain', 'ship', [batch, addr('distributor')], (r) => `hop ${String(r.result)}: in transit to the distributor`);
  await send('manufacturer', 'supplychain', 'recordReading', [batch, 61, 'LOGGER-TRUCK-12'], reading);
  await send('distributor', 'supplychain', 'receive', [batch], () => 'the distributor holds the batch');

  // 4. a warm warehouse: the excursion quarantines the batch, which may not move until released
  await send('distributor', 'supplychain', 'recordReading', [batch, 93, 'LOGGER-WAREHOUSE-3'], reading);
  await show('batch', batch);
  await refused('distributor', 'supplychain', 'ship', [batch, addr('pharmacy')], 'quarantined');
  await send('regulator', 'supplychain', 'release', [batch], () => 'released: the excursion was assessed, the batch is active again');

  // 5. to the pharmacy, which dispenses
  await send('distributor', 'supplychain', 'ship', [batch, addr('pharmacy')], (r) => `hop ${String(r.result)}: in transit to the pharmacy`);
  await send('pharmacy', 'supplychain', 'receive', [batch], () => 'the pharmacy holds the batch');
  await send('pharmacy', 'supplychain', 'recordReading', [batch, 38, 'LOGGER-FRIDGE-1'], reading);
  await send('pharmacy', 'supplychain', 'dispense', [batch, 10], (r) => {
    const d = r.events.find((e) => e.event === 'Dispensed')?.data as { quantity: number; left: number };
    return `dispensed ${d.quantity}, ${d.left} left`;
  });
  await show('batch', batch);
  print(`      get: ${JSON.stringify(await view('supplychain', 'get', [batch]))}`);
  const history = await view<Hop[]>('supplychain', 'history', [batch]);
  print(`      history: ${history.length} hop(s)`);
  history.forEach((h, i) => {
    const end = h.receivedHeight !== null ? `received at block ${h.receivedHeight}` : h.cancelledHeight !== null ? `cancelled at block ${h.cancelledHeight}` : 'in transit';
    print(`        ${i}. ${who(h.from)} → ${who(h.to)}: shipped at block ${h.height}, ${end}`);
  });

  // 6. a second batch is recalled: it can no longer be shipped
  const second = lot('B');
  await send('manufacturer', 'supplychain', 'registerBatch', [second.batch, PRODUCT, second.lotHash, QUANTITY, expiry, MIN_TENTHS, MAX_TENTHS], () => `batch ${second.batch}: ${QUANTITY} doses`);
  await send('regulator', 'supplychain', 'recall', [second.batch, 'RC-STERILITY'], () => 'recalled for good');
  await refused('manufacturer', 'supplychain', 'ship', [second.batch, addr('distributor')], 'recalled');
  await show('recalled batch', second.batch);

  print(failures() === 0 ? 'done: every step did what it should' : `done: ${failures()} step(s) went wrong`);
  return { batch, recalledBatch: second.batch, failures: failures() };
}
