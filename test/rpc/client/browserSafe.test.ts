/**
 * The client SDK must run in a browser: everything reachable from rpc/client/index.ts (source
 * and compiled) imports no Node built-in, no `ws`/`classic-level`/`piscina`/`msgpackr`, none of
 * core's node:crypto / LevelDB modules, and uses no Node globals.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const NODE_ONLY_PACKAGES = ['ws', 'classic-level', 'piscina', 'msgpackr', 'benchmark'];
/** Third-party packages the client may use: the isomorphic noble libraries (design §3). */
const ALLOWED_PACKAGES = [/^@noble\/ed25519$/, /^@noble\/hashes\/[a-z0-9]+\.js$/];
/** core modules that import node:crypto, LevelDB or worker threads, directly or not. */
const NODE_CORE_DIRS = ['crypto', 'store', 'trie', 'sigpool', 'state', 'chain', 'tx', 'block', 'execution', 'mempool', 'genesis', 'consensus'];

const IMPORT_RE = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}])\/\/.*$/gm, '$1');
}

/** Every file reachable from `entry` by relative imports, and every bare specifier seen. */
function walk(entry: string, ext: '.ts' | '.js'): { files: string[]; bare: Array<{ spec: string; from: string }> } {
  const seen = new Set<string>();
  const bare: Array<{ spec: string; from: string }> = [];
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const src = stripComments(readFileSync(file, 'utf8'));
    for (const m of src.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2];
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), ext === '.ts' ? spec.replace(/\.js$/, '.ts') : spec);
        expect(existsSync(target), `${path.relative(ROOT, file)} imports missing ${spec}`).toBe(true);
        queue.push(target);
      } else bare.push({ spec, from: path.relative(ROOT, file) });
    }
  }
  return { files: [...seen].map((f) => path.relative(ROOT, f)), bare };
}

function violations(graph: ReturnType<typeof walk>, root: 'rpc' | 'dist/rpc'): string[] {
  const out: string[] = [];
  const builtins = new Set(builtinModules);
  for (const { spec, from } of graph.bare) {
    if (spec.startsWith('node:') || builtins.has(spec)) out.push(`${from}: Node built-in ${spec}`);
    else if (NODE_ONLY_PACKAGES.includes(spec.split('/')[0])) out.push(`${from}: Node-only package ${spec}`);
    else if (!ALLOWED_PACKAGES.some((re) => re.test(spec))) out.push(`${from}: unexpected package ${spec}`);
  }
  const coreRoot = root === 'rpc' ? 'core' : 'dist/core';
  for (const f of graph.files) {
    const parts = f.split(path.sep);
    const inCore = f.startsWith(coreRoot + path.sep);
    if (inCore && NODE_CORE_DIRS.includes(parts[coreRoot.split('/').length])) out.push(`reaches ${f}`);
    if (!inCore && !f.startsWith(path.join(root, 'client') + path.sep)) out.push(`reaches ${f} outside rpc/client and core`);
    const src = stripComments(readFileSync(path.join(ROOT, f), 'utf8'));
    for (const g of [/\bBuffer\s*\./, /\bprocess\s*\./, /\brequire\s*\(/, /\b__dirname\b/, /\bsetImmediate\s*\(/]) {
      if (g.test(src)) out.push(`${f} uses a Node global (${g.source})`);
    }
  }
  return out;
}

describe('rpc/client is browser-safe', () => {
  it('the source import graph from rpc/client/index.ts reaches nothing Node-only', () => {
    const graph = walk(path.join(ROOT, 'rpc/client/index.ts'), '.ts');
    expect(graph.files).toContain(path.join('rpc', 'client', 'txBuilder.ts'));
    expect(graph.files).toContain(path.join('core', 'encoding', 'encode.ts'));
    expect(violations(graph, 'rpc')).toEqual([]);
  });

  it('so does the compiled graph from dist/rpc/client/index.js', () => {
    const entry = path.join(ROOT, 'dist/rpc/client/index.js');
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" (npm test does it first)`);
    const graph = walk(entry, '.js');
    expect(graph.bare.map((b) => b.spec)).toContain('@noble/ed25519');
    expect(violations(graph, 'dist/rpc')).toEqual([]);
  });

  it('the check itself catches a Node-only import (core/tx → core/crypto → node:crypto)', () => {
    const graph = walk(path.join(ROOT, 'core/tx/index.ts'), '.ts');
    const found = violations(graph, 'rpc');
    expect(found.some((v) => v.includes('node:crypto'))).toBe(true);
    expect(found.some((v) => v.includes(path.join('core', 'crypto')))).toBe(true);
  });
});
