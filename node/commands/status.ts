import { parseArgs } from 'node:util';
import { isRpcReason, type MedchainClient } from '../../rpc/client/index.js';
import type { Command } from './command.js';
import { DEFAULT_RPC_URL, rpcUrlFlag, withClient } from './query.js';

/** `GET /health` answers fast or not at all; do not let it hold up the report. */
const HEALTH_HTTP_TIMEOUT_MS = 2_000;

/** What `medchain status` reports. */
export interface NodeStatus {
  chainId: string;
  height: number;
  finalizedHeight: number;
  /** Connected peers; null when the node has no `node_peers` method (no p2p yet). */
  peers: number | null;
  sync: 'synced' | 'syncing' | 'unknown';
  mempool: number;
  version: string;
}

/** Peer count from `node_peers` (a count, a list, or {peers}); null if the node lacks the method. */
async function peerCount(client: MedchainClient): Promise<number | null> {
  try {
    const r = await client.call<unknown>('node_peers', []);
    if (typeof r === 'number') return r;
    if (Array.isArray(r)) return r.length;
    const o = r as { count?: unknown; peers?: unknown };
    if (typeof o?.count === 'number') return o.count;
    if (Array.isArray(o?.peers)) return o.peers.length;
    return null;
  } catch (e) {
    if (isRpcReason(e, 'method_not_found')) return null;
    throw e;
  }
}

/** Sync state: `node_health.synced` when the node reports it, else the HTTP `GET /health` code. */
async function syncState(client: MedchainClient, synced: unknown): Promise<NodeStatus['sync']> {
  if (typeof synced === 'boolean') return synced ? 'synced' : 'syncing';
  try {
    const url = new URL(client.url);
    url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
    url.pathname = '/health';
    const res = await fetch(url, { signal: AbortSignal.timeout(HEALTH_HTTP_TIMEOUT_MS) });
    await res.body?.cancel();
    return res.status === 200 ? 'synced' : res.status === 503 ? 'syncing' : 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Collects the status of the node behind `client`. */
export async function nodeStatus(client: MedchainClient): Promise<NodeStatus> {
  const [info, health, version, peers] = await Promise.all([client.getInfo(), client.health(), client.version(), peerCount(client)]);
  return {
    chainId: info.chainId,
    height: info.height,
    finalizedHeight: info.finalizedHeight,
    peers,
    sync: await syncState(client, health.synced),
    mempool: health.mempool,
    version: version.version,
  };
}

function formatStatus(s: NodeStatus): string {
  const rows: Array<[string, string]> = [
    ['chain', s.chainId],
    ['height', String(s.height)],
    ['finalized', String(s.finalizedHeight)],
    ['peers', s.peers === null ? '0 (node_peers not available)' : String(s.peers)],
    ['sync', s.sync],
    ['mempool', String(s.mempool)],
    ['version', s.version],
  ];
  return rows.map(([k, v]) => k.padEnd(11) + v).join('\n');
}

/** `medchain status`: height, finalized height, chain id, peers, sync state, mempool size. */
export const statusCommand: Command = {
  name: 'status',
  usage: [
    'status                a node\'s chain, heights, peers, sync state and mempool',
    `    --rpc <url>           the node (default ${DEFAULT_RPC_URL})`,
    '    --json                print JSON',
  ],
  run: (argv) => {
    const { values } = parseArgs({ args: argv, options: { rpc: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
    return withClient(rpcUrlFlag(values.rpc), async (client) => {
      const s = await nodeStatus(client);
      console.log(values.json ? JSON.stringify(s, null, 2) : formatStatus(s));
      return 0;
    });
  },
};
