/**
 * Results files: a run replaces the figures it measured again and keeps the others, marked
 * with when and at which commit they were measured; the tables say so.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Figure } from '../../bench/figure.js';
import { mergeResults, refreshTables, writeResult, type Machine, type SuiteResult } from '../../bench/report.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'medchain-bench-report-'));
  dirs.push(d);
  return d;
};

const machineAt = (date: string, commit: string): Machine => ({ cpu: 'test cpu', cores: 2, memoryGiB: 24, node: 'v20', platform: 'linux-x64', date, commit });
const fig = (name: string, median: number): Figure => ({ name, unit: 'tx/s', median, min: median, max: median, repeats: 1, higherIsBetter: true });
const result = (figures: Figure[], date: string, commit: string): SuiteResult => ({ suite: 'load', machine: machineAt(date, commit), figures });
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'load.json'), 'utf8')) as SuiteResult;

describe('bench results files', () => {
  it('a run replaces what it measured again and keeps the rest, marked with its date and commit', () => {
    const dir = tempDir();
    const readme = path.join(dir, 'README-project.md');
    writeFileSync(readme, '# x\n<!-- bench:start -->\nold table\n<!-- bench:end -->\ntail\n');
    writeResult(dir, result([fig('transfer @max', 8000), fig('mix @max', 3000)], '2026-11-25T10:00:00.000Z', 'aaa1111'), readme);
    writeResult(dir, result([fig('transfer @max', 9000), fig('claims @max', 2500)], '2026-11-25T12:30:00.000Z', 'bbb2222'), readme);
    const merged = read(dir);
    expect(merged.machine.commit).toBe('bbb2222');
    expect(merged.figures.map((f) => [f.name, f.median, f.measured?.commit])).toEqual([
      ['transfer @max', 9000, undefined],
      ['claims @max', 2500, undefined],
      ['mix @max', 3000, 'aaa1111'],
    ]);
    // A third run keeps the carried figure's original date, not the second run's.
    writeResult(dir, result([fig('transfer @max', 9100)], '2026-11-25T14:00:00.000Z', 'ccc3333'), readme);
    expect(read(dir).figures.find((f) => f.name === 'mix @max')?.measured).toEqual({ date: '2026-11-25T10:00:00.000Z', commit: 'aaa1111' });
    const table = readFileSync(readme, 'utf8');
    expect(table).toMatch(/\| mix @max \(measured 2026-11-25 10:00 UTC, commit aaa1111\) \| 3,000 tx\/s/);
    expect(table).toMatch(/\| transfer @max \| 9,100 tx\/s/);
    expect(table).not.toMatch(/old table/);
    expect(table).toMatch(/tail\n$/);
    // Regenerating the tables changes nothing in the file.
    const before = readFileSync(path.join(dir, 'load.json'), 'utf8');
    refreshTables(dir, readme);
    expect(readFileSync(path.join(dir, 'load.json'), 'utf8')).toBe(before);
  });

  it('an unreadable or foreign earlier file is replaced, never merged', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'load.json'), '{ not json');
    writeResult(dir, result([fig('a', 1)], '2026-11-25T10:00:00.000Z', 'aaa1111'));
    expect(read(dir).figures.map((f) => f.name)).toEqual(['a']);
    const fresh = result([fig('b', 2)], '2026-11-25T11:00:00.000Z', 'bbb2222');
    expect(mergeResults({ ...fresh, suite: 'trie', figures: [fig('c', 3)] }, fresh)).toBe(fresh);
    expect(mergeResults({ ...fresh, figures: 'x' as never }, fresh)).toBe(fresh);
  });
});
