/** Flags of `npm run bench -- load …`, parsed into LoadOptions with errors that name the flag. */
import { REQUESTS_PER_SECOND } from '../../rpc/limits.js';
import { LoadError } from './errors.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads/types.js';

/** Default endpoint: the node's default RPC address (design §9). */
export const DEFAULT_URL = 'ws://127.0.0.1:8546';
/** Default run length: the 60 s sustained figure. */
export const DEFAULT_DURATION_MS = 60_000;
/**
 * Default `--block-ms` of a spawned node: the dev default (500) makes latency ≥ half a second
 * before any work; 200 ms keeps p99 send→final well under the 1 s target while a block still
 * amortises its fixed cost (one LevelDB batch, one trie commit) over ~1,000 txs at 5,000 tx/s.
 */
export const DEFAULT_SPAWN_BLOCK_MS = 200;
/** Closed-loop tx_send requests outstanding per connection (the server allows 256 in flight). */
export const DEFAULT_WINDOW = 64;
/**
 * Closed-loop cap on sent-but-not-final txs: below the mempool's 50,000 so the pool never
 * fills, and above rate × latency (10,000 tx/s × ~1 s) so the cap does not throttle the node.
 */
export const DEFAULT_MAX_PENDING = 20_000;
/** Time after the run for accepted txs to finalize before they are counted as lost. */
export const DEFAULT_DRAIN_MS = 15_000;

/** How fast to offer transactions in one phase, and for how long when not `--duration`. */
export type RateSpec = { durationMs?: number } & (
  | { kind: 'fixed'; txPerSec: number }
  | { kind: 'max' }
  /** A percentage of the finalized rate measured by the preceding `max` phase of the same run. */
  | { kind: 'percentOfMax'; percent: number }
);

/** One workload and its share of the senders (and so of the txs). */
export interface MixEntry {
  name: WorkloadName;
  weight: number;
}

/** What the run targets: a node it starts itself, or one already running. */
export type LoadTarget =
  /** `nodeCli`: another build's dist/node/cli.js (default: this checkout's). */
  | { kind: 'spawn'; blockMs: number; nodeArgs: string[]; nodeCli?: string }
  | { kind: 'url'; url: string; nodePid?: number };

/** What the run does: offer txs, or measure a read method's throughput. */
export type LoadMode =
  | { kind: 'tx'; mix: MixEntry[]; rates: RateSpec[] }
  | { kind: 'call'; contractCall?: { contract: string; method: string }; rpcMethod?: string; params: unknown[] };

/** Everything a load run needs, from the flags. */
export interface LoadOptions {
  target: LoadTarget;
  mode: LoadMode;
  durationMs: number;
  /** Connections; undefined = enough for the rate under the server's per-connection limit. */
  connections?: number;
  /** Sender accounts; undefined = rate × expected latency / 32 (see accounts.ts). */
  senders?: number;
  window: number;
  maxPending: number;
  /** Client-side pacing per connection, requests/s (Infinity = off). */
  connRate: number;
  drainMs: number;
  progress: boolean;
  /** Whether phases carry issue 9's dev-node targets (off when another suite, e.g. testnet, judges them by its own). */
  targets: boolean;
}

/** Usage text, printed with every argument error. */
export const USAGE = `usage: npm run bench -- load [--spawn [--block-ms 200] [--node-args "<flags>"] [--node-cli <dist/node/cli.js>] | --url ws://host:port [--node-pid <pid>]]
         [--mix transfer=60,consent=20,claim=20] [--rate <tx/s|max|N%>[,…]] [--duration 60s]
         [--connections <n>] [--senders <n>] [--window <n>] [--max-pending <n>] [--conn-rate <n|off>]
         [--drain 15s] [--quiet] [--no-targets]
       npm run bench -- load (--call <contract.method> | --rpc-method <name> [--params '<json array>']) [--duration 10s] [--connections 8] [--window <n>]
  --and       separates scenarios run in turn by one invocation (one results file), e.g. … --and --spawn --call consent.check
  --rate      phases run in turn, each on a fresh node with --spawn; N% is N percent of the finalized
              rate of the preceding max phase; rate:duration overrides --duration, e.g. --rate max,80%:10m`;

function bad(flag: string, message: string): LoadError {
  return new LoadError('LOAD_BAD_ARGS', `${flag}: ${message}\n${USAGE}`, { flag });
}

/** Parses "60s", "500ms", "2m" or a plain number of seconds into milliseconds. */
export function parseDuration(v: string, flag: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
  if (!m) throw bad(flag, `"${v}" is not a duration (e.g. 60s, 500ms, 2m)`);
  const n = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (!(n >= 1)) throw bad(flag, `"${v}" is shorter than 1 ms`);
  return Math.round(n);
}

function positiveInt(v: string, flag: string, max = 1e9): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1 || n > max) throw bad(flag, `expected an integer in 1..${max}, got "${v}"`);
  return n;
}

/** A user's value as quoted in an error: cut short, so hostile input cannot flood the message. */
function shown(v: string): string {
  return v.length > 40 ? v.slice(0, 40) + '…' : v;
}

/** Parses `transfer=60,consent=20,claim=20`; a bare name means weight 1. */
export function parseMix(v: string): MixEntry[] {
  const out: MixEntry[] = [];
  for (const part of v.split(',')) {
    const [name, weightText = '1', extra] = part.trim().split('=');
    if (extra !== undefined || name === '') throw bad('--mix', `"${shown(part)}" is not name=weight`);
    if (!(WORKLOAD_NAMES as readonly string[]).includes(name)) {
      throw bad('--mix', `unknown workload "${shown(name)}" (known: ${WORKLOAD_NAMES.join(', ')})`);
    }
    if (out.some((e) => e.name === name)) throw bad('--mix', `workload "${name}" appears twice`);
    const weight = Number(weightText);
    // Number.isFinite: "9" × 400 matches the pattern but is Infinity, which would poison the sender split.
    if (!/^\d+(\.\d+)?$/.test(weightText) || !Number.isFinite(weight) || weight < 0) {
      throw bad('--mix', `weight of ${name} must be a finite non-negative number, got "${shown(weightText)}"`);
    }
    if (weight > 0) out.push({ name: name as WorkloadName, weight });
  }
  if (out.length === 0) throw bad('--mix', 'every weight is 0');
  return out;
}

/** Parses `--rate 5000`, `max`, `max,80%`, `max,80%:10m` (a phase may carry its own duration). */
export function parseRates(v: string): RateSpec[] {
  const rates = v.split(',').map((part): RateSpec => {
    const [p, durationText, extra] = part.trim().split(':');
    if (extra !== undefined) throw bad('--rate', `"${part}" has more than one ":duration"`);
    const own = durationText === undefined ? {} : { durationMs: parseDuration(durationText, '--rate') };
    if (p === 'max') return { kind: 'max', ...own };
    const pct = /^(\d+(?:\.\d+)?)%$/.exec(p);
    if (pct) {
      const percent = Number(pct[1]);
      if (!(percent > 0 && percent <= 1000)) throw bad('--rate', `"${p}" must be a percentage in (0, 1000]`);
      return { kind: 'percentOfMax', percent, ...own };
    }
    const n = Number(p);
    if (!/^\d+(\.\d+)?$/.test(p) || !(n > 0) || n > 1e7) throw bad('--rate', `"${p}" is not a rate in tx/s, "max" or "N%"`);
    return { kind: 'fixed', txPerSec: n, ...own };
  });
  rates.forEach((r, i) => {
    if (r.kind === 'percentOfMax' && !rates.slice(0, i).some((x) => x.kind === 'max')) {
      throw bad('--rate', `${r.percent}% needs a preceding max phase to be a percentage of (e.g. --rate max,${r.percent}%)`);
    }
  });
  return rates;
}

/** Parses the arguments after `load`. */
export function parseLoadArgs(argv: readonly string[]): LoadOptions {
  const flags = new Map<string, string>();
  const booleans = new Set(['--spawn', '--quiet', '--no-targets']);
  const known = new Set([
    '--url', '--spawn', '--block-ms', '--node-args', '--node-cli', '--node-pid', '--mix', '--rate', '--duration', '--connections', '--senders',
    '--window', '--max-pending', '--conn-rate', '--drain', '--quiet', '--no-targets', '--call', '--rpc-method', '--params',
  ]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (!known.has(name)) throw bad(a, 'unknown flag');
    if (flags.has(name)) throw bad(name, 'given twice');
    if (booleans.has(name)) {
      if (eq > 0) throw bad(name, 'takes no value');
      flags.set(name, '');
    } else if (eq > 0) flags.set(name, a.slice(eq + 1));
    else {
      const v = argv[++i];
      if (v === undefined || (v.startsWith('--') && name !== '--node-args')) throw bad(name, 'needs a value');
      flags.set(name, v);
    }
  }
  const get = (k: string) => flags.get(k);
  const spawn = flags.has('--spawn');
  for (const k of ['--block-ms', '--node-args', '--node-cli']) if (!spawn && flags.has(k)) throw bad(k, 'only applies with --spawn');
  if (spawn && flags.has('--url')) throw bad('--url', 'conflicts with --spawn (the spawned node has its own url)');
  if (spawn && flags.has('--node-pid')) throw bad('--node-pid', 'conflicts with --spawn (the spawned node is sampled already)');
  const target: LoadTarget = spawn
    ? {
        kind: 'spawn',
        blockMs: get('--block-ms') === undefined ? DEFAULT_SPAWN_BLOCK_MS : positiveInt(get('--block-ms')!, '--block-ms', 3_600_000),
        nodeArgs: (get('--node-args') ?? '').split(/\s+/).filter((s) => s !== ''),
        ...(flags.has('--node-cli') ? { nodeCli: get('--node-cli')! } : {}),
      }
    : { kind: 'url', url: parseUrl(get('--url') ?? DEFAULT_URL), ...(flags.has('--node-pid') ? { nodePid: positiveInt(get('--node-pid')!, '--node-pid', 2 ** 22) } : {}) };
  const mode = parseMode(flags);
  const connRateText = get('--conn-rate');
  return {
    target,
    mode,
    durationMs: get('--duration') === undefined ? (mode.kind === 'call' ? 10_000 : DEFAULT_DURATION_MS) : parseDuration(get('--duration')!, '--duration'),
    ...(flags.has('--connections') ? { connections: positiveInt(get('--connections')!, '--connections', 1000) } : {}),
    ...(flags.has('--senders') ? { senders: positiveInt(get('--senders')!, '--senders', 100_000) } : {}),
    window: flags.has('--window') ? positiveInt(get('--window')!, '--window', 256) : mode.kind === 'call' ? 1 : DEFAULT_WINDOW,
    maxPending: flags.has('--max-pending') ? positiveInt(get('--max-pending')!, '--max-pending', 1_000_000) : DEFAULT_MAX_PENDING,
    connRate: connRateText === undefined ? REQUESTS_PER_SECOND : connRateText === 'off' ? Infinity : positiveInt(connRateText, '--conn-rate', 1e7),
    drainMs: flags.has('--drain') ? parseDuration(get('--drain')!, '--drain') : DEFAULT_DRAIN_MS,
    progress: !flags.has('--quiet'),
    targets: !flags.has('--no-targets'),
  };
}

function parseUrl(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw bad('--url', `"${v}" is not a URL`);
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw bad('--url', `"${v}" must be a ws:// or wss:// URL`);
  return v;
}

function parseMode(flags: Map<string, string>): LoadMode {
  const call = flags.get('--call');
  const method = flags.get('--rpc-method');
  if (call !== undefined && method !== undefined) throw bad('--call', 'conflicts with --rpc-method (pick one)');
  if (call === undefined && method === undefined) {
    if (flags.has('--params')) throw bad('--params', 'only applies with --rpc-method');
    return { kind: 'tx', mix: parseMix(flags.get('--mix') ?? 'transfer=100'), rates: parseRates(flags.get('--rate') ?? 'max') };
  }
  for (const k of ['--mix', '--senders', '--max-pending', '--drain']) if (flags.has(k)) throw bad(k, 'does not apply to --call/--rpc-method');
  const rate = flags.get('--rate');
  if (rate !== undefined && rate !== 'max') throw bad('--rate', 'call throughput runs closed-loop: only "max" applies');
  if (call !== undefined) {
    if (flags.has('--params')) throw bad('--params', 'only applies with --rpc-method (--call builds its own arguments)');
    const m = /^([a-z][a-zA-Z0-9]*)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(call);
    if (!m) throw bad('--call', `"${call}" is not contract.method (e.g. consent.check)`);
    return { kind: 'call', contractCall: { contract: m[1], method: m[2] }, params: [] };
  }
  if (!/^[A-Za-z_.][A-Za-z0-9_.]*$/.test(method!)) throw bad('--rpc-method', `"${method}" is not a method name`);
  let params: unknown = [];
  if (flags.has('--params')) {
    try {
      params = JSON.parse(flags.get('--params')!);
    } catch (e) {
      throw bad('--params', `not JSON: ${(e as Error).message}`);
    }
    if (!Array.isArray(params)) throw bad('--params', 'expected a JSON array of positional params');
  }
  return { kind: 'call', rpcMethod: method!, params: params as unknown[] };
}
