/**
 * `npm run bench -- load …` (issue 9): drives a dev node over WebSocket JSON-RPC as real
 * clients would and reports offered, accepted and finalized tx/s, latency to receipt and to
 * finality, rejections, and the node's CPU and RSS. See bench/load/args.ts for the flags.
 *
 * References in the same run: finalized tx/s against the offered rate (efficiency) and the
 * issue's target; the node's own per-block build+commit times from its log when spawned; for
 * read calls, the same connections calling `node_version` (the RPC framework's own cost).
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure, Suite } from '../figure.js';
import { parseLoadArgs, type LoadOptions } from '../load/args.js';
import { CALL_TARGET_CONNECTIONS, CALL_TARGET_PER_SEC, contractCall, reportCalls, runCalls } from '../load/callBench.js';
import { LoadError } from '../load/errors.js';
import { runTxPhase } from '../load/phase.js';
import { profileMarkdown, profilesOf, summarizeProfile, type ProfileWindow } from '../load/profileSummary.js';
import { RpcConnection } from '../load/rpcConnection.js';
import { SpawnedNode } from '../load/spawnNode.js';
import type { ChainInfo } from '../load/workloads/index.js';

const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'results');
/** Method of the call-mode reference: a constant answer, so it measures only the RPC framework. */
const CALL_REFERENCE_METHOD = 'node_version';

const log = (m: string) => console.log(`  ${m}`);
/** The suite's arguments as typed (quoted where needed), for the profile report. */
let commandLine = '';

/** Starts the target node of a phase (a fresh one per phase with --spawn). */
async function target(opts: LoadOptions): Promise<{ url: string; node?: SpawnedNode; nodePid?: number }> {
  if (opts.target.kind === 'url') return { url: opts.target.url, ...(opts.target.nodePid ? { nodePid: opts.target.nodePid } : {}) };
  // --conn-rate off lifts the generator's pacing; the spawned node's own per-connection limit goes with it.
  const node = await SpawnedNode.start({ ...opts.target, cliArgs: Number.isFinite(opts.connRate) ? [] : ['--rpc-rate', 'off'] });
  const from = opts.target.nodeCli ? `, cli ${opts.target.nodeCli}` : '';
  log(`spawned dev node pid ${node.pid} at ${node.url} (--block-ms ${opts.target.blockMs}${opts.target.nodeArgs.length ? `, node ${opts.target.nodeArgs.join(' ')}` : ''}${from})`);
  return { url: node.url, node };
}

/** Frames listed per worker thread: they only verify signatures, so a few say enough. */
const WORKER_TOP_FRAMES = 6;

/**
 * Stops a spawned node and, when it was profiled (`--node-args "--cpu-prof --cpu-prof-dir
 * <dir>"`), summarises each thread's profile over the measurement window into
 * bench/results/load-profile.md.
 */
async function stopTarget(opts: LoadOptions, t: { node?: SpawnedNode }, label: string, window?: ProfileWindow): Promise<void> {
  if (!t.node) return;
  const code = await t.node.stop();
  if (code !== 0) log(`warning: spawned node exited with ${code}:\n${t.node.logTail()}`);
  const dirIndex = opts.target.kind === 'spawn' ? opts.target.nodeArgs.indexOf('--cpu-prof-dir') : -1;
  if (opts.target.kind !== 'spawn' || dirIndex < 0) return;
  const files = profilesOf(opts.target.nodeArgs[dirIndex + 1], t.node.pid);
  if (files.length === 0) return log('warning: --cpu-prof-dir given but the node wrote no profile');
  const sections = files.map((f, i) => {
    const s = summarizeProfile(f, i === 0 ? 25 : WORKER_TOP_FRAMES, window);
    if (i > 0) {
      s.areas = s.areas.slice(0, WORKER_TOP_FRAMES);
      s.total = [];
    }
    return `## ${i === 0 ? 'Main thread' : `Worker thread ${i} (signature verification pool)`}\n\n${profileMarkdown(s)}`;
  });
  const md = sections.join('\n');
  console.log(md.replace(/^/gm, '    '));
  const header =
    `# Node CPU profile under load\n\nRun: \`npm run bench -- load ${commandLine}\` — phase ${label}; ` +
    `samples cut to the measurement window (no funding, pre-signing or drain); ${os.cpus().length} cores shared with the generator, ` +
    `load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${new Date().toISOString()}.\n\n`;
  writeFileSync(path.join(RESULTS_DIR, 'load-profile.md'), header + md);
  log('profile summary written to bench/results/load-profile.md');
}

async function txPhases(opts: LoadOptions): Promise<Figure[]> {
  if (opts.mode.kind !== 'tx') return [];
  const figures: Figure[] = [];
  let maxFinalized: number | undefined;
  for (const spec of opts.mode.rates) {
    const t = await target(opts);
    let label: string = spec.kind;
    let window: ProfileWindow | undefined;
    try {
      const r = await runTxPhase(opts, spec, { ...t, ...(maxFinalized !== undefined ? { maxFinalized } : {}), log });
      figures.push(...r.figures);
      label = r.figures[0]?.name.replace(/^load /, '').replace(/ — .*$/, '') ?? label;
      window = r.window;
      if (spec.kind === 'max') maxFinalized = r.finalizedPerSec;
    } finally {
      await stopTarget(opts, t, label, window);
    }
  }
  return figures;
}

async function callPhase(opts: LoadOptions): Promise<Figure[]> {
  if (opts.mode.kind !== 'call') return [];
  const t = await target(opts);
  const conns: RpcConnection[] = [];
  try {
    const control = await RpcConnection.open(t.url, { rate: opts.connRate });
    const { contractCall: cc, rpcMethod, params } = opts.mode;
    let subject: { method: string; paramsJson: string };
    try {
      const info = await control.call<ChainInfo>('chain_getInfo');
      subject = cc ? await contractCall(control, info, cc.contract, cc.method) : { method: rpcMethod!, paramsJson: JSON.stringify(params) };
    } finally {
      await control.close();
    }
    const n = opts.connections ?? 8;
    for (let i = 0; i < n; i++) conns.push(await RpcConnection.open(t.url, { rate: opts.connRate }));
    const paced = Number.isFinite(opts.connRate) ? `paced at ${opts.connRate} req/s per connection (the server's limit; --conn-rate off to lift)` : 'unpaced';
    log(`${n} connections × ${opts.window} outstanding, ${paced}, ${opts.durationMs / 1000} s each`);
    const progress = (m: string) => (t: number, calls: number, p99: number) =>
      opts.progress && console.log(`    t=${String(t).padStart(3)}s ${m} ${calls.toLocaleString('en-US')} calls/s p99 ${p99.toFixed(2)} ms`);
    const runOpts = (m: string) => ({ window: opts.window, durationMs: opts.durationMs, onSecond: progress(m) });
    const ref = reportCalls(`${CALL_REFERENCE_METHOD} (reference)`, await runCalls(conns, CALL_REFERENCE_METHOD, '[]', runOpts(CALL_REFERENCE_METHOD)), { connections: n });
    const label = cc ? `${cc.contract}.${cc.method}` : subject.method;
    const figs = reportCalls(label, await runCalls(conns, subject.method, subject.paramsJson, runOpts(label)), {
      connections: n,
      ...(cc && n === CALL_TARGET_CONNECTIONS ? { target: CALL_TARGET_PER_SEC } : {}),
    });
    figs[0].reference = ref[0].name;
    figs[0].ratio = figs[0].median / ref[0].median;
    console.log(`  ${label} vs ${CALL_REFERENCE_METHOD}: ${figs[0].ratio.toFixed(2)}x`);
    return [...ref, ...figs];
  } finally {
    await Promise.all(conns.map((c) => c.close()));
    await stopTarget(opts, t, 'calls');
  }
}

/** Separates scenarios of one invocation, so one command (and one results file) holds them all. */
const AND = '--and';

/** Splits `a… --and b… --and c…` into scenarios. */
function scenarios(args: readonly string[]): string[][] {
  const groups: string[][] = [[]];
  for (const a of args) {
    if (a === AND) groups.push([]);
    else groups[groups.length - 1].push(a);
  }
  return groups;
}

/**
 * The suite. Scenarios separated by `--and` run in turn (each parsed before any runs), e.g.
 * `--spawn --rate max,80% --and --spawn --mix consent=100 --and --spawn --call consent.check`.
 */
export const run: Suite = async (args) => {
  try {
    commandLine = args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ');
    const all = scenarios(args).map((g) => parseLoadArgs(g));
    const figures: Figure[] = [];
    for (const opts of all) {
      log(`${os.cpus().length} cores shared by node and generator; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
      figures.push(...(opts.mode.kind === 'call' ? await callPhase(opts) : await txPhases(opts)));
    }
    return figures;
  } catch (e) {
    // A usage or availability error is the whole message: the stack would only bury it.
    if (e instanceof LoadError) e.stack = `load: ${e.message}`;
    throw e;
  }
};
