/**
 * Read-call throughput (`--call contract.method`, `--rpc-method name`): N connections, each
 * closed-loop with `window` requests outstanding, for a fixed time; calls/s of successful
 * answers, latency from send to answer, errors by reason. `--call` needs the contract and
 * `state_call` (the VM issue); until then it fails with what is missing, and `--rpc-method
 * chain_getInfo` exercises the same machinery against a method that exists.
 */
import { figure, type Figure } from '../figure.js';
import { printFigure } from '../measure.js';
import { LoadError, RpcCallError } from './errors.js';
import { Histogram } from './histogram.js';
import { windowRates } from './report.js';
import type { RpcConnection } from './rpcConnection.js';
import { generateSecretKey } from '../../core/crypto/index.js';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { setupSubmitter } from './accounts.js';
import { FastSigner } from './signer.js';
import { consentActor, CONSENT_CATEGORY, CONSENT_PURPOSE, CONSENT_UNTIL_MS } from './workloads/factories.js';
import type { ChainInfo, Sender } from './workloads/index.js';

/** Issue 9's read target: `state_call` of `consent.check` over 8 connections. */
export const CALL_TARGET_PER_SEC = 20_000;
/** The connection count the read target is stated for; other counts get no target. */
export const CALL_TARGET_CONNECTIONS = 8;
/** Gas of the one grant `consent.check` calls are made against (measured use is ~5,100). */
const CHECK_SETUP_GAS = 100_000;
/** Reasons that mean the call can never succeed: stop at once instead of measuring refusals. */
const FATAL_REASONS = new Set(['method_not_found', 'invalid_params', 'invalid_method', 'unknown_contract']);

/** Measured calls. */
export interface CallResult {
  calls: number;
  errors: Map<string, number>;
  latency: Histogram;
  perSecond: number[];
  durationMs: number;
}

/**
 * The method and params of `--call contract.method`, after any setup it needs: throws
 * LOAD_WORKLOAD_UNAVAILABLE when the contract is missing, LOAD_WORKLOAD_NOT_IMPLEMENTED for a
 * call whose arguments are not written. `consent.check` checks a grant made for the run, so
 * every call walks the grant list and returns true (the path a record access takes).
 */
export async function contractCall(rpc: RpcConnection, info: ChainInfo, contract: string, method: string): Promise<{ method: string; paramsJson: string }> {
  const address = info.contracts?.[contract];
  if (typeof address !== 'string' || address === '') {
    throw new LoadError('LOAD_WORKLOAD_UNAVAILABLE', `${contract}.${method} calls need the ${contract} contract: chain_getInfo().contracts.${contract} is missing`, { contract });
  }
  if (contract !== 'consent' || method !== 'check') {
    throw new LoadError(
      'LOAD_WORKLOAD_NOT_IMPLEMENTED',
      `${contract}.${method}: the contract is at ${address}, but the generator's state_call arguments for it are not written yet (bench/load/callBench.ts; consent.check is)`,
      { contract, method },
    );
  }
  // A fresh patient grants a fresh actor: no funding needed (there are no fees, design §4).
  const seed = generateSecretKey();
  const patient: Sender = { seed, signer: new FastSigner(seed), address: '', nextNonce: 0 };
  patient.address = toHex(patient.signer.address);
  const actor = consentActor(0, 0);
  await setupSubmitter(rpc, info.chainId)([
    { from: patient, body: { to: fromHex(address, 20), method: 'grant', args: [actor, [CONSENT_CATEGORY], [CONSENT_PURPOSE], 0, CONSENT_UNTIL_MS], gasLimit: CHECK_SETUP_GAS } },
  ]);
  const params = [address, 'check', [patient.address, toHex(actor), CONSENT_CATEGORY, CONSENT_PURPOSE]];
  const ok = await rpc.call<unknown>('state_call', params);
  if (ok !== true) throw new LoadError('LOAD_SETUP_FAILED', `consent.check of the run's own grant answered ${JSON.stringify(ok)}, not true`, { contract });
  return { method: 'state_call', paramsJson: JSON.stringify(params) };
}

/** Runs closed-loop calls of `method` on every connection for `durationMs`. */
export async function runCalls(
  conns: readonly RpcConnection[],
  method: string,
  paramsJson: string,
  opts: { window: number; durationMs: number; onSecond?: (t: number, calls: number, p99: number) => void },
): Promise<CallResult> {
  const latency = new Histogram();
  const errors = new Map<string, number>();
  const perSecond: number[] = [];
  let calls = 0;
  let fatal: Error | undefined;
  const start = performance.now();
  const end = start + opts.durationMs;
  const ticker = setInterval(() => {
    const t = Math.round((performance.now() - start) / 1000);
    opts.onSecond?.(t, perSecond[t - 1] ?? 0, latency.percentile(99));
  }, 1000);
  const loop = async (conn: RpcConnection) => {
    while (performance.now() < end && !fatal) {
      // Latency from when the request goes on the wire: the pacer's queue is the client's own wait.
      const timing = { sentAt: performance.now() };
      try {
        await conn.callRaw(method, paramsJson, timing);
        const now = performance.now();
        latency.record(now - timing.sentAt);
        calls++;
        const s = Math.floor((now - start) / 1000);
        perSecond[s] = (perSecond[s] ?? 0) + 1;
      } catch (e) {
        if (!(e instanceof RpcCallError)) throw e;
        errors.set(e.reason, (errors.get(e.reason) ?? 0) + 1);
        if (FATAL_REASONS.has(e.reason)) fatal ??= e;
      }
    }
  };
  try {
    await Promise.all(conns.flatMap((c) => Array.from({ length: opts.window }, () => loop(c))));
  } finally {
    clearInterval(ticker);
  }
  if (fatal) throw fatal;
  return { calls, errors, latency, perSecond, durationMs: Math.min(opts.durationMs, performance.now() - start) };
}

/** Prints and returns the figures of a call run. */
export function reportCalls(label: string, r: CallResult, opts: { connections: number; target?: number }): Figure[] {
  const name = (what: string) => `calls ${label}, ${opts.connections} connections — ${what}`;
  const rate = figure(name('calls/s'), 'calls/s', windowRates(r.perSecond, r.durationMs));
  if (opts.target !== undefined) {
    rate.target = `>= ${opts.target.toLocaleString('en-US')} calls/s (issue 9)`;
    rate.met = rate.median >= opts.target;
  }
  const figures = [rate];
  for (const p of [50, 99] as const) {
    figures.push({ ...figure(name(`latency p${p}`), 'ms', [r.latency.percentile(p)], { higherIsBetter: false }), repeats: r.latency.count });
  }
  for (const [reason, n] of r.errors) figures.push(figure(name(`error: ${reason}`), 'calls', [n], { higherIsBetter: false }));
  console.log(`  ${label}: ${r.calls.toLocaleString('en-US')} calls in ${(r.durationMs / 1000).toFixed(1)} s; errors: ${[...r.errors].map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
  for (const f of figures) printFigure(f);
  return figures;
}
