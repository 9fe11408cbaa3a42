/** What the chain API methods need from the node, so rpc/ never imports node/. */
import type { Chain } from '../../core/chain/index.js';
import type { TxEnvelope } from '../../core/execution/index.js';
import type { Schema } from '../schema.js';

/** The node services behind the chain API. */
export interface ChainBackend {
  chain: Chain;
  mempool: {
    add(bytes: Uint8Array): Promise<{ hash: Uint8Array }>;
    get(hash: Uint8Array): TxEnvelope | undefined;
    /** Next nonce for `address` counting its pooled txs. */
    pendingNonce(address: Uint8Array): number;
    readonly size: number;
  };
  /** Genesis contracts: name → 0x address. */
  contracts(): Record<string, string>;
  /** Software version (node_version). */
  version: string;
  /** Resolves true once tx `hash` (0x-hex) is final, false after `timeoutMs`. */
  waitForTx(hash: string, timeoutMs: number): Promise<boolean>;
  /** Connected peers (empty without p2p). */
  peers(): Array<Record<string, unknown>>;
  /** Whether the node is catching up with its peers (state may be behind). */
  syncing(): boolean;
}

/** 32-byte hash as 0x-hex. */
export const HASH_SCHEMA: Schema = { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$', maxLength: 66, description: '32-byte hash, 0x-hex' };
/** 20-byte address as 0x-hex. */
export const ADDRESS_SCHEMA: Schema = { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$', maxLength: 42, description: '20-byte address, 0x-hex' };
/** Block height. */
export const HEIGHT_SCHEMA: Schema = { type: 'integer', minimum: 0, description: 'block height' };
/** A block by height or by hash. */
export const BLOCK_REF_SCHEMA: Schema = { oneOf: [HEIGHT_SCHEMA, HASH_SCHEMA], description: 'block height or block hash' };
/** Any JSON object (results described in prose). */
export const OBJECT_SCHEMA: Schema = { type: 'object' };
/** Any JSON object or null. */
export const OBJECT_OR_NULL_SCHEMA: Schema = { oneOf: [{ type: 'object' }, { type: 'null' }] };
