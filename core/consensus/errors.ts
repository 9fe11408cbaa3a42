import { MedchainError } from '../errors.js';

/** Error codes of core/consensus. */
export type ConsensusErrorCode =
  /** initState options that cannot run consensus (empty or oversized validator set, bad index, height or round). */
  | 'CONSENSUS_BAD_CONFIG'
  /** An event whose fields have the wrong types (a driver bug, not a peer's fault: decoders reject bad peer input first). */
  | 'CONSENSUS_BAD_EVENT'
  /** A proposal or vote from the wire that does not decode to a well-typed message (penalise the peer). */
  | 'CONSENSUS_BAD_MESSAGE'
  /** A persisted safety record that does not decode (the node must not sign until an operator looks). */
  | 'CONSENSUS_BAD_SAFETY_RECORD'
  /** A write-ahead-log entry that does not decode (a torn or foreign write: the entry is skipped). */
  | 'CONSENSUS_BAD_WAL_ENTRY'
  /** The upon-rules did not reach a fixpoint within their bound (a bug in the state machine). */
  | 'CONSENSUS_INTERNAL';

/** A consensus error; `context` names the field, height or round involved. */
export class ConsensusError extends MedchainError<ConsensusErrorCode> {}
