import { describe, expect, it } from 'vitest';
import {
  isWellFormed,
  jobResults,
  openJob,
  packJob,
  RESULT_INVALID,
  RESULT_PENDING,
  RESULT_VALID,
  unpackChunk,
} from '../../../core/sigpool/pack.js';
import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, planChunks } from '../../../core/sigpool/tuning.js';
import { validItems } from './fixtures.js';

/** The chunk of a job holding `list` as one slice. */
const chunkOf = (list: ReturnType<typeof validItems>) => packJob(list, [[0, list.length]]).chunk;

describe('the chunk layout (packJob / unpackChunk)', () => {
  const items = validItems(40);

  it('round-trips keys, signatures and messages (including empty ones) from one buffer', () => {
    const buf = chunkOf(items.slice(3, 37));
    const c = unpackChunk(buf);
    expect(c.count).toBe(34);
    for (let i = 0; i < c.count; i++) {
      expect(c.publicKey(i)).toEqual(items[3 + i].publicKey);
      expect(c.signature(i)).toEqual(items[3 + i].signature);
      expect(c.message(i)).toEqual(items[3 + i].message);
      expect(c.message(i).buffer).toBe(buf);
    }
  });

  it('packs an empty chunk', () => {
    const c = unpackChunk(chunkOf([]));
    expect(c.count).toBe(0);
  });

  it('rejects buffers that are not consistent chunks', () => {
    expect(() => unpackChunk(new ArrayBuffer(4))).toThrow(RangeError);
    const buf = chunkOf(items.slice(0, 4));
    expect(() => unpackChunk(buf.slice(0, buf.byteLength - 1))).toThrow(RangeError);
    const lying = chunkOf(items.slice(0, 4));
    new Uint32Array(lying, 0, 1)[0] = 1_000_000;
    expect(() => unpackChunk(lying)).toThrow(RangeError);
    expect(() => unpackChunk('x' as unknown as ArrayBuffer)).toThrow(RangeError);
  });
});

describe('packJob / openJob', () => {
  const items = validItems(40);

  it('shares one packed batch and hands out every slice once, in order', () => {
    const slices = planChunks(items.length, 2);
    const job = packJob(items, slices);
    expect(job.chunk).toBeInstanceOf(SharedArrayBuffer);
    const a = openJob(job.chunk, job.control);
    const b = openJob(job.chunk, job.control); // a second worker's view of the same job
    expect(a.chunk.count).toBe(40);
    for (let i = 0; i < 40; i++) {
      expect(a.chunk.publicKey(i)).toEqual(items[i].publicKey);
      expect(a.chunk.signature(i)).toEqual(items[i].signature);
      expect(b.chunk.message(i)).toEqual(items[i].message);
    }
    const claimed: [number, number][] = [];
    for (let k = 0; ; k++) {
      const s = (k % 2 === 0 ? a : b).claim();
      if (s === undefined) break;
      claimed.push(s);
    }
    expect(claimed).toEqual(slices);
    expect(a.claim()).toBeUndefined();
    expect(b.claim()).toBeUndefined();
  });

  it('publishes results to the pool through the shared control block', () => {
    const job = packJob(items.slice(0, 10), planChunks(10, 2));
    const pool = jobResults(job);
    const w = openJob(job.chunk, job.control);
    expect(pool.done()).toBe(0);
    expect([...pool.results]).toEqual(Array(10).fill(RESULT_PENDING));
    const [s, e] = w.claim()!;
    for (let i = s; i < e; i++) w.results[i] = i % 2 ? RESULT_INVALID : RESULT_VALID;
    w.finish(e - s);
    expect(pool.done()).toBe(e - s);
    for (let i = s; i < e; i++) expect(pool.results[i]).toBe(i % 2 ? RESULT_INVALID : RESULT_VALID);
    expect(pool.results[e]).toBe(RESULT_PENDING);
  });

  it('packs the empty job', () => {
    const job = packJob([], []);
    const w = openJob(job.chunk, job.control);
    expect(w.chunk.count).toBe(0);
    expect(w.claim()).toBeUndefined();
  });

  it('refuses slices that do not cover the items in order', () => {
    expect(() => packJob(items.slice(0, 8), [[0, 4]])).toThrow(RangeError);
    expect(() => packJob(items.slice(0, 8), [[0, 4], [5, 8]])).toThrow(RangeError);
    expect(() => packJob(items.slice(0, 8), [[4, 8], [0, 4]])).toThrow(RangeError);
  });

  it('rejects buffers that are not a consistent job', () => {
    const good = () => packJob(items.slice(0, 8), [[0, 4], [4, 8]]);
    const { chunk, control } = good();
    expect(() => openJob(undefined, undefined)).toThrow(RangeError);
    expect(() => openJob(new Uint8Array(chunk).slice().buffer, control)).toThrow(RangeError); // not shared
    expect(() => openJob(chunk, new ArrayBuffer(control.byteLength))).toThrow(RangeError);
    expect(() => openJob(chunk, new SharedArrayBuffer(8))).toThrow(RangeError);
    expect(() => openJob(chunk, packJob(items.slice(0, 9), [[0, 9]]).control)).toThrow(RangeError); // other count
    const lyingCount = good();
    new Int32Array(lyingCount.control, 0, 3)[2] = 1_000_000;
    expect(() => openJob(lyingCount.chunk, lyingCount.control)).toThrow(RangeError);
    const negative = good();
    new Int32Array(negative.control, 0, 3)[2] = -1;
    expect(() => openJob(negative.chunk, negative.control)).toThrow(RangeError);
    const backwards = good();
    new Uint32Array(backwards.control, 12, 3)[1] = 9; // bounds 0, 9, 8
    expect(() => openJob(backwards.chunk, backwards.control)).toThrow(RangeError);
    const short = good();
    new Uint32Array(short.control, 12, 3)[2] = 7; // last bound is not the count
    expect(() => openJob(short.chunk, short.control)).toThrow(RangeError);
  });
});

describe('isWellFormed', () => {
  const [ok] = validItems(1);
  it.each([
    ['valid', ok, true],
    ['31-byte key', { ...ok, publicKey: ok.publicKey.subarray(1) }, false],
    ['65-byte signature', { ...ok, signature: new Uint8Array(65) }, false],
    ['string message', { ...ok, message: 'hi' }, false],
    ['missing key', { message: ok.message, signature: ok.signature }, false],
    ['null', null, false],
    ['number', 5, false],
  ])('%s', (_n, item, want) => expect(isWellFormed(item)).toBe(want));
});

describe('planChunks', () => {
  it.each([1, 2, 7, 8, 9, 63, 64, 65, 128, 1000, 10_000, 12_345])('covers %i items evenly', (n) => {
    for (const threads of [1, 2, 3, 8]) {
      const chunks = planChunks(n, threads);
      let next = 0;
      for (const [s, e] of chunks) {
        expect(s).toBe(next);
        expect(e).toBeGreaterThan(s);
        expect(e - s).toBeLessThanOrEqual(MAX_CHUNK_SIZE);
        next = e;
      }
      expect(next).toBe(n);
      const sizes = chunks.map(([s, e]) => e - s);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      if (n >= threads * MIN_CHUNK_SIZE) expect(chunks.length % threads).toBe(0);
    }
  });
});
