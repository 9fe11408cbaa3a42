/**
 * A deterministic network simulation of the consensus state machine: virtual clock, seeded
 * randomness, a lossy/duplicating/reordering network, crashes and restarts (a restarted node
 * keeps only its "disk": the safety record, its own signed messages of the height, and its
 * committed chain), Byzantine validators, and a small driver per node that does what the real
 * node must do with each action.
 */
import { validator, type Validator } from '../../../../core/block/index.js';
import {
  checkSign,
  initState,
  logChanged,
  proposalTarget,
  recordSigned,
  resumePoint,
  step,
  storedMessages,
  valueKey,
  voteTarget,
  type ConsensusAction,
  type ConsensusEvent,
  type ConsensusState,
  type Proposal,
  type SignTarget,
  type TimeoutConfig,
} from '../../../../core/consensus/index.js';
import { byzantineProposal, byzantineVote } from './byzantine.js';
import { gossip, GOSSIP_MS, SYNC_BATCH } from './gossip.js';
import { Prng } from './prng.js';
import { TimedQueue } from './queue.js';
import type { Scenario } from './scenario.js';
import { eventOf, messageOf, signedOf, SimNode, type NetMsg, type SimEvent } from './simNode.js';
import { Violation, World } from './world.js';

/** A node this long without progress that sees next-height messages asks the sender for blocks. */
const SYNC_STUCK_MS = 1_500;
/** Wait before asking for blocks again. */
const SYNC_RETRY_MS = 2_000;

/** The outcome of one run. */
export interface SimResult {
  seed: number;
  violation: string | null;
  /** Committed height of each node at the end. */
  heights: number[];
  /** Highest round any honest node reached. */
  maxRound: number;
  /** Virtual ms from the end of the faults until every honest node reached the liveness target. */
  recoveryMs: number | null;
  events: number;
  evidence: number;
  refusedSignatures: number;
  trace: string[];
}

/** Options beyond the scenario. */
export interface SimOptions {
  timeouts?: TimeoutConfig;
  /** Keep the last events as text for a failure report. */
  trace?: boolean;
}

const TRACE_LINES = 400;

/** One simulation run. */
export class Simulation {
  readonly rng: Prng;
  readonly validators: Validator[];
  readonly world: World;
  readonly nodes: SimNode[];
  readonly queue = new TimedQueue<SimEvent>();
  now = 0;
  #faultsOver = false;
  #target = Infinity;
  #recoveredAt: number | null = null;
  #events = 0;
  #evidence = 0;
  #refused = 0;
  #maxRound = 0;
  readonly #trace: string[] = [];

  constructor(
    readonly sc: Scenario,
    readonly opts: SimOptions = {},
  ) {
    this.rng = new Prng(sc.seed);
    this.validators = sc.powers.map((p, i) => validator(new Uint8Array(32).fill(i + 1), p));
    const byz = new Map(sc.byzantine);
    this.world = new World(this.validators, new Set(byz.keys()));
    this.nodes = this.validators.map((_, i) => new SimNode(i, byz.get(i) ?? null));
  }

  /** Runs to the liveness target (or the deadline, or a violation). */
  run(): SimResult {
    let violation: string | null = null;
    try {
      for (const node of this.nodes) if (node.mode !== 'silent') this.#boot(node);
      for (const c of this.sc.crashes) {
        this.queue.push(c.at, { kind: 'crash', node: c.node });
        this.queue.push(c.restartAt, { kind: 'restart', node: c.node });
      }
      this.queue.push(this.sc.faultEndMs, { kind: 'faultsEnd' });
      for (const node of this.nodes) this.queue.push(this.rng.int(0, GOSSIP_MS), { kind: 'gossip', node: node.index });
      const deadline = this.sc.faultEndMs + this.sc.livenessBudgetMs;
      for (;;) {
        const next = this.queue.pop();
        if (!next || next.at > deadline) break;
        this.now = next.at;
        this.#events++;
        this.#dispatch(next.item);
        if (this.#faultsOver && this.#honest().every((n) => n.chain.length >= this.#target)) {
          this.#recoveredAt = this.now;
          break;
        }
      }
      if (this.#recoveredAt === null) {
        const status = this.nodes.map((n) => `${n.index}${n.mode ? `(${n.mode})` : ''}: h=${n.chain.length} ${n.state ? `r=${n.state.round} ${n.state.step}` : 'down'}`);
        throw new Violation(`LIVENESS: honest validators did not all reach height ${this.#target} within ${this.sc.livenessBudgetMs}ms after the faults stopped; ${status.join('; ')}`);
      }
    } catch (e) {
      if (!(e instanceof Violation)) throw e;
      violation = e.message;
    }
    return {
      seed: this.sc.seed,
      violation,
      heights: this.nodes.map((n) => n.chain.length),
      maxRound: this.#maxRound,
      recoveryMs: this.#recoveredAt === null ? null : this.#recoveredAt - this.sc.faultEndMs,
      events: this.#events,
      evidence: this.#evidence,
      refusedSignatures: this.#refused,
      trace: this.#trace,
    };
  }

  #honest(): SimNode[] {
    return this.nodes.filter((n) => n.mode === null);
  }

  #log(line: string): void {
    if (!this.opts.trace) return;
    this.#trace.push(`${this.now}ms ${line}`);
    if (this.#trace.length > TRACE_LINES) this.#trace.shift();
  }

  /** Starts a node from its disk: the chain's next height, resuming round and lock from the safety record. */
  #boot(node: SimNode): void {
    const height = node.chain.length + 1;
    const { round, lock } = resumePoint(node.safety, height);
    node.incarnation++;
    node.inbox.length = 0;
    node.state = initState({ validators: this.validators, selfIndex: node.index, height, round, lock, timeouts: this.opts.timeouts });
    node.lastProgressAt = this.now;
    node.syncUntil = -1;
    this.#log(`node ${node.index} boots at height ${height} round ${round}${lock ? ' (locked)' : ''}`);
    // The height's write-ahead log goes back into the machine before start (and is re-written as it replays).
    const replay = node.wal.height === height ? node.wal.msgs : [];
    node.wal = { height, msgs: [] };
    for (const ev of replay) this.feed(node, ev);
    this.feed(node, { type: 'start' });
  }

  #dispatch(e: SimEvent): void {
    switch (e.kind) {
      case 'deliver':
        return this.#deliver(e.from, this.nodes[e.to], e.msg);
      case 'local': {
        const node = this.nodes[e.node];
        if (node.state && node.incarnation === e.incarnation) this.feed(node, e.ev);
        return;
      }
      case 'crash': {
        const node = this.nodes[e.node];
        if (!node.state || this.#faultsOver) return;
        this.#log(`node ${node.index} crashes`);
        node.state = null;
        node.incarnation++;
        return;
      }
      case 'restart': {
        const node = this.nodes[e.node];
        if (!node.state) this.#boot(node);
        return;
      }
      case 'gossip':
        this.queue.push(this.now + GOSSIP_MS, { kind: 'gossip', node: e.node });
        return gossip(this, this.nodes[e.node]);
      case 'faultsEnd':
        this.#faultsOver = true;
        for (const node of this.#honest()) if (!node.state) this.#boot(node);
        this.#target = Math.max(...this.#honest().map((n) => n.chain.length)) + this.sc.livenessHeights;
        this.#log(`faults end; target height ${this.#target}`);
        return;
    }
  }

  /** The node's serialized loop: one event at a time, own messages queued behind the current actions. */
  feed(node: SimNode, ev: ConsensusEvent): void {
    node.inbox.push(ev);
    if (node.inbox.length > 1) return; // already draining
    while (node.inbox.length > 0 && node.state) {
      const ev = node.inbox[0];
      const before = node.state;
      const res = step(before, ev);
      node.state = res.state;
      // Write-ahead log: the messages that changed the log of the current height. A new height
      // starts with what its log already holds (next-height messages the machine had buffered).
      if (res.state.height !== node.wal.height) node.wal = { height: res.state.height, msgs: logEvents(res.state) };
      else if ((ev.type === 'vote' || ev.type === 'proposal') && logChanged(before, res.state)) node.wal.msgs.push(ev);
      const key = `${res.state.height}/${res.state.round}/${res.state.step}`;
      if (key !== node.progressKey) {
        node.progressKey = key;
        node.lastProgressAt = this.now;
        if (node.mode === null && res.state.round > this.#maxRound) this.#maxRound = res.state.round;
      }
      for (const a of res.actions) this.#act(node, a);
      node.inbox.shift();
    }
    node.inbox.length = 0;
  }

  #later(node: SimNode, ms: number, ev: ConsensusEvent): void {
    this.queue.push(this.now + ms, { kind: 'local', node: node.index, incarnation: node.incarnation, ev });
  }

  #act(node: SimNode, a: ConsensusAction): void {
    switch (a.type) {
      case 'propose': {
        const blockHash = this.world.newBlock(this.rng, a.height, true);
        this.#later(node, this.rng.int(0, this.sc.appDelayMaxMs), { type: 'proposalBlock', height: a.height, round: a.round, blockHash });
        return;
      }
      case 'validate': {
        const valid = this.world.isValid(a.blockHash, a.height);
        this.#later(node, this.rng.int(0, this.sc.appDelayMaxMs), { type: 'validated', height: a.height, blockHash: a.blockHash, valid });
        return;
      }
      case 'scheduleTimeout':
        this.#later(node, a.ms, { type: 'timeout', height: a.height, round: a.round, step: a.step });
        return;
      case 'signProposal':
        if (node.mode !== null) return byzantineProposal(this, node, a.proposal);
        return this.#honestSign(node, proposalTarget(a.proposal), (signature) => ({ kind: 'proposal', proposal: { ...a.proposal, signature } }));
      case 'signVote':
        if (node.mode !== null) return byzantineVote(this, node, a.vote);
        return this.#honestSign(node, voteTarget(a.vote), (signature) => ({ kind: 'vote', vote: { ...a.vote, signature } }));
      case 'commit':
        if (node.mode === null) {
          this.world.checkCertificate(a.height, a.blockHash, a.commit);
          this.world.noteDecision(node.index, a.height, a.blockHash);
          if (a.height !== node.chain.length + 1) throw new Violation(`validator ${node.index} committed height ${a.height} on a chain of ${node.chain.length}`);
        }
        this.#log(`node ${node.index} commits height ${a.height} round ${a.round} ${valueKey(a.blockHash).slice(0, 8)}`);
        node.chain.push({ height: a.height, hash: a.blockHash, commit: a.commit });
        return;
      case 'evidence':
        if (node.mode === null) {
          this.world.checkEvidence(node.index, a.evidence);
          this.#evidence++;
        }
        return;
    }
  }

  /** The driver's signing edge: guard → sign → persist the record → send → feed back. */
  #honestSign(node: SimNode, target: SignTarget, message: (signature: Uint8Array) => NetMsg): void {
    const decision = checkSign(node.safety, target);
    if (decision.kind === 'refuse') {
      this.#refused++;
      this.#log(`node ${node.index} refuses to sign ${target.height}/${target.round}/${target.step}: ${decision.reason}`);
      // At the same step the message actually signed before the crash is re-sent instead.
      const last = decision.last;
      if (decision.reason === 'conflict') this.#sendOwn(node, messageOf(node.index, last, last.signature));
      return;
    }
    const msg = message(decision.kind === 'resend' ? decision.signature : this.world.sign(signedOf(node.index, target)));
    const sig = msg.kind === 'vote' ? msg.vote.signature : (msg as { proposal: Proposal }).proposal.signature;
    node.safety = recordSigned(node.safety, target, sig); // persisted before the message leaves
    this.world.noteHonestSignature(node.index, target.height, target.round, target.step, `${valueKey(target.blockHash)}/${target.validRound}`);
    this.#sendOwn(node, msg);
  }

  #sendOwn(node: SimNode, msg: NetMsg): void {
    this.broadcast(node.index, msg);
    this.feed(node, eventOf(msg));
  }

  broadcast(from: number, msg: NetMsg): void {
    for (let to = 0; to < this.nodes.length; to++) if (to !== from) this.send(from, to, msg);
  }

  /** The network: during the fault phase loss, partitions, duplication, long delays; after it, delivery within goodDelayMaxMs. */
  send(from: number, to: number, msg: NetMsg): void {
    const sc = this.sc;
    if (this.now >= sc.faultEndMs) {
      this.queue.push(this.now + this.rng.int(1, sc.goodDelayMaxMs), { kind: 'deliver', from, to, msg });
      return;
    }
    for (const p of sc.partitions) {
      if (this.now >= p.from && this.now < p.to && p.side.includes(from) !== p.side.includes(to)) return;
    }
    if (this.rng.chance(sc.loss) || (msg.kind === 'proposal' && this.now < sc.dropProposalsUntilMs)) return;
    const delay = () => (this.rng.chance(sc.longDelayChance) ? this.rng.int(0, sc.longDelayMaxMs) : this.rng.int(sc.delayMinMs, sc.delayMaxMs));
    this.queue.push(this.now + delay(), { kind: 'deliver', from, to, msg });
    if (this.rng.chance(sc.dup)) this.queue.push(this.now + delay(), { kind: 'deliver', from, to, msg });
  }

  #deliver(from: number, node: SimNode, msg: NetMsg): void {
    const state = node.state;
    if (!state) return;
    switch (msg.kind) {
      case 'proposal':
        this.#maybeSync(node, from, msg.proposal.height);
        return this.feed(node, { type: 'proposal', proposal: msg.proposal });
      case 'vote':
        this.#maybeSync(node, from, msg.vote.height);
        return this.feed(node, { type: 'vote', vote: msg.vote });
      case 'syncReq': {
        if (node.mode !== null) return;
        const blocks = node.chain.slice(msg.height - 1, msg.height - 1 + SYNC_BATCH);
        if (blocks.length > 0) this.send(node.index, from, { kind: 'syncResp', blocks });
        return;
      }
      case 'syncResp':
        for (const b of msg.blocks) {
          if (!node.state || b.height !== node.state.height) continue;
          // The driver's checks before a synced block enters: certificate and block validity.
          this.world.checkCertificate(b.height, b.hash, b.commit);
          if (!this.world.isValid(b.hash, b.height)) throw new Violation(`sync served an invalid block at height ${b.height}`);
          this.#log(`node ${node.index} syncs height ${b.height} from ${from}`);
          this.feed(node, { type: 'syncedBlock', height: b.height, blockHash: b.hash, commit: b.commit });
        }
        return;
    }
  }

  /** Block sync: a node that sees it is behind asks the sender for the blocks it lacks. */
  #maybeSync(node: SimNode, from: number, msgHeight: number): void {
    const h = node.state!.height;
    const behind = msgHeight > h + 1 || (msgHeight === h + 1 && this.now - node.lastProgressAt >= SYNC_STUCK_MS);
    if (!behind || this.now < node.syncUntil) return;
    node.syncUntil = this.now + SYNC_RETRY_MS;
    this.send(node.index, from, { kind: 'syncReq', height: h });
  }


}

/** The messages in a state's log, as events to replay. */
function logEvents(state: ConsensusState): ConsensusEvent[] {
  const { proposals, votes } = storedMessages(state);
  return [...proposals.map((proposal): ConsensusEvent => ({ type: 'proposal', proposal })), ...votes.map((vote): ConsensusEvent => ({ type: 'vote', vote }))];
}
