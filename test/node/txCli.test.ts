/**
 * `medchain tx transfer|call`, `medchain query` and `medchain status` end to end: the compiled
 * CLI against a real dev node process — exit codes, printed output, and clear errors with a
 * non-zero exit for bad flags, refused requests and an unreachable node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKey as coreDevKey } from '../../core/crypto/index.js';
import { MedchainError } from '../../core/errors.js';
import { COMMANDS } from '../../node/commands/index.js';
import { writeKeyFile, keyPair } from '../../node/keyFile.js';
import { createClient, devKey, type MedchainClient } from '../../rpc/client/index.js';
import { runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-txcli-'));
const DEV_BALANCE = 1_000_000_000_000n;
let node: NodeProcess;
let client: MedchainClient;
let rpc: string[];

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', path.join(dir, 'data'), '--rpc-port', '0', '--block-ms', '50']);
  rpc = ['--rpc', node.url];
  client = await createClient(node.url, { WebSocket });
});

afterAll(async () => {
  await client?.close();
  if (node && node.proc.exitCode === null) await node.kill();
  rmSync(dir, { recursive: true, force: true });
});

const HASH_LINE = /^0x[0-9a-f]{64}$/m;

/** The JSON object a command printed (the CLI prints nothing else on success). */
function printedJson<T>(out: string): T {
  return JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as T;
}

describe('medchain tx', () => {
  it('transfer prints the tx hash and the transfer lands', async () => {
    const { code, out } = await runCli(['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '500', ...rpc]);
    expect(code).toBe(0);
    const hash = HASH_LINE.exec(out)?.[0] as string;
    expect(hash).toBeDefined();
    await expect.poll(() => client.getReceipt(hash), { timeout: 10_000 }).toMatchObject({ status: 'ok' });
    expect((await client.getAccount(devKey(2).address)).balance).toBe(DEV_BALANCE + 500n);
  });

  it('transfer --wait prints the receipt; --key signs with a key file', async () => {
    const keyFile = path.join(dir, 'dev3.json');
    writeKeyFile(keyFile, keyPair(coreDevKey(3).secretKey));
    const { code, out } = await runCli(['tx', 'transfer', '--key', keyFile, '--to', devKey(4).addressHex, '--amount', '77', '--wait', ...rpc]);
    expect(code).toBe(0);
    const receipt = printedJson<{ status: string; txHash: string; height: number }>(out);
    expect(receipt).toMatchObject({ status: 'ok', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await client.getAccount(devKey(3).address)).toMatchObject({ nonce: 1, balance: DEV_BALANCE - 77n });
  });

  it('call --wait exits 3 and prints the receipt when the call reverts', async () => {
    const { code, out } = await runCli(['tx', 'call', '--dev', '5', '--to', devKey(6).addressHex, '--method', 'grant', '--args', '[1, "0xab", {"$bigint": "18446744073709551615"}]', '--gas', '200000', '--wait', ...rpc]);
    expect(code).toBe(3);
    const receipt = printedJson<{ status: string; txHash: string }>(out);
    expect(receipt.status).toBe('reverted');
    const tx = await client.getTx(receipt.txHash);
    expect(tx).toMatchObject({ method: 'grant', gasLimit: 200_000, args: [1, '0xab', '18446744073709551615'] });
  });

  it('a refused tx is a clear error and exit 1', async () => {
    const { code, out } = await runCli(['tx', 'transfer', '--dev', '7', '--to', devKey(8).addressHex, '--amount', '18446744073709551615', ...rpc]);
    expect(code).toBe(1);
    expect(out).toMatch(/^medchain: tx_send: .*reason insufficient_balance/m);
  });

  // through the real CLI: the exit code and the one-line message (run side by side)
  it.concurrent.for([
    [['tx'], /^medchain: usage: medchain tx transfer\|call/m],
    [['tx', 'transfer', '--dev', '1', '--amount', '5'], /^medchain: --to <0x address> is required/m],
    [['tx', 'transfer', '--dev', '1', '--key', 'k.json', '--to', devKey(2).addressHex, '--amount', '5'], /exactly one of --key/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '-1'], /Option '--amount' argument is ambiguous/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '5', '--bogus'], /Unknown option '--bogus'/],
    [['tx', 'call', '--dev', '1', '--to', devKey(2).addressHex, '--method', 'm', '--rpc', 'ws://127.0.0.1:1'], /^medchain: cannot reach a node at ws:\/\/127\.0\.0\.1:1/m],
  ] as Array<[string[], RegExp]>)('exits non-zero with a clear error for %j', async ([args, message], { expect }) => {
    // concurrent tests must use their context's expect, so a failure is reported against the right case
    const { code, out } = await runCli(args);
    expect(code, out).toBe(1);
    expect(out).toMatch(message);
    expect(out).not.toMatch(/unexpected error|at .*\.js:\d+/); // no stack traces
  });

  // the rest of the flag checks in process: each is a FlagError, which the CLI prints and exits 1 on
  it.each([
    [['tx', 'frobnicate'], /unknown subcommand "frobnicate"/],
    [['tx', 'toString'], /unknown subcommand "toString"/],
    [['tx', 'transfer', '--dev', '1', '--to', '0x12', '--amount', '5'], /--to must be a 20-byte address/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex], /--amount <n> is required/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount=-1'], /--amount must be an integer/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '1.5'], /--amount must be an integer/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '18446744073709551616'], /--amount must be an integer/],
    [['tx', 'transfer', '--to', devKey(2).addressHex, '--amount', '5'], /exactly one of --key <file> or --dev <i>/],
    [['tx', 'transfer', '--dev', '10', '--to', devKey(2).addressHex, '--amount', '5'], /--dev must be an integer in 0\.\.9/],
    [['tx', 'transfer', '--key', '/nonexistent/key.json', '--to', devKey(2).addressHex, '--amount', '5'], /key file \/nonexistent\/key\.json/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '5', '--gas', '0'], /--gas must be an integer/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '5', '--timeout', 'soon'], /--timeout must be an integer/],
    [['tx', 'transfer', '--dev', '1', '--to', devKey(2).addressHex, '--amount', '5', '--rpc', 'http://127.0.0.1:1'], /--rpc must be a ws:\/\/ or wss:\/\/ URL/],
    [['tx', 'call', '--dev', '1', '--to', devKey(2).addressHex], /--method <name> is required/],
    [['tx', 'call', '--dev', '1', '--to', devKey(2).addressHex, '--method', 'm', '--args', 'nope'], /--args: args: not valid JSON/],
    [['tx', 'call', '--dev', '1', '--to', devKey(2).addressHex, '--method', 'm', '--args', '{"a":1}'], /--args: args: expected a JSON array/],
    [['tx', 'call', '--dev', '1', '--to', devKey(2).addressHex, '--method', 'm', '--args', '[0.5]'], /--args: args\[0\]: 0\.5 is not a safe integer/],
  ])('rejects %j naming the flag', async (args, message) => {
    const [name, ...rest] = args;
    const cmd = COMMANDS.find((c) => c.name === name)!;
    const e = await Promise.resolve()
      .then(() => cmd.run(rest))
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(MedchainError);
    expect((e as Error).message).toMatch(message);
  });
});

describe('medchain query', () => {
  it('prints the JSON result of any method, with params by position or by name', async () => {
    const [info, acct, header] = await Promise.all([
      runCli(['query', 'chain_getInfo', ...rpc]),
      runCli(['query', 'state_getAccount', `["${devKey(9).addressHex}"]`, ...rpc]),
      runCli(['query', 'chain_getHeader', '{"block": 0}', ...rpc]),
    ]);
    expect([info.code, acct.code, header.code]).toEqual([0, 0, 0]);
    expect(printedJson(info.out)).toMatchObject({ chainId: 'medchain-dev', validators: [devKey(0).addressHex] });
    expect(printedJson(acct.out)).toEqual({ nonce: 0, pendingNonce: 0, balance: 1_000_000_000_000, codeHash: null });
    expect(printedJson(header.out)).toMatchObject({ height: 0 });
  });

  it('reports node errors with code and reason, exit 1', async () => {
    const [missing, bad] = await Promise.all([runCli(['query', 'no_such_method', ...rpc]), runCli(['query', 'chain_getBlock', '[-1]', ...rpc])]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/code -32601, reason method_not_found/);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/reason invalid_params, param=block/);
  });

  it.each([
    [['query'], /usage: medchain query <method>/],
    [['query', 'chain_getInfo', 'notjson'], /params must be JSON/],
    [['query', 'chain_getInfo', '5'], /params must be a JSON array or object/],
    [['query', 'chain_getInfo', '[]', 'extra'], /unexpected argument "extra"/],
    [['status', '--rpc', 'nope'], /--rpc must be a ws:\/\/ or wss:\/\/ URL/],
  ])('rejects %j naming what is wrong', async (args, message) => {
    const [name, ...rest] = args;
    const cmd = COMMANDS.find((c) => c.name === name)!;
    await expect(Promise.resolve().then(() => cmd.run(rest))).rejects.toThrow(message);
  });
});

describe('medchain status', () => {
  it('prints chain id, heights, peers, sync state and mempool size', async () => {
    const { code, out } = await runCli(['status', ...rpc]);
    expect(code).toBe(0);
    expect(out).toMatch(/^chain\s+medchain-dev$/m);
    expect(out).toMatch(/^height\s+\d+$/m);
    expect(out).toMatch(/^finalized\s+\d+$/m);
    expect(out).toMatch(/^peers\s+\d+/m);
    expect(out).toMatch(/^sync\s+synced$/m);
    expect(out).toMatch(/^mempool\s+\d+$/m);
  });

  it('--json prints the same as JSON', async () => {
    const { code, out } = await runCli(['status', '--json', ...rpc]);
    expect(code).toBe(0);
    const s = printedJson<{ chainId: string; height: number; finalizedHeight: number; sync: string; mempool: number }>(out);
    expect(s).toMatchObject({ chainId: 'medchain-dev', sync: 'synced', mempool: expect.any(Number) });
    expect(s.finalizedHeight).toBeLessThanOrEqual(s.height);
  });

  it('fails with exit 1 when no node answers', async () => {
    const { code, out } = await runCli(['status', '--rpc', 'ws://127.0.0.1:1']);
    expect(code).toBe(1);
    expect(out).toMatch(/cannot reach a node at ws:\/\/127\.0\.0\.1:1.*CLIENT_CONNECT_FAILED/);
  });
});
