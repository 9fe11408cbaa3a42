/**
 * `medchain validators …` end to end against a real dev node process: listing the set and
 * the schedule, refusals of bad flags with a clear message and exit 1, a proposal by a
 * non-validator reverting (exit 3), and the sole validator growing the set — after which
 * the dev node, which runs no p2p, stops its instant blocks and says why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devKey } from '../../core/crypto/index.js';
import { toHex } from '../../core/encoding/index.js';
import { runCli, startNode, type NodeProcess } from '../fixtures/nodeProcess.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medchain-validatorscli-'));
let node: NodeProcess;
let rpc: string[];

beforeAll(async () => {
  node = await startNode(['dev', '--data-dir', path.join(dir, 'data'), '--rpc-port', '0', '--block-ms', '50', '--empty-block-ms', '200']);
  rpc = ['--rpc', node.url];
});

afterAll(async () => {
  if (node && node.proc.exitCode === null) await node.kill();
  rmSync(dir, { recursive: true, force: true });
});

const json = <T>(out: string): T => JSON.parse(out.slice(out.search(/[[{]/), Math.max(out.lastIndexOf('}'), out.lastIndexOf(']')) + 1)) as T;
const member = (i: number) => ({ address: toHex(devKey(i).address), publicKey: toHex(devKey(i).publicKey), power: 1 });

describe('medchain validators', () => {
  it('list prints the set of the next block and the schedule; proposals the open ones', async () => {
    const { code, out } = await runCli(['validators', 'list', ...rpc]);
    expect(code, out).toBe(0);
    const listed = json<{ validators: unknown[]; schedule: Array<{ from: number; members: Array<{ addr: string }> }> }>(out);
    expect(listed.validators).toEqual([member(0)]);
    expect(listed.schedule).toEqual([{ from: 0, members: [{ addr: toHex(devKey(0).address), publicKey: toHex(devKey(0).publicKey), power: 1 }] }]);
    const at0 = await runCli(['validators', 'list', '--height', '0', ...rpc]);
    expect(json<{ validators: unknown[] }>(at0.out).validators).toEqual([member(0)]);
    const proposals = await runCli(['validators', 'proposals', ...rpc]);
    expect(proposals.code).toBe(0);
    expect(json<unknown[]>(proposals.out)).toEqual([]);
  });

  it('refuses bad flags with exit 1 and names the flag', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['add', '--dev', '0'], /--public-key <.*> is required/],
      [['add', '--dev', '0', '--public-key', '0x1234'], /--public-key must be .* 0x \+ 64 hex digits/],
      [['add', '--dev', '0', '--public-key', 'zz'.repeat(32)], /--public-key must be/],
      [['add', '--dev', '0', '--public-key', toHex(devKey(1).publicKey), '--power', '0'], /--power must be an integer in 1\.\.1000000/],
      [['add', '--public-key', toHex(devKey(1).publicKey)], /exactly one of --key <file> or --dev <i>/],
      [['remove', '--dev', '0', '--address', '0x12'], /--address must be/],
      [['approve', '--dev', '0'], /--id <proposal id> is required/],
      [['approve', '--dev', '0', '--id=-1'], /--id must be an integer/],
      [['withdraw', '--dev', '0', '--id', '1e3'], /--id must be an integer/],
      [['list', '--height', 'x'], /--height must be an integer/],
      [['frobnicate'], /usage: medchain validators list\|proposals/],
      [[], /usage: medchain validators/],
    ];
    for (const [args, msg] of cases) {
      const { code, out } = await runCli(['validators', ...args, ...rpc]);
      expect(code, args.join(' ')).toBe(1);
      expect(out, args.join(' ')).toMatch(msg);
    }
    const far = await runCli(['validators', 'list', '--height', '99999999', ...rpc]);
    expect(far.code).toBe(1);
    expect(far.out).toMatch(/not known yet/);
  });

  it('a non-validator\'s proposal reverts (exit 3) and changes nothing', async () => {
    const { code, out } = await runCli(['validators', 'add', '--dev', '1', '--public-key', toHex(devKey(2).publicKey), '--wait', ...rpc]);
    expect(code, out).toBe(3);
    expect(json<{ status: string; error: string }>(out)).toMatchObject({ status: 'reverted', error: expect.stringContaining('not-validator') });
  });

  it('the sole validator adds one; the dev node, without p2p, stops its instant blocks and says why', async () => {
    const { code, out } = await runCli(['validators', 'add', '--dev', '0', '--public-key', toHex(devKey(1).publicKey), '--wait', ...rpc]);
    expect(code, out).toBe(0);
    const receipt = json<{ height: number; events: Array<{ event: string }> }>(out);
    expect(receipt.events.map((e) => e.event)).toEqual(['Proposed', 'Approved', 'Scheduled']);
    await expect.poll(() => node.logs(), { timeout: 20_000 }).toMatch(/block production stops/);
    expect(node.logs()).toMatch(/runs no p2p: restart it with --p2p-port/);
    // It stopped after the last height its key alone signs: the next block needs both.
    const info = json<{ height: number; validators: string[] }>((await runCli(['query', 'chain_getInfo', ...rpc])).out);
    expect(info.height).toBe(receipt.height + 1);
    expect(info.validators).toEqual([toHex(devKey(0).address), toHex(devKey(1).address)]); // the next block's set
    const list = json<{ validators: unknown[] }>((await runCli(['validators', 'list', ...rpc])).out);
    expect(list.validators).toEqual([member(0), member(1)]);
    await new Promise((r) => setTimeout(r, 500));
    expect(json<{ height: number }>((await runCli(['query', 'chain_getInfo', ...rpc])).out).height).toBe(receipt.height + 1);
  });
});
