/**
 * Top frames of a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function, and the
 * share of samples in each source area (core/, rpc/, node_modules/…), so a missed target can name
 * what limits it. Run alone: `node dist/bench/load/profileSummary.js <file.cpuprofile> [top]`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** One function's self time. */
export interface FrameShare {
  frame: string;
  selfPercent: number;
}

/** Where a profile's self time went. */
export interface ProfileSummary {
  file: string;
  totalMs: number;
  top: FrameShare[];
  areas: FrameShare[];
}

/** The area of a script URL: the repo folder (core/trie, rpc, …), a package, or node's internals. */
function areaOf(url: string): string {
  if (url === '') return '(native/VM)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return `npm ${nm[1]}`;
  const repo = /\/dist\/([^/]+\/(?:[^/]+\/)?)/.exec(url);
  return repo ? repo[1].replace(/[^/]+\.js\/?$/, '') : url;
}

/** Summarises a .cpuprofile file. */
export function summarizeProfile(file: string, top = 20): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number };
  const hits = new Map<number, number>();
  for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byFrame = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const h = hits.get(n.id) ?? n.hitCount ?? 0;
    if (h === 0) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const where = url ? `${url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFrame.set(key, (byFrame.get(key) ?? 0) + h);
    const area = functionName === '(idle)' ? '(idle)' : areaOf(url);
    byArea.set(area, (byArea.get(area) ?? 0) + h);
    total += h;
  }
  const share = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([frame, h]) => ({ frame, selfPercent: (h / total) * 100 }));
  return { file, totalMs: (p.endTime - p.startTime) / 1000, top: share(byFrame, top), areas: share(byArea, 15) };
}

/** The newest .cpuprofile in `dir`, if any. */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Markdown of a summary. */
export function profileMarkdown(s: ProfileSummary): string {
  const rows = (xs: FrameShare[]) => xs.map((x) => `| ${x.selfPercent.toFixed(1)}% | \`${x.frame}\` |`).join('\n');
  return `Profile \`${path.basename(s.file)}\`, ${(s.totalMs / 1000).toFixed(1)} s of samples.\n\n` +
    `Self time by area:\n\n| self | area |\n|---|---|\n${rows(s.areas)}\n\nTop frames by self time:\n\n| self | frame |\n|---|---|\n${rows(s.top)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node dist/bench/load/profileSummary.js <file.cpuprofile | dir> [top]');
    process.exit(2);
  }
  const f = statSync(file).isDirectory() ? newestProfile(file) : file;
  if (!f) {
    console.error(`no .cpuprofile in ${file}`);
    process.exit(1);
  }
  console.log(profileMarkdown(summarizeProfile(f, Number(process.argv[3] ?? 25))));
}
