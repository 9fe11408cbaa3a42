/** `node_*`: health and version. */
import type { MethodSpec } from '../methodTable.js';
import { OBJECT_SCHEMA, type ChainBackend } from './backend.js';

/** The node API methods over `b`. */
export function nodeMethods(b: ChainBackend): MethodSpec[] {
  return [
    {
      name: 'node_health',
      summary: 'Whether the node is serving and synced, with its head height, finalized height and mempool size',
      params: [],
      result: { name: 'health', schema: OBJECT_SCHEMA },
      handler: () => ({
        ok: true,
        synced: !b.syncing(),
        height: b.chain.head.height,
        finalizedHeight: b.chain.store.finalHeight(),
        mempool: b.mempool.size,
      }),
    },
    {
      name: 'node_peers',
      summary: 'Connected peers',
      params: [],
      result: { name: 'peers', schema: { type: 'array', items: OBJECT_SCHEMA } },
      handler: () => b.peers(),
    },
    {
      name: 'node_version',
      summary: 'Software version and chain id',
      params: [],
      result: { name: 'version', schema: OBJECT_SCHEMA },
      handler: () => ({ version: b.version, chainId: b.chain.spec.chainId }),
    },
  ];
}
