/**
 * `npm run bench -- <suite…> [--compare old.json] [--threshold 0.1]` (or `-- --tables` to only
 * regenerate the README tables from bench/results/): runs benchmark suites
 * (no suite = all micro suites), prints each figure with its in-run reference ratio, writes
 * `bench/results/<suite>.json` and refreshes the README tables.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Suite } from './figure.js';
import { compare, machine, refreshTables, writeResult, type SuiteResult } from './report.js';

/** Micro suites run when no suite is named; heavier ones must be asked for. */
const MICRO_SUITES = ['encoding', 'crypto', 'sigpool', 'trie', 'block', 'vm', 'rpc'];
const ALL_SUITES = [...MICRO_SUITES, 'load', 'testnet'];

const here = path.dirname(fileURLToPath(import.meta.url));
// dist/bench -> repository root
const repoRoot = path.resolve(here, '..', '..');
const resultsDir = path.join(repoRoot, 'bench', 'results');

async function loadSuite(name: string): Promise<Suite | undefined> {
  try {
    const mod = (await import(`./suites/${name}.js`)) as { run: Suite };
    return mod.run;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--tables')) {
    // Regenerate the README tables from bench/results/ without measuring anything.
    refreshTables(resultsDir, path.join(repoRoot, 'README.md'));
    return 0;
  }
  const suites: string[] = [];
  const rest: string[] = [];
  let compareFile: string | undefined;
  let threshold = 0.1;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--compare') compareFile = argv[++i];
    else if (a === '--threshold') threshold = Number(argv[++i]);
    else if (!a.startsWith('-') && ALL_SUITES.includes(a) && rest.length === 0) suites.push(a);
    else rest.push(a);
  }
  if (!Number.isFinite(threshold) || threshold < 0) throw new RangeError('--threshold must be a non-negative fraction');
  const chosen = suites.length > 0 ? suites : MICRO_SUITES;
  let regressions: string[] = [];
  for (const name of chosen) {
    const run = await loadSuite(name);
    if (!run) {
      console.log(`suite ${name}: not implemented yet`);
      continue;
    }
    console.log(`suite ${name}`);
    const result: SuiteResult = { suite: name, machine: machine(), figures: await run(rest) };
    writeResult(resultsDir, result, path.join(repoRoot, 'README.md'));
    if (compareFile) {
      const old = JSON.parse(readFileSync(compareFile, 'utf8')) as SuiteResult;
      if (old.suite === name) regressions = regressions.concat(compare(old, result, threshold));
    }
  }
  if (regressions.length > 0) {
    console.error(`regressions over ${(threshold * 100).toFixed(0)}%: ${regressions.join(', ')}`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
