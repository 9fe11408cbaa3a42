import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Mempool } from '../../../core/mempool/index.js';
import { encodeTx } from '../../../core/tx/index.js';
import { Accounts, CHAIN } from './helpers.js';

// These tests measure the pool's data structures, not signatures: signing 50,000 txs with
// noble (~0.5 ms each) would take half a minute, so the txs carry a dummy signature and the
// check is stubbed to `true`. Real signatures are exercised by every other test file.
const GAS = 100_000;

function fakeTx(sender: Uint8Array, nonce: number): Uint8Array {
  return encodeTx({
    chainId: CHAIN,
    nonce,
    sender,
    to: new Uint8Array(20).fill(9),
    method: 'transfer',
    args: [1],
    gasLimit: GAS,
    sig: new Uint8Array(64),
  });
}

function fakePool(opts: { maxNonceGap?: number } = {}): Mempool {
  const accounts = new Accounts();
  return new Mempool(
    { chainId: CHAIN, blockGasLimit: 10 * GAS, maxNonceGap: opts.maxNonceGap },
    { account: (a) => accounts.get(a), verifySignature: async () => true },
  );
}

/** `senders` random senders with `perSender` txs each, nonces from `from`, interleaved by nonce. */
function batch(senders: number, perSender: number, from = 0): Uint8Array[] {
  const keys = Array.from({ length: senders }, () => new Uint8Array(randomBytes(32)));
  const out: Uint8Array[] = [];
  for (let n = from; n < from + perSender; n++) for (const k of keys) out.push(fakeTx(k, n));
  return out;
}

async function addAll(pool: Mempool, txs: Uint8Array[]): Promise<number> {
  const t = performance.now();
  for (const b of txs) await pool.add(b);
  return performance.now() - t;
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

describe('Mempool performance', () => {
  it('add() scales linearly: 10,000 adds cost no more per tx than 2,500', async () => {
    const small = fakePool();
    const big = fakePool();
    const t1 = await addAll(small, batch(50, 50));
    const t2 = await addAll(big, batch(200, 50));
    expect(big.size).toBe(10_000);
    console.log(`add: 2,500 in ${t1.toFixed(0)} ms, 10,000 in ${t2.toFixed(0)} ms`);
    // quadratic growth would make the per-tx cost 4x; allow noise up to 3x
    expect(t2 / 10_000).toBeLessThan((3 * t1) / 2_500);
    expect(t2).toBeLessThan(5_000);
  });

  it('pending() picks 5,000 txs from a 50,000-tx pool in a few ms', async () => {
    // 100 senders with 50 ready txs each, 900 senders with 50 future txs each (nonce 0 missing)
    const pool = fakePool({ maxNonceGap: 64 });
    await addAll(pool, batch(100, 50));
    await addAll(pool, batch(900, 50, 1));
    expect(pool.size).toBe(50_000);
    const limit = 5_000 * GAS;
    const times: number[] = [];
    let picked = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      picked = pool.pending(limit).length;
      times.push(performance.now() - t);
    }
    expect(picked).toBe(5_000);
    console.log(`pending: 5,000 of 50,000 (100 ready senders): median ${median(times).toFixed(2)} ms`);
    expect(median(times)).toBeLessThan(25);

    // the pool is at its default cap: 1,000 newcomers each evict one future tx, in O(cap) each
    const extra = batch(1_000, 1);
    const t = performance.now();
    const evicted = [];
    for (const b of extra) evicted.push(...(await pool.add(b)).evicted);
    const te = performance.now() - t;
    console.log(`add at the 50,000 cap with eviction: 1,000 in ${te.toFixed(0)} ms`);
    expect(pool.size).toBe(50_000);
    expect(evicted.length).toBe(1_000);
    expect(evicted.every((h) => !pool.has(h))).toBe(true);
    expect(pool.pending(limit).length).toBe(5_000);
    expect(te).toBeLessThan(1_000);
  });

  it('pending() round-robins 1,000 ready senders of a 50,000-tx pool quickly', async () => {
    const pool = fakePool();
    await addAll(pool, batch(1_000, 50));
    const times: number[] = [];
    let list: ReturnType<Mempool['pending']> = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      list = pool.pending(5_000 * GAS);
      times.push(performance.now() - t);
    }
    expect(list.length).toBe(5_000);
    // five rounds: every sender contributes nonces 0..4
    expect(list.every((e, i) => e.tx.nonce === Math.floor(i / 1_000))).toBe(true);
    console.log(`pending: 5,000 of 50,000 (1,000 ready senders): median ${median(times).toFixed(2)} ms`);
    expect(median(times)).toBeLessThan(25);
  });
});
