import { mkdirSync, readFileSync } from 'node:fs';
import type { Commit } from '../core/block/index.js';
import { Chain, txSigCheck, type BuiltBlock, type VerifySigs } from '../core/chain/index.js';
import { equalBytes, toHex } from '../core/encoding/index.js';
import { VM_EXECUTOR, type ContractExecutor } from '../core/execution/index.js';
import { contractMap, type GenesisSpec } from '../core/genesis/index.js';
import { Mempool } from '../core/mempool/index.js';
import { SigVerifyPool, VerifiedSigCache } from '../core/sigpool/index.js';
import { ChainStore } from '../core/store/index.js';
import { Network } from '../p2p/index.js';
import { createRpcServer, MethodTable, SubscriptionHub, type RpcServer } from '../rpc/index.js';
import { chainApi } from '../rpc/methods/index.js';
import { BlockProducer, DEFAULT_EMPTY_BLOCK_MS } from './blockProducer.js';
import { BlockSync } from './blockSync.js';
import { NodeMetrics } from './metrics.js';
import { ConsensusDriver } from './consensusDriver.js';
import { NodeError } from './errors.js';
import { newKeyPair, type KeyPair } from './keyFile.js';
import type { Logger } from './logger.js';
import { peerHandlers } from './peerHandlers.js';
import { publish, replayEvents, txStatus } from './publisher.js';
import { SerialQueue } from './serialQueue.js';
import { TxIntake } from './txIntake.js';
import { TxWaiters } from './txWaiters.js';

/** Everything a node needs to run. */
export interface NodeConfig {
  dataDir: string;
  genesis: GenesisSpec;
  /** The validator key; without one (or when it is not in the set) the node only follows. */
  key?: KeyPair;
  rpcHost: string;
  rpcPort: number;
  /** Per-connection RPC request rate (default: rpc/limits.ts); Infinity lifts it (benchmarks). */
  rpcRequestsPerSecond?: number;
  blockMs: number;
  emptyBlockMs?: number;
  /** Signature-verification threads (default: the pool's, one per core). */
  sigThreads?: number;
  /** P2P listen address; without a port the node runs no p2p. */
  p2pHost?: string;
  p2pPort?: number;
  /** ws://host:port of peers to stay connected to. */
  peers?: string[];
}

/** The software version reported by node_version. */
export const VERSION = readVersion();

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Opens the store, turning a locked or unreadable data dir into an operator-facing error. */
async function openStore(dataDir: string): Promise<ChainStore> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await ChainStore.open(dataDir);
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause;
    const why = cause?.code === 'LEVEL_LOCKED' ? 'another node is using it' : (e as Error).message;
    throw new NodeError('NODE_DATA_DIR', `cannot open the database in ${dataDir}: ${why}`, { dataDir });
  }
}

/** What the node owns and stops, besides its public parts. */
interface NodeParts {
  store: ChainStore;
  pool: SigVerifyPool;
  producer: BlockProducer | undefined;
  /** The consensus driver, once the chain has more than one validator (it may start later). */
  driver: () => ConsensusDriver | undefined;
  logger: Logger;
  waiters: TxWaiters;
  writes: SerialQueue;
  sync: BlockSync | undefined;
  /** Marks the node as stopping, so no driver starts during shutdown. */
  onStop: () => void;
}

/**
 * The composition root of a running node: store, chain, sig pool, mempool, RPC, p2p (block
 * sync and gossip) and, on a single-validator chain, the block producer — started and
 * stopped in order. Every chain write goes through one SerialQueue.
 */
export class MedchainNode {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly rpc: RpcServer;
  readonly hub: SubscriptionHub;
  readonly network: Network | undefined;
  readonly #parts: NodeParts;

  private constructor(
    pub: { chain: Chain; mempool: Mempool; rpc: RpcServer; hub: SubscriptionHub; network: Network | undefined },
    parts: NodeParts,
  ) {
    this.chain = pub.chain;
    this.mempool = pub.mempool;
    this.rpc = pub.rpc;
    this.hub = pub.hub;
    this.network = pub.network;
    this.#parts = parts;
  }

  /** Opens the data dir, checks the stored chain, starts RPC, p2p and block production. */
  static async start(config: NodeConfig, deps: { logger: Logger; executor?: ContractExecutor }): Promise<MedchainNode> {
    const { logger } = deps;
    const store = await openStore(config.dataDir);
    let chain: Chain;
    try {
      chain = await Chain.open(store, { spec: config.genesis, executor: deps.executor ?? VM_EXECUTOR });
    } catch (e) {
      await store.close();
      throw e;
    }
    const pool = new SigVerifyPool(config.sigThreads ? { threads: config.sigThreads } : {});
    const verifySigs: VerifySigs = (items) => pool.verifyBatch(items);
    const verified = new VerifiedSigCache();
    const mempool = new Mempool(
      { chainId: config.genesis.chainId, blockGasLimit: config.genesis.blockGasLimit },
      {
        account: (address) => chain.account(address),
        verifySignature: async (tx, hash) => {
          if (verified.has(hash)) return true;
          const ok = await pool.verify(txSigCheck(tx));
          if (ok) verified.add(hash);
          return ok;
        },
      },
    );
    const intake = new TxIntake(mempool, store, logger);
    await intake.replay();
    const writes = new SerialQueue();
    const waiters = new TxWaiters();
    const hub = new SubscriptionHub(
      { replayEvents: (_filter, fromHeight) => replayEvents(store, fromHeight), txStatus: (hash) => txStatus(chain, mempool, hash) },
      { logger },
    );

    let network: Network | undefined;
    let sync: BlockSync | undefined;
    let driver: ConsensusDriver | undefined;
    /** Admits a tx (journaled before it is acknowledged) and gossips it: RPC clients' txs and the node's own evidence reports. */
    const admitTx = async (bytes: Uint8Array) => {
      const r = await intake.add(bytes);
      network?.broadcast({ kind: 'tx', tx: bytes });
      return r;
    };
    const metrics = new NodeMetrics({
      height: () => chain.head.height,
      finalizedHeight: () => chain.store.finalHeight(),
      round: () => driver?.position.round ?? 0,
      peers: () => network?.readyPeers().length ?? 0,
      mempoolSize: () => mempool.size,
      sigPoolPending: () => pool.stats.pending,
      rpcConnections: () => rpc.stats().connections,
    });
    let startDriver: () => void = () => {};
    let started = false; // the driver starts late only once the node is up, never while stopping
    let stopping = false;
    const onCommitted = (built: BuiltBlock, _commit: Commit | null) => {
      metrics.blockCommitted(built.included.length);
      mempool.removeCommitted(built.included.map((e) => e.hash));
      waiters.committed(built.included.map((e) => toHex(e.hash)));
      publish(hub, built);
      network?.broadcast({ kind: 'status', height: built.block.header.height, headHash: built.hash });
      // Governance may have grown the set of the next height beyond one validator.
      startDriver();
    };
    if (config.p2pPort !== undefined) {
      const nodeKey = config.key ?? newKeyPair();
      const handlers = peerHandlers({ chain, mempool, intake, logger, getNetwork: () => network!, getSync: () => sync!, getDriver: () => driver });
      network = new Network(
        { chainId: chain.spec.chainId, genesisHash: chain.genesisHash, nodeKey, host: config.p2pHost ?? '127.0.0.1', port: config.p2pPort, peers: config.peers ?? [] },
        handlers,
      );
      sync = new BlockSync({
        chain,
        network,
        writes,
        verifySigs,
        logger,
        onCommitted: (built, commit) => {
          onCommitted(built, commit);
          driver?.resync();
        },
      });
      // A multi-validator chain runs Tendermint; a single validator keeps the instant producer
      // below until governance grows the set (then every node with p2p runs the driver).
      const net = network;
      const behind = () => net.readyPeers().some((p) => p.height > chain.head.height + 1);
      const makeDriver = () =>
        new ConsensusDriver({ chain, mempool, network: net, key: config.key, verifySigs, writes, logger, blockMs: config.blockMs, behind, onCommitted: (b) => onCommitted(b, null), submitTx: admitTx });
      if (chain.validators.length > 1) driver = makeDriver();
      startDriver = () => {
        if (driver || !started || stopping || chain.validators.length <= 1) return;
        driver = makeDriver();
        logger.info('consensus', { validators: chain.validators.length, validatorIndex: driver.selfIndex, height: chain.head.height + 1 });
        driver.start();
      };
    }

    const methods = new MethodTable({ title: 'medchain JSON-RPC', version: VERSION });
    const rpcMempool = {
      add: admitTx,
      get: (h: Uint8Array) => mempool.get(h),
      pendingNonce: (address: Uint8Array) => mempool.pendingNonce(address),
      get size() {
        return mempool.size;
      },
    };
    methods.registerAll(
      chainApi({
        chain,
        mempool: rpcMempool,
        contracts: () => contractMap(chain.spec.contracts ?? []),
        version: VERSION,
        waitForTx: (hash, timeoutMs) => waiters.wait(hash, timeoutMs),
        peers: () => (network?.peerInfo() ?? []) as unknown as Array<Record<string, unknown>>,
        syncing: () => sync?.syncing ?? false,
      }),
    );
    const rpc = createRpcServer(
      { host: config.rpcHost, port: config.rpcPort, ...(config.rpcRequestsPerSecond ? { limits: { requestsPerSecond: config.rpcRequestsPerSecond } } : {}) },
      { methods, hub, logger, health: () => ({ synced: !(sync?.syncing ?? false), height: chain.head.height }), metrics: () => metrics.render() },
    );
    const validatorIndex = config.key ? chain.validators.findIndex((v) => equalBytes(v.address, config.key!.address)) : -1;
    const single = chain.validators.length === 1 && validatorIndex === 0;
    const onSetChanged = () => {
      if (!network) logger.error('the validator set grew beyond this node, which runs no p2p: restart it with --p2p-port and peers to take part in consensus', { height: chain.head.height + 1 });
      startDriver();
    };
    const producer = single
      ? new BlockProducer(
          { blockMs: config.blockMs, emptyBlockMs: config.emptyBlockMs ?? DEFAULT_EMPTY_BLOCK_MS },
          { chain, mempool, key: config.key!, validatorIndex, logger, writes, onCommitted, onSetChanged },
        )
      : undefined;
    const node = new MedchainNode(
      { chain, mempool, rpc, hub, network },
      { store, pool, producer, driver: () => driver, logger, waiters, writes, sync, onStop: () => (stopping = true) },
    );
    try {
      const addr = await rpc.listen();
      logger.info('rpc listening', { url: `ws://${addr.address}:${addr.port}`, http: `http://${addr.address}:${addr.port}` });
      if (network) {
        const p2p = await network.start();
        logger.info('p2p listening', { url: `ws://${p2p.address}:${p2p.port}`, peers: (config.peers ?? []).length });
        sync?.start();
      }
    } catch (e) {
      await node.stop();
      throw new NodeError('NODE_BAD_CONFIG', `cannot listen: ${(e as Error).message}`, { field: 'port' });
    }
    logger.info('chain open', {
      chainId: config.genesis.chainId,
      genesis: toHex(chain.genesisHash),
      height: chain.head.height,
      validator: validatorIndex >= 0,
    });
    if (driver) {
      logger.info('consensus', { validators: chain.validators.length, validatorIndex: driver.selfIndex });
      driver.start();
    } else if (!single) logger.info('following the chain: this node does not produce blocks');
    producer?.start();
    started = true;
    return node;
  }

  /** Stops block production (finishing the block in progress), p2p, RPC, the pool and the store. */
  async stop(): Promise<void> {
    const p = this.#parts;
    p.onStop();
    await p.producer?.stop();
    await p.driver()?.stop();
    p.sync?.stop();
    await this.network?.stop();
    p.waiters.close();
    await this.rpc.close();
    await p.writes.idle();
    await p.pool.close();
    await p.store.close();
    p.logger.info('stopped', { height: this.chain.head.height });
  }
}
