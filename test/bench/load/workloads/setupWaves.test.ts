import { describe, expect, it } from 'vitest';
import { SETUP_WAVE, splitWaves, submitInWaves } from '../../../../bench/load/workloads/setupWaves.js';
import type { Sender, SetupReceipt, SetupTx } from '../../../../bench/load/workloads/types.js';

const sender = (name: string) => ({ address: name }) as unknown as Sender;
const tx = (from: Sender, n: number): SetupTx => ({ from, body: { to: null, method: `m${n}`, args: [], gasLimit: 1 } });

describe('splitWaves', () => {
  it('keeps each signer under SETUP_WAVE per wave, in its own order', () => {
    const [a, b, c] = ['a', 'b', 'c'].map(sender);
    const txs = [
      ...Array.from({ length: 2 * SETUP_WAVE + 3 }, (_, i) => tx(a, i)),
      ...Array.from({ length: SETUP_WAVE }, (_, i) => tx(b, i)),
      tx(c, 0),
    ];
    const waves = splitWaves(txs);
    expect(waves.map((w) => w.length)).toEqual([2 * SETUP_WAVE + 1, SETUP_WAVE, 3]);
    for (const w of waves) for (const s of [a, b, c]) expect(w.filter((t) => t.from === s).length).toBeLessThanOrEqual(SETUP_WAVE);
    // a's txs come out in the order given, across the waves
    expect(waves.flat().filter((t) => t.from === a).map((t) => t.body.method)).toEqual(txs.filter((t) => t.from === a).map((t) => t.body.method));
    expect(SETUP_WAVE).toBeLessThan(64); // the mempool's per-sender cap
  });

  it('makes no wave of nothing', () => {
    expect(splitWaves([])).toEqual([]);
  });

  it('submits the waves one after another, each only once the previous one is final', async () => {
    const a = sender('a');
    const log: string[] = [];
    let open = 0;
    const submit = async (w: SetupTx[]): Promise<SetupReceipt[]> => {
      expect(open).toBe(0);
      open++;
      log.push(`${w.length}`);
      await new Promise((r) => setTimeout(r, 5));
      open--;
      return w.map(() => ({ hash: '0x', status: 'ok', gasUsed: 1 }));
    };
    await submitInWaves({ submit }, Array.from({ length: SETUP_WAVE * 2 + 1 }, (_, i) => tx(a, i)));
    expect(log).toEqual([`${SETUP_WAVE}`, `${SETUP_WAVE}`, '1']);
  });

  it('stops at the first wave that fails', async () => {
    const a = sender('a');
    let calls = 0;
    const submit = async (): Promise<SetupReceipt[]> => {
      calls++;
      throw new Error('reverted');
    };
    await expect(submitInWaves({ submit }, Array.from({ length: SETUP_WAVE + 1 }, (_, i) => tx(a, i)))).rejects.toThrow('reverted');
    expect(calls).toBe(1);
  });
});
