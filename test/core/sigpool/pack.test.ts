import { describe, expect, it } from 'vitest';
import { isWellFormed, packChunk, unpackChunk } from '../../../core/sigpool/pack.js';
import { MAX_CHUNK_SIZE, MIN_CHUNK_SIZE, planChunks } from '../../../core/sigpool/tuning.js';
import { validItems } from './fixtures.js';

describe('packChunk / unpackChunk', () => {
  const items = validItems(40);

  it('round-trips keys, signatures and messages (including empty ones) from one buffer', () => {
    const buf = packChunk(items, 3, 37, 0);
    const c = unpackChunk(buf);
    expect(c.count).toBe(34);
    expect(c.flags).toBe(0);
    for (let i = 0; i < c.count; i++) {
      expect(c.publicKey(i)).toEqual(items[3 + i].publicKey);
      expect(c.signature(i)).toEqual(items[3 + i].signature);
      expect(c.message(i)).toEqual(items[3 + i].message);
      expect(c.message(i).buffer).toBe(buf);
    }
  });

  it('packs an empty chunk and carries flags', () => {
    const c = unpackChunk(packChunk(items, 5, 5, 7));
    expect(c.count).toBe(0);
    expect(c.flags).toBe(7);
  });

  it('rejects buffers that are not consistent chunks', () => {
    expect(() => unpackChunk(new ArrayBuffer(4))).toThrow(RangeError);
    const buf = packChunk(items, 0, 4);
    expect(() => unpackChunk(buf.slice(0, buf.byteLength - 1))).toThrow(RangeError);
    const lying = packChunk(items, 0, 4);
    new Uint32Array(lying, 0, 1)[0] = 1_000_000;
    expect(() => unpackChunk(lying)).toThrow(RangeError);
    expect(() => unpackChunk('x' as unknown as ArrayBuffer)).toThrow(RangeError);
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
