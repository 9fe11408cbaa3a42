/**
 * Block sync's periodic check (BlockSync.tick): a node asks the most advanced peer ahead of it
 * for blocks, once at a time, and asks again when a request went unanswered — the case that
 * stalled a testnet when the request went to a validator that had just been killed and nobody
 * else committed (so no new status arrived to trigger one).
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { toHex } from '../../core/encoding/index.js';
import { Chain } from '../../core/chain/index.js';
import { UNAVAILABLE_EXECUTOR } from '../../core/execution/index.js';
import { parseGenesis } from '../../core/genesis/index.js';
import { ChainStore } from '../../core/store/index.js';
import type { Network, Peer } from '../../p2p/index.js';
import { BlockSync } from '../../node/blockSync.js';
import { createLogger } from '../../node/logger.js';
import { SerialQueue } from '../../node/serialQueue.js';
import { DEV, inThreadVerify, TempDirs } from '../fixtures/chainFixtures.js';

const tmp = new TempDirs();
const stores: ChainStore[] = [];
afterAll(async () => {
  for (const s of stores) if (s.db.status === 'open') await s.close();
  tmp.cleanup();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A peer as block sync sees it: its announced height and what it was sent. */
function peer(height: number): Peer & { sent: unknown[] } {
  const sent: unknown[] = [];
  return { state: 'ready', height, sent, send: (m: unknown) => sent.push(m) } as unknown as Peer & { sent: unknown[] };
}

async function syncWith(peers: Peer[]): Promise<BlockSync> {
  const store = await ChainStore.open(tmp.make('medchain-sync-'));
  stores.push(store);
  const spec = parseGenesis({ chainId: 'medchain-dev', timeMs: 1, blockGasLimit: 1_000_000, blockIntervalMs: 100, validators: [{ publicKey: toHex(DEV[0].publicKey) }] });
  const chain = await Chain.open(store, { spec, executor: UNAVAILABLE_EXECUTOR });
  const network = { readyPeers: () => peers.filter((p) => p.state === 'ready') } as unknown as Network;
  return new BlockSync({ chain, network, writes: new SerialQueue(), verifySigs: inThreadVerify, logger: createLogger({ level: 'error' }), onCommitted: () => undefined });
}

describe('BlockSync.tick', () => {
  it('asks nobody when no peer is ahead', async () => {
    const level = peer(0);
    const sync = await syncWith([level]);
    sync.tick();
    expect(level.sent).toEqual([]);
    expect(sync.syncing).toBe(false);
  });

  it('asks the most advanced peer, one request at a time, and again after an unanswered request times out', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const near = peer(3);
    const far = peer(7);
    const gone = Object.assign(peer(50), { state: 'closed' as const });
    const sync = await syncWith([near, far, gone]);
    sync.tick();
    expect(far.sent).toEqual([{ kind: 'getBlocks', from: 1, count: 7 }]);
    expect(near.sent).toEqual([]);
    expect(sync.syncing).toBe(true);
    sync.tick();
    expect(far.sent).toHaveLength(1); // still waiting for the answer
    vi.setSystemTime(Date.now() + 5_001); // the peer never answered (it was killed)
    far.state = 'closed';
    sync.tick();
    expect(near.sent).toEqual([{ kind: 'getBlocks', from: 1, count: 3 }]);
    expect(gone.sent).toEqual([]);
  });
});
