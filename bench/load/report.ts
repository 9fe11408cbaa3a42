/**
 * The printed summary and the Figures of a load phase (written to bench/results/load.json by
 * the harness). Every rate figure is compared, in the same run, to what was offered (the
 * generator's own reference: efficiency) and, where issue 9 sets one, to its target.
 */
import os from 'node:os';
import { figure, type Figure } from '../figure.js';
import { printFigure } from '../measure.js';
import type { Histogram } from './histogram.js';
import type { RunResult, SecondSample } from './loadgen.js';
import { slope, type NodeSample } from './nodeStats.js';
import type { NodeBlockLine } from './spawnNode.js';

/** Rate windows: 5 s smooths block boundaries (a 200 ms block period puts 25 blocks in one). */
const RATE_WINDOW_S = 5;
/** RSS growth is judged after the first minute (issue 9), or over the second half of shorter runs. */
const RSS_SETTLE_MS = 60_000;

/** Receipts of one workload checked after the run (a sample of its finalized txs). */
export interface ReceiptCheck {
  workload: string;
  checked: number;
  /** Checked receipts that are not `ok`. */
  reverted: number;
  /** Checked receipts by status. */
  statuses: Record<string, number>;
  /** Outcomes contracts reported as an event's `status`, e.g. "ClaimAdjudicated paid". */
  outcomes: Record<string, number>;
  /** One revert reason, to say why. */
  example?: string;
}

/** What a phase was, for the figure names and the summary. */
export interface PhaseInfo {
  /** Stable label used in figure names, e.g. "transfer=100 @max" or "transfer=100 @80% of max". */
  label: string;
  /** Offered rate in tx/s (undefined for max). */
  rate?: number;
  connections: number;
  senders: number;
  /** Issue 9 targets that apply to this phase. */
  targets: { finalizedTxPerSec?: number; p99FinalMs?: number; /** Node RSS ceiling, MiB. */ rssMiB?: number; /** Qualifies the target (e.g. a partial medical mix). */ note?: string };
  nodeBlocks?: NodeBlockLine[];
  /** CPU the generator used during the phase, percent of one core. */
  generatorCpuPercent: number;
  /** One per workload of the mix. */
  receipts: ReceiptCheck[];
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Per-window rates (tx/s) of a per-second series over [0, durationS), skipping the first window as warm-up when there are ≥ 3. */
export function windowRates(series: readonly number[], durationMs: number): number[] {
  const seconds = Math.floor(durationMs / 1000);
  const w = seconds >= 4 * RATE_WINDOW_S ? RATE_WINDOW_S : 1;
  const rates: number[] = [];
  for (let s = 0; s + w <= seconds; s += w) {
    let n = 0;
    for (let i = s; i < s + w; i++) n += series[i] ?? 0;
    rates.push(n / w);
  }
  const steady = rates.length >= 3 ? rates.slice(1) : rates;
  return steady.length > 0 ? steady : [series.slice(0, Math.max(1, seconds)).reduce((a, b) => a + (b ?? 0), 0) / Math.max(1, durationMs / 1000)];
}

function percentileFigure(name: string, h: Histogram, p: number | 'max'): Figure {
  const v = p === 'max' ? h.max : h.percentile(p);
  return { ...figure(name, 'ms', [v], { higherIsBetter: false }), repeats: h.count };
}

/**
 * Slope in MiB/min of an RSS series (`field`, default the whole RSS) after the settle time (or
 * over the run's second half), and the window used.
 */
export function rssSlope(samples: readonly NodeSample[], field: 'rssMiB' | 'anonMiB' | 'fileMiB' = 'rssMiB'): { mibPerMin: number; fromS: number } {
  const last = samples.at(-1)?.t ?? 0;
  const from = last > RSS_SETTLE_MS * 1.5 ? RSS_SETTLE_MS : last / 2;
  const pts = samples.filter((s) => s.t >= from && Number.isFinite(s[field])).map((s) => ({ x: s.t / 60_000, y: s[field] }));
  return { mibPerMin: slope(pts), fromS: Math.round(from / 1000) };
}

/** A one-line progress report for a second of the run. */
export function progressLine(s: SecondSample): string {
  const node = s.node ? `node cpu ${fmt(s.node.cpuPercent)}% rss ${fmt(s.node.rssMiB)} MiB (anon ${fmt(s.node.anonMiB)})` : 'node n/a (not spawned)';
  return `    t=${String(s.t).padStart(3)}s offered ${fmt(s.offered).padStart(6)}/s accepted ${fmt(s.accepted).padStart(6)}/s final ${fmt(s.finalized).padStart(6)}/s pending ${fmt(s.pending).padStart(6)} p99(final) ${fmt(s.p99FinalMs)} ms ${node}`;
}

function latencyLine(label: string, h: Histogram): string {
  if (h.count === 0) return `    ${label}: no samples`;
  return `    ${label}: p50 ${fmt(h.percentile(50), 1)} ms  p90 ${fmt(h.percentile(90), 1)} ms  p99 ${fmt(h.percentile(99), 1)} ms  max ${fmt(h.max, 1)} ms  (n=${fmt(h.count)})`;
}

/** Prints the phase summary and returns its figures. */
export function reportPhase(p: PhaseInfo, r: RunResult): Figure[] {
  const name = (what: string) => `load ${p.label} — ${what}`;
  const secs = r.durationMs / 1000;
  const offered = figure(name('offered tx/s'), 'tx/s', windowRates(r.series.offered, r.durationMs));
  const accepted = figure(name('accepted tx/s'), 'tx/s', windowRates(r.series.accepted, r.durationMs));
  const finalized = figure(name('finalized tx/s'), 'tx/s', windowRates(r.series.finalized, r.durationMs));
  // The in-run reference: finalized over offered is the node's efficiency at this load.
  finalized.reference = offered.name;
  finalized.ratio = offered.median > 0 ? finalized.median / offered.median : 0;
  if (p.targets.finalizedTxPerSec !== undefined) {
    finalized.target = `>= ${fmt(p.targets.finalizedTxPerSec)} tx/s (issue 9${p.targets.note ?? ''})`;
    finalized.met = finalized.median >= p.targets.finalizedTxPerSec;
  }
  const figures: Figure[] = [offered, accepted, finalized];
  const lat: Array<[string, Histogram]> = [['send→receipt', r.latency.included], ['send→final', r.latency.final]];
  for (const [label, h] of lat) {
    if (h.count === 0) continue;
    for (const q of [50, 90, 99, 'max'] as const) figures.push(percentileFigure(name(`${label} ${q === 'max' ? 'max' : `p${q}`}`), h, q));
  }
  const p99 = figures.find((f) => f.name === name('send→final p99'));
  if (p99 && p.targets.p99FinalMs !== undefined) {
    p99.target = `<= ${fmt(p.targets.p99FinalMs)} ms (issue 9)`;
    p99.met = p99.median <= p.targets.p99FinalMs;
  }
  for (const rc of p.receipts) {
    if (rc.checked === 0) continue;
    // Reverted txs are included and final but did not do their work: they must not pass as throughput.
    const ok = { ...figure(name(`${rc.workload} sampled receipts ok`), '%', [(100 * (rc.checked - rc.reverted)) / rc.checked]), repeats: rc.checked };
    figures.push(ok);
    if (rc.reverted > 0) figures.push(figure(name(`${rc.workload} reverted receipts (of ${rc.checked} sampled)`), 'tx', [rc.reverted], { higherIsBetter: false }));
    // A claim adjudicated but not paid takes a shorter path through the contract: say how many did.
    const adjudicated = Object.entries(rc.outcomes).filter(([k]) => k.startsWith('ClaimAdjudicated '));
    if (adjudicated.length > 0) {
      const paid = rc.outcomes['ClaimAdjudicated paid'] ?? 0;
      const total = adjudicated.reduce((a, [, n]) => a + n, 0);
      figures.push({ ...figure(name(`${rc.workload} sampled claims paid in full`), '%', [(100 * paid) / total]), repeats: total });
    }
  }
  for (const [reason, n] of [...r.rejections].sort((a, b) => b[1] - a[1])) {
    figures.push(figure(name(`rejected: ${reason}`), 'tx', [n], { higherIsBetter: false }));
  }
  const nodeSamples = r.seconds.flatMap((s) => (s.node ? [s.node] : []));
  if (nodeSamples.length > 0) {
    figures.push(figure(name('node CPU'), '% of a core', nodeSamples.map((s) => s.cpuPercent), { higherIsBetter: false }));
    const rssMax = Math.max(...nodeSamples.map((s) => s.rssMiB));
    const rssFig = figure(name('node RSS max'), 'MiB', [rssMax], { higherIsBetter: false });
    const ceiling = p.targets.rssMiB;
    figures.push(ceiling === undefined ? rssFig : { ...rssFig, target: `< ${fmt(ceiling)} MiB (issue 9)`, met: rssMax < ceiling });
    figures.push(figure(name('node RSS slope'), 'MiB/min', [rssSlope(nodeSamples).mibPerMin], { higherIsBetter: false }));
    // The split says what grows: allocated memory (anon) or LevelDB table files mapped as the database grows (file).
    for (const [what, field] of [['anon', 'anonMiB'], ['file-backed', 'fileMiB']] as const) {
      if (!nodeSamples.every((s) => Number.isFinite(s[field]))) continue;
      figures.push(figure(name(`node RSS ${what} max`), 'MiB', [Math.max(...nodeSamples.map((s) => s[field]))], { higherIsBetter: false }));
      figures.push(figure(name(`node RSS ${what} slope`), 'MiB/min', [rssSlope(nodeSamples, field).mibPerMin], { higherIsBetter: false }));
    }
  }
  const blocks = p.nodeBlocks ?? [];
  const withTxs = blocks.filter((b) => b.txs > 0);
  if (withTxs.length > 0) {
    const ms = withTxs.map((b) => b.ms);
    figures.push(figure(name('node block build+commit (its log)'), 'ms', ms, { higherIsBetter: false }));
  }

  console.log(`  phase ${p.label}: ${fmt(secs, 1)} s, ${p.connections} connections, ${p.senders} senders${p.rate ? `, offered rate ${fmt(p.rate)} tx/s` : ', closed loop'}`);
  const eff = offered.median > 0 ? ` (${fmt((finalized.median / offered.median) * 100, 1)}% of offered)` : '';
  console.log(`    totals: offered ${fmt(r.offered)}, accepted ${fmt(r.accepted)}, final in window ${fmt(r.finalizedInWindow)} (${fmt(r.finalizedInWindow / secs)} tx/s), final incl. drain ${fmt(r.finalizedTotal)}${eff}`);
  console.log(latencyLine('send→accepted', r.latency.accept));
  console.log(latencyLine('send→receipt ', r.latency.included));
  console.log(latencyLine('send→final   ', r.latency.final));
  const rej = [...r.rejections].map(([k, v]) => `${k} ${fmt(v)}`).join(', ');
  console.log(
    `    rejections (attempts): ${rej || 'none'}; after the drain: ${fmt(r.lost)} accepted but not final, ${fmt(r.unanswered)} never answered; ` +
      `abandoned: ${fmt(r.abandoned)}; signer-behind ticks: ${fmt(r.signerStalls)}`,
  );
  for (const rc of p.receipts) {
    const counts = (o: Record<string, number>) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${fmt(n)}`).join(', ');
    const outcomes = Object.keys(rc.outcomes).length > 0 ? `; outcomes: ${counts(rc.outcomes)}` : '';
    const why = rc.example ? ` — e.g. ${rc.example}` : '';
    console.log(`    ${rc.workload} receipts, ${fmt(rc.checked)} sampled final txs: ${counts(rc.statuses) || 'none'}${outcomes}${why}`);
  }
  if (nodeSamples.length > 0) {
    const s = rssSlope(nodeSamples);
    const cpu = figures.find((f) => f.name === name('node CPU'))!;
    const rss = figures.find((f) => f.name === name('node RSS max'))!;
    const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n, 2)}`;
    const last = nodeSamples.at(-1)!;
    console.log(
      `    node: CPU median ${fmt(cpu.median)}% (max ${fmt(cpu.max)}%) of a core; RSS max ${fmt(rss.median)} MiB; RSS slope ${signed(s.mibPerMin)} MiB/min (from ${s.fromS} s): ` +
        `anon ${signed(rssSlope(nodeSamples, 'anonMiB').mibPerMin)}, file-backed ${signed(rssSlope(nodeSamples, 'fileMiB').mibPerMin)} MiB/min; at the end anon ${fmt(last.anonMiB)} + file-backed ${fmt(last.fileMiB)} MiB`,
    );
  } else console.log('    node CPU/RSS: n/a (not spawned; pass --node-pid to sample a local node)');
  if (withTxs.length > 0) {
    const txs = withTxs.reduce((a, b) => a + b.txs, 0) / withTxs.length;
    const bf = figures.at(-1)!;
    console.log(`    node's own block log: ${withTxs.length} blocks with txs, ${fmt(txs)} txs/block, build+commit median ${fmt(bf.median, 1)} ms (max ${fmt(bf.max, 1)} ms)`);
  }
  const la = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`    generator CPU ${fmt(p.generatorCpuPercent)}% of a core; load average ${la} (${os.cpus().length} cores, shared)`);
  for (const f of figures) printFigure(f);
  return figures;
}
