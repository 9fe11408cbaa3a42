/**
 * Setup txs in waves: a wave holds at most SETUP_WAVE txs of any one signer, so no signer
 * outruns the mempool's per-sender cap (64), and waves are submitted one after another, so a
 * later wave may depend on an earlier one (an organisation registers practitioners only once it
 * is registered itself). Every tx of a wave is sent at once and awaited together, so a whole
 * setup costs a few blocks, not one block per tx.
 */
import type { SetupContext, SetupTx } from './types.js';

/** Txs of one signer per wave: under the mempool's per-sender cap of 64 with room to spare. */
export const SETUP_WAVE = 48;

/** Splits `txs` into waves of at most SETUP_WAVE per signer, keeping each signer's order. */
export function splitWaves(txs: readonly SetupTx[]): SetupTx[][] {
  const seen = new Map<SetupTx['from'], number>();
  const waves: SetupTx[][] = [];
  for (const tx of txs) {
    const n = seen.get(tx.from) ?? 0;
    seen.set(tx.from, n + 1);
    const w = Math.floor(n / SETUP_WAVE);
    (waves[w] ??= []).push(tx);
  }
  return waves;
}

/** Submits `txs` wave by wave (see splitWaves); resolves when every one is final and ok. */
export async function submitInWaves(ctx: Pick<SetupContext, 'submit'>, txs: readonly SetupTx[]): Promise<void> {
  for (const wave of splitWaves(txs)) await ctx.submit(wave);
}
