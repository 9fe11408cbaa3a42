/**
 * Builds genesis/dev.json: the dev chain (chain id medchain-dev, dev account 0 as its one
 * validator and regulator, dev accounts 0–9 funded with 10^12) with the medical contracts
 * compiled from genesis/contracts/*.mc. The compiled containers go INTO the file, so the
 * dev genesis hash never depends on a local compiler run; test/contracts/devGenesis.test.ts
 * checks that the committed file equals a fresh build, so sources and bytecode never drift.
 *
 *   node dist/genesis/buildDevGenesis.js            rewrite genesis/dev.json
 *   node dist/genesis/buildDevGenesis.js --check    exit 1 if genesis/dev.json is stale
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { devKey } from '../core/crypto/index.js';
import { toHex } from '../core/encoding/index.js';
import { compile } from '../vm/index.js';

/** The genesis contracts, in deployment order (their addresses depend on the name only). */
export const GENESIS_CONTRACT_NAMES = ['registry', 'consent', 'records', 'claims', 'validators', 'supplychain', 'surveillance'] as const;

/** Dev chain parameters (design §3: dev keys are public; never use them on a real chain). */
const DEV_CHAIN_ID = 'medchain-dev';
/** 2026-01-01T00:00:00Z: fixed so the dev genesis hash is the same everywhere. */
const DEV_GENESIS_TIME_MS = 1_767_225_600_000;
const DEV_BLOCK_GAS_LIMIT = 50_000_000;
const DEV_BLOCK_INTERVAL_MS = 500;
const DEV_ACCOUNTS = 10;
const DEV_BALANCE = 1_000_000_000_000;

/** A genesis contract entry as the genesis file holds it. */
export interface GenesisContractJson {
  name: string;
  code: string;
}

/** The repository root: this file runs from genesis/ (tests) or dist/genesis/ (the script). */
export function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('buildDevGenesis: no package.json above this file');
    dir = up;
  }
  return dir;
}

/** Compiles genesis/contracts/<name>.mc for every genesis contract. */
export function compileGenesisContracts(root = repoRoot()): GenesisContractJson[] {
  return GENESIS_CONTRACT_NAMES.map((name) => {
    const source = readFileSync(path.join(root, 'genesis', 'contracts', `${name}.mc`), 'utf8');
    return { name, code: toHex(compile(source).code) };
  });
}

/** The dev genesis JSON with `contracts`. */
export function devGenesisJson(contracts: GenesisContractJson[]): Record<string, unknown> {
  const dev = Array.from({ length: DEV_ACCOUNTS }, (_, i) => devKey(i));
  return {
    chainId: DEV_CHAIN_ID,
    timeMs: DEV_GENESIS_TIME_MS,
    blockGasLimit: DEV_BLOCK_GAS_LIMIT,
    blockIntervalMs: DEV_BLOCK_INTERVAL_MS,
    validators: [{ publicKey: toHex(dev[0].publicKey), power: 1 }],
    accounts: dev.map((k) => ({ address: toHex(k.address), balance: DEV_BALANCE })),
    regulators: [toHex(dev[0].address)],
    contracts,
  };
}

/** genesis/dev.json's exact text, freshly built from the contract sources. */
export function devGenesisText(root = repoRoot()): string {
  return JSON.stringify(devGenesisJson(compileGenesisContracts(root)), null, 2) + '\n';
}

function main(argv: string[]): number {
  const root = repoRoot();
  const file = path.join(root, 'genesis', 'dev.json');
  const text = devGenesisText(root);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (argv.includes('--check')) {
    if (current === text) return 0;
    console.error(`${file} is stale: run node dist/genesis/buildDevGenesis.js`);
    return 1;
  }
  writeFileSync(file, text);
  console.log(current === text ? `${file} is up to date` : `wrote ${file}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
