/**
 * Block sync over p2p (design §10): a node that is behind asks peers for block ranges with
 * their commit certificates, checks each certificate against the validator set, re-validates
 * and executes the block, and appends it. It also serves ranges to others.
 */
import { assertCommitSigs, checkCommit, commitFromTuple, commitTuple, decodeBlock, headerHash, type Commit } from '../core/block/index.js';
import type { BuiltBlock, Chain, VerifySigs } from '../core/chain/index.js';
import { decode, encode } from '../core/encoding/index.js';
import { MedchainError } from '../core/errors.js';
import { MAX_BLOCKS_PER_REQUEST, P2PError, type Network, type Peer } from '../p2p/index.js';
import type { Logger } from './logger.js';
import type { SerialQueue } from './serialQueue.js';

/** A request unanswered for this long may be re-sent to another peer. */
const REQUEST_TIMEOUT_MS = 5_000;
/**
 * How often the node looks for a peer ahead of it. Requests are otherwise sent on a peer's
 * status (after each of its commits), so without this a request lost to a peer that died, at
 * a time when nobody commits (the others wait for this node's vote), would leave the node
 * behind for good: a testnet stalled that way for 60 s with one validator killed.
 */
const SYNC_TICK_MS = 1_000;
/** Bytes of blocks per BLOCKS response (at least one block): keeps frames well under the frame limit. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** Catches up from peers and serves block ranges. */
export class BlockSync {
  #inflight: { peer: Peer; from: number; at: number } | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      chain: Chain;
      network: Network;
      writes: SerialQueue;
      verifySigs: VerifySigs;
      logger: Logger;
      onCommitted(built: BuiltBlock, commit: Commit): void;
    },
  ) {}

  /** Whether a sync request is outstanding (the node is catching up). */
  get syncing(): boolean {
    return this.#inflight !== undefined && Date.now() - this.#inflight.at < REQUEST_TIMEOUT_MS;
  }

  /** Starts the periodic check for peers ahead (see SYNC_TICK_MS). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.tick(), SYNC_TICK_MS);
    this.#timer.unref();
  }

  /** Stops the periodic check. */
  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Requests blocks from the most advanced ready peer ahead of us, unless a request is outstanding. */
  tick(): void {
    if (this.syncing) return;
    const head = this.deps.chain.head.height;
    let best: Peer | undefined;
    for (const p of this.deps.network.readyPeers()) if (p.height > head && (!best || p.height > best.height)) best = p;
    if (best) this.#maybeRequest(best);
  }

  /** A peer announced its height: ask for what we lack. */
  onStatus(peer: Peer): void {
    this.#maybeRequest(peer);
  }

  /** Serves a GET_BLOCKS request from our store. */
  onGetBlocks(peer: Peer, from: number, count: number): void {
    const { store } = this.deps.chain;
    const blocks: Array<{ block: Uint8Array; commit: Uint8Array }> = [];
    let bytes = 0;
    for (let h = from; h < from + count && h <= this.deps.chain.head.height; h++) {
      const block = store.blockBytes(h);
      const commit = store.commit(h);
      if (!block || !commit) break;
      const c = encode(commitTuple(commit));
      if (blocks.length > 0 && bytes + block.length + c.length > MAX_RESPONSE_BYTES) break;
      bytes += block.length + c.length;
      blocks.push({ block, commit: c });
    }
    peer.send({ kind: 'blocks', blocks });
  }

  /** Imports a BLOCKS response in order; invalid data penalises the peer (throws P2PError). */
  async onBlocks(peer: Peer, blocks: Array<{ block: Uint8Array; commit: Uint8Array }>): Promise<void> {
    if (this.#inflight?.peer === peer) this.#inflight = undefined;
    for (const raw of blocks) {
      const imported = await this.deps.writes.run(() => this.#importOne(raw));
      if (!imported) break;
    }
    this.#maybeRequest(peer);
  }

  /** Validates and appends one block with its certificate; false if it is not the next one. */
  async #importOne(raw: { block: Uint8Array; commit: Uint8Array }): Promise<boolean> {
    const { chain } = this.deps;
    let block, commit: Commit;
    try {
      block = decodeBlock(raw.block);
      commit = commitFromTuple(decode(raw.commit));
    } catch (e) {
      throw new P2PError('P2P_BAD_FRAME', `undecodable block: ${(e as Error).message}`, 'penalize');
    }
    if (block.header.height !== chain.head.height + 1) return false;
    try {
      // A block's certificate is signed by the set of its own height (governance may change it).
      const items = checkCommit(chain.spec.chainId, commit, chain.validatorsAt(block.header.height), { height: block.header.height, blockHash: headerHash(block.header) });
      assertCommitSigs(commit, await this.deps.verifySigs(items));
      const built = await chain.validate(block, this.deps.verifySigs);
      await chain.commit(built, commit);
      this.deps.logger.info('synced block', { height: block.header.height, txs: block.txs.length });
      this.deps.onCommitted(built, commit);
      return true;
    } catch (e) {
      if (e instanceof MedchainError) {
        this.deps.logger.warn('rejected a synced block', { height: block.header.height, reason: e.message });
        throw new P2PError('P2P_BAD_FRAME', `invalid block ${block.header.height}: ${e.message}`, 'penalize');
      }
      throw e;
    }
  }

  #maybeRequest(peer: Peer): void {
    const next = this.deps.chain.head.height + 1;
    if (peer.height < next || peer.state !== 'ready' || this.syncing) return;
    this.#inflight = { peer, from: next, at: Date.now() };
    peer.send({ kind: 'getBlocks', from: next, count: Math.min(MAX_BLOCKS_PER_REQUEST, peer.height - next + 1) });
  }
}
