/** What the node does with each p2p message (the network layer only transports them). */
import type { Chain } from '../core/chain/index.js';
import { MempoolError, type Mempool } from '../core/mempool/index.js';
import { P2PError, type Network, type NetworkHandlers } from '../p2p/index.js';
import type { BlockSync } from './blockSync.js';
import type { ConsensusDriver } from './consensusDriver.js';
import type { Logger } from './logger.js';
import type { TxIntake } from './txIntake.js';

/** Mempool rejections that prove the sender of a gossiped tx is misbehaving (not just late). */
const PENALIZED_TX_ERRORS = new Set(['MEMPOOL_MALFORMED', 'MEMPOOL_TOO_LARGE', 'MEMPOOL_BAD_SIGNATURE', 'MEMPOOL_WRONG_CHAIN']);

/**
 * Pending txs sent to a peer that has just connected: gossip reaches only the peers connected
 * when a tx arrives, so a tx accepted while this node had no link (just restarted, or a peer
 * redialling) would otherwise wait until this node proposes — or forever, on a follower. The
 * next block's worth at most (the consensus block cap), well inside the peer's message burst.
 */
export const MAX_TXS_ON_CONNECT = 2_000;

/** The node's p2p handlers. Getters break the construction cycle network ↔ handlers. */
export function peerHandlers(deps: {
  chain: Chain;
  mempool: Mempool;
  intake: TxIntake;
  logger: Logger;
  getNetwork: () => Network;
  getSync: () => BlockSync;
  getDriver: () => ConsensusDriver | undefined;
}): NetworkHandlers {
  const { chain, intake, logger } = deps;
  return {
    logger,
    onPeerUp: (peer) => {
      peer.send({ kind: 'status', height: chain.head.height, headHash: chain.headHash });
      deps.getDriver()?.greet(peer);
      for (const e of deps.mempool.pending(chain.spec.blockGasLimit).slice(0, MAX_TXS_ON_CONNECT)) peer.send({ kind: 'tx', tx: e.bytes });
    },
    onMessage: async (peer, m) => {
      switch (m.kind) {
        case 'status':
          deps.getSync().onStatus(peer);
          return;
        case 'getBlocks':
          deps.getSync().onGetBlocks(peer, m.from, m.count);
          return;
        case 'blocks':
          await deps.getSync().onBlocks(peer, m.blocks);
          return;
        case 'tx':
          try {
            await intake.add(m.tx);
          } catch (e) {
            if (e instanceof MempoolError) {
              if (PENALIZED_TX_ERRORS.has(e.code)) throw new P2PError('P2P_BAD_FRAME', `invalid tx: ${e.message}`, 'penalize');
              return; // late or duplicate: normal in gossip, nothing to relay
            }
            throw e;
          }
          deps.getNetwork().relay(m, peer);
          return;
        case 'proposal':
          await deps.getDriver()?.onProposal(peer, m.proposal, m.block);
          return;
        case 'vote':
          await deps.getDriver()?.onVote(peer, m.vote);
          return;
        case 'evidence':
          await deps.getDriver()?.onEvidence(peer, m.evidence);
          return;
      }
    },
  };
}
