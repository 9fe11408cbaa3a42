/**
 * The transition function: `step(state, event) → { state, actions }`. Pure and
 * deterministic — no clock, randomness, I/O or unordered iteration — so the same events in
 * the same order always give the same states and actions (the simulation replays seeds on
 * this). The node's driver feeds events one at a time from a single serialized queue.
 */
import { equalBytes } from '../encoding/index.js';
import { Draft } from './draft.js';
import { ConsensusError } from './errors.js';
import { intakeProposal, intakeVote } from './intake.js';
import { decide, onProposalBlock, onTimeout, runRules, startRound } from './rules.js';
import type { ConsensusState, StepResult } from './state.js';
import type { ConsensusEvent } from './types.js';
import { valueKey } from './voteSet.js';

/** Applies one event. Messages may arrive before `start` (they are logged); other events then do nothing. */
export function step(state: ConsensusState, event: ConsensusEvent): StepResult {
  const d = new Draft(state);
  const s = d.s;
  switch (event.type) {
    case 'start':
      if (!s.started) {
        s.started = true;
        startRound(d, s.round); // line 10 (at the resume round after a restart)
      }
      break;
    case 'proposal':
      intakeProposal(d, event.proposal);
      break;
    case 'vote':
      intakeVote(d, event.vote);
      break;
    case 'timeout':
      checkCount(event.height, 'height');
      checkCount(event.round, 'round');
      if (s.started) onTimeout(d, event.height, event.round, event.step);
      break;
    case 'proposalBlock':
      checkCount(event.height, 'height');
      checkCount(event.round, 'round');
      checkHash(event.blockHash);
      if (s.started) onProposalBlock(d, event.height, event.round, event.blockHash);
      break;
    case 'validated': {
      checkCount(event.height, 'height');
      checkHash(event.blockHash);
      const key = valueKey(event.blockHash);
      const known = s.validity.get(key);
      if (event.height === s.height && known !== 'valid' && known !== 'invalid') d.setValidity(key, event.valid ? 'valid' : 'invalid');
      break;
    }
    case 'syncedBlock':
      checkCount(event.height, 'height');
      checkHash(event.blockHash);
      if (event.commit.height !== event.height || !equalBytes(event.commit.blockHash, event.blockHash)) {
        throw new ConsensusError('CONSENSUS_BAD_EVENT', 'syncedBlock: the commit is for another height or block', { height: event.height });
      }
      if (s.started && event.height === s.height) decide(d, event.blockHash, event.commit);
      break;
    default:
      throw new ConsensusError('CONSENSUS_BAD_EVENT', `unknown event type ${String((event as { type?: unknown }).type)}`, {});
  }
  if (s.started) runRules(d);
  return d.result();
}

function checkCount(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ConsensusError('CONSENSUS_BAD_EVENT', `event ${field} must be a non-negative integer`, { field });
  }
}

function checkHash(v: unknown): void {
  if (!(v instanceof Uint8Array) || v.length !== 32) {
    throw new ConsensusError('CONSENSUS_BAD_EVENT', 'event blockHash must be 32 bytes', { field: 'blockHash' });
  }
}
