/**
 * supplychain's cold chain (genesis/contracts/supplychain.mc): readings one by one and as a
 * logger's upload (recordReadings), min/max and counts, excursions that quarantine, release
 * by a regulator, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/contracts/index.js';
import { dev, hashOf, revertReason } from './harness.js';
import { c, call, DIST, get, MANU, ok, openSupplyChain, OUTSIDER, PHARMACY, reasons, REG2, registered, REGULATOR, send, view } from './supplychainCast.js';

openSupplyChain();

describe('supplychain: cold chain', () => {
  it('counts readings and keeps min/max seen; the range is inclusive; every reading is an event', async () => {
    const id = await registered('readings');
    const rs = await c.block([call(MANU, 'recordReading', id, 50, 'logger-1'), call(MANU, 'recordReading', id, 20, 'logger-1'), call(MANU, 'recordReading', id, 80, 'logger-2')]);
    expect(rs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(rs.map((r) => r.events)).toEqual([
      [{ contract: 'supplychain', event: 'ReadingRecorded', data: { batch: id, tenthsC: 50, sensorId: 'logger-1', by: dev(MANU) } }],
      [{ contract: 'supplychain', event: 'ReadingRecorded', data: { batch: id, tenthsC: 20, sensorId: 'logger-1', by: dev(MANU) } }],
      [{ contract: 'supplychain', event: 'ReadingRecorded', data: { batch: id, tenthsC: 80, sensorId: 'logger-2', by: dev(MANU) } }],
    ]);
    expect(get(id)).toMatchObject({ readings: 3, excursions: 0, minSeen: 20, maxSeen: 80, lastReadingTime: c.chain.head.timeMs, status: 'active' });
    expect(view('isUsable', id)).toBe(true);
  });

  it('a reading outside the range quarantines the batch with an Excursion event until a regulator releases it', async () => {
    const id = await registered('excursion');
    const r = await send(MANU, 'recordReading', id, 19, 'logger-1');
    expect(r.events).toEqual([
      { contract: 'supplychain', event: 'ReadingRecorded', data: { batch: id, tenthsC: 19, sensorId: 'logger-1', by: dev(MANU) } },
      { contract: 'supplychain', event: 'Excursion', data: { batch: id, tenthsC: 19, sensorId: 'logger-1', by: dev(MANU), minTenthsC: 20, maxTenthsC: 80 } },
    ]);
    expect(get(id)).toMatchObject({ status: 'quarantined', readings: 1, excursions: 1, minSeen: 19, maxSeen: 19 });
    expect(view('isUsable', id)).toBe(false);
    // quarantined: monitoring goes on and further excursions count, but it cannot move
    const more = await c.block([call(MANU, 'recordReading', id, 81, 'logger-1'), call(MANU, 'recordReading', id, 40, 'logger-1'), call(MANU, 'ship', id, dev(DIST))]);
    expect(more.map(revertReason)).toEqual([undefined, undefined, 'quarantined']);
    expect(more[0].events.map((e) => e.event)).toEqual(['ReadingRecorded', 'Excursion']);
    expect(get(id)).toMatchObject({ status: 'quarantined', readings: 3, excursions: 2, minSeen: 19, maxSeen: 81, receiver: null });

    expect(await reasons([call(MANU, 'release', id), call(DIST, 'release', id), call(OUTSIDER, 'release', id), call(REGULATOR, 'release', hashOf('batch unknown'))])).toEqual([
      'not-regulator',
      'not-regulator',
      'not-regulator',
      'unknown-batch',
    ]);
    const rel = await send(REG2, 'release', id);
    expect(rel.events).toEqual([{ contract: 'supplychain', event: 'Released', data: { batch: id, by: dev(REG2) } }]);
    expect(get(id)).toMatchObject({ status: 'active', excursions: 2 });
    expect(view('isUsable', id)).toBe(true);
    expect(revertReason(await send(REGULATOR, 'release', id))).toBe('not-quarantined');
    expect((await send(MANU, 'ship', id, dev(DIST))).status).toBe('ok');
  });

  it('in transit the sender records (it holds custody until receive); an excursion on the way quarantines, and the receiver still takes custody', async () => {
    const id = await registered('transit readings');
    await ok(MANU, 'ship', id, dev(DIST));
    expect(await reasons([call(DIST, 'recordReading', id, 50, 'truck-7'), call(MANU, 'recordReading', id, 50, 'truck-7'), call(MANU, 'recordReading', id, 95, 'truck-7')])).toEqual([
      'not-holder',
      undefined,
      undefined,
    ]);
    expect(get(id)).toMatchObject({ status: 'quarantined', receiver: dev(DIST), readings: 2, excursions: 1 });
    await ok(DIST, 'receive', id);
    expect(get(id)).toMatchObject({ status: 'quarantined', holder: dev(DIST), receiver: null });
    expect(await reasons([call(MANU, 'recordReading', id, 50, 'truck-7'), call(DIST, 'recordReading', id, 50, 'fridge-2'), call(DIST, 'ship', id, dev(PHARMACY))])).toEqual([
      'not-holder',
      undefined,
      'quarantined',
    ]);
  });

  it('refuses readings from others, of impossible temperatures and with bad sensor ids', async () => {
    const id = await registered('reading refusals');
    expect(
      await reasons([
        call(MANU, 'recordReading', hashOf('batch unknown'), 50, 's'),
        call(DIST, 'recordReading', id, 50, 's'),
        call(REGULATOR, 'recordReading', id, 50, 's'),
        call(OUTSIDER, 'recordReading', id, 50, 's'),
        call(MANU, 'recordReading', id, -2731, 's'),
        call(MANU, 'recordReading', id, 1001, 's'),
        call(MANU, 'recordReading', id, '9223372036854775807', 's'),
        call(MANU, 'recordReading', id, 50, ''),
        call(MANU, 'recordReading', id, 50, 's'.repeat(65)),
        call(MANU, 'recordReading', id, -2730, 's'.repeat(64)),
        call(MANU, 'recordReading', id, 1000, 's'),
      ]),
    ).toEqual(['unknown-batch', 'not-holder', 'not-holder', 'not-holder', 'bad-reading', 'bad-reading', 'bad-reading', 'bad-sensor', 'bad-sensor', undefined, undefined]);
    expect(get(id)).toMatchObject({ readings: 2, excursions: 2, minSeen: -2730, maxSeen: 1000, status: 'quarantined' });
  });
});

describe('supplychain: uploads of many readings (recordReadings)', () => {
  it('counts, bounds and emits each reading in order, as that many recordReading calls would', async () => {
    const a = await registered('upload a');
    const b = await registered('upload b');
    const readings = [40, 55, 20, 80, 61];
    const r = await send(MANU, 'recordReadings', a, readings, 'logger-9');
    expect(r.events.map((e) => [e.event, (e.data as Record<string, Json>).tenthsC])).toEqual(readings.map((t) => ['ReadingRecorded', t]));
    for (const t of readings) await ok(MANU, 'recordReading', b, t, 'logger-9');
    const pick = (v: Record<string, Json>) => ({ status: v.status, readings: v.readings, excursions: v.excursions, minSeen: v.minSeen, maxSeen: v.maxSeen });
    expect(pick(get(a))).toEqual({ status: 'active', readings: 5, excursions: 0, minSeen: 20, maxSeen: 80 });
    expect(pick(get(a))).toEqual(pick(get(b)));
  });

  it('an excursion inside an upload quarantines the batch; the readings after it still count', async () => {
    const id = await registered('upload excursion');
    const r = await send(MANU, 'recordReadings', id, [50, 95, 60, -5], 'logger-9');
    expect(r.events.map((e) => e.event)).toEqual(['ReadingRecorded', 'ReadingRecorded', 'Excursion', 'ReadingRecorded', 'ReadingRecorded', 'Excursion']);
    expect(get(id)).toMatchObject({ status: 'quarantined', readings: 4, excursions: 2, minSeen: -5, maxSeen: 95 });
  });

  it('refuses an empty or oversized upload, or one with an impossible reading, as a whole', async () => {
    const id = await registered('upload refused');
    const day = Array.from({ length: 128 }, (_, i) => 20 + (i % 60));
    expect(
      await reasons([
        call(MANU, 'recordReadings', id, [], 'logger-9'),
        call(MANU, 'recordReadings', id, [...day, 50], 'logger-9'),
        call(MANU, 'recordReadings', id, [50, 60, 1001], 'logger-9'),
        call(MANU, 'recordReadings', id, [50, -2731], 'logger-9'),
        call(MANU, 'recordReadings', id, [50], ''),
        call(DIST, 'recordReadings', id, [50], 'logger-9'),
        call(MANU, 'recordReadings', hashOf('batch unknown'), [50], 'logger-9'),
      ]),
    ).toEqual(['bad-readings', 'bad-readings', 'bad-reading', 'bad-reading', 'bad-sensor', 'not-holder', 'unknown-batch']);
    expect(get(id)).toMatchObject({ readings: 0, excursions: 0, minSeen: null });
    const r = await send(MANU, 'recordReadings', id, day, 'logger-9');
    expect(r.status).toBe('ok');
    expect(get(id)).toMatchObject({ readings: 128, excursions: 0, minSeen: 20, maxSeen: 79 });
  });
});

