/**
 * Builds and signs transactions for one key: chainId from `chain_getInfo` (once), nonce from
 * `state_getAccount` (once) and then counted locally, so several sends in a row get
 * consecutive nonces without waiting for blocks.
 *
 * Nonce bookkeeping when a send fails (the node's account nonce counts only included txs, so
 * the local counter is the only record of pooled ones):
 * - `already_known`: the node has this tx; the nonce stays used;
 * - `nonce_too_low`, `nonce_gap`, `nonce_taken`: the counter is stale; it is dropped and the
 *   next build reads the account again;
 * - any other refusal: the tx was not pooled; its nonce is handed back if it was the last one
 *   given out, else the counter is dropped;
 * - lost connection or timeout: whether the node pooled it is unknown; the counter is dropped.
 */
import type { Value } from '../../core/encoding/index.js';
import { ClientError, RpcClientError } from './errors.js';
import type { ClientKey } from './keys.js';
import { addressBytes, builtTx, signTx, type BuiltTx } from './txCodec.js';
import type { Account, ChainInfo, Receipt } from './types.js';

/** Gas limit when none is given: the design's example value; far above a transfer's ~1.6k
 * intrinsic gas, far below the dev block limit (50M). Gas is not paid for (design §4). */
export const DEFAULT_GAS_LIMIT = 1_000_000;

/** The client calls a builder makes. */
export interface TxBuilderClient {
  getInfo(): Promise<ChainInfo>;
  getAccount(address: string): Promise<Account>;
  sendTx(tx: BuiltTx): Promise<string>;
  sendAndWait(tx: BuiltTx, opts?: { timeoutMs?: number }): Promise<Receipt>;
}

/** What to put in a tx; chainId, nonce and sender are filled in. */
export interface TxParams {
  /** Recipient (0x-hex or bytes); null deploys a contract. */
  to: string | Uint8Array | null;
  method: string;
  args?: Value[];
  /** Default: the builder's gas limit. */
  gasLimit?: number;
  /** Overrides the tracked nonce (and does not advance it). */
  nonce?: number;
}

const STALE_NONCE_REASONS = new Set(['nonce_too_low', 'nonce_gap', 'nonce_taken']);

/** Builds, signs and sends transactions of one key. */
export class TxBuilder {
  readonly gasLimit: number;
  #chainId: Promise<string> | undefined;
  #next: number | undefined;
  #fetching: Promise<number> | undefined;

  constructor(
    private readonly client: TxBuilderClient,
    readonly key: ClientKey,
    opts: { gasLimit?: number; chainId?: string } = {},
  ) {
    this.gasLimit = opts.gasLimit ?? DEFAULT_GAS_LIMIT;
    if (opts.chainId !== undefined) this.#chainId = Promise.resolve(opts.chainId);
  }

  /** The sender's address as 0x-hex. */
  get address(): string {
    return this.key.addressHex;
  }

  /** Builds and signs a tx, taking the next nonce. */
  async build(p: TxParams): Promise<BuiltTx> {
    const to = p.to === null ? null : addressBytes(p.to);
    const chainId = await this.chainId();
    const nonce = p.nonce ?? (await this.reserveNonce());
    return builtTx(
      signTx(
        { chainId, nonce, sender: this.key.publicKey, to, method: p.method, args: p.args ?? [], gasLimit: p.gasLimit ?? this.gasLimit },
        this.key.secretKey,
      ),
    );
  }

  /** A native transfer of `amount` (a non-negative integer) to `to`. */
  async transfer(to: string | Uint8Array, amount: number | bigint, opts: { gasLimit?: number; nonce?: number } = {}): Promise<BuiltTx> {
    if (typeof amount === 'number' ? !Number.isSafeInteger(amount) || amount < 0 : amount < 0n) {
      throw new ClientError('CLIENT_BAD_INPUT', 'amount must be a non-negative integer', { field: 'amount' });
    }
    // the codec encodes 5 and 5n alike; a number keeps small amounts in the common form
    const value = typeof amount === 'bigint' && amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(amount) : amount;
    return this.build({ to, method: 'transfer', args: [value], ...opts });
  }

  /** A call of contract method `method` with `args`. */
  call(to: string | Uint8Array, method: string, args: Value[] = [], opts: { gasLimit?: number; nonce?: number } = {}): Promise<BuiltTx> {
    return this.build({ to, method, args, ...opts });
  }

  /** Deploys a compiled contract (design §4: to = null, method "deploy", args = [code]). */
  deploy(code: Uint8Array, opts: { gasLimit?: number; nonce?: number } = {}): Promise<BuiltTx> {
    return this.build({ to: null, method: 'deploy', args: [code], ...opts });
  }

  /** Builds (if needed) and sends; resolves with the tx hash. */
  async send(tx: TxParams | BuiltTx): Promise<string> {
    const built = 'bytes' in tx ? tx : await this.build(tx);
    try {
      return await this.client.sendTx(built);
    } catch (e) {
      if (e instanceof RpcClientError && e.reason === 'already_known') return built.hash;
      this.sendFailed(built, e);
      throw e;
    }
  }

  /** Builds (if needed), sends and waits for the receipt (whatever its status). */
  async sendAndWait(tx: TxParams | BuiltTx, opts: { timeoutMs?: number } = {}): Promise<Receipt> {
    const built = 'bytes' in tx ? tx : await this.build(tx);
    try {
      return await this.client.sendAndWait(built, opts);
    } catch (e) {
      // only a failed send affects the nonce; a timeout while waiting leaves it used
      const sendError = (e instanceof RpcClientError && e.method === 'tx_send') || (e instanceof ClientError && e.context.method === 'tx_send');
      if (sendError) this.sendFailed(built, e);
      throw e;
    }
  }

  /** The nonce the next build will use (reads the account if not known yet). */
  async nextNonce(): Promise<number> {
    if (this.#next === undefined) this.#next = await this.fetchNonce();
    return this.#next;
  }

  /** Forgets the local nonce: the next build reads the account again. */
  resetNonce(): void {
    this.#next = undefined;
  }

  private chainId(): Promise<string> {
    if (!this.#chainId) {
      this.#chainId = this.client.getInfo().then((i) => i.chainId);
      this.#chainId.catch(() => (this.#chainId = undefined)); // retry after a failure
    }
    return this.#chainId;
  }

  private async reserveNonce(): Promise<number> {
    if (this.#next === undefined) {
      const fetched = await this.fetchNonce();
      // concurrent builds share one read; the first to resume sets the counter
      this.#next ??= fetched;
    }
    return this.#next++;
  }

  private fetchNonce(): Promise<number> {
    this.#fetching ??= this.client
      .getAccount(this.address)
      // pendingNonce counts this sender's txs already waiting in the mempool
      .then((a) => a.pendingNonce)
      .finally(() => (this.#fetching = undefined));
    return this.#fetching;
  }

  private sendFailed(built: BuiltTx, e: unknown): void {
    if (e instanceof RpcClientError && !STALE_NONCE_REASONS.has(e.reason) && this.#next === built.tx.nonce + 1) this.#next--;
    else this.#next = undefined;
  }
}
