import { mkdirSync, readFileSync } from 'node:fs';
import { equalBytes, toHex } from '../core/encoding/index.js';
import { Chain, txSigCheck, type BuiltBlock } from '../core/chain/index.js';
import { envelope, UNAVAILABLE_EXECUTOR, type ContractExecutor } from '../core/execution/index.js';
import type { GenesisSpec } from '../core/genesis/index.js';
import { Mempool } from '../core/mempool/index.js';
import { SigVerifyPool, VerifiedSigCache } from '../core/sigpool/index.js';
import { ChainStore } from '../core/store/index.js';
import { chainApi } from '../rpc/methods/index.js';
import { createRpcServer, MethodTable, SubscriptionHub, type RpcServer } from '../rpc/index.js';
import { BlockProducer, DEFAULT_EMPTY_BLOCK_MS } from './blockProducer.js';
import { NodeError } from './errors.js';
import { TxIntake } from './txIntake.js';
import { TxWaiters } from './txWaiters.js';
import { publish, replayEvents, txStatus } from './publisher.js';
import type { KeyPair } from './keyFile.js';
import type { Logger } from './logger.js';

/** Everything a node needs to run. */
export interface NodeConfig {
  dataDir: string;
  genesis: GenesisSpec;
  /** The validator key; without one (or when it is not in the set) the node only follows. */
  key?: KeyPair;
  rpcHost: string;
  rpcPort: number;
  blockMs: number;
  emptyBlockMs?: number;
  /** Signature-verification threads (default: the pool's, one per core). */
  sigThreads?: number;
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

/**
 * The composition root of a running node: store, chain, sig pool, mempool, RPC server and
 * (for a single-validator chain) the block producer, started and stopped in order.
 */
export class MedchainNode {
  readonly chain: Chain;
  readonly mempool: Mempool;
  readonly rpc: RpcServer;
  readonly hub: SubscriptionHub;
  readonly #store: ChainStore;
  readonly #pool: SigVerifyPool;
  readonly #producer: BlockProducer | undefined;
  readonly #logger: Logger;
  readonly #waiters: TxWaiters;

  private constructor(parts: {
    chain: Chain;
    mempool: Mempool;
    rpc: RpcServer;
    hub: SubscriptionHub;
    store: ChainStore;
    pool: SigVerifyPool;
    producer: BlockProducer | undefined;
    logger: Logger;
    waiters: TxWaiters;
  }) {
    this.#waiters = parts.waiters;
    this.chain = parts.chain;
    this.mempool = parts.mempool;
    this.rpc = parts.rpc;
    this.hub = parts.hub;
    this.#store = parts.store;
    this.#pool = parts.pool;
    this.#producer = parts.producer;
    this.#logger = parts.logger;
  }

  /** Opens the data dir, checks the stored chain, starts RPC and block production. */
  static async start(config: NodeConfig, deps: { logger: Logger; executor?: ContractExecutor }): Promise<MedchainNode> {
    const { logger } = deps;
    mkdirSync(config.dataDir, { recursive: true });
    let store: ChainStore;
    try {
      store = await ChainStore.open(config.dataDir);
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause;
      throw new NodeError('NODE_DATA_DIR', `cannot open the database in ${config.dataDir}: ${cause?.code === 'LEVEL_LOCKED' ? 'another node is using it' : (e as Error).message}`, {
        dataDir: config.dataDir,
      });
    }
    let chain: Chain;
    try {
      chain = await Chain.open(store, { spec: config.genesis, executor: deps.executor ?? UNAVAILABLE_EXECUTOR });
    } catch (e) {
      await store.close();
      throw e;
    }
    const pool = new SigVerifyPool(config.sigThreads ? { threads: config.sigThreads } : {});
    const verified = new VerifiedSigCache();
    const mempool = new Mempool(
      { chainId: config.genesis.chainId, blockGasLimit: config.genesis.blockGasLimit },
      {
        account: (address) => chain.account(address),
        verifySignature: async (tx, hash) => {
          if (verified.has(hash)) return true;
          const ok = await pool.verify(txSigCheck(envelope(tx, new Uint8Array(0), hash)));
          if (ok) verified.add(hash);
          return ok;
        },
      },
    );
    const intake = new TxIntake(mempool, store, logger);
    await intake.replay();
    const waiters = new TxWaiters();
    const hub = new SubscriptionHub(
      {
        replayEvents: (filter, fromHeight) => replayEvents(store, fromHeight),
        txStatus: (hash) => txStatus(chain, mempool, hash),
      },
      { logger },
    );
    const methods = new MethodTable({ title: 'medchain JSON-RPC', version: VERSION });
    const rpcMempool = { add: (bytes: Uint8Array) => intake.add(bytes), get: (h: Uint8Array) => mempool.get(h), get size() { return mempool.size; } };
    methods.registerAll(
      chainApi({
        chain,
        mempool: rpcMempool,
        contracts: () => ({}),
        version: VERSION,
        waitForTx: (hash, timeoutMs) => waiters.wait(hash, timeoutMs),
        peers: () => [],
      }),
    );
    const rpc = createRpcServer(
      { host: config.rpcHost, port: config.rpcPort },
      { methods, hub, logger, health: () => ({ synced: true, height: chain.head.height }) },
    );
    const validatorIndex = config.key ? chain.validators.findIndex((v) => equalBytes(v.address, config.key!.address)) : -1;
    const single = chain.validators.length === 1 && validatorIndex === 0;
    const producer = single
      ? new BlockProducer(
          { blockMs: config.blockMs, emptyBlockMs: config.emptyBlockMs ?? DEFAULT_EMPTY_BLOCK_MS },
          { chain, mempool, key: config.key!, validatorIndex, logger, onCommitted: (b) => {
            waiters.committed(b.included.map((e) => toHex(e.hash)));
            publish(hub, b);
          } },
        )
      : undefined;
    const node = new MedchainNode({ chain, mempool, rpc, hub, store, pool, producer, logger, waiters });
    try {
      const addr = await rpc.listen();
      logger.info('rpc listening', { url: `ws://${addr.address}:${addr.port}`, http: `http://${addr.address}:${addr.port}` });
    } catch (e) {
      await node.stop();
      throw new NodeError('NODE_BAD_CONFIG', `cannot listen on ${config.rpcHost}:${config.rpcPort}: ${(e as Error).message}`, {
        field: 'rpcPort',
      });
    }
    logger.info('chain open', {
      chainId: config.genesis.chainId,
      genesis: toHex(chain.genesisHash),
      height: chain.head.height,
      validator: validatorIndex >= 0,
    });
    if (!single) logger.warn('not producing blocks: multi-validator consensus is not available yet, or this key is not a validator');
    producer?.start();
    return node;
  }

  /** Stops block production (finishing the block in progress), RPC, the pool and the store. */
  async stop(): Promise<void> {
    await this.#producer?.stop();
    this.#waiters.close();
    await this.rpc.close();
    await this.#pool.close();
    await this.#store.close();
    this.#logger.info('stopped', { height: this.chain.head.height });
  }

  /** Makes one block now (tests, single-validator only). */
  async produceBlock(): Promise<BuiltBlock | undefined> {
    return this.#producer?.produce();
  }
}
