import type { StateDB } from '../state/index.js';
import { ExecutionError } from './errors.js';
import type { ContractExecutor } from './executor.js';
import { applyTx, checkApplicable, type BlockEnv, type TxEnvelope } from './applyTx.js';
import type { Receipt } from './receipt.js';

/** The result of executing a block's txs. */
export interface BlockExecution {
  /** The txs that were included, in order. */
  included: TxEnvelope[];
  receipts: Receipt[];
  gasUsed: number;
  /** Candidates left out while building, with why (the mempool drops or re-queues them). */
  skipped: Array<{ tx: TxEnvelope; error: ExecutionError }>;
}

/**
 * Executes txs (already signature-checked) in order against `state`.
 * - `build`: proposing a block from mempool candidates; an inapplicable tx (stale nonce, no
 *   room left) is skipped and reported, not fatal.
 * - `validate`: re-executing a received block; any inapplicable tx makes the whole block
 *   invalid (throws its ExecutionError with `context.index`).
 */
export function executeTxs(
  mode: 'build' | 'validate',
  state: StateDB,
  env: BlockEnv,
  txs: Iterable<TxEnvelope>,
  executor: ContractExecutor,
  blockGasLimit: number,
): BlockExecution {
  const out: BlockExecution = { included: [], receipts: [], gasUsed: 0, skipped: [] };
  let index = 0;
  for (const e of txs) {
    try {
      checkApplicable(state, env, e, blockGasLimit - out.gasUsed);
    } catch (err) {
      if (!(err instanceof ExecutionError)) throw err;
      if (mode === 'validate') throw new ExecutionError(err.code, `tx ${index}: ${err.message}`, { ...err.context, index });
      out.skipped.push({ tx: e, error: err });
      continue;
    } finally {
      index++;
    }
    const r = applyTx(state, env, e, executor);
    out.included.push(e);
    out.receipts.push(r);
    out.gasUsed += r.gasUsed;
  }
  return out;
}
