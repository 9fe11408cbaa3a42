import {
  assertCommitSigs,
  BlockError,
  blockHash,
  checkCommit,
  commitHash,
  encodeBlock,
  headerHash,
  orderedRoot,
  validatorsHash,
  type Block,
  type Commit,
  type Header,
  type Validator,
} from '../block/index.js';
import { DOMAIN_TX, signingDigest } from '../crypto/index.js';
import { equalBytes, toHex } from '../encoding/index.js';
import {
  encodeReceipt,
  envelope,
  executeTxs,
  ExecutionError,
  type ContractExecutor,
  type Receipt,
  type TxEnvelope,
  type BlockEnv,
} from '../execution/index.js';
import { buildGenesis, validatorEpochsSlot, VALIDATORS_CONTRACT, type GenesisSpec } from '../genesis/index.js';
import { StateDB, type Account } from '../state/index.js';
import type { ChainStore } from '../store/index.js';
import { Trie } from '../trie/index.js';
import { decodeTx, txSigningPayload, type SignedTx } from '../tx/index.js';
import type { Address, Hash, Height, SigCheck } from '../types.js';
import { ChainError } from './errors.js';
import { decodeValidatorEpochs, epochAt, type ValidatorEpoch } from './validatorSets.js';

export type { SigCheck };

/** Heights whose validator set stays cached: the consensus and sync paths ask for head-1..head+1. */
const SET_CACHE_HEIGHTS = 64;

/** How the chain checks signatures in bulk (the node passes the worker pool). */
export type VerifySigs = (items: SigCheck[]) => Promise<boolean[]>;

/** The signature check of a tx: the pool verifies `message` = the tx-domain digest. */
export function txSigCheck(tx: SignedTx): SigCheck {
  return { publicKey: tx.sender, message: signingDigest(DOMAIN_TX, txSigningPayload(tx)), signature: tx.sig };
}

/** A block made by this node, executed but not yet stored. */
export interface BuiltBlock {
  block: Block;
  hash: Hash;
  receipts: Receipt[];
  included: TxEnvelope[];
  skipped: Awaited<ReturnType<typeof executeTxs>>['skipped'];
  nodes: Array<[Uint8Array, Uint8Array]>;
  /** The trie holding the block's post-state (becomes the head state on commit). */
  trie: Trie;
}

/** Options of the chain service. */
export interface ChainOptions {
  spec: GenesisSpec;
  executor: ContractExecutor;
}

/**
 * The chain service: the head, its state, and the two ways a block enters the chain —
 * built here from mempool candidates, or received and re-validated. It owns no timers or
 * sockets; the node calls it. Store writes go through ChainStore in one batch per block.
 */
export class Chain {
  readonly store: ChainStore;
  readonly spec: GenesisSpec;
  readonly executor: ContractExecutor;
  readonly genesisHash: Hash;
  #headHeader: Header;
  #headHash: Hash;
  #headTrie: Trie;
  /** The validators contract's address, if this genesis deploys it (else the set is fixed). */
  readonly #setsContract: Address | undefined;
  /** height → the set that signs it (immutable once known: final blocks never change). */
  readonly #sets = new Map<number, Validator[]>();
  /** The last decoded `epochs` value, so an unchanged slot is not decoded again. */
  #epochsCache: { raw: Uint8Array; epochs: ValidatorEpoch[] } | undefined;

  private constructor(store: ChainStore, opts: ChainOptions, genesisHash: Hash, head: Header, headHash: Hash, trie: Trie) {
    this.store = store;
    this.spec = opts.spec;
    this.executor = opts.executor;
    this.genesisHash = genesisHash;
    this.#headHeader = head;
    this.#headHash = headHash;
    this.#headTrie = trie;
    this.#setsContract = opts.spec.contracts?.find((c) => c.name === VALIDATORS_CONTRACT)?.address;
  }

  /**
   * Opens the chain in `store`: writes genesis into an empty store, or checks that the
   * stored chain is this genesis's and that the head block and its state root are readable.
   */
  static async open(store: ChainStore, opts: ChainOptions): Promise<Chain> {
    const base = new Trie({ db: store.trieDB, keyLength: 32 });
    const genesis = await buildGenesis(opts.spec, new Trie({ keyLength: 32 }));
    await store.writeGenesis({
      height: 0,
      hash: genesis.hash,
      blockBytes: encodeBlock({ header: genesis.header, txs: [], lastCommit: null }),
      commit: null,
      txHashes: [],
      receipts: [],
      trieNodes: genesis.nodes,
      final: true,
    });
    const head = store.head();
    if (!head) throw new ChainError('CHAIN_STATE_MISSING', 'store has no head after writing genesis', {});
    const block = store.block(head.height);
    if (!block || !equalBytes(headerHash(block.header), head.hash)) {
      throw new ChainError('CHAIN_STATE_MISSING', `head block ${head.height} is missing or does not match its hash`, {
        height: head.height,
      });
    }
    const trie = base.at(block.header.stateRoot);
    try {
      // Reading any key walks from the root node, so a missing state root fails here, not later.
      trie.getSync(new Uint8Array(32));
    } catch (e) {
      throw new ChainError(
        'CHAIN_STATE_MISSING',
        `state root ${toHex(block.header.stateRoot)} of head block ${head.height} is not in the store: ${(e as Error).message}`,
        { height: head.height },
      );
    }
    return new Chain(store, opts, genesis.hash, block.header, head.hash, trie);
  }

  /** The head block's header. */
  get head(): Header {
    return this.#headHeader;
  }

  /** The head block's hash. */
  get headHash(): Hash {
    return this.#headHash;
  }

  /** The validator set that signs the next block (head + 1). */
  get validators(): Validator[] {
    return this.validatorsAt(this.#headHeader.height + 1);
  }

  /**
   * The validator set that signs block `height` (1 ≤ height ≤ head + 2; 0 is genesis):
   * read from the validators contract's `epochs` in the state after block height-1
   * (validatorSets.ts), or the genesis set when the genesis has no validators contract.
   * Cached per height, so the per-block paths read the contract's slot once a height.
   * Throws ChainError('CHAIN_UNKNOWN_BLOCK') beyond head + 2.
   */
  validatorsAt(height: number): Validator[] {
    if (height <= 0 || !this.#setsContract) return this.spec.validators;
    const cached = this.#sets.get(height);
    if (cached) return cached;
    const head = this.#headHeader.height;
    if (height > head + 2) {
      throw new ChainError('CHAIN_UNKNOWN_BLOCK', `the validator set of height ${height} is not known before block ${height - 2}`, { height });
    }
    if (height === head + 2) {
      // Changes take effect two heights after the block that approves them, so the head's
      // state already names this set; not cached, as block head+1 is still to be read.
      return this.#readSet(this.#headTrie, height) ?? this.validatorsAt(head + 1);
    }
    let trie = this.#headTrie;
    if (height - 1 < head) {
      const parent = this.store.block(height - 1);
      if (!parent) throw new ChainError('CHAIN_UNKNOWN_BLOCK', `block ${height - 1} is not stored`, { height: height - 1 });
      trie = this.#headTrie.at(parent.header.stateRoot);
    }
    let set = this.#readSet(trie, height) ?? this.spec.validators;
    // The same set object for consecutive heights lets callers compare sets by identity.
    const prev = this.#sets.get(height - 1);
    if (prev && sameValidators(prev, set)) set = prev;
    this.#sets.set(height, set);
    if (this.#sets.size > SET_CACHE_HEIGHTS) this.#sets.delete(this.#sets.keys().next().value!);
    return set;
  }

  /** The set of `height` in the validators contract's `epochs` in `trie`; undefined if unset. */
  #readSet(trie: Trie, height: number): Validator[] | undefined {
    const raw = new StateDB(trie).getStorage(this.#setsContract!, validatorEpochsSlot());
    if (!raw) return undefined;
    if (!this.#epochsCache || !equalBytes(this.#epochsCache.raw, raw)) this.#epochsCache = { raw, epochs: decodeValidatorEpochs(raw) };
    return epochAt(this.#epochsCache.epochs, height).validators;
  }

  /** Execution inputs of a block at `height`; evidence may name the set of any height up to it. */
  #blockEnv(height: Height, timeMs: number, proposer: Address): BlockEnv {
    const validatorsAt = (h: Height) => {
      if (h < 1 || h > height) return undefined;
      try {
        return this.validatorsAt(h);
      } catch (e) {
        if (e instanceof ChainError) return undefined;
        throw e;
      }
    };
    return { chainId: this.spec.chainId, height, timeMs, proposer, validatorsAt };
  }

  /** An account in the head state. */
  account(address: Address): Account {
    return new StateDB(this.#headTrie).getAccount(address);
  }

  /** A read-only view of the state at the head (or at a stored root). */
  stateAt(root?: Hash): StateDB {
    return new StateDB(root ? this.#headTrie.at(root) : this.#headTrie.at(this.#headHeader.stateRoot));
  }

  /** The trie at the head state, for proofs. */
  trieAt(root: Hash): Trie {
    return this.#headTrie.at(root);
  }

  /**
   * Builds the next block on the head from signature-checked candidates: executes them,
   * computes the roots and the header. Nothing is stored until `commit`.
   */
  async build(timeMs: number, proposer: Address, candidates: Iterable<TxEnvelope>, lastCommit: Commit | null): Promise<BuiltBlock> {
    const prev = this.#headHeader;
    const height = prev.height + 1;
    const env = this.#blockEnv(height, Math.max(timeMs, prev.timeMs + 1), proposer);
    const trie = this.#headTrie.at(prev.stateRoot);
    const state = new StateDB(trie);
    const exec = executeTxs('build', state, env, candidates, this.executor, this.spec.blockGasLimit);
    const { root, nodes } = await state.commit();
    const txs = exec.included.map((e) => e.bytes);
    const header: Header = {
      chainId: this.spec.chainId,
      height,
      prevHash: this.#headHash,
      timeMs: env.timeMs,
      proposer,
      txRoot: await orderedRoot(txs),
      stateRoot: root,
      receiptsRoot: await orderedRoot(exec.receipts.map(encodeReceipt)),
      validatorsHash: validatorsHash(this.validatorsAt(height)),
      lastCommitHash: commitHash(lastCommit),
    };
    const block: Block = { header, txs, lastCommit };
    return { block, hash: blockHash(block), receipts: exec.receipts, included: exec.included, skipped: exec.skipped, nodes, trie };
  }

  /** Stores a built (or validated) block with its commit certificate and makes it the head. */
  async commit(built: BuiltBlock, commit: Commit | null): Promise<void> {
    if (built.block.header.height !== this.#headHeader.height + 1 || !equalBytes(built.block.header.prevHash, this.#headHash)) {
      throw new ChainError('CHAIN_BAD_BLOCK', `block ${built.block.header.height} does not extend the head`, {
        height: built.block.header.height,
        head: this.#headHeader.height,
      });
    }
    await this.store.writeBlock(
      {
        height: built.block.header.height,
        hash: built.hash,
        blockBytes: encodeBlock(built.block),
        commit,
        txHashes: built.included.map((e) => e.hash),
        receipts: built.receipts,
        trieNodes: built.nodes,
        final: true,
      },
      [],
      // The head moves in the same tick the store makes the block readable: a reader that sees
      // a receipt also sees the state it produced.
      () => {
        this.#headHeader = built.block.header;
        this.#headHash = built.hash;
        this.#headTrie = built.trie;
      },
    );
  }

  /**
   * Re-validates a received block on the head: header links, roots, every tx's signature
   * (through `verifySigs`) and re-execution. Returns it ready for `commit`; throws
   * ChainError('CHAIN_BAD_BLOCK') naming what is wrong.
   */
  async validate(block: Block, verifySigs: VerifySigs, skipSig?: (hash: Hash) => boolean): Promise<BuiltBlock> {
    const h = block.header;
    const prev = this.#headHeader;
    const bad = (field: string, msg: string) =>
      new ChainError('CHAIN_BAD_BLOCK', `block ${h.height}: ${msg}`, { height: h.height, field });
    if (h.chainId !== this.spec.chainId) throw bad('chainId', `is for chain ${h.chainId}`);
    if (h.height !== prev.height + 1) throw bad('height', `expected height ${prev.height + 1}`);
    if (!equalBytes(h.prevHash, this.#headHash)) throw bad('prevHash', 'does not extend the head');
    if (h.timeMs <= prev.timeMs) throw bad('timeMs', 'is not later than its parent');
    const set = this.validatorsAt(h.height);
    if (!equalBytes(h.validatorsHash, validatorsHash(set))) throw bad('validatorsHash', 'wrong validator set');
    if (!set.some((v) => equalBytes(v.address, h.proposer))) throw bad('proposer', 'is not a validator');
    if (!equalBytes(h.lastCommitHash, commitHash(block.lastCommit))) throw bad('lastCommitHash', 'does not match lastCommit');
    // The previous block's certificate must itself be valid (genesis, height 0, has none).
    let commitItems: SigCheck[] = [];
    if (h.height > 1) {
      if (!block.lastCommit) throw bad('lastCommit', 'is missing');
      try {
        // The previous block is certified by ITS set, which may differ from this block's.
        commitItems = checkCommit(this.spec.chainId, block.lastCommit, this.validatorsAt(prev.height), { height: prev.height, blockHash: this.#headHash });
      } catch (e) {
        if (e instanceof BlockError) throw bad('lastCommit', e.message);
        throw e;
      }
    } else if (block.lastCommit) throw bad('lastCommit', 'block 1 has no previous certificate');
    if (!equalBytes(h.txRoot, await orderedRoot(block.txs))) throw bad('txRoot', 'does not match the txs');
    const envs: TxEnvelope[] = [];
    for (let i = 0; i < block.txs.length; i++) {
      try {
        envs.push(envelope(decodeTx(block.txs[i]), block.txs[i]));
      } catch (e) {
        throw bad(`txs[${i}]`, `tx ${i} is malformed: ${(e as Error).message}`);
      }
    }
    // One batch for the certificate's and the txs' signatures: the pool splits it over its threads.
    const toCheck = envs.filter((e) => !skipSig?.(e.hash));
    const ok = await verifySigs([...commitItems, ...toCheck.map((e) => txSigCheck(e.tx))]);
    if (block.lastCommit && commitItems.length > 0) {
      try {
        assertCommitSigs(block.lastCommit, ok.slice(0, commitItems.length));
      } catch (e) {
        if (e instanceof BlockError) throw bad('lastCommit', e.message);
        throw e;
      }
    }
    const badSig = ok.indexOf(false, commitItems.length);
    if (badSig >= 0) throw bad('txs', `tx ${toHex(toCheck[badSig - commitItems.length].hash)} has an invalid signature`);
    const trie = this.#headTrie.at(prev.stateRoot);
    const state = new StateDB(trie);
    let exec;
    try {
      exec = executeTxs('validate', state, this.#blockEnv(h.height, h.timeMs, h.proposer), envs, this.executor, this.spec.blockGasLimit);
    } catch (e) {
      if (e instanceof ExecutionError) throw bad('txs', e.message);
      throw e;
    }
    const { root, nodes } = await state.commit();
    if (!equalBytes(root, h.stateRoot)) throw bad('stateRoot', 'does not match the re-executed state');
    if (!equalBytes(h.receiptsRoot, await orderedRoot(exec.receipts.map(encodeReceipt)))) throw bad('receiptsRoot', 'does not match');
    return { block, hash: headerHash(h), receipts: exec.receipts, included: exec.included, skipped: [], nodes, trie };
  }
}

/** Same keys and powers in the same order (what validatorsHash commits to). */
export function sameValidators(a: readonly Validator[], b: readonly Validator[]): boolean {
  return a.length === b.length && a.every((v, i) => v.power === b[i].power && equalBytes(v.publicKey, b[i].publicKey));
}
