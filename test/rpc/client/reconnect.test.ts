/**
 * Auto-reconnect against a real node: SIGKILL it mid-subscription, restart it on the same data
 * dir and port, and the client reconnects by itself, answers the requests queued meanwhile,
 * and the newHeads iterator continues with every height exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, devKey, type ConnectionState, type Header, type MedchainClient } from '../../../rpc/client/index.js';
import { freePort } from '../../fixtures/freePort.js';
import { startNode, type NodeProcess } from '../../fixtures/nodeProcess.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medchain-reconnect-'));
const procs: NodeProcess[] = [];
let client: MedchainClient | undefined;

afterAll(async () => {
  await client?.close();
  for (const p of procs) if (p.proc.exitCode === null && p.proc.signalCode === null) await p.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(port: number): Promise<NodeProcess> {
  const node = await startNode(['dev', '--data-dir', dataDir, '--rpc-port', String(port), '--block-ms', '50', '--empty-block-ms', '100']);
  procs.push(node);
  return node;
}

describe('client auto-reconnect', () => {
  it('survives a SIGKILL and restart of the node: the subscription continues without gaps or duplicates', async () => {
    const port = await freePort();
    const first = await start(port);
    const states: ConnectionState[] = [];
    client = await createClient(first.url, {
      WebSocket,
      reconnect: { initialDelayMs: 50, maxDelayMs: 250 },
      onStateChange: (s) => states.push(s),
    });
    const heads = client.subscribe('newHeads');
    const it = heads[Symbol.asyncIterator]();
    const seen: Header[] = [];
    const take = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const r = await it.next();
        if (r.done) throw new Error('subscription ended');
        seen.push(r.value);
      }
    };
    await take(3);
    const idBefore = heads.id;

    await first.kill();
    await expect.poll(() => client!.state, { timeout: 5_000 }).toBe('reconnecting');
    // asked while the node is down: queued, answered once it is back
    const queued = client.getInfo();
    await new Promise((r) => setTimeout(r, 300)); // heads the client must not miss are made after restart
    const second = await start(port);
    expect(second.url).toBe(first.url);

    expect((await queued).chainId).toBe('medchain-dev');
    const lastBefore = seen[seen.length - 1].height;
    while (seen[seen.length - 1].height < lastBefore + 5) await take(1);
    const heights = seen.map((h) => h.height);
    expect(heights.slice(1).map((h, i) => h - heights[i]).every((d) => d === 1)).toBe(true);
    expect(heads.id).not.toBe(idBefore);
    expect(heads.resumeGaps).toBe(0);
    expect(states).toEqual(['open', 'reconnecting', 'open']);

    // and the connection is fully usable again: a transfer goes through
    const receipt = await client.txBuilder(devKey(1)).sendAndWait({ to: devKey(2).address, method: 'transfer', args: [7] }, { timeoutMs: 15_000 });
    expect(receipt.status).toBe('ok');
    await heads.return();
  });
});
