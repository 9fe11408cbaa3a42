import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verify as cryptoVerify } from '../../../core/crypto/index.js';
import {
  PoolBusyError,
  PoolClosedError,
  SigVerifyPool,
  VerifiedSigCache,
  type SigItem,
} from '../../../core/sigpool/index.js';
import { SIGPOOL_TEST_HOOKS } from '../../../core/sigpool/sigVerifyPool.js';
import { BATCH_MAX_SIZE, IN_THREAD_MAX } from '../../../core/sigpool/tuning.js';
import { SPECCHECK, SPECCHECK_EXPECTED } from '../crypto/speccheckCases.js';
import { tampered, validItems } from './fixtures.js';

// Tests run the TypeScript sources, but the worker threads run dist/core/sigpool/worker.js
// (Node 20 workers cannot load .ts): `npm test` builds first; run `npm run build` before
// `npx vitest run test/core/sigpool`.

const ITEMS = validItems(300);

describe('SigVerifyPool', () => {
  let pool: SigVerifyPool;
  beforeAll(() => {
    pool = new SigVerifyPool({ threads: 2 });
  });
  afterAll(() => pool.close());

  it('answers the empty batch with []', async () => {
    expect(await pool.verifyBatch([])).toEqual([]);
  });

  it.each([3, 24])('finds the invalid item in every position of a %i-item batch', async (n) => {
    const batch = ITEMS.slice(0, n);
    const before = pool.stats.onWorkers;
    for (let bad = 0; bad < n; bad++) {
      const items = batch.map((it, i) => (i === bad ? tampered(it) : it));
      const want = items.map((_, i) => i !== bad);
      expect(await pool.verifyBatch(items)).toEqual(want);
    }
    // 3 items stay in the calling thread, 24 go to the workers
    expect(pool.stats.onWorkers > before).toBe(n > IN_THREAD_MAX);
  });

  it('answers a large mixed batch in order', async () => {
    const items = ITEMS.map((it, i) => (i % 7 === 3 ? tampered(it) : it));
    expect(await pool.verifyBatch(items)).toEqual(items.map((_, i) => i % 7 !== 3));
  });

  it('keeps the results of concurrent batches apart', async () => {
    const batches = [0, 1, 2, 3].map((b) => ITEMS.slice(b * 60, b * 60 + 60 + b * 7).map((it, i) => (i % 4 === b ? tampered(it) : it)));
    const got = await Promise.all(batches.map((items) => pool.verifyBatch(items)));
    got.forEach((res, b) => expect(res).toEqual(batches[b].map((_, i) => i % 4 !== b)));
  });

  it('gives false, never true or a crash, for malformed items', async () => {
    const [a, b] = ITEMS;
    const malformed = [
      { ...a, publicKey: a.publicKey.subarray(0, 31) },
      { ...a, publicKey: new Uint8Array(33) },
      { ...a, signature: a.signature.subarray(0, 63) },
      { ...a, signature: new Uint8Array(65) },
      { ...a, message: 'text' },
      { publicKey: a.publicKey, signature: a.signature },
      null,
      42,
      { ...a, signature: new Uint8Array(64) },
      { ...a, signature: new Uint8Array(64).fill(0xff), publicKey: new Uint8Array(32).fill(0xff) },
      { ...a, publicKey: new Uint8Array(32) },
    ] as unknown as SigItem[];
    const items = [b, ...malformed, b, ...ITEMS.slice(10, 20)];
    const got = await pool.verifyBatch(items);
    expect(got).toEqual(items.map((it) => it === b || ITEMS.slice(10, 20).includes(it)));
    for (const m of malformed) expect(await pool.verify(m)).toBe(false);
  });

  it('rejects a batch that is not an array with a typed error', async () => {
    await expect(pool.verifyBatch('nope' as unknown as SigItem[])).rejects.toMatchObject({ code: 'SIGPOOL_BAD_INPUT' });
  });

  it('gives core/crypto’s pinned answers on all 12 speccheck cases, on every path', async () => {
    const items: SigItem[] = SPECCHECK.map((c) => ({ ...c }));
    expect(items.map((it) => cryptoVerify(it.signature, it.message, it.publicKey))).toEqual(SPECCHECK_EXPECTED);
    const before = pool.stats.onWorkers;
    expect(await pool.verifyBatch(items)).toEqual(SPECCHECK_EXPECTED); // the worker path
    expect(pool.stats.onWorkers - before).toBe(12);
    // each case alone (in-thread) and as coalesced single calls
    for (let i = 0; i < 12; i++) expect(await pool.verifyBatch([items[i]])).toEqual([SPECCHECK_EXPECTED[i]]);
    expect(await Promise.all(items.map((it) => pool.verify(it)))).toEqual(SPECCHECK_EXPECTED);
  });

  it('coalesces concurrent verify calls into micro-batches on the workers', async () => {
    const items = ITEMS.map((it, i) => (i % 5 === 0 ? tampered(it) : it));
    const { onWorkers, chunks } = pool.stats;
    const got = await Promise.all(items.map((it) => pool.verify(it)));
    expect(got).toEqual(items.map((_, i) => i % 5 !== 0));
    expect(pool.stats.onWorkers - onWorkers).toBe(items.length);
    // far fewer chunks than calls: at least BATCH_MAX_SIZE / 2 signatures per chunk on average
    expect(pool.stats.chunks - chunks).toBeLessThanOrEqual((2 * items.length) / (BATCH_MAX_SIZE / 2));
  });

  it('verifies a lone verify call in the calling thread', async () => {
    const { inThread } = pool.stats;
    expect(await pool.verify(ITEMS[1])).toBe(true);
    expect(await pool.verify(tampered(ITEMS[1]))).toBe(false);
    expect(pool.stats.inThread - inThread).toBe(2);
  });
});

describe('verified-signature cache', () => {
  it('skips cached tx hashes and records only valid signatures', async () => {
    const cache = new VerifiedSigCache();
    const pool = new SigVerifyPool({ threads: 2, verifiedCache: cache });
    try {
      const items = ITEMS.slice(0, 40).map((it, i) => (i === 5 ? tampered(it) : it));
      expect(await pool.verifyBatch(items)).toEqual(items.map((_, i) => i !== 5));
      expect(cache.size).toBe(39);
      expect(cache.has(items[5].txHash!)).toBe(false);
      const { onWorkers, inThread } = pool.stats;
      expect(await pool.verifyBatch(items)).toEqual(items.map((_, i) => i !== 5));
      expect(pool.stats.cacheHits).toBe(39);
      // only the one uncached (invalid) item was verified again, in-thread
      expect(pool.stats.onWorkers).toBe(onWorkers);
      expect(pool.stats.inThread - inThread).toBe(1);
      expect(await pool.verify(items[0])).toBe(true);
      expect(pool.stats.cacheHits).toBe(40);
    } finally {
      await pool.close();
    }
  });
});

describe('worker crash recovery', () => {
  it('replaces a crashed worker and retries its chunks once', async () => {
    const pool = new SigVerifyPool({ threads: 2, [SIGPOOL_TEST_HOOKS]: true });
    try {
      const items = ITEMS.map((it, i) => (i % 9 === 4 ? tampered(it) : it));
      const want = items.map((_, i) => i % 9 !== 4);
      expect(await pool.verifyBatch(items)).toEqual(want);
      pool[SIGPOOL_TEST_HOOKS].crashNextChunks(1);
      expect(await pool.verifyBatch(items)).toEqual(want);
      expect(pool.stats.retries).toBeGreaterThanOrEqual(1);
      // a chunk that fails on its retry too is a typed error, not a hang
      pool[SIGPOOL_TEST_HOOKS].crashNextChunks(1_000);
      await expect(pool.verifyBatch(items.slice(0, 20))).rejects.toMatchObject({ code: 'SIGPOOL_WORKER_FAILED' });
      pool[SIGPOOL_TEST_HOOKS].crashNextChunks(0);
      // and the pool still works afterwards, on replacement workers
      expect(await pool.verifyBatch(items)).toEqual(want);
      expect(await Promise.all(items.map((it) => pool.verify(it)))).toEqual(want);
    } finally {
      await pool.close();
    }
  });

  it('does not expose the crash hook unless enabled', () => {
    const pool = new SigVerifyPool({ threads: 1 });
    expect(() => pool[SIGPOOL_TEST_HOOKS]).toThrow(expect.objectContaining({ code: 'SIGPOOL_BAD_INPUT' }));
    return pool.close();
  });
});

describe('close', () => {
  it('finishes accepted work, then rejects every call with PoolClosedError', async () => {
    const pool = new SigVerifyPool({ threads: 2 });
    const big = Array.from({ length: 6 }, () => ITEMS).flat();
    const busy = pool.verifyBatch(big);
    const singles = ITEMS.slice(0, 50).map((it) => pool.verify(it));
    const closed = pool.close();
    expect(pool.close()).toBe(closed); // idempotent
    await expect(pool.verifyBatch(ITEMS.slice(0, 20))).rejects.toBeInstanceOf(PoolClosedError);
    await expect(pool.verify(ITEMS[0])).rejects.toMatchObject({ code: 'SIGPOOL_CLOSED' });
    expect(pool.canAcceptWork()).toBe(false);
    expect((await busy).every(Boolean)).toBe(true);
    expect(await Promise.all(singles)).toEqual(singles.map(() => true));
    await closed;
    expect(pool.stats.pending).toBe(0);
    await expect(pool.verifyBatch([])).rejects.toBeInstanceOf(PoolClosedError);
  });
});

describe('maxQueue', () => {
  it('rejects with PoolBusyError when full, and accepts again once drained', async () => {
    const pool = new SigVerifyPool({ threads: 1, maxQueue: 100 });
    try {
      const first = pool.verifyBatch(ITEMS.slice(0, 80));
      expect(pool.stats.pending).toBe(80);
      await expect(pool.verifyBatch(ITEMS.slice(80, 120))).rejects.toBeInstanceOf(PoolBusyError);
      await expect(pool.verifyBatch(ITEMS.slice(80, 120))).rejects.toMatchObject({
        code: 'SIGPOOL_BUSY',
        context: { pending: 80, requested: 40, maxQueue: 100 },
      });
      // single calls fill the remaining room, then are refused too
      const singles = ITEMS.slice(120, 140).map((it) => pool.verify(it));
      await expect(pool.verify(ITEMS[150])).rejects.toBeInstanceOf(PoolBusyError);
      expect(pool.canAcceptWork()).toBe(false);
      // small batches never queue: they run in the calling thread even when the pool is full
      expect(await pool.verifyBatch(ITEMS.slice(0, IN_THREAD_MAX))).toEqual(Array(IN_THREAD_MAX).fill(true));
      expect((await first).every(Boolean)).toBe(true);
      expect((await Promise.all(singles)).every(Boolean)).toBe(true);
      expect(pool.canAcceptWork()).toBe(true);
      expect((await pool.verifyBatch(ITEMS.slice(80, 120))).every(Boolean)).toBe(true);
      // a batch larger than maxQueue is still accepted into an empty pool
      expect((await pool.verifyBatch(ITEMS.slice(0, 150))).every(Boolean)).toBe(true);
    } finally {
      await pool.close();
    }
  });
});
