/**
 * `MedchainClient`: typed access to a medchain node over one auto-reconnecting WebSocket.
 * Browser-safe; in Node 20 pass `ws`'s WebSocket (`createClient(url, { WebSocket })`).
 */
import { toHex } from '../../core/encoding/index.js';
import { ClientError } from './errors.js';
import {
  DEFAULT_MAX_BATCH_LENGTH,
  DEFAULT_REQUEST_TIMEOUT_MS,
  JsonRpcClient,
  type BatchCall,
  type BatchOutcome,
  type RequestOptions,
} from './jsonRpcClient.js';
import type { ClientKey } from './keys.js';
import { ReconnectingSocket, type ConnectionState, type ReconnectOptions } from './reconnect.js';
import { sendAndWait, type SendAndWaitOptions } from './sendAndWait.js';
import { DEFAULT_MAX_BUFFERED, Subscription } from './subscription.js';
import { SubscriptionSet } from './subscriptionSet.js';
import { resolveWebSocket, type WebSocketConstructor } from './transport.js';
import { TxBuilder } from './txBuilder.js';
import { txBytes, type TxInput } from './txCodec.js';
import type {
  Account,
  Block,
  ChainInfo,
  Header,
  Health,
  PeerInfo,
  Receipt,
  StateProof,
  SubscribeOptionsFor,
  SubscriptionItems,
  SubscriptionKind,
  TxInfo,
  TxJson,
  Validator,
  VersionInfo,
} from './types.js';

/** The node's `tx_wait` default when no timeout is given (rpc/methods/txMethods.ts). */
const NODE_TX_WAIT_DEFAULT_MS = 30_000;
/** Opening a WebSocket to a live node takes milliseconds; 10 s covers a slow network. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Client options; all optional. */
export interface ClientOptions {
  /** WebSocket constructor (default: the global one; Node 20 has none, pass `ws`'s). */
  WebSocket?: WebSocketConstructor;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** Timeout of each connection attempt (default 10 s). */
  connectTimeoutMs?: number;
  /** Reconnect policy, or false to fail everything when the connection drops. */
  reconnect?: ReconnectOptions | false;
  /** Frames per JSON-RPC batch (default: the node's default limit, 100). */
  maxBatchLength?: number;
  /** Default unread items per subscription before it is dropped (default 1024). */
  maxBuffered?: number;
  /** Called on every connection state change. */
  onStateChange?: (state: ConnectionState) => void;
}

/** A block reference: height or 0x block hash. */
export type BlockRef = number | string;

/** Connects to a node at `url` (ws://…); rejects if the first connection cannot be opened. */
export async function createClient(url: string, opts: ClientOptions = {}): Promise<MedchainClient> {
  const client = new MedchainClient(url, opts);
  await client.connect();
  return client;
}

/** A connected medchain JSON-RPC client. Create with `createClient`. */
export class MedchainClient {
  readonly #rpc: JsonRpcClient;
  readonly #socket: ReconnectingSocket;
  readonly #subs: SubscriptionSet;
  readonly #maxBuffered: number;

  /** Use `createClient`, which also connects. */
  constructor(
    readonly url: string,
    private readonly opts: ClientOptions = {},
  ) {
    this.#maxBuffered = opts.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    this.#rpc = new JsonRpcClient(
      (text) => this.#socket.send(text),
      (p) => this.#subs.onNotification(p),
      { timeoutMs: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, maxBatchLength: opts.maxBatchLength ?? DEFAULT_MAX_BATCH_LENGTH },
    );
    this.#subs = new SubscriptionSet(this.#rpc);
    const notify = (s: ConnectionState) => opts.onStateChange?.(s);
    this.#socket = new ReconnectingSocket(
      url,
      resolveWebSocket(opts.WebSocket),
      { connectTimeoutMs: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, reconnect: opts.reconnect ?? {} },
      {
        onOpen: (reconnected) => {
          notify('open');
          this.#subs.onOpen(reconnected);
          this.#rpc.connectionOpened();
        },
        onMessage: (text) => this.#rpc.handleMessage(text),
        onLost: () => {
          notify('reconnecting');
          this.#rpc.connectionLost();
          this.#subs.onLost();
        },
        onGiveUp: (e) => {
          notify('closed');
          this.#rpc.close(e);
          this.#subs.closeAll(e);
        },
      },
    );
  }

  /** Opens the first connection (done by `createClient`). */
  connect(): Promise<void> {
    return this.#socket.start();
  }

  /** Connection state: open, reconnecting (requests queue), or closed. */
  get state(): ConnectionState {
    return this.#socket.state;
  }

  /** Closes the connection: pending requests fail with CLIENT_CLOSED, subscriptions end. */
  async close(): Promise<void> {
    const wasOpen = this.#socket.state !== 'closed';
    const e = new ClientError('CLIENT_CLOSED', 'the client was closed');
    this.#rpc.close(e);
    this.#subs.closeAll();
    await this.#socket.close();
    if (wasOpen) this.opts.onStateChange?.('closed');
  }

  // ---- raw JSON-RPC

  /** Calls any method; resolves with its result (RpcClientError / ClientError on failure). */
  call<T = unknown>(method: string, params?: unknown[] | Record<string, unknown>, opts?: RequestOptions): Promise<T> {
    return this.#rpc.request<T>(method, params, opts);
  }

  /** Sends calls as JSON-RPC batches; one outcome per call, in order. */
  batch(calls: BatchCall[], opts?: Omit<RequestOptions, 'onResult'>): Promise<BatchOutcome[]> {
    return this.#rpc.batch(calls, opts);
  }

  // ---- typed chain methods

  /** `chain_getInfo`: chain id, genesis, head and final heights, validators. */
  getInfo(): Promise<ChainInfo> {
    return this.call('chain_getInfo', []);
  }

  /** `chain_getBlock` with tx hashes; null if unknown. */
  getBlock(ref: BlockRef): Promise<Block | null>;
  /** `chain_getBlock` with full txs; null if unknown. */
  getBlock(ref: BlockRef, fullTxs: true): Promise<Block<TxJson> | null>;
  getBlock(ref: BlockRef, fullTxs = false): Promise<Block | Block<TxJson> | null> {
    return this.call('chain_getBlock', fullTxs ? [ref, true] : [ref]);
  }

  /** `chain_getHeader`; null if unknown. */
  getHeader(ref: BlockRef): Promise<Header | null> {
    return this.call('chain_getHeader', [ref]);
  }

  /** `chain_getValidators`: the set that signs block `height` (default: the next block). */
  getValidators(height?: number): Promise<Validator[]> {
    return this.call('chain_getValidators', height === undefined ? [] : [height]);
  }

  /** `state_getAccount`, with the balance as a bigint. */
  async getAccount(address: string | Uint8Array): Promise<Account> {
    const a = await this.call<{ nonce: number; pendingNonce?: number; balance: number | string; codeHash: string | null }>('state_getAccount', [
      typeof address === 'string' ? address : toHex(address),
    ]);
    return { nonce: a.nonce, pendingNonce: a.pendingNonce ?? a.nonce, balance: BigInt(a.balance), codeHash: a.codeHash };
  }

  /** `tx_get`: a tx with where it was included; null if unknown. */
  getTx(hash: string): Promise<TxInfo | null> {
    return this.call('tx_get', [hash]);
  }

  /** `tx_getReceipt`: null while pending or unknown. */
  getReceipt(hash: string): Promise<Receipt | null> {
    return this.call('tx_getReceipt', [hash]);
  }

  /** `tx_wait`: the receipt once the tx is final, or null if it is not within `timeoutMs` (node default 30 s, max 120 s). */
  waitTx(hash: string, timeoutMs?: number): Promise<Receipt | null> {
    // the node holds the call for up to timeoutMs: give the request that long plus the usual margin
    const requestTimeoutMs = (timeoutMs ?? NODE_TX_WAIT_DEFAULT_MS) + (this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    return this.call('tx_wait', timeoutMs === undefined ? [hash] : [hash, timeoutMs], { timeoutMs: requestTimeoutMs });
  }

  /** `state_getProof`: Merkle proof of an account (and a storage slot) at a finalized height (default: the latest). */
  getProof(address: string | Uint8Array, opts: { key?: string; height?: number } = {}): Promise<StateProof> {
    return this.call('state_getProof', {
      address: typeof address === 'string' ? address : toHex(address),
      ...(opts.key !== undefined ? { key: opts.key } : {}),
      ...(opts.height !== undefined ? { height: opts.height } : {}),
    });
  }

  /** `tx_send`: submits a signed tx; resolves with its hash. */
  sendTx(tx: TxInput): Promise<string> {
    return this.call('tx_send', [toHex(txBytes(tx))]);
  }

  /** `node_health`: serving, head height, mempool size. */
  health(): Promise<Health> {
    return this.call('node_health', []);
  }

  /** `node_peers`: the connected peers. */
  peers(): Promise<PeerInfo[]> {
    return this.call('node_peers', []);
  }

  /** `node_version`. */
  version(): Promise<VersionInfo> {
    return this.call('node_version', []);
  }

  // ---- subscriptions and txs

  /**
   * Subscribes to `kind` as an async iterator (`for await … of`; `break` unsubscribes).
   * Re-established after reconnects; see subscriptionSet.ts for how each kind resumes.
   */
  subscribe<K extends SubscriptionKind>(kind: K, options?: SubscribeOptionsFor[K], opts: { maxBuffered?: number } = {}): Subscription<SubscriptionItems[K]> {
    if (this.#socket.state === 'closed') {
      const closed = new Subscription<SubscriptionItems[K]>(kind, 0, () => {});
      closed.fail(new ClientError('CLIENT_CLOSED', 'the client is closed'));
      return closed;
    }
    return this.#subs.add(kind, { ...options }, opts.maxBuffered ?? this.#maxBuffered);
  }

  /** Sends a signed tx and resolves with its receipt (whatever its status); see sendAndWait.ts. */
  sendAndWait(tx: TxInput, opts?: SendAndWaitOptions): Promise<Receipt> {
    return sendAndWait(this, tx, opts);
  }

  /** A builder that fills chainId and nonce for `key` and signs with it. */
  txBuilder(key: ClientKey, opts?: { gasLimit?: number; chainId?: string }): TxBuilder {
    return new TxBuilder(this, key, opts);
  }
}

