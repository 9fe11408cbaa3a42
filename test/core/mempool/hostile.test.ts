import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MempoolError } from '../../../core/mempool/index.js';
import { key, makePool, txBytes } from './helpers.js';

/** Resolves to 'ok' or the MempoolError code; anything else (a crash) fails the test. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!(e instanceof MempoolError)) throw e;
    return e.code;
  }
}

describe('Mempool.add: hostile input gives typed errors, never crashes', () => {
  it('random bytes', async () => {
    const { pool } = makePool();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        expect(await outcome(pool.add(bytes))).not.toBe('ok');
      }),
      { numRuns: 300 },
    );
    expect(pool.size).toBe(0);
  });

  it('a valid tx with bytes flipped, inserted or cut', async () => {
    const { pool } = makePool();
    const good = txBytes(key(0), 0, { method: 'register', args: [1n << 60n, 'x', new Uint8Array(3), [true, null]] });
    await fc.assert(
      fc.asyncProperty(
        fc.nat(good.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('flip', 'insert', 'cut'),
        async (at, v, how) => {
          let b: Uint8Array;
          if (how === 'flip') {
            b = good.slice();
            b[at] ^= v;
          } else if (how === 'insert') {
            b = Uint8Array.from([...good.subarray(0, at), v, ...good.subarray(at)]);
          } else {
            b = good.subarray(0, at);
          }
          // a mutant can never be admitted: either it is malformed or its signature fails
          expect(await outcome(pool.add(b))).not.toBe('ok');
        },
      ),
      { numRuns: 300 },
    );
    expect(pool.size).toBe(0);
  });

  it('values of the wrong type in every field', async () => {
    const { pool } = makePool();
    const weird = [null, true, -1, 2 ** 53, 'x', new Uint8Array(0), [], new Map(), 1n << 64n];
    // replace each of the 9 fields of a valid tx by each weird value
    const { encode, decode } = await import('../../../core/encoding/index.js');
    const fields = decode(txBytes(key(0), 0)) as unknown[];
    for (let f = 0; f < fields.length; f++) {
      for (const w of weird) {
        const t = [...fields];
        t[f] = w instanceof Map ? {} : w;
        let bytes: Uint8Array;
        try {
          bytes = encode(t as never);
        } catch {
          continue; // not encodable (e.g. beyond uint64): cannot reach the pool as bytes
        }
        expect(await outcome(pool.add(bytes))).not.toBe('ok');
      }
    }
    expect(pool.size).toBe(0);
  });

  // Regression: decodeTx once built its TX_BAD_VERSION context with String(v[0]), which throws
  // on the null-prototype object a msgpack map decodes to.
  it('a map in the version field is a typed error', async () => {
    const { pool } = makePool();
    const { encode, decode } = await import('../../../core/encoding/index.js');
    const t = decode(txBytes(key(0), 0)) as unknown[];
    t[0] = {};
    expect(await outcome(pool.add(encode(t as never)))).toBe('MEMPOOL_MALFORMED');
  });
});
