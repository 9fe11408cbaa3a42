import { encode, equalBytes } from '../encoding/index.js';
import { addressOf, sha256 } from '../crypto/index.js';
import { MAX_BALANCE, type StateDB } from '../state/index.js';
import type { SignedTx } from '../tx/index.js';
import type { Address, Hash, Height } from '../types.js';
import { ExecutionError } from './errors.js';
import { EVIDENCE_ADDRESS, reportEquivocation, type ValidatorsAt } from './evidence.js';
import type { ContractExecutor, ExecOutcome } from './executor.js';
import { intrinsicGas } from './gas.js';
import type { Receipt } from './receipt.js';

/** Block-level inputs of execution: everything time- or proposer-dependent comes in here. */
export interface BlockEnv {
  chainId: string;
  height: Height;
  timeMs: number;
  proposer: Address;
  /** The validator set of a past height (equivocation evidence is checked against it); absent: evidence reverts. */
  validatorsAt?: ValidatorsAt;
}

/** A decoded tx with the facts derived from its bytes once (hash, size, sender address). */
export interface TxEnvelope {
  tx: SignedTx;
  /** The canonical encoding, as received (what the block carries). */
  bytes: Uint8Array;
  hash: Hash;
  size: number;
  from: Address;
}

/** Derives the envelope of a decoded tx. */
export function envelope(tx: SignedTx, encoded: Uint8Array, hash: Hash = sha256(encoded)): TxEnvelope {
  return { tx, bytes: encoded, hash, size: encoded.length, from: addressOf(tx.sender) };
}

/** Address of a contract deployed by `sender` with `nonce` (design §4). */
export function contractAddress(sender: Address, nonce: number): Address {
  return sha256(sender, encode(nonce)).subarray(0, 20);
}

/**
 * Checks that a tx may be included now (chainId, exact nonce, intrinsic gas, room in the
 * block); throws ExecutionError otherwise. Signature checks are done before, by the pool.
 */
export function checkApplicable(state: StateDB, env: BlockEnv, e: TxEnvelope, gasLeft: number): void {
  const { tx } = e;
  if (tx.chainId !== env.chainId) {
    throw new ExecutionError('EXEC_BAD_CHAIN_ID', `tx is for chain ${tx.chainId}, not ${env.chainId}`, {
      expected: env.chainId,
      actual: tx.chainId,
    });
  }
  const nonce = state.getAccount(e.from).nonce;
  if (tx.nonce !== nonce) {
    throw new ExecutionError('EXEC_BAD_NONCE', `tx nonce ${tx.nonce}, account nonce ${nonce}`, {
      expected: nonce,
      actual: tx.nonce,
    });
  }
  const intrinsic = intrinsicGas(e.size);
  if (tx.gasLimit < intrinsic) {
    throw new ExecutionError('EXEC_INTRINSIC_GAS', `gasLimit ${tx.gasLimit} is below the intrinsic ${intrinsic}`, {
      gasLimit: tx.gasLimit,
      intrinsic,
    });
  }
  if (tx.gasLimit > gasLeft) {
    throw new ExecutionError('EXEC_BLOCK_GAS_EXCEEDED', `gasLimit ${tx.gasLimit} exceeds the ${gasLeft} left in the block`, {
      gasLimit: tx.gasLimit,
      gasLeft,
    });
  }
}

/** Parses a transfer amount: a single unsigned integer argument. */
function transferAmount(args: unknown[]): bigint | undefined {
  if (args.length !== 1) return undefined;
  const a = args[0];
  if (typeof a === 'number' && Number.isSafeInteger(a) && a >= 0) return BigInt(a);
  if (typeof a === 'bigint' && a >= 0n) return a;
  return undefined;
}

/**
 * Moves native balance; a revert outcome on bad args, insufficient funds, or a recipient
 * balance that would not fit the account's uint64 (encoding it would throw and fail the
 * whole block, every time the tx is proposed).
 */
function transfer(state: StateDB, from: Address, to: Address, args: unknown[]): ExecOutcome {
  const amount = transferAmount(args);
  if (amount === undefined) return { ok: false, gasUsed: 0, error: 'transfer: args must be [amount: uint]' };
  const src = state.getAccount(from);
  if (src.balance < amount) return { ok: false, gasUsed: 0, error: 'insufficient balance' };
  state.setAccount(from, { ...src, balance: src.balance - amount });
  const dst = state.getAccount(to);
  // A revert undoes the debit above (applyTx reverts to its snapshot).
  if (dst.balance + amount > MAX_BALANCE) return { ok: false, gasUsed: 0, error: 'transfer: recipient balance would exceed 2^64-1' };
  state.setAccount(to, { ...dst, balance: dst.balance + amount });
  return { ok: true, gasUsed: 0, result: null, events: [] };
}

/**
 * Applies one applicable tx (see checkApplicable): advances the nonce, runs it, and undoes
 * its own writes (not the nonce) if it reverts. Returns its receipt.
 */
export function applyTx(state: StateDB, env: BlockEnv, e: TxEnvelope, executor: ContractExecutor): Receipt {
  const { tx, from } = e;
  const account = state.getAccount(from);
  state.setAccount(from, { ...account, nonce: account.nonce + 1 });
  const intrinsic = intrinsicGas(e.size);
  const snap = state.snapshot();
  const callEnv = { chainId: env.chainId, height: env.height, timeMs: env.timeMs, txHash: e.hash, origin: from };
  const gasLeft = tx.gasLimit - intrinsic;
  let out: ExecOutcome;
  if (tx.to === null) {
    const code = tx.args.length === 1 ? tx.args[0] : undefined;
    out =
      code instanceof Uint8Array
        ? executor.deploy(state, callEnv, contractAddress(from, tx.nonce), code, gasLeft)
        : { ok: false, gasUsed: 0, error: 'deploy: args must be [code: bytes]' };
    if (out.ok) out = { ...out, result: contractAddress(from, tx.nonce) };
  } else if (equalBytes(tx.to, EVIDENCE_ADDRESS)) {
    out = reportEquivocation(state, env, from, tx.method, tx.args, gasLeft);
  } else if (tx.method === 'transfer') {
    out = transfer(state, from, tx.to, tx.args);
  } else {
    out = executor.call(state, callEnv, tx.to, tx.method, tx.args, gasLeft);
  }
  const gasUsed = Math.min(tx.gasLimit, intrinsic + out.gasUsed);
  if (!out.ok) {
    state.revertTo(snap);
    return { status: 'reverted', gasUsed, result: null, events: [], error: out.error };
  }
  return { status: 'ok', gasUsed, result: out.result, events: out.events };
}
