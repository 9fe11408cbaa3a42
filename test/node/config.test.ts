/**
 * Node config files (`medchain start --config`): a valid file loads with its paths resolved
 * against the file's directory; hostile files (not JSON, huge, special files, wrong types,
 * unknown fields, bad port or log level, missing or bad genesis/key) give a NodeError naming
 * the field — never a crash or a hang.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../core/encoding/index.js';
import { GenesisError } from '../../core/genesis/index.js';
import { DEFAULT_BLOCK_MS, DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, devGenesis, loadConfigFile, loadGenesisFile, parseConfig, readJson } from '../../node/config.js';
import { NodeError } from '../../node/errors.js';
import { newKeyPair, writeKeyFile } from '../../node/keyFile.js';
import { DEV, TempDirs } from '../fixtures/chainFixtures.js';

const tmp = new TempDirs();
afterAll(() => tmp.cleanup());

const genesis = {
  chainId: 'test-chain',
  timeMs: 1_700_000_000_000,
  blockGasLimit: 10_000_000,
  blockIntervalMs: 500,
  validators: [{ publicKey: toHex(DEV[0].publicKey), power: 1 }],
  accounts: [{ address: toHex(DEV[1].address), balance: '1000' }],
};

/** A directory with genesis.json and key.json, ready for config files. */
function setup(): { dir: string; key: ReturnType<typeof newKeyPair> } {
  const dir = tmp.make('medchain-config-');
  writeFileSync(path.join(dir, 'genesis.json'), JSON.stringify(genesis));
  const key = newKeyPair();
  writeKeyFile(path.join(dir, 'key.json'), key);
  return { dir, key };
}

const base = () => ({ dataDir: './data', genesis: './genesis.json', key: './key.json' });

function expectNodeError(f: () => unknown, code: NodeError['code'], field?: string): NodeError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a NodeError ${code}${field ? ` for ${field}` : ''}, got ${String(caught)}`).toBeInstanceOf(NodeError);
  const err = caught as NodeError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.context.field).toBe(field);
  return err;
}

describe('parseConfig', () => {
  it('loads a valid config: paths relative to the file, defaults filled in', () => {
    const { dir, key } = setup();
    const { node, log } = parseConfig(base(), dir);
    expect(node.dataDir).toBe(path.join(dir, 'data'));
    expect(node.genesis.chainId).toBe('test-chain');
    expect(node.key?.address).toEqual(key.address);
    expect(node.key?.secretKey).toEqual(key.secretKey);
    expect(node.rpcHost).toBe(DEFAULT_RPC_HOST);
    expect(node.rpcPort).toBe(DEFAULT_RPC_PORT);
    expect(node.blockMs).toBe(DEFAULT_BLOCK_MS);
    expect(node.emptyBlockMs).toBeUndefined();
    expect(log).toEqual({ level: 'info', json: false });
  });

  it('takes every optional field', () => {
    const { dir } = setup();
    const { node, log } = parseConfig(
      { ...base(), dataDir: '/abs/data', rpc: { host: '0.0.0.0', port: 0 }, blockMs: 10, emptyBlockMs: 86_400_000, log: { level: 'debug', json: true } },
      dir,
    );
    expect(node).toMatchObject({ dataDir: '/abs/data', rpcHost: '0.0.0.0', rpcPort: 0, blockMs: 10, emptyBlockMs: 86_400_000 });
    expect(log).toEqual({ level: 'debug', json: true });
    const noKey = parseConfig({ dataDir: 'd', genesis: 'genesis.json' }, dir);
    expect(noKey.node.key).toBeUndefined();
  });

  it('rejects a root that is not an object', () => {
    const { dir } = setup();
    for (const v of [null, undefined, 1, 'config', [], [base()], true]) expectNodeError(() => parseConfig(v, dir), 'NODE_BAD_CONFIG', '(root)');
  });

  it('rejects unknown fields, naming them', () => {
    const { dir } = setup();
    expectNodeError(() => parseConfig({ ...base(), rpcPort: 1 }, dir), 'NODE_BAD_CONFIG', 'rpcPort');
    expectNodeError(() => parseConfig({ ...base(), __proto__x: 1 }, dir), 'NODE_BAD_CONFIG', '__proto__x');
    expectNodeError(() => parseConfig(JSON.parse('{"dataDir":"d","genesis":"genesis.json","__proto__":{"x":1}}'), dir), 'NODE_BAD_CONFIG', '__proto__');
  });

  it('rejects unknown fields inside rpc and log', () => {
    const { dir } = setup();
    expectNodeError(() => parseConfig({ ...base(), rpc: { prot: 8546 } }, dir), 'NODE_BAD_CONFIG', 'rpc.prot');
    expectNodeError(() => parseConfig({ ...base(), log: { lvl: 'debug' } }, dir), 'NODE_BAD_CONFIG', 'log.lvl');
  });

  it('rejects wrong types for dataDir, genesis and key', () => {
    const { dir } = setup();
    for (const v of [undefined, '', 5, null, ['d'], {}]) {
      expectNodeError(() => parseConfig({ ...base(), dataDir: v }, dir), 'NODE_BAD_CONFIG', 'dataDir');
      expectNodeError(() => parseConfig({ ...base(), genesis: v }, dir), 'NODE_BAD_CONFIG', 'genesis');
    }
    for (const v of ['', 5, null, ['k'], {}, true]) expectNodeError(() => parseConfig({ ...base(), key: v }, dir), 'NODE_BAD_CONFIG', 'key');
  });

  it('rejects an rpc section that is not an object', () => {
    const { dir } = setup();
    for (const v of ['127.0.0.1:8546', 8546, [], [{ port: 1 }], true]) expectNodeError(() => parseConfig({ ...base(), rpc: v }, dir), 'NODE_BAD_CONFIG', 'rpc');
  });

  it('rejects a bad rpc host or port', () => {
    const { dir } = setup();
    for (const h of [5, null, [], {}]) expectNodeError(() => parseConfig({ ...base(), rpc: { host: h } }, dir), 'NODE_BAD_CONFIG', 'rpc.host');
    for (const p of [-1, 65_536, 1.5, '8546', null, 1e20, [8546], {}]) {
      expectNodeError(() => parseConfig({ ...base(), rpc: { port: p } }, dir), 'NODE_BAD_CONFIG', 'rpc.port');
    }
    expect(parseConfig({ ...base(), rpc: { port: 65_535 } }, dir).node.rpcPort).toBe(65_535);
  });

  it('rejects a bad log section, level or json flag', () => {
    const { dir } = setup();
    for (const l of ['debug', 5, [], true]) expectNodeError(() => parseConfig({ ...base(), log: l }, dir), 'NODE_BAD_CONFIG', 'log');
    for (const lv of ['DEBUG', 'trace', 'verbose', '', 0, null, ['info']]) {
      expectNodeError(() => parseConfig({ ...base(), log: { level: lv } }, dir), 'NODE_BAD_CONFIG', 'log.level');
    }
    for (const j of ['true', 1, null]) expectNodeError(() => parseConfig({ ...base(), log: { json: j } }, dir), 'NODE_BAD_CONFIG', 'log.json');
  });

  it('rejects blockMs and emptyBlockMs out of range', () => {
    const { dir } = setup();
    for (const v of [0, 9, 3_600_001, -1, 1.5, '500', null]) expectNodeError(() => parseConfig({ ...base(), blockMs: v }, dir), 'NODE_BAD_CONFIG', 'blockMs');
    for (const v of [9, 86_400_001, '1']) expectNodeError(() => parseConfig({ ...base(), emptyBlockMs: v }, dir), 'NODE_BAD_CONFIG', 'emptyBlockMs');
  });

  it('a missing or unreadable genesis file is a NodeError naming the genesis field and the path', () => {
    const { dir } = setup();
    const err = expectNodeError(() => parseConfig({ ...base(), genesis: './nope.json' }, dir), 'NODE_BAD_CONFIG', 'genesis');
    expect(err.message).toContain(path.join(dir, 'nope.json'));
    expectNodeError(() => parseConfig({ ...base(), genesis: '.' }, dir), 'NODE_BAD_CONFIG', 'genesis'); // a directory
    expectNodeError(() => parseConfig({ ...base(), genesis: 'a\0b' }, dir), 'NODE_BAD_CONFIG', 'genesis');
  });

  it('a genesis file that is not JSON or not a valid genesis is a NodeError naming the genesis field', () => {
    const { dir } = setup();
    writeFileSync(path.join(dir, 'bad.json'), '{"chainId": ');
    expectNodeError(() => parseConfig({ ...base(), genesis: 'bad.json' }, dir), 'NODE_BAD_CONFIG', 'genesis');
    writeFileSync(path.join(dir, 'invalid.json'), JSON.stringify({ ...genesis, validators: [] }));
    const err = expectNodeError(() => parseConfig({ ...base(), genesis: 'invalid.json' }, dir), 'NODE_BAD_CONFIG', 'genesis');
    expect(err.message).toMatch(/validators/);
    expect(err.context.genesisField).toBe('validators');
  });

  it('a missing or bad key file is a NodeError naming the key field', () => {
    const { dir } = setup();
    expectNodeError(() => parseConfig({ ...base(), key: './missing-key.json' }, dir), 'NODE_BAD_KEY', 'key');
    writeFileSync(path.join(dir, 'junk-key.json'), 'not json');
    expectNodeError(() => parseConfig({ ...base(), key: 'junk-key.json' }, dir), 'NODE_BAD_KEY', 'key');
  });
});

describe('readJson and loadConfigFile', () => {
  it('loads a config file from disk relative to its own directory', () => {
    const { dir } = setup();
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...base(), rpc: { port: 0 } }));
    const { node } = loadConfigFile(path.join(dir, 'config.json'));
    expect(node.dataDir).toBe(path.join(dir, 'data'));
    expect(node.rpcPort).toBe(0);
  });

  it('answers a missing file, a directory and a file that is not JSON with NODE_BAD_CONFIG', () => {
    const dir = tmp.make('medchain-config-');
    expectNodeError(() => readJson(path.join(dir, 'missing.json'), 'config'), 'NODE_BAD_CONFIG');
    expectNodeError(() => readJson(dir, 'config'), 'NODE_BAD_CONFIG');
    for (const [name, text] of [
      ['empty.json', ''],
      ['text.json', 'dataDir = ./data'],
      ['trailing.json', '{"a":1} x'],
      ['bom.json', '\uFEFF{"a":1}'],
      ['binary.json', '\u0000\u0001\u00ff'],
    ]) {
      writeFileSync(path.join(dir, name), text);
      const err = expectNodeError(() => loadConfigFile(path.join(dir, name)), 'NODE_BAD_CONFIG');
      expect(err.context.path).toBe(path.join(dir, name));
    }
  });

  it('refuses a file larger than the limit without reading it all', () => {
    const dir = tmp.make('medchain-config-');
    const big = path.join(dir, 'huge.json');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 65 * 1024 * 1024); // sparse: no disk or memory cost
    closeSync(fd);
    const t0 = performance.now();
    const err = expectNodeError(() => readJson(big, 'config'), 'NODE_BAD_CONFIG');
    expect(err.message).toMatch(/larger than/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('refuses special files (an endless /dev/zero) instead of reading forever', () => {
    if (!existsSync('/dev/zero')) return;
    const err = expectNodeError(() => readJson('/dev/zero', 'config'), 'NODE_BAD_CONFIG');
    expect(err.message).toMatch(/regular file/);
  });

  it('refuses a FIFO without blocking on it (no writer would ever come)', () => {
    const fifo = path.join(tmp.make('medchain-config-'), 'config.json');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return; // no mkfifo here
    }
    const err = expectNodeError(() => loadConfigFile(fifo), 'NODE_BAD_CONFIG');
    expect(err.message).toMatch(/regular file/);
  });

  it('survives deeply nested and wrong-typed JSON', () => {
    const dir = tmp.make('medchain-config-');
    const deep = path.join(dir, 'deep.json');
    writeFileSync(deep, '['.repeat(200_000) + ']'.repeat(200_000));
    let threw: unknown;
    try {
      loadConfigFile(deep);
    } catch (e) {
      threw = e;
    }
    expect(threw).toBeInstanceOf(NodeError);
    writeFileSync(path.join(dir, 'num.json'), '12345');
    expectNodeError(() => loadConfigFile(path.join(dir, 'num.json')), 'NODE_BAD_CONFIG', '(root)');
  });

  it('loadGenesisFile reads the dev genesis the same as devGenesis()', () => {
    const dir = tmp.make('medchain-config-');
    const g = devGenesis();
    expect(g.chainId).toBe('medchain-dev');
    mkdirSync(path.join(dir, 'g'));
    writeFileSync(path.join(dir, 'g', 'genesis.json'), JSON.stringify(genesis));
    expect(loadGenesisFile(path.join(dir, 'g', 'genesis.json')).chainId).toBe('test-chain');
    writeFileSync(path.join(dir, 'g', 'bad.json'), JSON.stringify({ ...genesis, chainId: 'BAD' }));
    expect(() => loadGenesisFile(path.join(dir, 'g', 'bad.json'))).toThrow(GenesisError);
  });
});
