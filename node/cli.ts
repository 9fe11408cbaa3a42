#!/usr/bin/env node
/** The `medchain` command line: run a node, make keys and chains. */
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { devKey } from '../core/crypto/index.js';
import { toHex } from '../core/encoding/index.js';
import { MedchainError } from '../core/errors.js';
import { parseGenesis } from '../core/genesis/index.js';
import { DEFAULT_BLOCK_MS, DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, devGenesis, loadConfigFile } from './config.js';
import { NodeError } from './errors.js';
import { keyPair, newKeyPair, writeKeyFile } from './keyFile.js';
import { createLogger, type Logger } from './logger.js';
import { MedchainNode, type NodeConfig } from './node.js';

const USAGE = `medchain — a permissioned blockchain node for a health-care consortium

usage: medchain <command> [options]

commands:
  dev                   run a single-validator dev node (dev genesis, dev key 0)
      --data-dir <dir>      data directory (default ./data/dev)
      --rpc-host <host>     RPC listen address (default ${DEFAULT_RPC_HOST})
      --rpc-port <port>     RPC port (default ${DEFAULT_RPC_PORT}; 0 = any free port)
      --block-ms <ms>       how often to make a block when txs wait (default ${DEFAULT_BLOCK_MS})
      --empty-block-ms <ms> longest gap between blocks (default 10000)
      --log-json            JSON log lines
  start --config <file> run a node from a config file
  init                  create a new chain: genesis, validator key and config
      --chain-id <id>       chain id (required)
      --out <dir>           where to write genesis.json, key.json, config.json (required)
      --balance <n>         initial balance of the validator's account (default 0)
  keys new [--out file] make a new Ed25519 key (printed, or written to a 0600 file)
  help                  print this message`;

function int(v: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new NodeError('NODE_BAD_FLAG', `${flag} must be an integer in ${min}..${max}`, { field: flag });
  }
  return n;
}

/** Runs a node until SIGINT/SIGTERM, then stops it cleanly. */
async function runNode(config: NodeConfig, logger: Logger): Promise<number> {
  const node = await MedchainNode.start(config, { logger });
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      node.stop().then(
        () => resolve(0),
        (e) => {
          logger.error('shutdown failed', {}, e);
          resolve(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

async function dev(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string', default: './data/dev' },
      'rpc-host': { type: 'string', default: DEFAULT_RPC_HOST },
      'rpc-port': { type: 'string' },
      'block-ms': { type: 'string' },
      'empty-block-ms': { type: 'string' },
      'log-json': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const logger = createLogger({ json: values['log-json'] });
  const config: NodeConfig = {
    dataDir: path.resolve(values['data-dir']!),
    genesis: devGenesis(),
    key: keyPair(devKey(0).secretKey),
    rpcHost: values['rpc-host']!,
    rpcPort: int(values['rpc-port'], '--rpc-port', DEFAULT_RPC_PORT, 0, 65535),
    blockMs: int(values['block-ms'], '--block-ms', DEFAULT_BLOCK_MS, 10, 3_600_000),
    emptyBlockMs: int(values['empty-block-ms'], '--empty-block-ms', 10_000, 10, 86_400_000),
  };
  return runNode(config, logger);
}

async function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: true });
  if (!values.config) throw new NodeError('NODE_BAD_FLAG', 'start needs --config <file>', { field: '--config' });
  const { node, log } = loadConfigFile(values.config);
  return runNode(node, createLogger(log));
}

function init(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: { 'chain-id': { type: 'string' }, out: { type: 'string' }, balance: { type: 'string' } },
    strict: true,
  });
  if (!values['chain-id']) throw new NodeError('NODE_BAD_FLAG', 'init needs --chain-id <id>', { field: '--chain-id' });
  if (!values.out) throw new NodeError('NODE_BAD_FLAG', 'init needs --out <dir>', { field: '--out' });
  const out = path.resolve(values.out);
  for (const f of ['genesis.json', 'key.json', 'config.json']) {
    if (existsSync(path.join(out, f))) throw new NodeError('NODE_BAD_FLAG', `${path.join(out, f)} already exists; not overwriting`, { field: '--out' });
  }
  const balance = values.balance ?? '0';
  if (!/^(0|[1-9][0-9]{0,19})$/.test(balance)) throw new NodeError('NODE_BAD_FLAG', '--balance must be a non-negative integer', { field: '--balance' });
  const key = newKeyPair();
  const genesis = {
    chainId: values['chain-id'],
    timeMs: Date.now(),
    blockGasLimit: devGenesis().blockGasLimit,
    blockIntervalMs: DEFAULT_BLOCK_MS,
    validators: [{ publicKey: toHex(key.publicKey), power: 1 }],
    accounts: balance === '0' ? [] : [{ address: toHex(key.address), balance }],
    regulators: [toHex(key.address)],
  };
  // Validate before writing anything, so a bad chain id leaves no files behind.
  parseGenesis(genesis);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'genesis.json'), JSON.stringify(genesis, null, 2) + '\n', { flag: 'wx' });
  writeKeyFile(path.join(out, 'key.json'), key);
  const config = { dataDir: './data', genesis: './genesis.json', key: './key.json', rpc: { host: DEFAULT_RPC_HOST, port: DEFAULT_RPC_PORT } };
  writeFileSync(path.join(out, 'config.json'), JSON.stringify(config, null, 2) + '\n', { flag: 'wx' });
  console.log(`new chain ${values['chain-id']} in ${out}\nvalidator ${toHex(key.address)}\nrun: medchain start --config ${path.join(out, 'config.json')}`);
  return 0;
}

function keys(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub !== 'new') throw new NodeError('NODE_BAD_FLAG', 'usage: medchain keys new [--out file]', { field: 'keys' });
  const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } }, strict: true });
  const key = newKeyPair();
  if (values.out) {
    writeKeyFile(path.resolve(values.out), key);
    console.log(`wrote ${values.out}\naddress   ${toHex(key.address)}\npublicKey ${toHex(key.publicKey)}`);
  } else {
    console.log(JSON.stringify({ secretKey: toHex(key.secretKey), publicKey: toHex(key.publicKey), address: toHex(key.address) }, null, 2));
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [cmd = 'help', ...rest] = argv;
  switch (cmd) {
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    case 'dev':
      return dev(rest);
    case 'start':
      return start(rest);
    case 'init':
      return init(rest);
    case 'keys':
      return keys(rest);
    default:
      console.error(`medchain: unknown command "${cmd}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    if (e instanceof MedchainError) console.error(`medchain: ${e.message}`);
    else if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) console.error(`medchain: ${(e as Error).message}\n\n${USAGE}`);
    else console.error('medchain: unexpected error', e);
    process.exitCode = 1;
  },
);
