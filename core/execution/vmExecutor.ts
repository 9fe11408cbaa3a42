/**
 * The rule VM plugged into execution: a ContractExecutor over vm/ (design §7).
 *
 * - deploy: charges per byte, verifies the container (the consensus gate) and stores it
 *   with StateDB.setCode; only verified code is ever stored.
 * - call / view: load the code (verified programs are cached by code hash), run `execute`
 *   with a Host backed by the StateDB, then apply the call's effects.
 *
 * Effects are buffered by the VM, not written through: `execute` returns its storage
 * writes (last value per slot), events and balance moves only when it succeeds, and this
 * adapter applies them then. So a failed call never leaves a partial write inside the call,
 * even before applyTx reverts its snapshot, and a view cannot write at all (views are
 * pure by verification; a view that returned effects would be rejected here too).
 *
 * Storage slots are keyed by the canonical encoding of `[variable, ...keys]` (see the
 * ABI's `storage`), under the contract's namespace in StateDB. Nested view calls run with
 * the calling contract as `caller`, share the caller's gas, and nest at most
 * MAX_VIEW_DEPTH deep.
 */
import { abiOf, execute, load, VerifyError, VmError, VmHalt, type Abi, type Host, type HostValue, type Transfer, type VerifiedProgram, type ViewResult } from '../../vm/index.js';
import { sha256 } from '../crypto/index.js';
import { decode, encode, toHex, type Value } from '../encoding/index.js';
import type { StateDB } from '../state/index.js';
import type { Address } from '../types.js';
import type { CallEnv, ContractExecutor, ExecOutcome } from './executor.js';
import type { ChainEvent } from './receipt.js';

/** Flat cost of a deploy: verification and the code's trie entry. */
export const DEPLOY_BASE_GAS = 20_000;
/** Per byte of code: stored by every node forever, verified in linear time. */
export const DEPLOY_GAS_PER_BYTE = 50;
/**
 * Deepest chain of nested view calls (A's view calls B's view …). Gas bounds the work
 * already; this bounds the JS stack (each level is a few frames of execute).
 */
export const MAX_VIEW_DEPTH = 8;
/** Verified programs kept in memory, by code hash: a block calls the same few contracts. */
export const PROGRAM_CACHE_SIZE = 64;

/** The executor with its program cache; `VM_EXECUTOR` is the shared one. */
export interface VmExecutor extends ContractExecutor {
  /** The ABI of the contract at `address`, or undefined if there is none (for state_call's JSON conversion). */
  abiAt(state: StateDB, address: Address): Abi | undefined;
}

/** Creates a VM-backed executor (each has its own cache of verified programs). */
export function createVmExecutor(opts: { cacheSize?: number } = {}): VmExecutor {
  const cacheSize = opts.cacheSize ?? PROGRAM_CACHE_SIZE;
  const cache = new Map<string, VerifiedProgram>();

  /** The verified program at `address`, or undefined if it holds no code. */
  function programAt(state: StateDB, address: Address): VerifiedProgram | undefined {
    const code = state.getCode(address);
    if (code === undefined) return undefined;
    const hash = state.getAccount(address).codeHash;
    const key = hash ? toHex(hash) : toHex(sha256(code));
    let p = cache.get(key);
    if (p) {
      // LRU: refresh
      cache.delete(key);
      cache.set(key, p);
      return p;
    }
    p = load(code);
    cache.set(key, p);
    if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
    return p;
  }

  function host(state: StateDB, env: CallEnv, self: Address, caller: Address, depth: number): Host {
    return {
      caller,
      self,
      height: env.height,
      timeMs: env.timeMs,
      txHash: env.txHash,
      storageGet: (path) => {
        const raw = state.getStorage(self, encode(path as Value[]));
        return raw === undefined ? undefined : (decode(raw) as HostValue);
      },
      balanceOf: (a) => state.getAccount(a).balance,
      callView: (target, fn, args, gasLimit): ViewResult => {
        if (depth + 1 > MAX_VIEW_DEPTH) throw new VmError('CALL_DEPTH', `view calls nest deeper than ${MAX_VIEW_DEPTH}`);
        const prog = loadOrFail(state, target);
        const r = execute({ code: prog, fn, args, host: host(state, env, target, self, depth + 1), gasLimit, mode: 'view' });
        return { result: r.result, gasUsed: r.gasUsed };
      },
      sha256: (data) => sha256(data),
      encode: (v) => encode(v as Value),
    };
  }

  /** A callee's program, or the VmError a calling contract sees. */
  function loadOrFail(state: StateDB, target: Address): VerifiedProgram {
    let p: VerifiedProgram | undefined;
    try {
      p = programAt(state, target);
    } catch (e) {
      if (e instanceof VerifyError) throw new VmError('CALL_FAILED', `stored code at ${toHex(target)} does not verify: ${e.message}`);
      throw e;
    }
    if (!p) throw new VmError('CALL_FAILED', `no contract at ${toHex(target)}`);
    return p;
  }

  function run(state: StateDB, env: CallEnv, to: Address, method: string, args: Value[], gasLimit: number, mode: 'call' | 'view'): ExecOutcome {
    let prog: VerifiedProgram | undefined;
    try {
      prog = programAt(state, to);
    } catch (e) {
      if (e instanceof VerifyError) return { ok: false, gasUsed: 0, error: `stored code does not verify: ${e.message}` };
      throw e;
    }
    if (!prog) return { ok: false, gasUsed: 0, error: `no contract at ${toHex(to)}` };
    try {
      const r = execute({ code: prog, fn: method, args: args as HostValue[], host: host(state, env, to, env.origin, 0), gasLimit, mode });
      if (mode === 'view' && (r.writes.length > 0 || r.events.length > 0 || r.transfers.length > 0)) {
        return { ok: false, gasUsed: r.gasUsed, error: 'a view tried to change state' };
      }
      for (const t of r.transfers) moveBalance(state, t);
      for (const w of r.writes) state.setStorage(to, encode(w.path as Value[]), w.value === undefined ? undefined : encode(w.value as Value));
      const events: ChainEvent[] = r.events.map((e) => ({ contract: to, event: e.name, data: e.data as Value }));
      return { ok: true, gasUsed: r.gasUsed, result: r.result as Value, events };
    } catch (e) {
      if (!(e instanceof VmHalt)) throw e;
      return { ok: false, gasUsed: Math.min(e.gasUsed, gasLimit), error: e.describe() };
    }
  }

  return {
    deploy(state, _env, address, code, gasLimit) {
      const gas = DEPLOY_BASE_GAS + DEPLOY_GAS_PER_BYTE * code.length;
      if (gas > gasLimit) return { ok: false, gasUsed: gasLimit, error: `out of gas: deploying ${code.length} bytes needs ${gas}` };
      if (state.getCode(address) !== undefined) return { ok: false, gasUsed: gas, error: `${toHex(address)} already holds a contract` };
      let prog: VerifiedProgram;
      try {
        prog = load(code);
      } catch (e) {
        if (!(e instanceof VerifyError)) throw e;
        return { ok: false, gasUsed: gas, error: `code rejected by the verifier: ${e.code}: ${e.message}` };
      }
      state.setCode(address, code);
      cache.set(toHex(sha256(code)), prog);
      if (cache.size > cacheSize) cache.delete(cache.keys().next().value!);
      return { ok: true, gasUsed: gas, result: null, events: [] };
    },
    call: (state, env, to, method, args, gasLimit) => run(state, env, to, method, args, gasLimit, 'call'),
    view: (state, env, to, method, args, gasLimit) => run(state, env, to, method, args, gasLimit, 'view'),
    abiAt(state, address) {
      try {
        const p = programAt(state, address);
        return p ? abiOf(p) : undefined;
      } catch (e) {
        if (e instanceof VerifyError) return undefined;
        throw e;
      }
    },
  };
}

/** Applies one buffered balance move (the VM checked it against the same state). */
function moveBalance(state: StateDB, t: Transfer): void {
  const from = state.getAccount(t.from);
  if (from.balance < t.amount) throw new Error(`vmExecutor: a checked transfer of ${t.amount} from ${toHex(t.from)} is not covered`);
  state.setAccount(t.from, { ...from, balance: from.balance - t.amount });
  const to = state.getAccount(t.to);
  state.setAccount(t.to, { ...to, balance: to.balance + t.amount });
}

/** The rule VM as core's contract executor (what node wiring passes to Chain.open). */
export const VM_EXECUTOR: VmExecutor = createVmExecutor();
