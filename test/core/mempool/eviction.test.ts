import { describe, expect, it } from 'vitest';
import { txHash } from '../../../core/tx/index.js';
import { BLOCK_GAS, hex, key, makePool, rejects, txBytes } from './helpers.js';

/** Adds nonces of sender i. */
async function fill(pool: { add(b: Uint8Array): Promise<unknown> }, i: number, nonces: number[]): Promise<void> {
  for (const n of nonces) await pool.add(txBytes(key(i), n));
}

const nonces = (pool: { pending(g: number): { from: Uint8Array; tx: { nonce: number } }[] }, i: number): number[] =>
  pool
    .pending(BLOCK_GAS)
    .filter((e) => hex(e.from) === hex(key(i).address))
    .map((e) => e.tx.nonce);

describe('Mempool global cap: eviction', () => {
  it('a ready newcomer evicts another sender’s future tx first (the largest future holder’s last)', async () => {
    const { pool } = makePool({ maxTxs: 8 });
    await fill(pool, 0, [0, 1, 2, 3, 4]); // biggest, all ready
    await fill(pool, 1, [0, 2]); // one future (2)
    await fill(pool, 2, [5]); // future only
    expect(pool.size).toBe(8);
    const { evicted } = await pool.add(txBytes(key(3), 0));
    // sender 1 holds 2 > sender 2's 1, so its future tx goes, not sender 0's ready one
    expect(evicted.map(hex)).toEqual([hex(txHash(txBytes(key(1), 2)))]);
    expect(pool.size).toBe(8);
    const next = await pool.add(txBytes(key(4), 0));
    expect(next.evicted.map(hex)).toEqual([hex(txHash(txBytes(key(2), 5)))]);
  });

  it('without futures, evicts the last tx of the sender holding the most; its queue stays contiguous', async () => {
    const { pool } = makePool({ maxTxs: 6 });
    await fill(pool, 0, [0, 1, 2, 3]);
    await fill(pool, 1, [0, 1]);
    const { evicted } = await pool.add(txBytes(key(2), 0));
    expect(evicted.map(hex)).toEqual([hex(txHash(txBytes(key(0), 3)))]);
    expect(nonces(pool, 0)).toEqual([0, 1, 2]);
    await pool.add(txBytes(key(3), 0)); // sender 0 still holds the most (3 > 1)
    expect(nonces(pool, 0)).toEqual([0, 1]);
    expect(pool.size).toBe(6);
  });

  it('never evicts from a sender holding no more than the newcomer’s sender would', async () => {
    const { pool } = makePool({ maxTxs: 6 });
    await fill(pool, 0, [0, 1, 2]);
    await fill(pool, 1, [0, 1, 2]);
    // newcomer would hold 1; the others hold 3: evict (sender 0 got to 3 first)
    await pool.add(txBytes(key(2), 0));
    // now 0 holds 2, 1 holds 3, 2 holds 1; sender 2 would hold 2, sender 1 holds 3 > 2
    await pool.add(txBytes(key(2), 1));
    // 0:2, 1:2, 2:2 — sender 2 would hold 3, nobody holds more
    const err = await rejects(pool.add(txBytes(key(2), 2)), 'MEMPOOL_FULL');
    expect(err.context).toMatchObject({ limit: 6, ready: true });
    // a fresh sender would hold 1, and the others hold 2 > 1: it gets in
    await pool.add(txBytes(key(3), 0));
    expect(pool.size).toBe(6);
  });

  it('a future newcomer never evicts ready txs, and only futures of senders holding more', async () => {
    const { pool } = makePool({ maxTxs: 4 });
    await fill(pool, 0, [0, 1, 2, 3]);
    await rejects(pool.add(txBytes(key(1), 1)), 'MEMPOOL_FULL'); // future newcomer vs all-ready pool
    const b = makePool({ maxTxs: 4 });
    await fill(b.pool, 0, [0, 1, 3]); // one future (3), sender 0 holds 3
    await fill(b.pool, 1, [0]);
    const { evicted } = await b.pool.add(txBytes(key(2), 5)); // future, would hold 1 < 3
    expect(evicted.map(hex)).toEqual([hex(txHash(txBytes(key(0), 3)))]);
    // sender 2 (one future) vs sender 3's future newcomer (would hold 1): not more, so FULL
    await rejects(b.pool.add(txBytes(key(3), 1)), 'MEMPOOL_FULL');
  });

  it('does not evict the newcomer’s own sender’s txs', async () => {
    const { pool } = makePool({ maxTxs: 3 });
    await fill(pool, 0, [0, 2]); // own future
    await fill(pool, 1, [0]);
    // sender 0's ready newcomer (nonce 1): its own future is not a victim; sender 1 holds 1 < 3
    await rejects(pool.add(txBytes(key(0), 1)), 'MEMPOOL_FULL');
  });

  it('refuses before the signature check when nothing could be evicted', async () => {
    const { pool, verifyCalls } = makePool({ maxTxs: 2 });
    await fill(pool, 0, [0]);
    await fill(pool, 1, [0]);
    const calls = verifyCalls();
    await rejects(pool.add(txBytes(key(2), 0)), 'MEMPOOL_FULL');
    expect(verifyCalls()).toBe(calls);
  });

  it('keeps the cap under concurrent adds racing for the last slot', async () => {
    const { pool } = makePool({ maxTxs: 5 });
    await fill(pool, 0, [0, 1, 2]);
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((i) => pool.add(txBytes(key(i), 0))));
    expect(pool.size).toBe(5);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(2);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as { code: string }).code).toBe('MEMPOOL_FULL');
    }
  });
});
