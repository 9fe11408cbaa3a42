/**
 * The consensus driver: the I/O around the pure Tendermint state machine (core/consensus).
 * One serialized loop feeds it events (verified peer messages, timeouts, the app's answers);
 * its actions are carried out here — building and validating blocks through the chain,
 * guarding, persisting and signing votes (SafetyGuard: the record is on disk before a vote
 * leaves), gossiping, scheduling timeouts and committing decided blocks.
 */
import { decodeBlock, encodeBlock, headerHash, type Block, type Validator } from '../core/block/index.js';
import { sameValidators, type BuiltBlock, type Chain, type VerifySigs } from '../core/chain/index.js';
import {
  checkSign,
  decodeEvidence,
  decodeProposal,
  decodeSafetyRecord,
  decodeVote,
  encodeEvidence,
  encodeProposal,
  encodeSafetyRecord,
  encodeVote,
  evidenceProblem,
  evidenceSigChecks,
  initState,
  logChanged,
  proposerIndex,
  proposalSigCheck,
  proposalTarget,
  recordSigned,
  resumePoint,
  signProposalMessage,
  signVoteMessage,
  step,
  storedMessages,
  voteSigCheck,
  voteTarget,
  type ConsensusAction,
  type ConsensusEvent,
  type ConsensusState,
  type Evidence,
  type Proposal,
  type SafetyRecord,
  type Vote,
  type WalEntry,
} from '../core/consensus/index.js';
import { equalBytes, toHex } from '../core/encoding/index.js';
import { MedchainError } from '../core/errors.js';
import type { Mempool } from '../core/mempool/index.js';
import { P2PError, type Network, type Peer } from '../p2p/index.js';
import { ConsensusWal } from './consensusWal.js';
import { EvidenceReporter } from './evidenceReporter.js';
import type { KeyPair } from './keyFile.js';
import type { Logger } from './logger.js';
import { SerialQueue } from './serialQueue.js';

/**
 * Most txs a proposer puts in a consensus block. Every validator re-executes (and, for txs it
 * has not seen by gossip, re-verifies) a proposal before the prevote timeout; measured on 2
 * shared cores with 4 validators, blocks of 4,000+ txs missed it and cost a round, while
 * 2,000 validate in well under a second. Smaller blocks also smooth finality latency.
 */
export const MAX_CONSENSUS_BLOCK_TXS = 2_000;

/** Blocks kept per height for validation/commit: proposals of a few rounds. */
const MAX_BLOCKS_PER_HEIGHT = 64;

/** What the driver needs from the node. */
export interface ConsensusDriverDeps {
  chain: Chain;
  mempool: Mempool;
  network: Network;
  key: KeyPair | undefined;
  verifySigs: VerifySigs;
  /** The chain's single writer (shared with block sync). */
  writes: SerialQueue;
  logger: Logger;
  /** Pace: the proposer waits this long after the previous commit before building. */
  blockMs: number;
  /** True while peers report heights beyond head + 1: this node is catching up and must not sign. */
  behind(): boolean;
  onCommitted(built: BuiltBlock): void;
  /** Admits a tx this node signed (journaled, then gossiped): how detected equivocation is reported on chain. */
  submitTx(bytes: Uint8Array): Promise<unknown>;
}

/**
 * Why a round ended without a decision, for the operator's log: what the round was waiting
 * for when its timeout fired (and whose proposal it was), or that peers had moved on.
 */
export function roundFailure(before: ConsensusState, ev: ConsensusEvent): { failedRound: number; proposer: string; reason: string } {
  const failedRound = before.round;
  const proposer = toHex(before.validators[proposerIndex(before.validators, before.height, failedRound)].address);
  if (ev.type !== 'timeout') return { failedRound, proposer, reason: 'peers moved to a later round' };
  const reason =
    before.step === 'propose'
      ? 'no valid proposal arrived in time'
      : before.step === 'prevote'
        ? 'no 2/3 prevotes for one block (polka) in time'
        : 'no 2/3 precommits for one block in time';
  return { failedRound, proposer, reason };
}

/** Runs Tendermint for this node: a validator votes, a non-validator follows. */
export class ConsensusDriver {
  readonly #d: ConsensusDriverDeps;
  readonly #events = new SerialQueue();
  readonly #timers = new Set<NodeJS.Timeout>();
  #state: ConsensusState;
  #safety: SafetyRecord | null;
  readonly #wal: ConsensusWal;
  /** Blocks of proposals for the current and next height, by hash: raw (with its bytes), then validated/built. */
  #blocks = new Map<string, { block: Block; bytes: Uint8Array; built?: BuiltBlock }>();
  #lastCommitAt = Date.now();
  #stopped = false;
  readonly #evidence: EvidenceReporter | undefined;

  constructor(deps: ConsensusDriverDeps) {
    this.#d = deps;
    const raw = deps.chain.store.safetyRecord();
    this.#safety = raw ? decodeSafetyRecord(raw) : null;
    this.#wal = new ConsensusWal(deps.chain.store, deps.logger);
    const { chain, mempool, key, logger, submitTx } = deps;
    this.#evidence = key ? new EvidenceReporter({ chain, mempool, key, logger, submitTx }) : undefined;
    this.#state = this.#initAtHead();
  }

  /** This node's index in the validator set, or null. */
  get selfIndex(): number | null {
    const k = this.#d.key;
    if (!k) return null;
    const i = this.#d.chain.validators.findIndex((v) => equalBytes(v.address, k.address));
    return i < 0 ? null : i;
  }

  #initAtHead(): ConsensusState {
    const height = this.#d.chain.head.height + 1;
    const resume = resumePoint(this.#safety, height);
    return initState({ validators: this.#d.chain.validators, selfIndex: this.selfIndex, height, round: resume.round, lock: resume.lock });
  }

  /** Starts consensus at the chain head + 1, after replaying that height's write-ahead log. */
  start(): void {
    this.#loop(async () => {
      if (!this.#stopped) await this.#replayAndStart();
    });
  }

  /** Re-initialises at the chain head after block sync moved it (the machine's height is behind or its set is stale). */
  resync(): void {
    this.#loop(async () => {
      if (this.#stopped || (this.#state.height > this.#d.chain.head.height && !this.#setChanged())) return;
      this.#blocks = new Map();
      this.#state = this.#initAtHead();
      await this.#replayAndStart();
    });
  }

  /** Feeds the machine the WAL of its height (what this node saw and signed before a restart), then `start`. */
  async #replayAndStart(): Promise<void> {
    const height = this.#state.height;
    const entries = await this.#wal.open(height);
    for (const e of entries) {
      if (this.#stopped) return;
      if (e.kind === 'vote') {
        await this.#apply({ type: 'vote', vote: e.vote });
        continue;
      }
      let block: Block;
      try {
        block = decodeBlock(e.block);
      } catch (err) {
        this.#d.logger.warn('skipping a WAL proposal whose block does not decode', { height, round: e.proposal.round }, err);
        continue;
      }
      if (!equalBytes(headerHash(block.header), e.proposal.blockHash)) continue;
      this.#blocks.set(toHex(e.proposal.blockHash), { block, bytes: e.block });
      await this.#apply({ type: 'proposal', proposal: e.proposal });
    }
    if (entries.length > 0) this.#d.logger.info('consensus WAL replayed', { height, messages: entries.length, round: this.#state.round });
    await this.#apply({ type: 'start' });
  }

  /** Current (height, round, step), for logs and metrics. */
  get position(): { height: number; round: number; step: string } {
    return { height: this.#state.height, round: this.#state.round, step: this.#state.step };
  }

  /** Sends a newly connected peer our messages of the current height, so a restarted node catches up. */
  greet(peer: Peer): void {
    const { proposals, votes } = storedMessages(this.#state);
    for (const p of proposals) {
      const b = this.#blocks.get(toHex(p.blockHash));
      if (b) peer.send({ kind: 'proposal', proposal: encodeProposal(p), block: b.bytes });
    }
    for (const v of votes) peer.send({ kind: 'vote', vote: encodeVote(v) });
  }

  /** A proposal from a peer: check its signature and block, then feed it (throws P2PError to penalise). */
  async onProposal(peer: Peer, proposalBytes: Uint8Array, blockBytes: Uint8Array): Promise<void> {
    const { chain } = this.#d;
    let proposal, block: Block;
    try {
      proposal = decodeProposal(proposalBytes);
      block = decodeBlock(blockBytes);
    } catch (e) {
      throw new P2PError('P2P_BAD_FRAME', `bad proposal: ${(e as Error).message}`, 'penalize');
    }
    if (!equalBytes(headerHash(block.header), proposal.blockHash)) throw new P2PError('P2P_BAD_FRAME', 'proposal block does not match its hash', 'penalize');
    if (proposal.height < this.#state.height) return; // late: decided already
    const { set, sure } = this.#setOf(proposal.height);
    const check = proposalSigCheck(chain.spec.chainId, proposal, set);
    if (!check || !(await this.#d.verifySigs([check]))[0]) {
      if (!sure) return; // signed by a set not known here yet: not the peer's fault
      throw new P2PError('P2P_BAD_FRAME', 'bad proposal signature', 'penalize');
    }
    this.#d.network.relay({ kind: 'proposal', proposal: proposalBytes, block: blockBytes }, peer);
    this.#feed({ type: 'proposal', proposal }, () => {
      // Keep blocks of this height and the next (proposals for h+1 can arrive before h commits).
      const h = proposal.height - this.#state.height;
      if ((h === 0 || h === 1) && this.#blocks.size < 2 * MAX_BLOCKS_PER_HEIGHT) {
        const k = toHex(proposal.blockHash);
        if (!this.#blocks.has(k)) this.#blocks.set(k, { block, bytes: blockBytes });
      }
    });
  }

  /** A vote from a peer: check its signature, then feed it. */
  async onVote(peer: Peer, voteBytes: Uint8Array): Promise<void> {
    const { chain } = this.#d;
    let vote;
    try {
      vote = decodeVote(voteBytes);
    } catch (e) {
      throw new P2PError('P2P_BAD_FRAME', `bad vote: ${(e as Error).message}`, 'penalize');
    }
    if (vote.height < this.#state.height - 1) return;
    const { set, sure } = this.#setOf(vote.height);
    const check = voteSigCheck(chain.spec.chainId, vote, set);
    if (!check || !(await this.#d.verifySigs([check]))[0]) {
      if (!sure) return;
      throw new P2PError('P2P_BAD_FRAME', 'bad vote signature', 'penalize');
    }
    this.#d.network.relay({ kind: 'vote', vote: voteBytes }, peer);
    this.#feed({ type: 'vote', vote });
  }

  /**
   * Equivocation evidence from a peer: checked against the current set (malformed or badly
   * signed evidence penalises the peer), relayed, and reported on chain by a node with a key.
   */
  async onEvidence(peer: Peer, bytes: Uint8Array): Promise<void> {
    const { chain } = this.#d;
    let ev: Evidence;
    try {
      ev = decodeEvidence(bytes);
    } catch (e) {
      throw new P2PError('P2P_BAD_FRAME', `bad evidence: ${(e as Error).message}`, 'penalize');
    }
    // Only the heights this node still checks against its current set: older is decided, newer unknown.
    const h = ev.vote1.height;
    if (h !== this.#state.height && h !== this.#state.height - 1) return;
    const { set: validators, sure } = this.#setOf(h);
    if (!sure) return;
    const problem = evidenceProblem(ev, validators);
    if (problem) throw new P2PError('P2P_BAD_FRAME', `bad evidence: ${problem}`, 'penalize');
    const ok = await this.#d.verifySigs(evidenceSigChecks(chain.spec.chainId, ev, validators));
    if (!ok[0] || !ok[1]) throw new P2PError('P2P_BAD_FRAME', 'bad evidence signature', 'penalize');
    this.#d.network.relay({ kind: 'evidence', evidence: bytes }, peer);
    await this.#reportEvidence(ev);
  }

  /** Stops timers and waits for the event in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await this.#events.idle();
  }

  /** Runs a task in the serialized loop; a failure is logged, never an unhandled rejection. */
  #loop(task: () => Promise<void>): void {
    this.#events.run(task).catch((e: unknown) => this.#d.logger.error('consensus loop task failed', { height: this.#state.height, round: this.#state.round }, e));
  }

  #feed(event: ConsensusEvent, before?: () => void): void {
    this.#loop(async () => {
      if (this.#stopped) return;
      before?.();
      await this.#apply(event);
    });
  }

  /** One transition and its actions (inside the serialized loop). */
  async #apply(event: ConsensusEvent): Promise<void> {
    let queue: ConsensusEvent[] = [event];
    while (queue.length > 0 && !this.#stopped) {
      const ev = queue.shift()!;
      let result;
      try {
        result = step(this.#state, ev);
      } catch (e) {
        if (e instanceof MedchainError) {
          this.#d.logger.warn('consensus event refused', { event: ev.type }, e);
          continue;
        }
        throw e;
      }
      const before = this.#state;
      this.#state = result.state;
      const heightChanged = before.height !== this.#state.height;
      if (before.round !== this.#state.round && !heightChanged) {
        this.#d.logger.info('round change', { height: this.#state.height, round: this.#state.round, ...roundFailure(before, ev) });
      }
      if (before.step !== this.#state.step || before.round !== this.#state.round || heightChanged) {
        this.#d.logger.debug('consensus step', { height: this.#state.height, round: this.#state.round, step: this.#state.step, on: ev.type });
      }
      // Write-ahead: a message that changed this height's log is on disk before its consequences.
      if (!heightChanged && (ev.type === 'proposal' || ev.type === 'vote') && logChanged(before, this.#state)) {
        const entry = this.#walEntry(ev.type === 'vote' ? ev.vote : ev.proposal);
        if (entry) await this.#wal.append([entry], { sync: false });
      }
      for (const action of result.actions) {
        let follow: ConsensusEvent[] | undefined;
        try {
          follow = await this.#perform(action);
        } catch (e) {
          // A failed action must not drop the ones after it (the next height's propose or
          // timeouts): that would leave the machine waiting for good. Logged loudly: it is a bug.
          this.#d.logger.error('consensus action failed', { action: action.type, height: this.#state.height, round: this.#state.round }, e);
        }
        if (follow) queue = queue.concat(follow);
        if (action.type === 'commit' && this.#setChanged()) {
          // Governance changed the set of the next height: the machine moved on with the old
          // one, so restart it with the new set (this node may have joined or left it).
          // The messages held for the new height (early proposals and votes, checked against
          // its set on arrival) go to the restarted machine as its own decide would replay
          // them, before `start`: dropping them cost the first round of every set change.
          this.#d.logger.info('validator set changed', { height: this.#state.height, validators: this.#d.chain.validators.length });
          const held = before.nextHeight.map((m): ConsensusEvent => (m.type === 'proposal' ? { type: 'proposal', proposal: m.proposal } : { type: 'vote', vote: m.vote }));
          this.#state = this.#initAtHead();
          queue = [...held, { type: 'start' }];
          break;
        }
      }
      // A new height's log starts with the messages the machine had buffered for it.
      if (heightChanged) {
        const { proposals, votes } = storedMessages(this.#state);
        const carried = [...proposals, ...votes].map((m) => this.#walEntry(m)).filter((e): e is WalEntry => e !== undefined);
        await this.#wal.moveTo(this.#state.height, carried);
      }
    }
  }

  /** The WAL entry of a message; a proposal whose block is not held is not logged (it could not be replayed). */
  #walEntry(m: Proposal | Vote): WalEntry | undefined {
    if (!('proposerIndex' in m)) return { kind: 'vote', vote: m };
    const b = this.#blocks.get(toHex(m.blockHash));
    return b ? { kind: 'proposal', proposal: m, block: b.bytes } : undefined;
  }

  /** Carries out one action; returns the events it produces for the machine (fed in order). */
  async #perform(a: ConsensusAction): Promise<ConsensusEvent[] | undefined> {
    const { chain, logger } = this.#d;
    // A node that is behind (restarted, or with an empty data dir) syncs before it speaks: a
    // vote at a height it has forgotten could contradict one it signed before.
    if ((a.type === 'propose' || a.type === 'signProposal' || a.type === 'signVote') && this.#d.behind()) {
      logger.debug('not signing while catching up', { action: a.type });
      return;
    }
    switch (a.type) {
      case 'scheduleTimeout': {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          this.#feed({ type: 'timeout', height: a.height, round: a.round, step: a.step });
        }, a.ms);
        this.#timers.add(t);
        return;
      }
      case 'propose': {
        const wait = this.#d.blockMs - (Date.now() - this.#lastCommitAt);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (this.#stopped || chain.head.height + 1 !== a.height) return;
        const lastCommit = chain.head.height === 0 ? null : (chain.store.commit(chain.head.height) ?? null);
        const candidates = this.#d.mempool.pending(chain.spec.blockGasLimit).slice(0, MAX_CONSENSUS_BLOCK_TXS);
        const built = await chain.build(Date.now(), this.#d.key!.address, candidates, lastCommit);
        this.#blocks.set(toHex(built.hash), { block: built.block, bytes: encodeBlock(built.block), built });
        logger.debug('proposing', { height: a.height, round: a.round, txs: built.included.length });
        return [{ type: 'proposalBlock', height: a.height, round: a.round, blockHash: built.hash }];
      }
      case 'validate': {
        const entry = this.#blocks.get(toHex(a.blockHash));
        if (!entry) return [{ type: 'validated', height: a.height, blockHash: a.blockHash, valid: false }];
        if (entry.built) return [{ type: 'validated', height: a.height, blockHash: a.blockHash, valid: true }];
        try {
          entry.built = await chain.validate(entry.block, this.#d.verifySigs);
          return [{ type: 'validated', height: a.height, blockHash: a.blockHash, valid: true }];
        } catch (e) {
          if (!(e instanceof MedchainError)) throw e;
          logger.warn('invalid proposed block', { height: a.height, round: a.round, reason: e.message });
          return [{ type: 'validated', height: a.height, blockHash: a.blockHash, valid: false }];
        }
      }
      case 'signProposal': {
        const sig = await this.#guardAndSign(
          proposalTarget(a.proposal),
          () => signProposalMessage(chain.spec.chainId, a.proposal, this.#d.key!.secretKey).signature,
          (signature) => this.#walEntry({ ...a.proposal, signature }),
        );
        if (!sig) return;
        const proposal = { ...a.proposal, signature: sig };
        const entry = this.#blocks.get(toHex(a.proposal.blockHash));
        if (entry) this.#d.network.broadcast({ kind: 'proposal', proposal: encodeProposal(proposal), block: entry.bytes });
        return [{ type: 'proposal', proposal }];
      }
      case 'signVote': {
        const sig = await this.#guardAndSign(
          voteTarget(a.vote),
          () => signVoteMessage(chain.spec.chainId, a.vote, this.#d.key!.secretKey).signature,
          (signature) => ({ kind: 'vote', vote: { ...a.vote, signature } }),
        );
        if (!sig) return;
        const vote = { ...a.vote, signature: sig };
        this.#d.network.broadcast({ kind: 'vote', vote: encodeVote(vote) });
        return [{ type: 'vote', vote }];
      }
      case 'commit':
        await this.#commit(a.height, a.round, a.blockHash, a.commit);
        return;
      case 'evidence':
        logger.warn('equivocation detected', {
          validator: a.evidence.vote1.validatorIndex,
          height: a.evidence.vote1.height,
          round: a.evidence.vote1.round,
          step: a.evidence.vote1.type,
        });
        this.#d.network.broadcast({ kind: 'evidence', evidence: encodeEvidence(a.evidence) });
        // Off the consensus loop: admission awaits the sig pool and the journal.
        this.#reportEvidence(a.evidence).catch((e: unknown) => logger.warn('could not report equivocation', {}, e));
        return;
    }
  }

  /** Reports an equivocation on chain (a node without a key only logs it). */
  async #reportEvidence(ev: Evidence): Promise<void> {
    const offender = this.#setOf(ev.vote1.height).set[ev.vote1.validatorIndex];
    if (offender) await this.#evidence?.report(ev, offender);
  }

  /**
   * The validator set that signs `height`: known up to head + 2; further ahead (this node is
   * behind) the latest known one, which `sure: false` marks as a guess.
   */
  #setOf(height: number): { set: readonly Validator[]; sure: boolean } {
    const known = this.#d.chain.head.height + 2;
    return { set: this.#d.chain.validatorsAt(Math.min(height, known)), sure: height <= known };
  }

  /** True when the machine runs the head's next height with a set other than that height's. */
  #setChanged(): boolean {
    const { chain } = this.#d;
    return this.#state.height === chain.head.height + 1 && !sameValidators(this.#state.validators, chain.validators);
  }

  /**
   * SafetyGuard: refuse conflicting signatures; persist the record — with the signed message's
   * WAL entry, in one synced batch — before the signature is used.
   */
  async #guardAndSign(
    target: Parameters<typeof checkSign>[1],
    sign: () => Uint8Array,
    walEntry: (signature: Uint8Array) => WalEntry | undefined,
  ): Promise<Uint8Array | undefined> {
    const decision = checkSign(this.#safety, target);
    if (decision.kind === 'resend') return decision.signature;
    if (decision.kind === 'refuse') {
      this.#d.logger.warn('refused to sign (double-sign protection)', { height: target.height, round: target.round, step: target.step, reason: decision.reason });
      return undefined;
    }
    const signature = sign();
    const record = recordSigned(this.#safety, target, signature);
    const entry = walEntry(signature);
    await this.#wal.append(entry ? [entry] : [], { sync: true, safety: encodeSafetyRecord(record) });
    this.#safety = record;
    return signature;
  }

  async #commit(height: number, round: number, blockHash: Uint8Array, commit: Parameters<Chain['commit']>[1]): Promise<void> {
    const { chain, logger } = this.#d;
    const entry = this.#blocks.get(toHex(blockHash));
    for (const [k, b] of this.#blocks) if (b.block.header.height <= height) this.#blocks.delete(k);
    if (chain.head.height >= height) return; // block sync stored it first
    if (!entry?.built || chain.head.height + 1 !== height) {
      // Decided without holding the validated block (missed the proposal): block sync fetches it.
      logger.info('decided a block not held here; waiting for block sync', { height, block: toHex(blockHash) });
      return;
    }
    const started = Date.now();
    // Checked again inside the write queue: block sync may have queued the same height first
    // (a peer's status arrived before the last precommit), and it then extends the head.
    const committed = await this.#d.writes.run(async () => {
      if (chain.head.height >= height) return false;
      await chain.commit(entry.built!, commit);
      return true;
    });
    if (!committed) return;
    this.#lastCommitAt = Date.now();
    logger.info('block', { height, round, txs: entry.built.included.length, proposer: toHex(entry.block.header.proposer), ms: Date.now() - started });
    this.#d.onCommitted(entry.built);
  }
}
