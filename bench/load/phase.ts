/** One tx phase of a load run: connect, check, fund, set up, pre-sign, run, report. */
import type { Figure } from '../figure.js';
import { createSenders, devSenders, fundSenders, senderCountFor, setupSubmitter } from './accounts.js';
import type { LoadOptions, RateSpec } from './args.js';
import { LoadError } from './errors.js';
import { runLoad } from './loadgen.js';
import { assignWorkloads, mixLabel } from './mix.js';
import { NodeStatsSampler } from './nodeStats.js';
import type { ProfileWindow } from './profileSummary.js';
import { progressLine, reportPhase, type ReceiptCheck } from './report.js';
import { RpcConnection } from './rpcConnection.js';
import type { SignerPlan } from './signerPlan.js';
import type { SpawnedNode } from './spawnNode.js';
import { TxSource } from './txSource.js';
import { requireWorkloads, WORKLOADS, type ChainInfo, type Sender } from './workloads/index.js';

/** Connections used by the closed loop when none are given: 32 × 500 req/s leaves the server's per-connection limit far above any rate this node reaches. */
export const MAX_MODE_CONNECTIONS = 32;
/** Fewest connections (issue 9's example uses 8). */
export const MIN_CONNECTIONS = 8;
/** Share of the per-connection request limit an open loop plans to use, leaving room for retries. */
const CONN_UTILISATION = 0.8;
/** Most txs signed before the clock starts (~200 B each plus hex on send: ~80 MB at this cap). */
export const PRESIGN_LIMIT = 400_000;
/** Seconds of txs kept signed ahead of the cursor once a run outgrows its prefill. */
const LEAD_S = 5;
/** Issue 9's targets on a 2-core machine. */
export const TARGET_TRANSFER_TX_PER_SEC = 5_000;
export const TARGET_MEDICAL_TX_PER_SEC = 2_000;
export const TARGET_P99_FINAL_MS = 1_000;
export const TARGET_RSS_MIB = 1_024;
/** The workloads of issue 9's medical mix. */
const MEDICAL_MIX = ['consent', 'record', 'claim'] as const;

/** The phase's rate in tx/s, or 'max'. */
export function resolveRate(spec: RateSpec, maxFinalized: number | undefined): number | 'max' {
  if (spec.kind === 'max') return 'max';
  if (spec.kind === 'fixed') return spec.txPerSec;
  if (maxFinalized === undefined || !(maxFinalized > 0)) {
    throw new LoadError('LOAD_BAD_ARGS', `--rate ${spec.percent}%: the preceding max phase finalized nothing to take a percentage of`, { flag: '--rate' });
  }
  return Math.max(1, Math.round((maxFinalized * spec.percent) / 100));
}

/** Connections for `rate` under a per-connection pacing of `connRate`. */
export function connectionsFor(rate: number | 'max', connRate: number): number {
  if (rate === 'max') return MAX_MODE_CONNECTIONS;
  if (!Number.isFinite(connRate)) return MIN_CONNECTIONS;
  return Math.max(MIN_CONNECTIONS, Math.ceil(rate / (connRate * CONN_UTILISATION)));
}

/**
 * Statuses of the receipts of `hashes` (a sample of one workload's finalized txs), the outcomes
 * its contract reported (an event's `status` field: a claim's paid/partial/denied), and one
 * revert reason.
 */
export async function checkReceipts(rpc: RpcConnection, workload: string, hashes: readonly string[]): Promise<ReceiptCheck> {
  const out: ReceiptCheck = { workload, checked: 0, reverted: 0, statuses: {}, outcomes: {} };
  await Promise.all(
    hashes.map(async (h) => {
      const r = await rpc.call<{ status: string; error?: string; events?: Array<{ event: string; data: unknown }> } | null>('tx_getReceipt', [h]);
      if (r === null) return;
      out.checked++;
      out.statuses[r.status] = (out.statuses[r.status] ?? 0) + 1;
      if (r.status !== 'ok') {
        out.reverted++;
        out.example ??= r.error ?? r.status;
      }
      for (const e of r.events ?? []) {
        const status = (e.data as { status?: unknown } | null)?.status;
        if (typeof status === 'string') out.outcomes[`${e.event} ${status}`] = (out.outcomes[`${e.event} ${status}`] ?? 0) + 1;
      }
    }),
  );
  return out;
}

/** Runs one tx phase against `url`; returns its figures and its finalized tx/s (median). */
export async function runTxPhase(
  opts: LoadOptions,
  spec: RateSpec,
  ctx: { url: string; node?: SpawnedNode; nodePid?: number; maxFinalized?: number; log: (m: string) => void },
): Promise<{ figures: Figure[]; finalizedPerSec: number; window: ProfileWindow }> {
  if (opts.mode.kind !== 'tx') throw new TypeError('runTxPhase needs a tx mode');
  const mix = opts.mode.mix;
  const rate = resolveRate(spec, ctx.maxFinalized);
  const durationMs = spec.durationMs ?? opts.durationMs;
  const control = await RpcConnection.open(ctx.url, { rate: opts.connRate });
  const conns: RpcConnection[] = [];
  let source: TxSource | undefined;
  try {
    const info = await control.call<ChainInfo>('chain_getInfo');
    requireWorkloads(mix.map((e) => e.name), info);
    const nConn = opts.connections ?? connectionsFor(rate, opts.connRate);
    if (rate !== 'max' && rate > nConn * opts.connRate) {
      ctx.log(`warning: ${nConn} connections × ${opts.connRate} req/s (the server's per-connection limit) < ${rate} tx/s: sends will queue and show as latency`);
    }
    const nSenders = opts.senders ?? senderCountFor(rate, opts.maxPending);
    const senders = createSenders(nSenders);
    // The load connections are opened first so that setup can spread over them too.
    for (let i = 0; i < nConn; i++) conns.push(await RpcConnection.open(ctx.url, { rate: opts.connRate }));
    const submit = setupSubmitter([control, ...conns], info.chainId);
    await fundSenders(control, submit, senders, ctx.log);
    const names = assignWorkloads(mix, nSenders);
    const plan: SignerPlan = {
      chainId: info.chainId,
      seeds: new Uint8Array(nSenders * 32),
      startNonces: [],
      workloadOf: new Uint8Array(nSenders),
      groupIndex: new Uint32Array(nSenders),
      workloads: [],
    };
    for (const [w, entry] of mix.entries()) {
      const group: Sender[] = [];
      names.forEach((n, i) => {
        if (n !== entry.name) return;
        plan.workloadOf[i] = w;
        plan.groupIndex[i] = group.length;
        group.push(senders[i]);
      });
      const params = await WORKLOADS[entry.name].setup({
        rpc: control,
        info,
        senders: group,
        submit,
        devSenders: () => devSenders(control),
        newAccounts: createSenders,
        log: ctx.log,
      });
      plan.workloads.push({ name: entry.name, groupSize: group.length, params });
    }
    senders.forEach((s, i) => plan.seeds.set(s.seed, i * 32));
    plan.startNonces = senders.map((s) => s.nextNonce);

    const ceiling = rate === 'max' ? nConn * opts.connRate : rate;
    const total = Number.isFinite(ceiling) ? Math.ceil((ceiling * durationMs) / 1000) : PRESIGN_LIMIT;
    const prefill = Math.min(total, PRESIGN_LIMIT);
    source = new TxSource(plan);
    const signStart = performance.now();
    await source.prefill(prefill);
    ctx.log(`pre-signed ${source.signed.toLocaleString('en-US')} txs in ${((performance.now() - signStart) / 1000).toFixed(1)} s`);

    const pid = ctx.node?.pid ?? ctx.nodePid;
    const own = spec.durationMs !== undefined ? ` for ${durationMs / 1000} s` : '';
    const label = `${mixLabel(mix)} @${spec.kind === 'max' ? 'max' : spec.kind === 'percentOfMax' ? `${spec.percent}% of max` : `${rate} tx/s`}${own}`;
    ctx.log(`phase ${label}: ${rate === 'max' ? 'closed loop' : `${rate} tx/s open loop`}, ${durationMs / 1000} s, ${nConn} connections, ${nSenders} senders`);
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const blocksBefore = ctx.node?.blocks.length ?? 0;
    const result = await runLoad({
      rate,
      durationMs: durationMs,
      connections: conns,
      control,
      source,
      senders: nSenders,
      groupOf: plan.workloadOf,
      window: opts.window,
      maxPending: opts.maxPending,
      drainMs: opts.drainMs,
      lead: Number.isFinite(ceiling) ? Math.ceil(ceiling * LEAD_S) : PRESIGN_LIMIT,
      ...(pid !== undefined ? { node: new NodeStatsSampler(pid) } : {}),
      ...(opts.progress ? { onSecond: (s) => console.log(progressLine(s)) } : {}),
    });
    const cpu = process.cpuUsage(cpuStart);
    const receipts: ReceiptCheck[] = [];
    for (const [w, entry] of mix.entries()) receipts.push(await checkReceipts(control, entry.name, result.finalSample[w] ?? []));
    const medical = mix.some((e) => e.name !== 'transfer');
    const targets = opts.targets
      ? {
          rssMiB: TARGET_RSS_MIB,
          ...(spec.kind === 'max' ? { finalizedTxPerSec: medical ? TARGET_MEDICAL_TX_PER_SEC : TARGET_TRANSFER_TX_PER_SEC } : {}),
          // The medical target is for consent grants, record anchors and claims together: say when this mix is only part of it.
          ...(medical && !MEDICAL_MIX.every((w) => mix.some((e) => e.name === w)) ? { note: `, for the full medical mix; this is ${mixLabel(mix)}` } : {}),
          ...(spec.kind === 'percentOfMax' && spec.percent <= 80 && !medical ? { p99FinalMs: TARGET_P99_FINAL_MS } : {}),
        }
      : {};
    const figures = reportPhase(
      {
        label,
        ...(rate !== 'max' ? { rate } : {}),
        connections: nConn,
        senders: nSenders,
        targets,
        ...(ctx.node ? { nodeBlocks: ctx.node.blocks.slice(blocksBefore) } : {}),
        generatorCpuPercent: ((cpu.user + cpu.system) / 1000 / (performance.now() - wallStart)) * 100,
        receipts,
      },
      result,
    );
    const finalized = figures.find((f) => f.name.endsWith('finalized tx/s'))!;
    return { figures, finalizedPerSec: finalized.median, window: result.window };
  } finally {
    await Promise.all(conns.map((c) => c.close()));
    await control.close();
    await source?.close();
  }
}
