/** The simulation's nodes, network messages and queued events. */
import type { Commit } from '../../../../core/block/index.js';
import type { ConsensusEvent, ConsensusState, Proposal, SafetyRecord, SignTarget, Vote } from '../../../../core/consensus/index.js';
import type { Hash } from '../../../../core/types.js';
import type { ByzantineMode } from './scenario.js';
import type { Signed } from './world.js';

/** A committed block as a node stores it. */
export interface ChainEntry {
  height: number;
  hash: Hash;
  commit: Commit;
}

/** What crosses the simulated network. */
export type NetMsg =
  | { kind: 'proposal'; proposal: Proposal }
  | { kind: 'vote'; vote: Vote }
  | { kind: 'syncReq'; height: number }
  | { kind: 'syncResp'; blocks: ChainEntry[] };

/** What the virtual clock runs. */
export type SimEvent =
  | { kind: 'deliver'; from: number; to: number; msg: NetMsg }
  /** A timer or an app answer for a node; dropped if the node restarted since (incarnation). */
  | { kind: 'local'; node: number; incarnation: number; ev: ConsensusEvent }
  | { kind: 'crash'; node: number }
  | { kind: 'restart'; node: number }
  | { kind: 'gossip'; node: number }
  | { kind: 'faultsEnd' };

/** A validator: its state machine (null while crashed) and its "disk". */
export class SimNode {
  state: ConsensusState | null = null;
  incarnation = 0;
  /** Disk: the safety record survives a crash. */
  safety: SafetyRecord | null = null;
  /**
   * Disk: the write-ahead log of the current height — every proposal and vote (received or
   * its own, fed back after signing) that changed the machine's message log. Replayed on
   * restart, so what the node saw before the crash (a POL, its own votes) is not lost.
   */
  wal: { height: number; msgs: ConsensusEvent[] } = { height: 0, msgs: [] };
  /** Disk: the committed chain (entry i is height i + 1). */
  chain: ChainEntry[] = [];
  lastProgressAt = 0;
  progressKey = '';
  syncUntil = -1;
  readonly inbox: ConsensusEvent[] = [];

  constructor(
    readonly index: number,
    readonly mode: ByzantineMode | null,
  ) {}
}

/** The consensus event of a proposal or vote message. */
export function eventOf(m: NetMsg): ConsensusEvent {
  if (m.kind === 'vote') return { type: 'vote', vote: m.vote };
  if (m.kind === 'proposal') return { type: 'proposal', proposal: m.proposal };
  throw new Error(`not a consensus message: ${m.kind}`);
}

/** The registry entry of what `target` signs for validator `i`. */
export function signedOf(i: number, t: SignTarget): Signed {
  if (t.step === 0) return { kind: 'proposal', proposal: { height: t.height, round: t.round, blockHash: t.blockHash!, validRound: t.validRound, proposerIndex: i } };
  return { kind: 'vote', vote: { type: t.step, height: t.height, round: t.round, blockHash: t.blockHash, validatorIndex: i } };
}

/** The message a safety record describes, with its signature. */
export function messageOf(i: number, t: SignTarget, signature: Uint8Array): NetMsg {
  const s = signedOf(i, t);
  return s.kind === 'proposal' ? { kind: 'proposal', proposal: { ...s.proposal, signature } } : { kind: 'vote', vote: { ...s.vote, signature } };
}
