import type { Value } from '../encoding/index.js';
import type { StateDB } from '../state/index.js';
import type { Address, Hash, Height } from '../types.js';
import type { ChainEvent } from './receipt.js';

/** What a contract may learn about its surroundings (design §7's host interface inputs). */
export interface CallEnv {
  chainId: string;
  height: Height;
  timeMs: number;
  txHash: Hash;
  /** The signer of the transaction. */
  origin: Address;
}

/** Result of running contract code: success with a value and events, or a revert with a reason. */
export type ExecOutcome =
  | { ok: true; gasUsed: number; result: Value; events: ChainEvent[] }
  | { ok: false; gasUsed: number; error: string };

/**
 * The contract engine seen from execution. The rule VM implements it; everything is
 * synchronous (reads come from the StateDB overlay) and deterministic. State writes made by
 * a failed call are undone by the caller, so an executor need not clean up after a revert.
 */
export interface ContractExecutor {
  /** Verifies and installs `code` at `address`. */
  deploy(state: StateDB, env: CallEnv, address: Address, code: Uint8Array, gasLimit: number): ExecOutcome;
  /** Calls `method` of the contract at `to` in a transaction. */
  call(state: StateDB, env: CallEnv, to: Address, method: string, args: Value[], gasLimit: number): ExecOutcome;
  /** Calls a read-only `view` function (state_call); writes are not allowed. */
  view(state: StateDB, env: CallEnv, to: Address, method: string, args: Value[], gasLimit: number): ExecOutcome;
}

/** The executor until the rule VM lands: every deploy and call reverts. */
export const UNAVAILABLE_EXECUTOR: ContractExecutor = {
  deploy: () => ({ ok: false, gasUsed: 0, error: 'vm unavailable' }),
  call: () => ({ ok: false, gasUsed: 0, error: 'vm unavailable' }),
  view: () => ({ ok: false, gasUsed: 0, error: 'vm unavailable' }),
};
