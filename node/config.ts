import path from 'node:path';
import { GenesisError, parseGenesis, type GenesisSpec } from '../core/genesis/index.js';
import devGenesisJson from '../genesis/dev.json' with { type: 'json' };
import { readBoundedFile } from './boundedRead.js';
import { NodeError } from './errors.js';
import { readKeyFile } from './keyFile.js';
import type { LogLevel } from './logger.js';
import type { NodeConfig } from './node.js';

/** Defaults shared by `medchain dev` and config files. */
export const DEFAULT_RPC_HOST = '127.0.0.1';
export const DEFAULT_RPC_PORT = 8546;
export const DEFAULT_BLOCK_MS = 500;
/** Largest config or genesis file read: bounds what a bad path can make us parse. */
const MAX_CONFIG_BYTES = 64 * 1024 * 1024;

/** The dev chain's genesis (genesis/dev.json). */
export function devGenesis(): GenesisSpec {
  return parseGenesis(devGenesisJson);
}

/** Reads and validates a genesis file; errors name the file and the field. */
export function loadGenesisFile(file: string): GenesisSpec {
  return parseGenesis(readJson(file, 'genesis'));
}

/** Reads a JSON file, answering a missing, huge or malformed file with a NodeError. */
export function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readBoundedFile(file, MAX_CONFIG_BYTES).toString('utf8');
  } catch (e) {
    throw new NodeError('NODE_BAD_CONFIG', `cannot read ${what} file ${file}: ${(e as Error).message}`, { path: file });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new NodeError('NODE_BAD_CONFIG', `${what} file ${file} is not valid JSON: ${(e as Error).message}`, { path: file });
  }
}

/** A node config file (`medchain start --config`); paths are relative to the file. */
export interface ConfigFile {
  dataDir: string;
  genesis: string;
  key?: string;
  rpc?: { host?: string; port?: number };
  blockMs?: number;
  emptyBlockMs?: number;
  log?: { level?: LogLevel; json?: boolean };
  p2p?: { host?: string; port?: number; peers?: string[] };
}

function bad(field: string, msg: string): NodeError {
  return new NodeError('NODE_BAD_CONFIG', `config ${field}: ${msg}`, { field });
}

/** An optional object section of the config (absent = empty) that may hold only `keys`. */
function section(v: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (v === undefined) return {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(name, 'expected an object');
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw bad(`${name}.${k}`, 'unknown field');
  return v as Record<string, unknown>;
}

function optInt(v: unknown, field: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) throw bad(field, `expected an integer in ${min}..${max}`);
  return v;
}

/**
 * Loads the file a config field points to, so that any failure names that field (and keeps
 * the inner field, e.g. the genesis's, as `<field>Field`): "config genesis: … validators …".
 */
function loadReferenced<T>(field: string, file: string, load: (file: string) => T): T {
  try {
    return load(file);
  } catch (e) {
    if (e instanceof NodeError) {
      throw new NodeError(e.code, `config ${field}: ${e.message}`, { ...e.context, field, [`${field}Field`]: e.context.field });
    }
    if (e instanceof GenesisError) {
      throw new NodeError('NODE_BAD_CONFIG', `config ${field}: ${file}: ${e.message}`, { path: file, field, [`${field}Field`]: e.context.field });
    }
    throw e;
  }
}

/** Validates a parsed config file and loads what it points to. */
export function parseConfig(json: unknown, baseDir: string): { node: NodeConfig; log: { level: LogLevel; json: boolean } } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('(root)', 'expected an object');
  const c = json as Record<string, unknown>;
  for (const k of Object.keys(c)) {
    if (!['dataDir', 'genesis', 'key', 'rpc', 'blockMs', 'emptyBlockMs', 'log', 'p2p'].includes(k)) throw bad(k, 'unknown field');
  }
  if (typeof c.dataDir !== 'string' || c.dataDir === '') throw bad('dataDir', 'expected a path');
  if (typeof c.genesis !== 'string' || c.genesis === '') throw bad('genesis', 'expected the path of a genesis file');
  if (c.key !== undefined && (typeof c.key !== 'string' || c.key === '')) throw bad('key', 'expected the path of a key file');
  const rpc = section(c.rpc, 'rpc', ['host', 'port']);
  if (rpc.host !== undefined && typeof rpc.host !== 'string') throw bad('rpc.host', 'expected a host name or address');
  const log = section(c.log, 'log', ['level', 'json']);
  if (log.level !== undefined && !['debug', 'info', 'warn', 'error'].includes(log.level as string)) {
    throw bad('log.level', 'expected debug, info, warn or error');
  }
  if (log.json !== undefined && typeof log.json !== 'boolean') throw bad('log.json', 'expected true or false');
  const p2p = (c.p2p ?? {}) as Record<string, unknown>;
  if (typeof p2p !== 'object' || p2p === null || Array.isArray(p2p)) throw bad('p2p', 'expected an object');
  if (p2p.host !== undefined && typeof p2p.host !== 'string') throw bad('p2p.host', 'expected a host name or address');
  const peers = p2p.peers ?? [];
  if (!Array.isArray(peers) || peers.length > 256 || !peers.every((u) => typeof u === 'string' && /^wss?:\/\/[^\s]+$/.test(u))) {
    throw bad('p2p.peers', 'expected an array of ws:// URLs');
  }
  const abs = (p: string) => path.resolve(baseDir, p);
  return {
    node: {
      dataDir: abs(c.dataDir),
      genesis: loadReferenced('genesis', abs(c.genesis), loadGenesisFile),
      key: c.key !== undefined ? loadReferenced('key', abs(c.key), readKeyFile) : undefined,
      rpcHost: (rpc.host as string | undefined) ?? DEFAULT_RPC_HOST,
      rpcPort: optInt(rpc.port, 'rpc.port', 0, 65535) ?? DEFAULT_RPC_PORT,
      blockMs: optInt(c.blockMs, 'blockMs', 10, 3_600_000) ?? DEFAULT_BLOCK_MS,
      emptyBlockMs: optInt(c.emptyBlockMs, 'emptyBlockMs', 10, 86_400_000),
      p2pHost: (p2p.host as string | undefined) ?? DEFAULT_RPC_HOST,
      p2pPort: optInt(p2p.port, 'p2p.port', 0, 65535),
      peers: peers as string[],
    },
    log: { level: (log.level as LogLevel | undefined) ?? 'info', json: log.json === true },
  };
}

/** Loads `medchain start --config <file>`. */
export function loadConfigFile(file: string): ReturnType<typeof parseConfig> {
  return parseConfig(readJson(file, 'config'), path.dirname(path.resolve(file)));
}
