import { describe, expect, it } from 'vitest';
import { NodeStatsSampler, slope, type NodeSample } from '../../../bench/load/nodeStats.js';
import { rssSlope } from '../../../bench/load/report.js';

describe('NodeStatsSampler', () => {
  it('splits the RSS of a live process into its anonymous and file-backed parts', () => {
    const s = new NodeStatsSampler(process.pid).sample()!;
    expect(s.rssMiB).toBeGreaterThan(10);
    expect(s.anonMiB).toBeGreaterThan(1);
    expect(s.fileMiB).toBeGreaterThan(1);
    // VmRSS = RssAnon + RssFile + RssShmem (proc(5)); shared memory is small here
    expect(s.anonMiB + s.fileMiB).toBeLessThanOrEqual(s.rssMiB + 0.01);
    expect(s.anonMiB + s.fileMiB).toBeGreaterThan(s.rssMiB * 0.9);
  });

  it('skips a process that is gone instead of failing the run', () => {
    const gone = new NodeStatsSampler(2 ** 22 + 1);
    expect(gone.sample()).toBeUndefined();
    expect(gone.samples).toEqual([]);
  });
});

describe('rssSlope', () => {
  const at = (tS: number, anon: number, file: number): NodeSample => ({ t: tS * 1000, cpuPercent: 0, rssMiB: anon + file, anonMiB: anon, fileMiB: file });

  it('measures each part after the first minute of a long run, ignoring the warm-up', () => {
    // anon climbs for a minute then holds; the mapped database grows 10 MiB/min throughout
    const samples = Array.from({ length: 600 }, (_, i) => at(i + 1, Math.min(i + 1, 60) * 5, ((i + 1) * 10) / 60));
    expect(rssSlope(samples, 'anonMiB')).toEqual({ mibPerMin: 0, fromS: 60 });
    expect(rssSlope(samples, 'fileMiB').mibPerMin).toBeCloseTo(10, 6);
    expect(rssSlope(samples).mibPerMin).toBeCloseTo(10, 6);
  });

  it('uses the second half of a short run, and 0 without two points', () => {
    expect(rssSlope([at(1, 100, 0), at(2, 100, 0), at(3, 130, 0), at(4, 160, 0)]).fromS).toBe(2);
    expect(rssSlope([at(1, 100, 0)]).mibPerMin).toBe(0);
    expect(slope([])).toBe(0);
  });
});
