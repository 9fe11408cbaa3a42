/**
 * Summary of a V8 `.cpuprofile` (from `node --cpu-prof`): self time by source area (core/trie,
 * rpc, npm packages…), the top functions by self time, and by total time (self + callees), so
 * a missed target can name what limits it. Samples can be cut to a window on the monotonic
 * clock, which V8 shares with `process.hrtime` in every process of the machine.
 * Alone: `node dist/bench/load/profileSummary.js <file.cpuprofile> [top]`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** One function's or area's share of the samples. */
export interface FrameShare {
  frame: string;
  percent: number;
}

/** Where a profile's time went. */
export interface ProfileSummary {
  file: string;
  /** Span of the summarised samples. */
  totalMs: number;
  samples: number;
  areas: FrameShare[];
  self: FrameShare[];
  total: FrameShare[];
}

/** A time window in CLOCK_MONOTONIC microseconds (`process.hrtime.bigint() / 1000n`). */
export interface ProfileWindow {
  fromUs: number;
  toUs: number;
}

/** Whether a frame is medchain's own code (the total-time table lists only these: stream and event plumbing would crowd it). */
function isOurs(n: ProfileNode): boolean {
  return n.callFrame.url.includes('/dist/') && !n.callFrame.url.includes('node_modules');
}

/** The current CLOCK_MONOTONIC time in µs. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** The area of a script URL: the repo folder (core/trie, rpc…), an npm package, or node's internals. */
function areaOf(url: string, functionName: string): string {
  if (functionName === '(idle)') return '(idle)';
  if (url === '') return functionName === '(garbage collector)' ? '(garbage collector)' : '(native/VM)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm ${nm[1]}`;
  const repo = /\/dist\/([^/]+)\/(?:([^/]+)\/)?[^/]*$/.exec(url);
  return repo ? (repo[2] ? `${repo[1]}/${repo[2]}` : repo[1]) : url;
}

function frameKey(n: ProfileNode): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url ? ` ${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'}${where}`;
}

/** Summarises a .cpuprofile; with a `window`, only samples inside it count. */
export function summarizeProfile(file: string, top = 20, window?: ProfileWindow): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const hits = new Map<number, number>();
  let t = p.startTime;
  let samples = 0;
  p.samples.forEach((id, i) => {
    t += p.timeDeltas[i] ?? 0;
    if (window && (t < window.fromUs || t > window.toUs)) return;
    hits.set(id, (hits.get(id) ?? 0) + 1);
    samples++;
  });
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, h: number) => m.set(k, (m.get(k) ?? 0) + h);
  for (const [id, h] of hits) {
    const n = byId.get(id)!;
    add(self, frameKey(n), h);
    add(areas, areaOf(n.callFrame.url, n.callFrame.functionName), h);
    const seen = new Set<string>(); // a recursive function counts once per sample
    for (let a: number | undefined = id; a !== undefined; a = parent.get(a)) {
      const node = byId.get(a)!;
      const k = frameKey(node);
      if (!seen.has(k) && isOurs(node)) add(total, k, h);
      seen.add(k);
    }
  }
  const share = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([frame, h]) => ({ frame, percent: (h / Math.max(1, samples)) * 100 }));
  const spanUs = window ? Math.min(window.toUs, p.endTime) - Math.max(window.fromUs, p.startTime) : p.endTime - p.startTime;
  return { file, totalMs: spanUs / 1000, samples, areas: share(areas, 15), self: share(self, top), total: share(total, top) };
}

/**
 * The profiles process `pid` wrote to `dir`, main thread first: Node names them
 * CPU.<date>.<time>.<pid>.<threadId>.<seq>.cpuprofile, one per thread (workers included).
 */
export function profilesOf(dir: string, pid: number): string[] {
  const re = new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.(\\d+)\\.\\d+\\.cpuprofile$`);
  return readdirSync(dir)
    .map((f) => ({ f, m: re.exec(f) }))
    .filter((x) => x.m !== null)
    .sort((a, b) => Number(a.m![1]) - Number(b.m![1]))
    .map((x) => path.join(dir, x.f));
}

/** Markdown of a summary. */
export function profileMarkdown(s: ProfileSummary): string {
  const rows = (xs: FrameShare[]) => xs.map((x) => `| ${x.percent.toFixed(1)}% | \`${x.frame}\` |`).join('\n');
  return (
    `Profile \`${path.basename(s.file)}\`: ${s.samples.toLocaleString('en-US')} samples over ${(s.totalMs / 1000).toFixed(1)} s.\n\n` +
    `Self time by area:\n\n| self | area |\n|---|---|\n${rows(s.areas)}\n\n` +
    `Top functions by self time:\n\n| self | function |\n|---|---|\n${rows(s.self)}\n\n` +
    (s.total.length ? `medchain functions by total time (self + callees; async functions count only their synchronous slices):\n\n| total | function |\n|---|---|\n${rows(s.total)}\n` : '')
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/load/profileSummary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(profileMarkdown(summarizeProfile(file, Number(process.argv[3] ?? 25))));
}
