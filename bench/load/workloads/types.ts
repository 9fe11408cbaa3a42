/**
 * The pluggable workload interface. A workload has two halves:
 *  - main thread: `requires` (what the chain must offer) and `setup` (register its senders,
 *    look up or deploy contracts), returning structured-cloneable factory params;
 *  - signer threads: a pure `TxFactory` (workloads/factories.ts) that turns (params, sender,
 *    k) into the body of that sender's k-th tx. Threads get the params by structured clone, so
 *    the factory must be a plain function of its inputs (no closures over main-thread state).
 */
import type { Value } from '../../../core/encoding/index.js';
import type { RpcConnection } from '../rpcConnection.js';
import type { FastSigner } from '../signer.js';

/** Every workload `--mix` accepts. */
export const WORKLOAD_NAMES = ['transfer', 'consent', 'record', 'claim', 'reading', 'upload', 'case'] as const;
/** A workload's name. */
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** What `chain_getInfo` returns (the parts the generator reads). */
export interface ChainInfo {
  chainId: string;
  height: number;
  finalizedHeight: number;
  blockGasLimit: number;
  /** Genesis contracts by name (design §8), 0x addresses; empty until the VM issue lands. */
  contracts?: Record<string, string>;
}

/** A generator-owned account: its signer and the next nonce it will use. */
export interface Sender {
  /** The 32-byte Ed25519 seed (sent to the signer threads, which build their own keys from it). */
  seed: Uint8Array;
  signer: FastSigner;
  /** 0x-hex address. */
  address: string;
  nextNonce: number;
}

/** The body of a tx: everything but chainId, nonce and sender, which the signer fills in. */
export interface TxBody {
  /** 0x-less raw 20-byte address, or null for a deploy. */
  to: Uint8Array | null;
  method: string;
  args: Value[];
  gasLimit: number;
}

/** What a sender looks like to a tx factory in a signer thread. */
export interface SenderView {
  /** Index of the sender within its workload's group (0 ≤ index < groupSize). */
  index: number;
  groupSize: number;
}

/** Factory params: structured-cloneable data a workload's setup hands to the signer threads. */
export type FactoryParams = Record<string, unknown>;

/** Builds the body of a sender's k-th load tx (k = 0, 1, …). Pure: runs in signer threads. */
export type TxFactory = (params: FactoryParams, sender: SenderView, k: number) => TxBody;

/** The final receipt of a setup tx (tx_wait's answer, the fields the generator reads). */
export interface SetupReceipt {
  hash: string;
  status: string;
  gasUsed: number;
  error?: string;
}

/** A setup tx to submit and wait for: who signs it and what it does. */
export interface SetupTx {
  from: Sender;
  body: TxBody;
}

/** What a workload's setup may use. */
export interface SetupContext {
  /** The control connection (paced under the server's per-connection limit). */
  rpc: RpcConnection;
  info: ChainInfo;
  /** This workload's senders, fresh and already funded. */
  senders: Sender[];
  /**
   * Signs, sends and waits for final receipts of setup txs, all at once; throws LOAD_SETUP_FAILED
   * on a refusal or revert. Keep each signer under the mempool's per-sender cap (setupWaves.ts).
   */
  submit(txs: SetupTx[]): Promise<SetupReceipt[]>;
  /** The chain's dev accounts (dev 0 is the dev genesis regulator) with their current nonces. */
  devSenders(): Promise<Sender[]>;
  /** `n` fresh, unfunded accounts (there are no fees, design §4: only transfers need a balance). */
  newAccounts(n: number): Sender[];
  log(message: string): void;
}

/** A workload of the generator. */
export interface Workload {
  readonly name: WorkloadName;
  /** Contracts it needs in chain_getInfo().contracts, checked before any account is funded. */
  readonly requires: readonly string[];
  /** Prepares the chain for this workload's senders; returns its factory params. */
  setup(ctx: SetupContext): Promise<FactoryParams>;
}
