import { describe, expect, it } from 'vitest';
import { encode } from '../../../core/encoding/index.js';
import { intrinsicGas } from '../../../core/execution/index.js';
import { MAX_TX_BYTES, txHash } from '../../../core/tx/index.js';
import { BLOCK_GAS, CHAIN, GatedVerify, hex, key, makePool, rejects, txBytes } from './helpers.js';

describe('Mempool.add: admission', () => {
  it('admits a valid signed transfer and exposes it by hash', async () => {
    const { pool } = makePool();
    const bytes = txBytes(key(0), 0);
    const { hash, evicted } = await pool.add(bytes);
    expect(hex(hash)).toBe(hex(txHash(bytes)));
    expect(evicted).toEqual([]);
    expect(pool.size).toBe(1);
    expect(pool.has(hash)).toBe(true);
    const env = pool.get(hash);
    expect(env?.tx.nonce).toBe(0);
    expect(hex(env!.from)).toBe(hex(key(0).address));
    expect(env?.size).toBe(bytes.length);
  });

  it('accepts the design §4 vector tx (dev 0 → dev 1, transfer 5)', async () => {
    const { pool } = makePool();
    const bytes = txBytes(key(0), 0, { to: key(1).address, args: [5], gasLimit: 1_000_000 });
    expect(bytes.length).toBe(154);
    const { hash } = await pool.add(bytes);
    expect(hex(hash)).toBe('dc39506629e285441f782a905700b71eaf77fa5850d55fa9e148813892b269f3');
  });

  it('rejects garbage with MEMPOOL_MALFORMED naming the TxError cause, never calling verify', async () => {
    const { pool, verifyCalls } = makePool();
    const good = txBytes(key(0), 0);
    const cases: Array<[Uint8Array, string]> = [
      [new Uint8Array(0), 'TX_MALFORMED'],
      [Uint8Array.from([0xc1]), 'TX_MALFORMED'],
      [good.subarray(0, good.length - 1), 'TX_MALFORMED'],
      [Uint8Array.from([...good, 0]), 'TX_MALFORMED'],
      [encode([1, 2, 3]), 'TX_MALFORMED'],
      [encode([2, CHAIN, 0, new Uint8Array(32), null, 'x', [], 1, new Uint8Array(64)]), 'TX_BAD_VERSION'],
      [encode([1, CHAIN, -1, new Uint8Array(32), null, 'deploy', [], 1, new Uint8Array(64)]), 'TX_BAD_FIELD'],
      [encode([1, 'BAD CHAIN', 0, new Uint8Array(32), null, 'deploy', [], 1, new Uint8Array(64)]), 'TX_BAD_CHAIN_ID'],
      [encode([1, CHAIN, 0, new Uint8Array(31), null, 'deploy', [], 1, new Uint8Array(64)]), 'TX_BAD_FIELD'],
      [encode([1, CHAIN, 0, new Uint8Array(32), null, 'deploy', [], 1, new Uint8Array(63)]), 'TX_BAD_FIELD'],
      [encode([1, CHAIN, 0, new Uint8Array(32), null, 'call', [], 1, new Uint8Array(64)]), 'TX_BAD_METHOD'],
    ];
    for (const [bytes, cause] of cases) {
      const err = await rejects(pool.add(bytes), 'MEMPOOL_MALFORMED');
      expect(err.context.cause).toBe(cause);
      expect(typeof err.context.field).toBe('string');
    }
    const notBytes = await rejects(pool.add('0xdead' as unknown as Uint8Array), 'MEMPOOL_MALFORMED');
    expect(notBytes.context.field).toBe('bytes');
    expect(verifyCalls()).toBe(0);
    expect(pool.size).toBe(0);
  });

  it('rejects oversize input before decoding (1 MiB and MAX_TX_BYTES + 1)', async () => {
    const { pool, verifyCalls } = makePool();
    const err = await rejects(pool.add(new Uint8Array(1 << 20).fill(0x91)), 'MEMPOOL_TOO_LARGE');
    expect(err.context).toMatchObject({ size: 1 << 20, limit: MAX_TX_BYTES });
    await rejects(pool.add(new Uint8Array(MAX_TX_BYTES + 1)), 'MEMPOOL_TOO_LARGE');
    expect(verifyCalls()).toBe(0);
  });

  it('rejects a tx of another chain', async () => {
    const { pool } = makePool();
    const err = await rejects(pool.add(txBytes(key(0), 0, { chainId: 'medchain-test' })), 'MEMPOOL_WRONG_CHAIN');
    expect(err.context).toMatchObject({ expected: CHAIN, actual: 'medchain-test' });
  });

  it('rejects gasLimit above the block gas limit or below the intrinsic gas', async () => {
    const { pool } = makePool();
    await rejects(pool.add(txBytes(key(0), 0, { gasLimit: BLOCK_GAS + 1 })), 'MEMPOOL_GAS_LIMIT');
    const low = txBytes(key(0), 0, { gasLimit: 10 });
    const err = await rejects(pool.add(low), 'MEMPOOL_GAS_LIMIT');
    expect(err.context.intrinsic).toBe(intrinsicGas(low.length));
    // exactly the bounds are fine
    await pool.add(txBytes(key(0), 0, { gasLimit: BLOCK_GAS }));
    const probe = txBytes(key(1), 0, { gasLimit: 100_000 });
    await pool.add(txBytes(key(1), 0, { gasLimit: intrinsicGas(probe.length) }));
    expect(pool.size).toBe(2);
  });

  it('rejects a bad signature (tampered, or signed by another key) after all other checks pass', async () => {
    const { pool, verifyCalls } = makePool();
    const bytes = txBytes(key(0), 0);
    const tampered = bytes.slice();
    tampered[tampered.length - 1] ^= 1; // last byte of sig
    await rejects(pool.add(tampered), 'MEMPOOL_BAD_SIGNATURE');
    // dev 1's signature over a tx claiming dev 0 as sender
    const forged = txBytes({ ...key(1), publicKey: key(0).publicKey }, 0);
    await rejects(pool.add(forged), 'MEMPOOL_BAD_SIGNATURE');
    expect(verifyCalls()).toBe(2);
    expect(pool.size).toBe(0);
    // the reservation is released: the genuine tx with the same nonce still gets in
    await pool.add(bytes);
    expect(pool.size).toBe(1);
  });

  it('rejects a nonce below the account nonce', async () => {
    const { pool, accounts } = makePool();
    accounts.set(key(0).address, { nonce: 5 });
    const err = await rejects(pool.add(txBytes(key(0), 4)), 'MEMPOOL_NONCE_TOO_LOW');
    expect(err.context).toMatchObject({ nonce: 4, accountNonce: 5 });
    await pool.add(txBytes(key(0), 5));
  });

  it('bounds the nonce gap from the next expected nonce; a huge nonce is a gap, not a crash', async () => {
    const { pool } = makePool({ maxNonceGap: 4 });
    await rejects(pool.add(txBytes(key(0), 5)), 'MEMPOOL_NONCE_GAP');
    await pool.add(txBytes(key(0), 4)); // next is 0, gap 4 allowed
    await pool.add(txBytes(key(0), 0));
    await pool.add(txBytes(key(0), 1)); // next is now 2
    await pool.add(txBytes(key(0), 6));
    await rejects(pool.add(txBytes(key(0), 7)), 'MEMPOOL_NONCE_GAP');
    const err = await rejects(pool.add(txBytes(key(0), Number.MAX_SAFE_INTEGER)), 'MEMPOOL_NONCE_GAP');
    expect(err.context).toMatchObject({ nextNonce: 2, maxNonceGap: 4 });
  });

  it('checks transfers against the balance minus what the sender already pooled', async () => {
    const { pool, accounts, verifyCalls } = makePool();
    accounts.set(key(0).address, { balance: 100n });
    await pool.add(txBytes(key(0), 0, { args: [60] }));
    const err = await rejects(pool.add(txBytes(key(0), 1, { args: [41] })), 'MEMPOOL_INSUFFICIENT_BALANCE');
    expect(err.context).toMatchObject({ amount: '41', balance: '100', pooledSpend: '60' });
    await pool.add(txBytes(key(0), 1, { args: [40] }));
    await pool.add(txBytes(key(0), 2, { args: [0] }));
    // a contract call spends nothing from the balance here
    await pool.add(txBytes(key(0), 3, { method: 'register', args: [1, 'x'] }));
    expect(verifyCalls()).toBe(4);
    // bigint amounts beyond 2^53
    accounts.set(key(1).address, { balance: 2n ** 64n });
    await pool.add(txBytes(key(1), 0, { args: [2n ** 63n] }));
    await rejects(pool.add(txBytes(key(1), 1, { args: [2n ** 63n + 1n] })), 'MEMPOOL_INSUFFICIENT_BALANCE');
    // removing a pooled transfer frees its amount
    pool.remove(txHash(txBytes(key(1), 0, { args: [2n ** 63n] })));
    await pool.add(txBytes(key(1), 0, { args: [2n ** 63n + 1n] }));
  });

  it('rejects a transfer whose args are not [amount: uint]', async () => {
    const { pool } = makePool();
    for (const args of [[], [1, 2], ['5'], [new Uint8Array(1)], [-1]]) {
      const err = await rejects(pool.add(txBytes(key(0), 0, { args })), 'MEMPOOL_MALFORMED');
      expect(err.context).toMatchObject({ cause: 'TX_BAD_FIELD', field: 'args' });
    }
  });

  it('rejects the same tx twice, and a different tx with a pooled sender+nonce', async () => {
    const { pool, verifyCalls } = makePool();
    const a = txBytes(key(0), 0, { args: [1] });
    await pool.add(a);
    await rejects(pool.add(a), 'MEMPOOL_DUPLICATE');
    await rejects(pool.add(txBytes(key(0), 0, { args: [2] })), 'MEMPOOL_NONCE_TAKEN');
    expect(verifyCalls()).toBe(1);
    expect(pool.size).toBe(1);
  });

  it('caps each sender, counting adds still being verified', async () => {
    const { pool } = makePool({ maxPerSender: 4 });
    for (let n = 0; n < 4; n++) await pool.add(txBytes(key(0), n));
    const err = await rejects(pool.add(txBytes(key(0), 4)), 'MEMPOOL_SENDER_FULL');
    expect(err.context.limit).toBe(4);
    await pool.add(txBytes(key(1), 0)); // others are unaffected

    const gate = new GatedVerify();
    const g = makePool({ maxPerSender: 3 }, gate.fn);
    const adds = [0, 1, 2, 3, 4].map((n) => g.pool.add(txBytes(key(2), n)));
    expect(gate.queued).toBe(3); // the 4th and 5th were refused before their signature check
    await gate.release();
    const results = await Promise.allSettled(adds);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(g.pool.size).toBe(3);
  });
});

describe('Mempool.add: concurrency (the signature check is async)', () => {
  it('two concurrent adds of the same tx: one gets in, the other is a duplicate', async () => {
    const gate = new GatedVerify();
    const { pool } = makePool({}, gate.fn);
    const bytes = txBytes(key(0), 0);
    const first = pool.add(bytes);
    const second = pool.add(bytes);
    await rejects(second, 'MEMPOOL_DUPLICATE');
    expect(gate.calls).toBe(1);
    expect(pool.has(txHash(bytes))).toBe(false); // not pooled until verified
    await gate.release();
    await first;
    expect(pool.size).toBe(1);
  });

  it('two concurrent txs with the same sender+nonce: exactly one gets in', async () => {
    const gate = new GatedVerify();
    const { pool } = makePool({}, gate.fn);
    const a = pool.add(txBytes(key(0), 0, { args: [1] }));
    const b = pool.add(txBytes(key(0), 0, { args: [2] }));
    await rejects(b, 'MEMPOOL_NONCE_TAKEN');
    await gate.release();
    await a;
    expect(pool.size).toBe(1);
  });

  it('concurrent transfers cannot together spend more than the balance', async () => {
    const gate = new GatedVerify();
    const { pool, accounts } = makePool({}, gate.fn);
    accounts.set(key(0).address, { balance: 10n });
    const a = pool.add(txBytes(key(0), 0, { args: [10] }));
    await rejects(pool.add(txBytes(key(0), 1, { args: [1] })), 'MEMPOOL_INSUFFICIENT_BALANCE');
    await gate.release();
    await a;
  });

  it('a burst of consecutive nonces verified out of order is all admitted despite the gap bound', async () => {
    const gate = new GatedVerify();
    const { pool } = makePool({ maxNonceGap: 4 }, gate.fn);
    const adds = Array.from({ length: 12 }, (_, n) => pool.add(txBytes(key(0), n)));
    await gate.release(); // completes nonce 11 first, 0 last
    await Promise.all(adds);
    expect(pool.pending(BLOCK_GAS).map((e) => e.tx.nonce)).toEqual([...Array(12).keys()]);
  });

  it('re-checks state after the await: a commit that used the nonce meanwhile wins', async () => {
    const gate = new GatedVerify();
    const { pool, accounts } = makePool({}, gate.fn);
    const add = pool.add(txBytes(key(0), 0));
    accounts.set(key(0).address, { nonce: 1 }); // a block with another nonce-0 tx of dev 0 committed
    pool.removeCommitted([new Uint8Array(32)]);
    await gate.release();
    await rejects(add, 'MEMPOOL_NONCE_TOO_LOW');
    expect(pool.size).toBe(0);
  });

  it('a throwing signature check propagates and releases the reservation', async () => {
    let fail = true;
    const { pool } = makePool({}, async () => {
      if (fail) throw new Error('worker died');
      return true;
    });
    const bytes = txBytes(key(0), 0);
    await expect(pool.add(bytes)).rejects.toThrow('worker died');
    fail = false;
    await pool.add(bytes);
    expect(pool.size).toBe(1);
  });
});
