/**
 * Entries of the consensus write-ahead log (the README's "Write-ahead log"): the proposals and
 * votes that changed the current height's log, so a restarted validator gets back what it saw
 * and signed before the crash. A proposal travels with its block's bytes: after a restart the
 * node must still be able to validate and commit the value it may be locked on.
 */
import { encode, toHex, type Value } from '../encoding/index.js';
import { ConsensusError } from './errors.js';
import { decodeProposal, encodeProposal } from './proposal.js';
import { decodeMessage, decodeVote, encodeVote } from './vote.js';
import type { Proposal, Vote } from './types.js';

/** One logged message: a proposal with its block bytes, or a vote. */
export type WalEntry = { kind: 'proposal'; proposal: Proposal; block: Uint8Array } | { kind: 'vote'; vote: Vote };

const TAG_PROPOSAL = 0;
const TAG_VOTE = 1;

/** Canonical encoding: `[0, proposalBytes, blockBytes]` or `[1, voteBytes]`. */
export function encodeWalEntry(e: WalEntry): Uint8Array {
  return e.kind === 'proposal' ? encode([TAG_PROPOSAL, encodeProposal(e.proposal), e.block]) : encode([TAG_VOTE, encodeVote(e.vote)]);
}

/** Decodes a logged entry; throws ConsensusError('CONSENSUS_BAD_WAL_ENTRY'). */
export function decodeWalEntry(bytes: Uint8Array): WalEntry {
  const bad = (msg: string) => new ConsensusError('CONSENSUS_BAD_WAL_ENTRY', `wal entry: ${msg}`, {});
  let t: Value;
  try {
    t = decodeMessage(bytes, 'wal entry');
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!Array.isArray(t) || t.length < 2) throw bad('expected [tag, message, …]');
  const [tag, msg, block] = t;
  if (!(msg instanceof Uint8Array)) throw bad('message must be bytes');
  try {
    if (tag === TAG_PROPOSAL && t.length === 3) {
      if (!(block instanceof Uint8Array)) throw bad('block must be bytes');
      return { kind: 'proposal', proposal: decodeProposal(msg), block };
    }
    if (tag === TAG_VOTE && t.length === 2) return { kind: 'vote', vote: decodeVote(msg) };
  } catch (e) {
    if (e instanceof ConsensusError && e.code === 'CONSENSUS_BAD_WAL_ENTRY') throw e;
    throw bad((e as Error).message);
  }
  throw bad(`unknown tag ${String(tag)} or wrong length ${t.length}`);
}

/**
 * The identity of a logged message within its height: a second copy (an own message fed back
 * after it was written with the safety record, or a replayed one) is not written again. Votes
 * are keyed by value too, so an equivocator's second vote is kept as the evidence it is.
 */
export function walMessageId(e: WalEntry): string {
  if (e.kind === 'proposal') return `p/${e.proposal.round}/${e.proposal.validRound}/${toHex(e.proposal.blockHash)}`;
  const v = e.vote;
  return `v/${v.type}/${v.round}/${v.validatorIndex}/${v.blockHash ? toHex(v.blockHash) : 'nil'}`;
}

