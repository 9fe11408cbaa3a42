/**
 * supplychain (genesis/contracts/supplychain.mc) through the real executor and the dev
 * genesis: batch registration by a manufacturer, custody by ship/receive with its bounded
 * hop history, recall by regulators, returns and destruction, expiry, dispensing down to
 * depletion, the views, and every refusal. The cold chain is in supplychainColdChain.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/contracts/index.js';
import { fromHex, type Value } from '../../core/encoding/index.js';
import { devKey } from '../../core/crypto/index.js';
import { env, signedTxBytes } from '../fixtures/chainFixtures.js';
import { DAY, dev, hashOf, HOUR, revertReason, type Call } from './harness.js';
import { batchArgs, c, call, DIST, DIST2, get, GTIN, handOver, HOSPITAL, INSURER, MANU, MANU2, ok, openSupplyChain, OUTSIDER, PHARMACY, reasons, REG2, registered, REGULATOR, send, view } from './supplychainCast.js';

openSupplyChain();

describe('supplychain: registerBatch', () => {
  it('registers a batch with the manufacturer as its first holder and emits BatchRegistered', async () => {
    const id = hashOf('batch first');
    const expiry = c.now + 100 * DAY;
    const r = await send(MANU, 'registerBatch', ...batchArgs(id, { quantity: 500, expiry, min: -800, max: -600 }));
    expect(r.status).toBe('ok');
    expect(r.events).toEqual([
      { contract: 'supplychain', event: 'BatchRegistered', data: { batch: id, manufacturer: dev(MANU), productCode: GTIN, quantity: 500, expiry, minTenthsC: -800, maxTenthsC: -600 } },
    ]);
    const head = c.chain.head;
    expect(get(id)).toEqual({
      manufacturer: dev(MANU),
      productCode: GTIN,
      lotHash: hashOf(`lot ${id}`),
      initialQuantity: 500,
      quantity: 500,
      expiry,
      minTenthsC: -800,
      maxTenthsC: -600,
      holder: dev(MANU),
      receiver: null,
      status: 'active',
      recallReason: null,
      hops: 0,
      readings: 0,
      excursions: 0,
      minSeen: null,
      maxSeen: null,
      lastReadingTime: null,
      height: head.height,
      time: head.timeMs,
    });
    expect(view('isUsable', id)).toBe(true);
    expect(view('hopCount', id)).toBe(0);
    expect(view('history', id)).toEqual([]);
    expect(view('hop', id, 0)).toBeNull();
  });

  it('accepts the boundary values: 64-char product code, quantity 10^12, range -273.0 to +100.0 °C', async () => {
    const id = await registered('boundaries', { product: 'p'.repeat(64), quantity: 1_000_000_000_000, min: -2730, max: 1000 });
    expect(get(id)).toMatchObject({ productCode: 'p'.repeat(64), quantity: 1_000_000_000_000, minTenthsC: -2730, maxTenthsC: 1000 });
    const tight = await registered('tight range', { min: 49, max: 50 });
    expect(get(tight)).toMatchObject({ minTenthsC: 49, maxTenthsC: 50 });
  });

  it('refuses anyone but an active manufacturer', async () => {
    const id = hashOf('batch wrong registrant');
    expect(await reasons([DIST, PHARMACY, HOSPITAL, INSURER, REGULATOR, REG2, OUTSIDER].map((who) => call(who, 'registerBatch', ...batchArgs(id))))).toEqual(Array(7).fill('not-manufacturer'));
    expect(view('get', id)).toBeNull();
  });

  it('refuses malformed input: ids and lot hashes not of 32 bytes, bad codes, quantities, expiry and ranges', async () => {
    const id = (n: number) => hashOf(`batch malformed ${n}`);
    const huge = '9223372036854775807';
    const tiny = '-9223372036854775808';
    const now = c.now;
    expect(
      await reasons([
        call(MANU, 'registerBatch', ...batchArgs('0x' + '11'.repeat(31))),
        call(MANU, 'registerBatch', ...batchArgs('0x' + '11'.repeat(33))),
        call(MANU, 'registerBatch', ...batchArgs('0x')),
        call(MANU, 'registerBatch', ...batchArgs(id(1), { product: '' })),
        call(MANU, 'registerBatch', ...batchArgs(id(2), { product: 'p'.repeat(65) })),
        call(MANU, 'registerBatch', ...batchArgs(id(3), { lot: '0x' + '22'.repeat(31) })),
        call(MANU, 'registerBatch', ...batchArgs(id(4), { lot: '0x' + '22'.repeat(1000) })),
        call(MANU, 'registerBatch', ...batchArgs(id(5), { quantity: 0 })),
        call(MANU, 'registerBatch', ...batchArgs(id(6), { quantity: -5 })),
        call(MANU, 'registerBatch', ...batchArgs(id(7), { quantity: 1_000_000_000_001 })),
        call(MANU, 'registerBatch', ...batchArgs(id(8), { quantity: huge })),
        call(MANU, 'registerBatch', ...batchArgs(id(9), { expiry: now })),
        call(MANU, 'registerBatch', ...batchArgs(id(10), { expiry: now - DAY })),
        call(MANU, 'registerBatch', ...batchArgs(id(11), { expiry: tiny })),
        call(MANU, 'registerBatch', ...batchArgs(id(12), { min: 50, max: 50 })),
        call(MANU, 'registerBatch', ...batchArgs(id(13), { min: 80, max: 20 })),
        call(MANU, 'registerBatch', ...batchArgs(id(14), { min: -2731, max: 20 })),
        call(MANU, 'registerBatch', ...batchArgs(id(15), { min: 20, max: 1001 })),
        call(MANU, 'registerBatch', ...batchArgs(id(16), { min: tiny, max: huge })),
      ]),
    ).toEqual([
      'bad-batch', 'bad-batch', 'bad-batch', 'bad-product', 'bad-product', 'bad-lot', 'bad-lot', 'bad-quantity', 'bad-quantity', 'bad-quantity', 'bad-quantity',
      'bad-expiry', 'bad-expiry', 'bad-expiry', 'bad-range', 'bad-range', 'bad-range', 'bad-range', 'bad-range',
    ]);
    for (let n = 1; n <= 16; n++) expect(view('get', id(n))).toBeNull();
  });

  it('a batch id is registered once, whoever registers it again', async () => {
    const id = await registered('once', { quantity: 7 });
    expect(await reasons([call(MANU, 'registerBatch', ...batchArgs(id)), call(MANU2, 'registerBatch', ...batchArgs(id))])).toEqual(['batch-exists', 'batch-exists']);
    expect(get(id)).toMatchObject({ manufacturer: dev(MANU), quantity: 7 });
  });
});

describe('supplychain: custody', () => {
  it('ship puts the batch in transit to the named receiver; receive hands custody over; the hops record both', async () => {
    const id = await registered('custody');
    const s = await send(MANU, 'ship', id, dev(DIST));
    expect(s.status).toBe('ok');
    expect(s.result).toBe(0);
    expect(s.events).toEqual([{ contract: 'supplychain', event: 'Shipped', data: { batch: id, from: dev(MANU), to: dev(DIST), hop: 0 } }]);
    const shipped = c.chain.head;
    expect(get(id)).toMatchObject({ holder: dev(MANU), receiver: dev(DIST), status: 'in-transit', hops: 1 });
    expect(view('isUsable', id)).toBe(true);
    expect(view('hop', id, 0)).toEqual({ from: dev(MANU), to: dev(DIST), height: shipped.height, time: shipped.timeMs, receivedHeight: null, receivedTime: null, cancelledHeight: null, cancelledTime: null });

    const r = await send(DIST, 'receive', id);
    expect(r.events).toEqual([{ contract: 'supplychain', event: 'Received', data: { batch: id, from: dev(MANU), to: dev(DIST), hop: 0 } }]);
    const received = c.chain.head;
    expect(get(id)).toMatchObject({ holder: dev(DIST), receiver: null, status: 'active', hops: 1 });
    expect(view('hop', id, 0)).toEqual({ from: dev(MANU), to: dev(DIST), height: shipped.height, time: shipped.timeMs, receivedHeight: received.height, receivedTime: received.timeMs, cancelledHeight: null, cancelledTime: null });

    const [s2, r2] = await handOver(id, DIST, PHARMACY);
    expect([s2.status, r2.status, s2.result]).toEqual(['ok', 'ok', 1]);
    expect(view('hopCount', id)).toBe(2);
    const hist = view('history', id) as Array<Record<string, Json>>;
    expect(hist.map((h) => [h.from, h.to])).toEqual([
      [dev(MANU), dev(DIST)],
      [dev(DIST), dev(PHARMACY)],
    ]);
    expect(hist[1].receivedHeight).toBe(c.chain.head.height);
    expect(get(id)).toMatchObject({ holder: dev(PHARMACY), manufacturer: dev(MANU), status: 'active' });
    // any custodian kind may receive: back to a manufacturer, on to a hospital
    await handOver(id, PHARMACY, MANU2);
    await handOver(id, MANU2, HOSPITAL);
    expect(get(id)).toMatchObject({ holder: dev(HOSPITAL), hops: 4 });
  });

  it('refuses to ship unless the caller holds the batch, it is not already in transit and the receiver is an active custodian', async () => {
    const id = await registered('ship refusals');
    expect(
      await reasons([
        call(MANU, 'ship', hashOf('batch never registered'), dev(DIST)),
        call(DIST, 'ship', id, dev(PHARMACY)),
        call(OUTSIDER, 'ship', id, dev(PHARMACY)),
        call(REGULATOR, 'ship', id, dev(PHARMACY)),
        call(MANU, 'ship', id, dev(MANU)),
        call(MANU, 'ship', id, dev(OUTSIDER)),
        call(MANU, 'ship', id, dev(INSURER)),
        call(MANU, 'ship', id, dev(REGULATOR)),
        call(MANU, 'ship', id, dev(REG2)),
        call(MANU, 'ship', id, dev(DIST)),
        call(MANU, 'ship', id, dev(PHARMACY)),
        call(DIST, 'ship', id, dev(PHARMACY)),
      ]),
    ).toEqual(['unknown-batch', 'not-holder', 'not-holder', 'not-holder', 'same-holder', 'bad-receiver', 'bad-receiver', 'bad-receiver', 'bad-receiver', undefined, 'in-transit', 'not-holder']);
    expect(get(id)).toMatchObject({ holder: dev(MANU), receiver: dev(DIST), hops: 1 });
  });

  it('only the named receiver receives, and only a batch in transit', async () => {
    const id = await registered('receive refusals');
    expect(await reasons([call(DIST, 'receive', id), call(MANU, 'receive', id), call(DIST, 'receive', hashOf('batch nowhere'))])).toEqual(['not-in-transit', 'not-in-transit', 'unknown-batch']);
    await ok(MANU, 'ship', id, dev(DIST));
    expect(await reasons([call(PHARMACY, 'receive', id), call(MANU, 'receive', id), call(OUTSIDER, 'receive', id), call(DIST, 'receive', id), call(DIST, 'receive', id)])).toEqual([
      'not-receiver',
      'not-receiver',
      'not-receiver',
      undefined,
      'not-in-transit',
    ]);
    expect(get(id)).toMatchObject({ holder: dev(DIST), receiver: null });
  });

  it('the sender cancels a shipment before it is received; the hop stays in the history, marked cancelled', async () => {
    const id = await registered('cancel');
    await ok(MANU, 'ship', id, dev(DIST));
    expect(await reasons([call(DIST, 'cancel', id), call(OUTSIDER, 'cancel', id), call(MANU, 'cancel', hashOf('batch unknown'))])).toEqual(['not-holder', 'not-holder', 'unknown-batch']);
    const r = await send(MANU, 'cancel', id);
    expect(r.events).toEqual([{ contract: 'supplychain', event: 'Cancelled', data: { batch: id, from: dev(MANU), to: dev(DIST), hop: 0 } }]);
    const head = c.chain.head;
    expect(get(id)).toMatchObject({ holder: dev(MANU), receiver: null, status: 'active', hops: 1 });
    expect(view('hop', id, 0)).toMatchObject({ from: dev(MANU), to: dev(DIST), receivedHeight: null, cancelledHeight: head.height, cancelledTime: head.timeMs });
    expect(await reasons([call(DIST, 'receive', id), call(MANU, 'cancel', id)])).toEqual(['not-in-transit', 'not-in-transit']);
    const [s2, r2] = await handOver(id, MANU, PHARMACY);
    expect([s2.result, r2.status]).toEqual([1, 'ok']);
    expect((view('history', id) as Array<Record<string, Json>>).map((h) => [h.to, h.cancelledHeight !== null, h.receivedHeight !== null])).toEqual([
      [dev(DIST), true, false],
      [dev(PHARMACY), false, true],
    ]);
  });

  it('keeps at most 64 hops and refuses the 65th with too-many-hops', async () => {
    const id = await registered('hop cap');
    let holder = MANU;
    for (let round = 0; round < 8; round++) {
      const calls: Call[] = [];
      for (let k = 0; k < 8; k++) {
        const to = holder === MANU ? DIST : MANU;
        calls.push({ ...call(holder, 'ship', id, dev(to)), gasLimit: 200_000 }, { ...call(to, 'receive', id), gasLimit: 200_000 });
        holder = to;
      }
      const rs = await c.block(calls);
      expect(rs.filter((r) => r.status !== 'ok')).toEqual([]);
    }
    expect(view('hopCount', id)).toBe(64);
    expect(get(id)).toMatchObject({ holder: dev(MANU), hops: 64 });
    expect(revertReason(await send(MANU, 'ship', id, dev(DIST)))).toBe('too-many-hops');
    const hist = view('history', id) as Array<Record<string, Json>>;
    expect(hist).toHaveLength(64);
    expect(hist[63]).toMatchObject({ from: dev(DIST), to: dev(MANU) });
    expect(view('hop', id, 63)).toEqual(hist[63]);
    expect(view('hop', id, 64)).toBeNull();
    expect(view('hop', id, -1)).toBeNull();
  });
});

describe('supplychain: recall', () => {
  it('a regulator recalls for good with a reason code; a recalled batch is neither shipped nor dispensed', async () => {
    const id = await registered('recall');
    await handOver(id, MANU, PHARMACY);
    expect(
      await reasons([
        call(MANU, 'recall', id, 'contamination'),
        call(PHARMACY, 'recall', id, 'contamination'),
        call(OUTSIDER, 'recall', id, 'contamination'),
        call(REGULATOR, 'recall', id, ''),
        call(REGULATOR, 'recall', id, 'r'.repeat(65)),
        call(REGULATOR, 'recall', hashOf('batch unknown'), 'contamination'),
      ]),
    ).toEqual(['not-regulator', 'not-regulator', 'not-regulator', 'bad-reason', 'bad-reason', 'unknown-batch']);
    expect(view('isUsable', id)).toBe(true);
    const r = await send(REGULATOR, 'recall', id, 'contamination');
    expect(r.events).toEqual([{ contract: 'supplychain', event: 'Recalled', data: { batch: id, reasonCode: 'contamination', by: dev(REGULATOR) } }]);
    expect(get(id)).toMatchObject({ status: 'recalled', recallReason: 'contamination', holder: dev(PHARMACY) });
    expect(view('isUsable', id)).toBe(false);
    expect(
      await reasons([
        call(PHARMACY, 'dispense', id, 1),
        call(PHARMACY, 'ship', id, dev(DIST)), // on towards patients: no (back to its manufacturer: see returns)
        call(REG2, 'recall', id, 'again'),
        call(REGULATOR, 'release', id),
        call(PHARMACY, 'recordReading', id, 200, 'fridge'),
      ]),
    ).toEqual(['recalled', 'recalled', 'already-recalled', 'not-quarantined', undefined]);
    expect(get(id)).toMatchObject({ status: 'recalled', quantity: 1000, excursions: 1 });
  });

  it('recalls a quarantined batch (no release after) and a depleted one; a batch in transit is still received', async () => {
    const q = await registered('recall quarantined');
    await ok(MANU, 'recordReading', q, 100, 's')
    await ok(REG2, 'recall', q, 'excursion');
    expect(get(q)).toMatchObject({ status: 'recalled', recallReason: 'excursion' });
    expect(revertReason(await send(REGULATOR, 'release', q))).toBe('not-quarantined');

    const d = await registered('recall depleted', { quantity: 2 });
    await handOver(d, MANU, HOSPITAL);
    await ok(HOSPITAL, 'dispense', d, 2);
    expect(get(d)).toMatchObject({ status: 'depleted' });
    await ok(REGULATOR, 'recall', d, 'label-error');
    expect(get(d)).toMatchObject({ status: 'recalled', quantity: 0 });

    const t = await registered('recall in transit');
    await ok(MANU, 'ship', t, dev(DIST));
    await ok(REGULATOR, 'recall', t, 'counterfeit');
    expect(get(t)).toMatchObject({ status: 'recalled', receiver: dev(DIST) });
    await ok(DIST, 'receive', t);
    expect(get(t)).toMatchObject({ status: 'recalled', holder: dev(DIST), receiver: null });
  });
});

describe('supplychain: returns and destruction', () => {
  it('a recalled, quarantined or expired batch goes back to its manufacturer only, which destroys it: the trail ends there', async () => {
    const id = await registered('return recalled');
    await handOver(id, MANU, DIST);
    await handOver(id, DIST, PHARMACY);
    await ok(REGULATOR, 'recall', id, 'contamination');
    expect(await reasons([call(PHARMACY, 'ship', id, dev(DIST)), call(PHARMACY, 'ship', id, dev(MANU2))])).toEqual(['recalled', 'recalled']);
    await handOver(id, PHARMACY, MANU);
    expect(get(id)).toMatchObject({ status: 'recalled', holder: dev(MANU), hops: 3, quantity: 1000 });
    expect(
      await reasons([
        call(PHARMACY, 'destroy', id, 'recall'), // no longer the holder
        call(MANU, 'destroy', id, ''),
        call(MANU, 'destroy', id, 'r'.repeat(65)),
        call(MANU, 'destroy', hashOf('batch unknown'), 'recall'),
      ]),
    ).toEqual(['not-holder', 'bad-reason', 'bad-reason', 'unknown-batch']);
    const r = await send(MANU, 'destroy', id, 'recall-incineration');
    expect(r.events).toEqual([{ contract: 'supplychain', event: 'Destroyed', data: { batch: id, by: dev(MANU), reasonCode: 'recall-incineration', quantity: 1000 } }]);
    expect(get(id)).toMatchObject({ status: 'destroyed', quantity: 0, holder: dev(MANU), recallReason: 'contamination' });
    expect(view('isUsable', id)).toBe(false);
    // Nothing more happens to a destroyed batch, a recall included.
    expect(
      await reasons([
        call(MANU, 'destroy', id, 'again'),
        call(MANU, 'ship', id, dev(DIST)),
        call(MANU, 'recordReading', id, 50, 's'),
        call(REGULATOR, 'recall', id, 'late'),
      ]),
    ).toEqual(['destroyed', 'destroyed', 'destroyed', 'destroyed']);

    const q = await registered('return quarantined');
    await handOver(q, MANU, DIST);
    await ok(DIST, 'recordReading', q, 150, 'truck');
    expect(await reasons([call(DIST, 'ship', q, dev(PHARMACY))])).toEqual(['quarantined']);
    await handOver(q, DIST, MANU);
    expect(get(q)).toMatchObject({ status: 'quarantined', holder: dev(MANU) });

    const e = await registered('return expired', { expiry: c.now + 2 * HOUR });
    await handOver(e, MANU, PHARMACY);
    c.advance(3 * HOUR);
    expect(await reasons([call(PHARMACY, 'ship', e, dev(DIST))])).toEqual(['expired']);
    // A pharmacy may also destroy expired stock itself, without a return.
    await ok(PHARMACY, 'destroy', e, 'expired');
    expect(get(e)).toMatchObject({ status: 'destroyed', quantity: 0, holder: dev(PHARMACY) });
  });

  it('destroys what is left of a usable batch, but not one in transit, depleted or held by a suspended organisation', async () => {
    const id = await registered('destroy partial', { quantity: 10 });
    await handOver(id, MANU, HOSPITAL);
    await ok(HOSPITAL, 'dispense', id, 4);
    await ok(HOSPITAL, 'ship', id, dev(PHARMACY));
    expect(await reasons([call(HOSPITAL, 'destroy', id, 'damaged')])).toEqual(['in-transit']);
    await ok(HOSPITAL, 'cancel', id);
    const r = await send(HOSPITAL, 'destroy', id, 'damaged');
    expect(r.events[0]).toMatchObject({ event: 'Destroyed', data: { quantity: 6 } });
    expect(get(id)).toMatchObject({ status: 'destroyed', initialQuantity: 10, quantity: 0 });
    expect(await reasons([call(HOSPITAL, 'dispense', id, 1)])).toEqual(['destroyed']);

    const d = await registered('destroy depleted', { quantity: 1 });
    await handOver(d, MANU, HOSPITAL);
    await ok(HOSPITAL, 'dispense', d, 1);
    expect(await reasons([call(HOSPITAL, 'destroy', d, 'empty')])).toEqual(['depleted']);
  });
});

describe('supplychain: dispense', () => {
  it('a holding pharmacy or hospital dispenses down to depletion', async () => {
    const id = await registered('dispense', { quantity: 10 });
    await handOver(id, MANU, DIST);
    await handOver(id, DIST, PHARMACY);
    const r = await send(PHARMACY, 'dispense', id, 3);
    expect(r.events).toEqual([{ contract: 'supplychain', event: 'Dispensed', data: { batch: id, by: dev(PHARMACY), quantity: 3, left: 7 } }]);
    expect(get(id)).toMatchObject({ quantity: 7, initialQuantity: 10, status: 'active' });
    await handOver(id, PHARMACY, HOSPITAL);
    expect(await reasons([call(HOSPITAL, 'dispense', id, 0), call(HOSPITAL, 'dispense', id, -1), call(HOSPITAL, 'dispense', id, 8), call(HOSPITAL, 'dispense', id, '9223372036854775807')])).toEqual([
      'bad-quantity',
      'bad-quantity',
      'bad-quantity',
      'bad-quantity',
    ]);
    const last = await send(HOSPITAL, 'dispense', id, 7);
    expect(last.events[0].data).toEqual({ batch: id, by: dev(HOSPITAL), quantity: 7, left: 0 });
    expect(get(id)).toMatchObject({ quantity: 0, status: 'depleted' });
    expect(view('isUsable', id)).toBe(false);
    expect(await reasons([call(HOSPITAL, 'dispense', id, 1), call(HOSPITAL, 'ship', id, dev(PHARMACY)), call(HOSPITAL, 'recordReading', id, 50, 's')])).toEqual(['depleted', 'depleted', 'depleted']);
  });

  it('refuses holders that are not pharmacies or hospitals, non-holders and a batch in transit', async () => {
    const id = await registered('dispense refusals');
    expect(await reasons([call(MANU, 'dispense', id, 1), call(PHARMACY, 'dispense', id, 1), call(PHARMACY, 'dispense', hashOf('batch unknown'), 1)])).toEqual([
      'not-dispenser',
      'not-holder',
      'unknown-batch',
    ]);
    await handOver(id, MANU, DIST);
    expect(revertReason(await send(DIST, 'dispense', id, 1))).toBe('not-dispenser');
    await handOver(id, DIST, PHARMACY);
    await ok(PHARMACY, 'ship', id, dev(HOSPITAL));
    expect(await reasons([call(PHARMACY, 'dispense', id, 1), call(HOSPITAL, 'dispense', id, 1)])).toEqual(['in-transit', 'not-holder']);
    expect(get(id)).toMatchObject({ quantity: 1000 });
  });
});

describe('supplychain: expiry', () => {
  it('usable up to block.time == expiry; after it the batch reads expired and is neither shipped nor dispensed, but still received', async () => {
    const t0 = c.now;
    const id = await registered('expiry', { expiry: t0 + 3 * HOUR });
    await ok(MANU, 'ship', id, dev(PHARMACY)); // t0 + 1h
    await ok(PHARMACY, 'receive', id); // t0 + 2h
    expect(c.now).toBe(t0 + 3 * HOUR);
    await ok(PHARMACY, 'dispense', id, 1); // block.time == expiry
    expect(view('isUsable', id)).toBe(true);
    expect(get(id)).toMatchObject({ status: 'active' });
    c.now = t0 + 3 * HOUR + 1;
    expect(await reasons([call(PHARMACY, 'dispense', id, 1), call(PHARMACY, 'ship', id, dev(HOSPITAL)), call(PHARMACY, 'recordReading', id, 50, 's')])).toEqual(['expired', 'expired', undefined]);
    expect(get(id)).toMatchObject({ status: 'expired', quantity: 999 });
    expect(view('isUsable', id)).toBe(false);

    const t = await registered('expiry in transit', { expiry: c.now + 2 * HOUR });
    await ok(MANU, 'ship', t, dev(DIST));
    c.advance(DAY);
    await ok(DIST, 'receive', t);
    expect(get(t)).toMatchObject({ status: 'expired', holder: dev(DIST) });
  });
});

describe('supplychain: views on unknown or malformed ids', () => {
  it('answer none, 0, [] and false instead of failing', () => {
    for (const id of [hashOf('batch never'), '0x', '0x' + 'ab'.repeat(33)]) {
      expect(view('get', id)).toBeNull();
      expect(view('hopCount', id)).toBe(0);
      expect(view('history', id)).toEqual([]);
      expect(view('hop', id, 0)).toBeNull();
      expect(view('isUsable', id)).toBe(false);
    }
  });
});

describe('supplychain: suspended organisations', () => {
  it('a suspended holder can neither ship, record nor dispense; a suspended receiver cannot receive or be shipped to; a suspended manufacturer cannot register', async () => {
    const held = await registered('held by dist2');
    await handOver(held, MANU, DIST2);
    const toward = await registered('toward dist2');
    await ok(MANU, 'ship', toward, dev(DIST2));
    const other = await registered('other');
    const outbound = await registered('outbound from dist2');
    await handOver(outbound, MANU, DIST2);
    await ok(DIST2, 'ship', outbound, dev(PHARMACY));
    await c.ok(REGULATOR, 'registry', 'suspend', [dev(DIST2)]);
    expect(
      await reasons([
        call(DIST2, 'ship', held, dev(PHARMACY)),
        call(DIST2, 'recordReading', held, 50, 's'),
        call(DIST2, 'receive', toward),
        call(MANU, 'ship', other, dev(DIST2)),
        call(DIST2, 'cancel', outbound),
      ]),
    ).toEqual(['not-active', 'not-active', 'not-active', 'bad-receiver', 'not-active']);
    expect(get(held)).toMatchObject({ holder: dev(DIST2), readings: 0 });
    expect(get(toward)).toMatchObject({ holder: dev(MANU), receiver: dev(DIST2) });
    // the sender calls back what the suspended receiver cannot take; an active receiver
    // still takes what a suspended sender sent
    await ok(MANU, 'cancel', toward);
    await handOver(toward, MANU, DIST);
    expect(get(toward)).toMatchObject({ holder: dev(DIST), hops: 2 });
    await ok(PHARMACY, 'receive', outbound);
    expect(get(outbound)).toMatchObject({ holder: dev(PHARMACY), receiver: null });
    // the regulator can still take a batch held by a suspended organisation off the market
    await ok(REGULATOR, 'recall', held, 'holder-suspended');
    expect(view('isUsable', held)).toBe(false);

    await c.ok(REGULATOR, 'registry', 'suspend', [dev(MANU2)]);
    expect(revertReason(await send(MANU2, 'registerBatch', ...batchArgs(hashOf('batch by suspended'))))).toBe('not-manufacturer');
  });
});

describe('supplychain: hostile transactions', () => {
  it('refuses an oversized product code and sensor id by the contract rule', async () => {
    const id = hashOf('batch oversized');
    expect(revertReason(await send(MANU, 'registerBatch', ...batchArgs(id, { product: 'p'.repeat(50_000) })))).toBe('bad-product');
    const ok2 = await registered('oversized sensor');
    expect(revertReason(await send(MANU, 'recordReading', ok2, 50, 's'.repeat(50_000)))).toBe('bad-sensor');
    expect(get(ok2)).toMatchObject({ readings: 0 });
  });

  it('wrongly typed, missing or extra arguments in a raw tx (no ABI conversion) revert in the receipt and change nothing', async () => {
    // raw txs from the outsider, nonces read from the chain (the harness never uses dev 9 after this)
    const to = c.address('supplychain');
    const id = fromHex(hashOf('batch raw'));
    const lot = fromHex(hashOf('lot raw'));
    const argLists: Value[][] = [
      ['not bytes', GTIN, lot, 10, c.now + DAY, 20, 80],
      [id, GTIN, lot, new Uint8Array([1]), c.now + DAY, 20, 80],
      [id, GTIN, lot, 10, c.now + DAY, 20],
      [id, GTIN, lot, 10, c.now + DAY, 20, 80, 1],
      [id, GTIN, lot, 2n ** 64n - 1n, c.now + DAY, 20, 80],
      [id, GTIN, lot, 10, c.now + DAY, [20], { max: 80 }],
    ];
    const nonce = c.chain.account(devKey(OUTSIDER).address).nonce;
    const envs = argLists.map((args, i) => env(signedTxBytes(OUTSIDER, nonce + i, { to, method: 'registerBatch', args, gasLimit: 200_000 })));
    const built = await c.chain.build(c.now, devKey(0).address, envs, null);
    expect(built.included).toHaveLength(argLists.length);
    await c.chain.commit(built, null);
    c.now = built.block.header.timeMs + HOUR;
    for (const r of built.receipts) {
      expect(r.status).toBe('reverted');
      expect(r.events).toEqual([]);
    }
    expect(built.receipts.map((r) => r.error)).toEqual([
      expect.stringMatching(/^BAD_ARGUMENT: argument batch of registerBatch: expected bytes/),
      expect.stringMatching(/^BAD_ARGUMENT: argument quantity of registerBatch: expected int/),
      expect.stringMatching(/^BAD_ARGUMENT: registerBatch takes 7 argument\(s\), found 6/),
      expect.stringMatching(/^BAD_ARGUMENT: registerBatch takes 7 argument\(s\), found 8/),
      expect.stringMatching(/^BAD_ARGUMENT: argument quantity of registerBatch: int out of the 64-bit signed range/),
      expect.stringMatching(/^BAD_ARGUMENT: argument minTenthsC of registerBatch: expected int/),
    ]);
    expect(view('get', hashOf('batch raw'))).toBeNull();
  });
});
