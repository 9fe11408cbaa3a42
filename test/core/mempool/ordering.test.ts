import { describe, expect, it } from 'vitest';
import { txHash } from '../../../core/tx/index.js';
import { BLOCK_GAS, hex, key, makePool, txBytes } from './helpers.js';

/** "sender:nonce" labels of a pending list, senders named by key index. */
function labels(list: { from: Uint8Array; tx: { nonce: number } }[], senders: number[]): string[] {
  const name = new Map(senders.map((i) => [hex(key(i).address), i]));
  return list.map((e) => `${name.get(hex(e.from))}:${e.tx.nonce}`);
}

describe('Mempool.pending: fair block building', () => {
  it('takes ready txs round-robin across senders in arrival order, each in nonce order', async () => {
    const { pool } = makePool();
    // A (key 0) arrives first with 3, then B (key 1) with 2, then C (key 2) with 1;
    // each sender's txs are added out of nonce order.
    for (const n of [2, 0, 1]) await pool.add(txBytes(key(0), n));
    for (const n of [1, 0]) await pool.add(txBytes(key(1), n));
    await pool.add(txBytes(key(2), 0));
    expect(labels(pool.pending(BLOCK_GAS), [0, 1, 2])).toEqual(['0:0', '1:0', '2:0', '0:1', '1:1', '0:2']);
  });

  it('starts each sender at its account nonce and stops at its first gap', async () => {
    const { pool, accounts } = makePool();
    accounts.set(key(0).address, { nonce: 7 });
    for (const n of [7, 8, 10, 11]) await pool.add(txBytes(key(0), n));
    await pool.add(txBytes(key(1), 1)); // future only: nonce 0 missing
    expect(labels(pool.pending(BLOCK_GAS), [0, 1])).toEqual(['0:7', '0:8']);
    await pool.add(txBytes(key(0), 9)); // fills the gap
    await pool.add(txBytes(key(1), 0));
    expect(labels(pool.pending(BLOCK_GAS), [0, 1])).toEqual(['0:7', '1:0', '0:8', '1:1', '0:9', '0:10', '0:11']);
  });

  it('fills up to the gas limit; a sender whose next tx does not fit leaves the rotation', async () => {
    const { pool } = makePool();
    const small = 100_000;
    const big = 5_000_000;
    await pool.add(txBytes(key(0), 0, { gasLimit: small }));
    await pool.add(txBytes(key(0), 1, { gasLimit: big }));
    await pool.add(txBytes(key(0), 2, { gasLimit: small }));
    for (let n = 0; n < 4; n++) await pool.add(txBytes(key(1), n, { gasLimit: small }));
    // 1 MGas: A's big tx does not fit, so A stops after nonce 0; B continues
    expect(labels(pool.pending(1_000_000), [0, 1])).toEqual(['0:0', '1:0', '1:1', '1:2', '1:3']);
    // exactly two small txs' worth
    expect(labels(pool.pending(2 * small), [0, 1])).toEqual(['0:0', '1:0']);
    expect(pool.pending(small - 1)).toEqual([]);
    expect(pool.pending(0)).toEqual([]);
    // the sum never exceeds the limit
    for (const limit of [150_000, 5_250_000, 5_300_000, 6_000_000]) {
      const sum = pool.pending(limit).reduce((s, e) => s + e.tx.gasLimit, 0);
      expect(sum).toBeLessThanOrEqual(limit);
    }
  });

  it('is deterministic: two pools fed the same adds build the same list, repeatedly', async () => {
    const a = makePool();
    const b = makePool();
    const seq: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) seq.push(txBytes(key(i % 5), Math.floor(i / 5)));
    for (const bytes of seq) {
      await a.pool.add(bytes);
      await b.pool.add(bytes);
    }
    const la = a.pool.pending(BLOCK_GAS).map((e) => hex(e.hash));
    expect(b.pool.pending(BLOCK_GAS).map((e) => hex(e.hash))).toEqual(la);
    expect(a.pool.pending(BLOCK_GAS).map((e) => hex(e.hash))).toEqual(la);
    expect(la.length).toBe(40);
  });

  it('a sender whose queue emptied rejoins at the end of the rotation', async () => {
    const { pool, accounts } = makePool();
    const a0 = txBytes(key(0), 0);
    await pool.add(a0);
    await pool.add(txBytes(key(1), 0));
    accounts.set(key(0).address, { nonce: 1 });
    pool.removeCommitted([txHash(a0)]);
    await pool.add(txBytes(key(0), 1));
    expect(labels(pool.pending(BLOCK_GAS), [0, 1])).toEqual(['1:0', '0:1']);
  });
});

describe('Mempool.removeCommitted and remove', () => {
  it('drops included txs and re-reads only their senders when every hash is known', async () => {
    const { pool, accounts } = makePool();
    const a = [0, 1, 2].map((n) => txBytes(key(0), n));
    for (const b of a) await pool.add(b);
    await pool.add(txBytes(key(1), 0));
    accounts.set(key(0).address, { nonce: 2 });
    const before = accounts.reads;
    pool.removeCommitted([txHash(a[0]), txHash(a[1])]);
    expect(accounts.reads - before).toBe(1);
    expect(pool.size).toBe(2);
    expect(pool.has(txHash(a[0]))).toBe(false);
    expect(labels(pool.pending(BLOCK_GAS), [0, 1])).toEqual(['0:2', '1:0']);
  });

  it('on an unknown included hash, re-reads every sender: stale nonces go, futures become ready', async () => {
    const { pool, accounts } = makePool();
    await pool.add(txBytes(key(0), 0));
    await pool.add(txBytes(key(0), 2)); // future: 1 missing
    await pool.add(txBytes(key(1), 0));
    await pool.add(txBytes(key(1), 1));
    // the block held dev 0's nonces 0 and 1 (a different nonce-0 tx than ours) and dev 1's nonce 0 came elsewhere
    accounts.set(key(0).address, { nonce: 2 });
    accounts.set(key(1).address, { nonce: 1 });
    pool.removeCommitted([new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)]);
    expect(pool.size).toBe(2);
    expect(labels(pool.pending(BLOCK_GAS), [0, 1])).toEqual(['0:2', '1:1']);
    expect(pool.has(txHash(txBytes(key(0), 0)))).toBe(false);
  });

  it('removeCommitted of nothing changes nothing; of everything empties the pool', async () => {
    const { pool, accounts } = makePool();
    const txs = [txBytes(key(0), 0), txBytes(key(1), 0)];
    for (const b of txs) await pool.add(b);
    pool.removeCommitted([]);
    expect(pool.size).toBe(2);
    accounts.set(key(0).address, { nonce: 1 });
    accounts.set(key(1).address, { nonce: 1 });
    pool.removeCommitted(txs.map((b) => txHash(b)));
    expect(pool.size).toBe(0);
    expect(pool.pending(BLOCK_GAS)).toEqual([]);
  });

  it('remove(hash) drops one tx; the later ones turn future until it comes back', async () => {
    const { pool } = makePool();
    const txs = [0, 1, 2].map((n) => txBytes(key(0), n));
    for (const b of txs) await pool.add(b);
    pool.remove(txHash(txs[1]));
    pool.remove(new Uint8Array(32)); // unknown: no-op
    expect(pool.size).toBe(2);
    expect(labels(pool.pending(BLOCK_GAS), [0])).toEqual(['0:0']);
    await pool.add(txs[1]);
    expect(labels(pool.pending(BLOCK_GAS), [0])).toEqual(['0:0', '0:1', '0:2']);
    for (const b of txs) pool.remove(txHash(b));
    expect(pool.size).toBe(0);
    await pool.add(txs[0]); // a forgotten sender starts afresh
    expect(pool.size).toBe(1);
  });

  it('reads a newer account nonce at admission even without removeCommitted', async () => {
    const { pool, accounts } = makePool();
    await pool.add(txBytes(key(0), 0));
    await pool.add(txBytes(key(0), 1));
    accounts.set(key(0).address, { nonce: 1 });
    await pool.add(txBytes(key(0), 2));
    expect(labels(pool.pending(BLOCK_GAS), [0])).toEqual(['0:1', '0:2']);
    expect(pool.size).toBe(2);
  });
});
