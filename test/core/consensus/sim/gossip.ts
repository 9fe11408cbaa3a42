/**
 * Gossip, as a p2p layer with peer-state tracking does it (CometBFT's gossip routines with
 * HasVote/VoteSetBits): every GOSSIP_MS an honest node sends each peer at its height what the
 * peer's log lacks of: proposals from the peer's round on; votes of the peer's round and the
 * one before, of this node's round, and of the POL rounds (validRound) of those proposals.
 * Votes are compared by (validator, value), so an equivocator's second vote is relayed too. A
 * peer behind gets the blocks it lacks with their certificates. The simulation reads the
 * peer's state in place of the peer announcing it; the messages still cross the faulty network.
 */
import { allVotes, hasVote } from '../../../../core/consensus/index.js';
import type { SimNode } from './simNode.js';
import type { Simulation } from './simulation.js';

/** Period of the gossip. */
export const GOSSIP_MS = 500;
/** Blocks per catch-up answer. */
export const SYNC_BATCH = 20;

/** One gossip round of `node` to every peer. */
export function gossip(sim: Simulation, node: SimNode): void {
  const state = node.state;
  if (!state || node.mode !== null) return;
  for (const peer of sim.nodes) {
    const ps = peer.state;
    if (peer === node || !ps || ps.height > state.height) continue;
    if (ps.height < state.height) {
      sim.send(node.index, peer.index, { kind: 'syncResp', blocks: node.chain.slice(ps.height - 1, ps.height - 1 + SYNC_BATCH) });
      continue;
    }
    const voteRounds = new Set([ps.round, ps.round - 1, state.round]);
    const peerProposal = ps.rounds.get(ps.round)?.proposal;
    if (peerProposal) voteRounds.add(peerProposal.validRound);
    for (const [r, rs] of state.rounds) {
      if (r < ps.round || !rs.proposal) continue;
      voteRounds.add(rs.proposal.validRound);
      if (!ps.rounds.get(r)?.proposal) sim.send(node.index, peer.index, { kind: 'proposal', proposal: rs.proposal });
    }
    for (const r of voteRounds) {
      const mine = state.rounds.get(r);
      if (r < 0 || !mine) continue;
      const theirs = ps.rounds.get(r);
      for (const v of allVotes(mine.prevotes)) {
        if (!theirs || !hasVote(theirs.prevotes, v.validatorIndex, v.blockHash)) sim.send(node.index, peer.index, { kind: 'vote', vote: v });
      }
      for (const v of allVotes(mine.precommits)) {
        if (!theirs || !hasVote(theirs.precommits, v.validatorIndex, v.blockHash)) sim.send(node.index, peer.index, { kind: 'vote', vote: v });
      }
    }
  }
}
