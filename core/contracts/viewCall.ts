/**
 * Read-only contract calls with JSON in and out (what state_call serves): the contract's
 * ABI converts the JSON arguments into values, the executor runs the view against a state,
 * and the result comes back as JSON (design §9; conversion rules in vm/abi.ts).
 */
import { abiFunction, abiJsonToArgs, abiOf, AbiError, load, resultToJson, VerifyError, type Abi, type Json } from '../../vm/index.js';
import { toHex, type Value } from '../encoding/index.js';
import type { CallEnv, ContractExecutor } from '../execution/index.js';
import type { StateDB } from '../state/index.js';
import type { Address } from '../types.js';
import { ViewCallError } from './errors.js';

export type { Json };

/** What a view call runs against and as whom. */
export interface ViewCallRequest {
  state: StateDB;
  executor: ContractExecutor;
  /** The block the view sees (`block.height`, `block.time`): normally the head's. */
  block: { chainId: string; height: number; timeMs: number };
  to: Address;
  method: string;
  /** Positional JSON arguments, or an object of them by parameter name. */
  args: Json[] | { [name: string]: Json };
  /** The view's `caller` (default: the zero address). */
  from?: Address;
  gasLimit: number;
}

/** A successful view's JSON result and the gas it used. */
export interface ViewCallResult {
  result: Json;
  gasUsed: number;
}

/** A view call has no transaction: its tx hash reads as 32 zero bytes (vm/host.ts). */
const NO_TX_HASH = new Uint8Array(32);
const ZERO_ADDRESS = new Uint8Array(20);

/** An executor that can tell a contract's ABI from its cached program (the VM executor). */
interface AbiSource {
  abiAt(state: StateDB, address: Address): Abi | undefined;
}

function hasAbiAt(e: ContractExecutor): e is ContractExecutor & AbiSource {
  return typeof (e as Partial<AbiSource>).abiAt === 'function';
}

/** The ABI of the contract at `to`, or ViewCallError STATE_UNKNOWN_CONTRACT. */
export function contractAbi(state: StateDB, executor: ContractExecutor, to: Address): Abi {
  let abi: Abi | undefined;
  if (hasAbiAt(executor)) {
    abi = executor.abiAt(state, to);
  } else {
    const code = state.getCode(to);
    try {
      abi = code === undefined ? undefined : abiOf(load(code));
    } catch (e) {
      if (!(e instanceof VerifyError)) throw e;
    }
  }
  if (!abi) throw new ViewCallError('STATE_UNKNOWN_CONTRACT', `no contract at ${toHex(to)}`, { address: toHex(to) });
  return abi;
}

/**
 * Runs view `method` of the contract at `to`; throws ViewCallError naming what failed
 * (unknown contract, bad arguments, a non-view method, revert, out of gas, VM fault).
 */
export function viewCall(req: ViewCallRequest): ViewCallResult {
  const { state, executor, to, method } = req;
  const abi = contractAbi(state, executor, to);
  let args: Value[];
  try {
    const fn = abiFunction(abi, method);
    if (!fn.view) throw new ViewCallError('STATE_BAD_CALL', `${abi.contract}.${method} is not a view (send a transaction to call it)`, { method });
    args = abiJsonToArgs(abi, method, req.args) as Value[];
  } catch (e) {
    if (e instanceof AbiError) throw new ViewCallError('STATE_BAD_CALL', e.message, { method, ...(typeof e.context.param === 'string' ? { param: e.context.param } : {}) });
    throw e;
  }
  const env: CallEnv = { chainId: req.block.chainId, height: req.block.height, timeMs: req.block.timeMs, txHash: NO_TX_HASH, origin: req.from ?? ZERO_ADDRESS };
  const out = executor.view(state, env, to, method, args, req.gasLimit);
  if (!out.ok) throw haltError(out.error, out.gasUsed);
  return { result: resultToJson(abi, method, out.result as never), gasUsed: out.gasUsed };
}

/**
 * The typed error of a failed view. The executor reports failures as the halt's text
 * (VmHalt.describe: "reverted: <reason> (at l:c)", "out of gas", "<KIND>: …"), so the
 * kind is recovered from that text's fixed prefixes.
 */
export function haltError(error: string, gasUsed: number): ViewCallError {
  const revert = /^reverted: (.*?)(?: \(at \d+:\d+\))?$/s.exec(error);
  if (revert) return new ViewCallError('VM_REVERT', error, { revert: revert[1], gasUsed });
  if (error.startsWith('out of gas')) return new ViewCallError('VM_OUT_OF_GAS', error, { gasUsed });
  return new ViewCallError('VM_ERROR', error, { gasUsed });
}
