/**
 * The genesis medical contracts in process: a real Chain over a temp ChainStore, opened
 * from genesis/dev.json with the VM executor, fed blocks of signed dev-key txs. Arguments
 * are written as JSON and converted by each contract's ABI (what state_call does), views
 * run through core's viewCall, and the block time is set by the test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Chain } from '../../core/chain/index.js';
import { viewCall, type Json } from '../../core/contracts/index.js';
import { devKey } from '../../core/crypto/index.js';
import { toHex, type Value } from '../../core/encoding/index.js';
import { envelope, VM_EXECUTOR, type ChainEvent, type Receipt } from '../../core/execution/index.js';
import { genesisContractAddress, parseGenesis, type GenesisSpec } from '../../core/genesis/index.js';
import { ChainStore } from '../../core/store/index.js';
import { encodeTx, signTx, decodeTx } from '../../core/tx/index.js';
import { abiJsonToArgs, eventToJson } from '../../vm/index.js';
import { TempDirs } from '../fixtures/chainFixtures.js';

export type ContractName = 'registry' | 'consent' | 'records' | 'claims' | 'validators' | 'supplychain' | 'surveillance';

/** The dev genesis as committed (with the compiled contracts). */
export function devSpec(): GenesisSpec {
  return parseGenesis(JSON.parse(readFileSync(fileURLToPath(new URL('../../genesis/dev.json', import.meta.url)), 'utf8')));
}

/** 0x address of dev account i. */
export const dev = (i: number): string => toHex(devKey(i).address);
/** A 32-byte record hash made from a label (tests only: real ones hash record content). */
export const hashOf = (label: string): string => '0x' + Buffer.from(label.padEnd(32, '.').slice(0, 32)).toString('hex');

/** A decoded contract event. */
export interface EventJson {
  contract: string;
  event: string;
  data: Json;
}

/** A receipt with its events as JSON. */
export interface TxResult {
  status: 'ok' | 'reverted';
  error?: string;
  result: Value;
  gasUsed: number;
  events: EventJson[];
}

/** One call in a block. */
export interface Call {
  from: number;
  contract: ContractName;
  method: string;
  args: Json[];
  gasLimit?: number;
}

const DEFAULT_GAS = 2_000_000;
/** One hour, in ms: the default step of the block clock. */
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** A chain of the dev genesis with the medical contracts, driven block by block. */
export class MedChain {
  /** Time of the next block (ms); `at` and `advance` move it. */
  now: number;
  private readonly nonces = new Map<number, number>();

  private constructor(
    readonly chain: Chain,
    private readonly store: ChainStore,
  ) {
    this.now = chain.head.timeMs + HOUR;
  }

  static async open(dirs: TempDirs, spec = devSpec()): Promise<MedChain> {
    const store = await ChainStore.open(dirs.make('medchain-contracts-'));
    const chain = await Chain.open(store, { spec, executor: VM_EXECUTOR });
    return new MedChain(chain, store);
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  /** Address of a genesis contract. */
  address(name: ContractName): Uint8Array {
    return genesisContractAddress(name);
  }

  /** Moves the block clock forward. */
  advance(ms: number): void {
    this.now += ms;
  }

  /** Runs `calls` in one block (in order) and returns their receipts. */
  async block(calls: Call[]): Promise<TxResult[]> {
    const envs = calls.map((c) => {
      const key = devKey(c.from);
      const nonce = this.nonces.get(c.from) ?? this.chain.account(key.address).nonce;
      this.nonces.set(c.from, nonce + 1);
      const abi = VM_EXECUTOR.abiAt(this.chain.stateAt(), this.address(c.contract));
      if (!abi) throw new Error(`no ${c.contract} contract`);
      const args = abiJsonToArgs(abi, c.method, c.args) as Value[];
      const bytes = encodeTx(signTx({ chainId: this.chain.spec.chainId, nonce, sender: key.publicKey, to: this.address(c.contract), method: c.method, args, gasLimit: c.gasLimit ?? DEFAULT_GAS }, key.secretKey));
      return envelope(decodeTx(bytes), bytes);
    });
    const built = await this.chain.build(this.now, devKey(0).address, envs, null);
    if (built.included.length !== envs.length) throw new Error(`only ${built.included.length} of ${envs.length} txs were included: ${JSON.stringify(built.skipped)}`);
    await this.chain.commit(built, null);
    this.now = built.block.header.timeMs + HOUR;
    return built.receipts.map((r) => this.result(r));
  }

  /** Runs one call in its own block. */
  async send(from: number, contract: ContractName, method: string, args: Json[], gasLimit?: number): Promise<TxResult> {
    return (await this.block([{ from, contract, method, args, gasLimit }]))[0];
  }

  /** Runs one call that must succeed; returns its receipt. */
  async ok(from: number, contract: ContractName, method: string, args: Json[]): Promise<TxResult> {
    const r = await this.send(from, contract, method, args);
    if (r.status !== 'ok') throw new Error(`${contract}.${method} reverted: ${r.error}`);
    return r;
  }

  /** Runs a view at the head (block.time = the head's time) and returns its JSON result. */
  view(contract: ContractName, method: string, args: Json[] | { [k: string]: Json }, from?: number): Json {
    const head = this.chain.head;
    return viewCall({
      state: this.chain.stateAt(),
      executor: VM_EXECUTOR,
      block: { chainId: head.chainId, height: head.height, timeMs: head.timeMs },
      to: this.address(contract),
      method,
      args,
      from: from === undefined ? undefined : devKey(from).address,
      gasLimit: 10_000_000,
    }).result;
  }

  /** Native balance of dev account i (or any address). */
  balance(who: number | Uint8Array): bigint {
    return this.chain.account(typeof who === 'number' ? devKey(who).address : who).balance;
  }

  private result(r: Receipt): TxResult {
    const events = r.events.map((e: ChainEvent) => {
      const abi = VM_EXECUTOR.abiAt(this.chain.stateAt(), e.contract)!;
      return { contract: abi.contract, event: e.event, data: eventToJson(abi, e.event, e.data as never) };
    });
    return { status: r.status, error: r.error, result: r.result, gasUsed: r.gasUsed, events };
  }
}

/** The revert reason in a receipt's error ("reverted: no-consent (at 12:3)" → "no-consent"). */
export function revertReason(r: TxResult): string | undefined {
  if (r.status === 'ok') return undefined;
  const m = /^reverted: (.*?)(?: \(at \d+:\d+\))?$/s.exec(r.error ?? '');
  return m ? m[1] : r.error;
}
