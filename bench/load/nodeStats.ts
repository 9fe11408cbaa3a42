/**
 * CPU and memory of the node process from /proc (Linux): utime + stime from /proc/<pid>/stat
 * (proc(5) fields 14 and 15, in clock ticks, all threads included: the sig-verify pool's too)
 * and VmRSS from /proc/<pid>/status, split into RssAnon (memory the process allocated: V8
 * heaps of every thread, LevelDB's memtables and block cache, malloc) and RssFile (file pages
 * mapped and touched: the node binary, and LevelDB's table files, which it reads through mmap,
 * so this part grows with the database and the kernel can reclaim it).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc times; 100 on every mainstream Linux, asked of getconf once. */
const CLK_TCK = readClockTicks();

function readClockTicks(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
    return Number.isInteger(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** One sample of the node process. */
export interface NodeSample {
  /** Milliseconds since the sampler started. */
  t: number;
  /** CPU use since the previous sample, percent of one core (200% = both of 2 cores). */
  cpuPercent: number;
  /** Resident set size, MiB. */
  rssMiB: number;
  /** Its anonymous part (RssAnon), MiB. */
  anonMiB: number;
  /** Its file-backed part (RssFile), MiB. */
  fileMiB: number;
}

/** Samples a process by pid; every read of a vanished process is skipped, not fatal. */
export class NodeStatsSampler {
  readonly pid: number;
  readonly samples: NodeSample[] = [];
  readonly #start = performance.now();
  #lastTicks: number | undefined;
  #lastAt = 0;

  constructor(pid: number) {
    this.pid = pid;
  }

  /** Takes a sample (call about once a second); undefined if /proc cannot be read. */
  sample(): NodeSample | undefined {
    let stat: string;
    let status: string;
    try {
      stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    } catch {
      return undefined;
    }
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status)?.[1] ?? NaN);
    const now = performance.now();
    const cpuPercent = this.#lastTicks === undefined ? 0 : (((ticks - this.#lastTicks) / CLK_TCK) * 100_000) / Math.max(1, now - this.#lastAt);
    this.#lastTicks = ticks;
    this.#lastAt = now;
    const s = { t: now - this.#start, cpuPercent, rssMiB: kib('VmRSS') / 1024, anonMiB: kib('RssAnon') / 1024, fileMiB: kib('RssFile') / 1024 };
    this.samples.push(s);
    return s;
  }
}

/** Least-squares slope of y over x (per unit of x); 0 with fewer than two points. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
