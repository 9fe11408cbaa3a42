import { parseArgs } from 'node:util';
import path from 'node:path';
import { devKey } from '../../core/crypto/index.js';
import { DEFAULT_BLOCK_MS, DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, devGenesis, loadConfigFile } from '../config.js';
import { keyPair } from '../keyFile.js';
import { createLogger, type Logger } from '../logger.js';
import { MedchainNode, type NodeConfig } from '../node.js';
import { FlagError, intFlag, type Command } from './command.js';

/** Runs a node until SIGINT/SIGTERM, then stops it cleanly (finishing the block in progress). */
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

/** `medchain dev`: the single-validator dev node (what `npm start` runs). */
export const devCommand: Command = {
  name: 'dev',
  usage: [
    'dev                   run a single-validator dev node (dev genesis, dev key 0)',
    `    --data-dir <dir>      data directory (default ./data/dev)`,
    `    --rpc-host <host>     RPC listen address (default ${DEFAULT_RPC_HOST})`,
    `    --rpc-port <port>     RPC port (default ${DEFAULT_RPC_PORT}; 0 = any free port)`,
    `    --block-ms <ms>       how often to make a block when txs wait (default ${DEFAULT_BLOCK_MS})`,
    '    --empty-block-ms <ms> longest gap between blocks (default 10000)',
    '    --rpc-rate <n|off>    requests/s per RPC connection (default 500; off for benchmarks)',
    '    --p2p-port <port>     also serve p2p (block sync, gossip) on this port',
    '    --peers <urls>        comma-separated ws://host:port of peers',
    '    --log-json            JSON log lines',
  ],
  run: (argv) => {
    const { values } = parseArgs({
      args: argv,
      options: {
        'data-dir': { type: 'string', default: './data/dev' },
        'rpc-host': { type: 'string', default: DEFAULT_RPC_HOST },
        'rpc-port': { type: 'string' },
        'block-ms': { type: 'string' },
        'empty-block-ms': { type: 'string' },
        'log-json': { type: 'boolean', default: false },
        'p2p-port': { type: 'string' },
        peers: { type: 'string' },
        'rpc-rate': { type: 'string' },
      },
      strict: true,
    });
    const config: NodeConfig = {
      dataDir: path.resolve(values['data-dir']!),
      genesis: devGenesis(),
      key: keyPair(devKey(0).secretKey),
      rpcHost: values['rpc-host']!,
      rpcPort: intFlag(values['rpc-port'], '--rpc-port', DEFAULT_RPC_PORT, 0, 65535),
      blockMs: intFlag(values['block-ms'], '--block-ms', DEFAULT_BLOCK_MS, 10, 3_600_000),
      emptyBlockMs: intFlag(values['empty-block-ms'], '--empty-block-ms', 10_000, 10, 86_400_000),
      p2pPort: values['p2p-port'] === undefined ? undefined : intFlag(values['p2p-port'], '--p2p-port', 0, 0, 65535),
      peers: parsePeers(values.peers),
      rpcRequestsPerSecond: values['rpc-rate'] === 'off' ? Infinity : values['rpc-rate'] === undefined ? undefined : intFlag(values['rpc-rate'], '--rpc-rate', 0, 1, 10_000_000),
    };
    return runNode(config, createLogger({ json: values['log-json'] }));
  },
};

/** Parses `--peers ws://a:1,ws://b:2`. */
export function parsePeers(v: string | undefined): string[] {
  if (v === undefined || v === '') return [];
  const peers = v.split(',').map((s) => s.trim());
  for (const p of peers) {
    let ok = false;
    try {
      ok = new URL(p).protocol === 'ws:' || new URL(p).protocol === 'wss:';
    } catch {
      ok = false;
    }
    if (!ok) throw new FlagError(`--peers: "${p}" is not a ws:// URL`, '--peers');
  }
  return peers;
}

/** `medchain start --config <file>`. */
export const startCommand: Command = {
  name: 'start',
  usage: ['start --config <file> run a node from a config file'],
  run: (argv) => {
    const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: true });
    if (!values.config) throw new FlagError('start needs --config <file>', '--config');
    const { node, log } = loadConfigFile(values.config);
    return runNode(node, createLogger(log));
  },
};
