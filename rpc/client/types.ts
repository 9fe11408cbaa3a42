/**
 * The JSON shapes the chain methods answer with (rpc/methods/json.ts): bytes are `0x` hex,
 * integers above 2^53-1 decimal strings (design §2). `IntJson` marks fields that may be either.
 */

/** An integer as JSON: a number when it is safe, else a decimal string. */
export type IntJson = number | string;

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `chain_getInfo`. */
export interface ChainInfo {
  chainId: string;
  genesisHash: string;
  height: number;
  headHash: string;
  finalizedHeight: number;
  /** Validator addresses. */
  validators: string[];
  /** Genesis contracts: name → address. */
  contracts: Record<string, string>;
  blockGasLimit: number;
}

/** A block header (`chain_getHeader`, `newHeads` notifications). */
export interface Header {
  hash: string;
  height: number;
  prevHash: string;
  timeMs: number;
  proposer: string;
  stateRoot: string;
  txRoot: string;
  receiptsRoot: string;
  validatorsHash: string;
  lastCommitHash: string;
}

/** A commit certificate. */
export interface CommitJson {
  height: number;
  round: number;
  blockHash: string;
  signatures: Array<{ validatorIndex: number; signature: string }>;
}

/** A signed transaction as JSON. */
export interface TxJson {
  hash: string;
  chainId: string;
  nonce: number;
  /** Sender address. */
  from: string;
  /** Sender public key. */
  sender: string;
  to: string | null;
  method: string;
  args: Json[];
  gasLimit: number;
  sig: string;
}

/** `chain_getBlock`: tx hashes, or full txs with `fullTxs`. */
export interface Block<T extends string | TxJson = string> extends Header {
  txs: T[];
  lastCommit: CommitJson | null;
}

/** `tx_get`: a tx and where it was included (null fields while pending). */
export interface TxInfo extends TxJson {
  height: number | null;
  index: number | null;
  blockHash: string | null;
}

/** An event emitted by a contract, inside a receipt. */
export interface ReceiptEvent {
  contract: string;
  event: string;
  data: Json;
}

/** `tx_getReceipt`: the outcome of an included tx. */
export interface Receipt {
  txHash: string;
  blockHash: string;
  height: number;
  index: number;
  status: 'ok' | 'reverted';
  gasUsed: number;
  result: Json;
  events: ReceiptEvent[];
  /** Why it reverted. */
  error?: string;
}

/** An `events` notification: the event with its position in the chain. */
export interface ChainEventNotification extends ReceiptEvent {
  height: number;
  /** Position among the block's events. */
  index: number;
  txHash: string;
  txIndex?: number;
}

/** A `tx` notification: `{hash, status: "pending", final: false}`, or the receipt once final. */
export interface TxStatusNotification extends Partial<Omit<Receipt, 'status'>> {
  hash: string;
  status?: Receipt['status'] | 'pending';
  final?: boolean;
  [extra: string]: unknown;
}

/** `state_getProof`: an account (and optionally a storage slot) proven against a finalized state root. */
export interface StateProof {
  height: number;
  blockHash: string;
  stateRoot: string;
  address: string;
  /** Null when the account does not exist (the proof then proves its absence). */
  account: { nonce: number; balance: IntJson; codeHash: string | null } | null;
  /** The account's trie key: sha256(0x00 ‖ address). */
  accountKey: string;
  /** Trie nodes from the root to the account, 0x-hex. */
  accountProof: string[];
  storage?: { key: string; trieKey: string; value: string | null; proof: string[] };
}

/** A connected peer (`node_peers`). */
export interface PeerInfo {
  id: string;
  direction: 'in' | 'out';
  remote: string;
  height: number;
  score: number;
  [extra: string]: unknown;
}

/** A validator (`chain_getValidators`). */
export interface Validator {
  address: string;
  publicKey: string;
  power: number;
}

/** `state_getAccount`, with the balance as a bigint (it may exceed 2^53-1). */
export interface Account {
  nonce: number;
  /** The next nonce to use: `nonce` plus this sender's txs waiting in the node's mempool. */
  pendingNonce: number;
  balance: bigint;
  codeHash: string | null;
}

/** `node_health`. Fields a node may add later (sync state) are passed through. */
export interface Health {
  ok: boolean;
  height: number;
  mempool: number;
  synced?: boolean;
  [extra: string]: unknown;
}

/** `node_version`. */
export interface VersionInfo {
  version: string;
  chainId: string;
}

/** Subscription topics and what each delivers. */
export interface SubscriptionItems {
  newHeads: Header;
  finalized: Header;
  events: ChainEventNotification;
  tx: TxStatusNotification;
}

/** A subscription topic. */
export type SubscriptionKind = keyof SubscriptionItems;

/** Options of an `events` subscription (rpc/subscriptionMethods.ts). */
export interface EventSubscribeOptions {
  contract?: string;
  event?: string;
  filters?: Record<string, string | number | boolean | null>;
  /** Replay matching events from this height first (needs a node that can replay). */
  fromHeight?: number;
}

/** Options per subscription topic. */
export interface SubscribeOptionsFor {
  newHeads: Record<string, never>;
  finalized: Record<string, never>;
  events: EventSubscribeOptions;
  tx: { hash: string };
}
