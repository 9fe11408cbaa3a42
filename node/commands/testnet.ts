import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { devKey, DEV_KEY_COUNT } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { parseGenesis } from '../../core/genesis/index.js';
import { MEDICAL_CONTRACTS } from '../../genesis/medicalContracts.js';
import { DEFAULT_BLOCK_MS, devGenesis, readJson } from '../config.js';
import { newKeyPair, writeKeyFile } from '../keyFile.js';
import { FlagError, intFlag, type Command } from './command.js';

/** First RPC and p2p ports of a local testnet; node i uses base + i. */
const BASE_RPC_PORT = 8546;
const BASE_P2P_PORT = 26656;
/** Most validators `testnet init` makes: a local testnet shares one machine. */
const MAX_TESTNET_VALIDATORS = 32;

/** testnet/testnet.json: how tools find the nodes. */
export interface TestnetManifest {
  chainId: string;
  nodes: Array<{ name: string; config: string; rpc: string; p2p: string }>;
}

function init(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      validators: { type: 'string', default: '4' },
      dir: { type: 'string', default: './testnet' },
      'chain-id': { type: 'string', default: 'medchain-testnet' },
      'no-dev-accounts': { type: 'boolean', default: false },
      'base-rpc-port': { type: 'string' },
      'base-p2p-port': { type: 'string' },
      'block-ms': { type: 'string' },
    },
    strict: true,
  });
  const n = intFlag(values.validators, '--validators', 4, 1, MAX_TESTNET_VALIDATORS);
  const rpcBase = intFlag(values['base-rpc-port'], '--base-rpc-port', BASE_RPC_PORT, 1, 65535 - n);
  const p2pBase = intFlag(values['base-p2p-port'], '--base-p2p-port', BASE_P2P_PORT, 1, 65535 - n);
  const blockMs = intFlag(values['block-ms'], '--block-ms', DEFAULT_BLOCK_MS, 10, 3_600_000);
  const dir = path.resolve(values.dir!);
  if (existsSync(path.join(dir, 'testnet.json'))) throw new FlagError(`${dir} already holds a testnet; not overwriting`, '--dir');
  const keys = Array.from({ length: n }, () => newKeyPair());
  const genesis = {
    chainId: values['chain-id'],
    timeMs: Date.now(),
    blockGasLimit: devGenesis().blockGasLimit,
    blockIntervalMs: blockMs,
    validators: keys.map((k) => ({ publicKey: toHex(k.publicKey), power: 1 })),
    accounts: values['no-dev-accounts']
      ? []
      : Array.from({ length: DEV_KEY_COUNT }, (_, i) => ({ address: toHex(devKey(i).address), balance: '1000000000000' })),
    regulators: [toHex(values['no-dev-accounts'] ? keys[0].address : devKey(0).address)],
    contracts: MEDICAL_CONTRACTS,
  };
  parseGenesis(genesis); // validate before writing anything
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'genesis.json'), JSON.stringify(genesis, null, 2) + '\n');
  const manifest: TestnetManifest = { chainId: genesis.chainId!, nodes: [] };
  for (let i = 0; i < n; i++) {
    const name = `node${i}`;
    const nodeDir = path.join(dir, name);
    mkdirSync(nodeDir, { recursive: true });
    writeKeyFile(path.join(nodeDir, 'key.json'), keys[i]);
    const peers = keys.map((_, j) => `ws://127.0.0.1:${p2pBase + j}`).filter((_, j) => j !== i);
    const config = {
      dataDir: './data',
      genesis: '../genesis.json',
      key: './key.json',
      rpc: { host: '127.0.0.1', port: rpcBase + i },
      p2p: { host: '127.0.0.1', port: p2pBase + i, peers },
      blockMs,
    };
    writeFileSync(path.join(nodeDir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    manifest.nodes.push({ name, config: path.join(name, 'config.json'), rpc: `ws://127.0.0.1:${rpcBase + i}`, p2p: `ws://127.0.0.1:${p2pBase + i}` });
  }
  writeFileSync(path.join(dir, 'testnet.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`testnet ${genesis.chainId} with ${n} validators in ${dir}`);
  for (const node of manifest.nodes) console.log(`  ${node.name}: rpc ${node.rpc}  p2p ${node.p2p}`);
  console.log(`run: medchain testnet start --dir ${dir}`);
  return 0;
}

function start(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { dir: { type: 'string', default: './testnet' } }, strict: true });
  const dir = path.resolve(values.dir!);
  const manifest = readJson(path.join(dir, 'testnet.json'), 'testnet manifest') as TestnetManifest;
  if (!manifest || !Array.isArray(manifest.nodes) || manifest.nodes.length === 0) {
    throw new FlagError(`${dir}/testnet.json lists no nodes (run medchain testnet init first)`, '--dir');
  }
  const cli = fileURLToPath(new URL('../cli.js', import.meta.url));
  const children: ChildProcess[] = manifest.nodes.map((node) => {
    const child = spawn(process.execPath, [cli, 'start', '--config', path.join(dir, node.config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = (chunk: Buffer) =>
      process.stdout.write(
        chunk
          .toString()
          .split('\n')
          .filter((l) => l.length > 0)
          .map((l) => `[${node.name}] ${l}\n`)
          .join(''),
      );
    child.stdout!.on('data', prefix);
    child.stderr!.on('data', prefix);
    return child;
  });
  return new Promise((resolve) => {
    let left = children.length;
    let worst = 0;
    for (const c of children) {
      c.once('exit', (code) => {
        worst = Math.max(worst, code ?? 1);
        if (--left === 0) resolve(worst);
      });
    }
    const stop = () => children.forEach((c) => c.exitCode === null && c.kill('SIGTERM'));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/** `medchain testnet init|start`: a local multi-validator network of separate processes. */
export const testnetCommand: Command = {
  name: 'testnet',
  usage: [
    'testnet init          write keys, a genesis and one config per validator',
    '    --validators <n>      validators (default 4)',
    '    --dir <dir>           where (default ./testnet); testnet.json lists the nodes',
    '    --chain-id <id>       (default medchain-testnet)',
    '    --no-dev-accounts     do not fund the dev accounts',
    `    --base-rpc-port <p>   node i serves RPC on p + i (default ${BASE_RPC_PORT})`,
    `    --base-p2p-port <p>   node i serves p2p on p + i (default ${BASE_P2P_PORT})`,
    'testnet start         start every node of --dir as its own process; Ctrl-C stops them',
  ],
  run: (argv) => {
    const [sub, ...rest] = argv;
    if (sub === 'init') return init(rest);
    if (sub === 'start') return start(rest);
    throw new FlagError('usage: medchain testnet init|start [--dir <dir>]', 'testnet');
  },
};
