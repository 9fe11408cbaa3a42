/**
 * The real compiled `medchain` CLI in child processes (npm test builds dist/ first; for a
 * local run do `npm run build`): help and unknown commands, keys, init → start, and clear
 * errors with a non-zero exit for bad flags, bad chain ids and a data dir in use.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devKey } from '../../core/crypto/index.js';
import { fromHex, toHex } from '../../core/encoding/index.js';
import { encodeTx, signTx } from '../../core/tx/index.js';
import { parseGenesis } from '../../core/genesis/index.js';
import { keyPair, readKeyFile } from '../../node/keyFile.js';
import { TempDirs } from '../fixtures/chainFixtures.js';
import { runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';

const tmp = new TempDirs();
const procs: NodeProcess[] = [];
afterAll(async () => {
  for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) await p.kill();
  tmp.cleanup();
});

async function rpc<T>(httpUrl: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: unknown };
  if (body.error) throw new Error(JSON.stringify(body.error));
  return body.result as T;
}

describe('medchain help and unknown commands', () => {
  it('help prints the usage with every command and exits 0 (also with no command)', async () => {
    for (const args of [['help'], ['--help'], []]) {
      const { code, out } = await runCli(args);
      expect(code).toBe(0);
      expect(out).toMatch(/usage: medchain <command>/);
      for (const c of ['dev', 'start', 'init', 'keys new']) expect(out).toContain(`  ${c}`);
    }
  });

  it('an unknown command exits 2 naming it', async () => {
    const { code, out } = await runCli(['frobnicate', '--x']);
    expect(code).toBe(2);
    expect(out).toMatch(/unknown command "frobnicate"/);
  });

  it('an unknown flag exits 1 with the usage, not a stack trace', async () => {
    const { code, out } = await runCli(['dev', '--no-such-flag']);
    expect(code).toBe(1);
    expect(out).toMatch(/no-such-flag/);
    expect(out).toMatch(/usage: medchain/);
    expect(out).not.toMatch(/unexpected error|\n\s+at /);
  });
});

describe('medchain keys', () => {
  it('keys new prints a valid key pair', async () => {
    const { code, out } = await runCli(['keys', 'new']);
    expect(code).toBe(0);
    const k = JSON.parse(out) as { secretKey: string; publicKey: string; address: string };
    const derived = keyPair(fromHex(k.secretKey, 32));
    expect(k.publicKey).toBe(toHex(derived.publicKey));
    expect(k.address).toBe(toHex(derived.address));
  });

  it('keys new --out writes a 0600 key file and refuses to overwrite it', async () => {
    const file = path.join(tmp.make('medchain-cli-'), 'validator.json');
    const first = await runCli(['keys', 'new', '--out', file]);
    expect(first.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const key = readKeyFile(file);
    expect(first.out).toContain(toHex(key.address));
    expect(first.out).not.toContain(toHex(key.secretKey).slice(2));
    const before = readFileSync(file, 'utf8');

    const second = await runCli(['keys', 'new', '--out', file]);
    expect(second.code).not.toBe(0);
    expect(second.out).toMatch(/already exists/);
    expect(second.out).not.toMatch(/unexpected error/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('keys without "new" exits 1 with its usage', async () => {
    const { code, out } = await runCli(['keys']);
    expect(code).toBe(1);
    expect(out).toMatch(/usage: medchain keys new/);
  });
});

describe('medchain init and start', () => {
  it('init writes genesis, key and config; start serves chain_getInfo with that chain id; SIGTERM exits 0', async () => {
    const dir = path.join(tmp.make('medchain-cli-'), 'chain');
    const init = await runCli(['init', '--chain-id', 'test-chain', '--out', dir, '--balance', '5000']);
    expect(init.code, init.out).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'genesis.json', 'key.json']);
    const genesis = parseGenesis(JSON.parse(readFileSync(path.join(dir, 'genesis.json'), 'utf8')));
    const key = readKeyFile(path.join(dir, 'key.json'));
    expect(statSync(path.join(dir, 'key.json')).mode & 0o777).toBe(0o600);
    expect(genesis.chainId).toBe('test-chain');
    expect(genesis.validators.map((v) => toHex(v.address))).toEqual([toHex(key.address)]);
    expect(genesis.accounts).toEqual([{ address: key.address, balance: 5000n }]);
    expect(init.out).toContain(toHex(key.address));

    // a free port instead of the default 8546, so parallel test runs do not collide
    const configFile = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8')) as { rpc: { port: number } };
    config.rpc.port = 0;
    writeFileSync(configFile, JSON.stringify(config));

    const node = await startNode(['start', '--config', configFile]);
    procs.push(node);
    const info = await rpc<{ chainId: string; validators: string[]; height: number }>(node.httpUrl, 'chain_getInfo');
    expect(info.chainId).toBe('test-chain');
    expect(info.validators).toEqual([toHex(key.address)]);
    const account = await rpc<{ balance: number | string }>(node.httpUrl, 'state_getAccount', [toHex(key.address)]);
    expect(BigInt(account.balance)).toBe(5000n);
    expect(existsSync(path.join(dir, 'data'))).toBe(true); // dataDir resolved next to the config file
    expect(await node.stop()).toBe(0);
  });

  it('init refuses to overwrite an existing chain directory', async () => {
    const dir = tmp.make('medchain-cli-');
    expect((await runCli(['init', '--chain-id', 'test-chain', '--out', dir])).code).toBe(0);
    const genesisBefore = readFileSync(path.join(dir, 'genesis.json'), 'utf8');
    const again = await runCli(['init', '--chain-id', 'other-chain', '--out', dir]);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/already exists; not overwriting/);
    expect(readFileSync(path.join(dir, 'genesis.json'), 'utf8')).toBe(genesisBefore);
  });

  it('init with a bad chain id exits non-zero with a clear message and writes no files', async () => {
    for (const id of ['Bad Chain!', 'UPPER', '-x', 'a'.repeat(65)]) {
      const dir = path.join(tmp.make('medchain-cli-'), 'out');
      const { code, out } = await runCli(['init', `--chain-id=${id}`, '--out', dir]);
      expect(code, id).not.toBe(0);
      expect(out).toMatch(/chainId/);
      expect(out).not.toMatch(/unexpected error/);
      expect(existsSync(dir), id).toBe(false);
    }
  });

  it('init without its required flags, or with a bad balance, says which', async () => {
    const dir = path.join(tmp.make('medchain-cli-'), 'out');
    const noId = await runCli(['init', '--out', dir]);
    expect(noId.code).toBe(1);
    expect(noId.out).toMatch(/--chain-id/);
    const noOut = await runCli(['init', '--chain-id', 'test-chain']);
    expect(noOut.code).toBe(1);
    expect(noOut.out).toMatch(/--out/);
    const badBalance = await runCli(['init', '--chain-id', 'test-chain', '--out', dir, '--balance', '-5']);
    expect(badBalance.code).toBe(1);
    expect(badBalance.out).toMatch(/--balance/);
    expect(existsSync(dir)).toBe(false);
  });

  it('start without --config, or with a missing or bad config file, exits 1 naming the problem', async () => {
    const none = await runCli(['start']);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/--config/);
    const dir = tmp.make('medchain-cli-');
    const missing = await runCli(['start', '--config', path.join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/nope\.json/);
    writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ dataDir: './d', genesis: './genesis.json', rpc: { port: 'high' } }));
    writeFileSync(path.join(dir, 'genesis.json'), '{}');
    const bad = await runCli(['start', '--config', path.join(dir, 'config.json')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/config genesis/);
    expect(bad.out).not.toMatch(/unexpected error/);
  });
});

describe('medchain dev', () => {
  it('--rpc-port notanumber exits 1 with a clear message', async () => {
    const { code, out } = await runCli(['dev', '--data-dir', tmp.make('medchain-cli-'), '--rpc-port', 'notanumber']);
    expect(code).toBe(1);
    expect(out).toMatch(/--rpc-port must be an integer in 0\.\.65535/);
    expect(out).not.toMatch(/unexpected error/);
  });

  it('rejects out-of-range numeric flags the same way', async () => {
    for (const [flag, v] of [['--rpc-port', '65536'], ['--block-ms', '1'], ['--block-ms', '1e3'], ['--empty-block-ms', '-5']]) {
      const { code, out } = await runCli(['dev', '--data-dir', tmp.make('medchain-cli-'), flag, v]);
      expect(code, `${flag} ${v}`).toBe(1);
      expect(out).toContain(flag);
    }
  });

  it('a second node on the same --data-dir exits non-zero saying the data dir is in use', async () => {
    const dataDir = tmp.make('medchain-cli-');
    const first = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', '0']);
    procs.push(first);
    const second = await runCli(['dev', '--data-dir', dataDir, '--rpc-port', '0']);
    expect(second.code).not.toBe(0);
    expect(second.out).toMatch(/another node is using it/);
    expect(second.out).toContain(dataDir);
    // the first node is unaffected
    expect((await rpc<{ chainId: string }>(first.httpUrl, 'chain_getInfo')).chainId).toBe('medchain-dev');
    expect(await first.stop()).toBe(0);
  });

  it('a node whose log pipe closes (medchain dev | head) keeps running: makes blocks, answers RPC, exits 0 on SIGTERM', async () => {
    const node = await startNode(['dev', '--data-dir', tmp.make('medchain-cli-'), '--rpc-port', '0', '--block-ms', '50']);
    procs.push(node);
    node.proc.stdout!.destroy();
    node.proc.stderr!.destroy();
    // Every block is logged: the writes to the closed pipes fail with EPIPE.
    const tx = signTx({ chainId: 'medchain-dev', nonce: 0, sender: devKey(1).publicKey, to: devKey(2).address, method: 'transfer', args: [5], gasLimit: 100_000 }, devKey(1).secretKey);
    const hash = await rpc<string>(node.httpUrl, 'tx_send', [toHex(encodeTx(tx))]);
    const receipt = await rpc<{ status: string } | null>(node.httpUrl, 'tx_wait', [hash, 10_000]);
    expect(receipt?.status).toBe('ok');
    for (let i = 0; i < 5; i++) expect((await rpc<{ height: number }>(node.httpUrl, 'chain_getInfo')).height).toBeGreaterThan(0);
    expect(node.proc.exitCode).toBeNull();
    expect(await node.stop()).toBe(0);
  });
});
