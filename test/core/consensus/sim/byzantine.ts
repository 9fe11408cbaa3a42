/**
 * Equivocating Byzantine validators: they run the state machine (so they stay in step with
 * the network) but ignore the SafetyGuard and sign two values at every step — a second block
 * (valid or not) as proposer, another value (or nil) as voter — sending each version to part
 * of the network ('equivocate': a random part, some peers get both; 'fork': always the
 * same split, even / odd indices), plus stray votes in later rounds.
 */
import { VOTE_PRECOMMIT, VOTE_PREVOTE } from '../../../../core/block/index.js';
import { valueKey, type Proposal, type UnsignedProposal, type UnsignedVote, type Vote } from '../../../../core/consensus/index.js';
import type { Hash } from '../../../../core/types.js';
import type { NetMsg, SimNode } from './simNode.js';
import type { Simulation } from './simulation.js';

/** Signs `p` and a proposal of a fresh block, each to part of the network. */
export function byzantineProposal(sim: Simulation, node: SimNode, p: UnsignedProposal): void {
  const other = { ...p, blockHash: sim.world.newBlock(sim.rng, p.height, sim.rng.chance(0.5)) };
  const a: Proposal = { ...p, signature: sim.world.sign({ kind: 'proposal', proposal: p }) };
  const b: Proposal = { ...other, signature: sim.world.sign({ kind: 'proposal', proposal: other }) };
  split(sim, node, { kind: 'proposal', proposal: a }, { kind: 'proposal', proposal: b });
  sim.feed(node, { type: 'proposal', proposal: a });
}

/** Signs `v` and a vote for another value, each to part of the network; sometimes a stray vote in a later round. */
export function byzantineVote(sim: Simulation, node: SimNode, v: UnsignedVote): void {
  const rng = sim.rng;
  const other = { ...v, blockHash: v.blockHash === null || rng.chance(0.5) ? otherHash(sim, v.height, v.blockHash) : null };
  const a: Vote = { ...v, signature: sim.world.sign({ kind: 'vote', vote: v }) };
  const b: Vote = { ...other, signature: sim.world.sign({ kind: 'vote', vote: other }) };
  split(sim, node, { kind: 'vote', vote: a }, { kind: 'vote', vote: b });
  sim.feed(node, { type: 'vote', vote: a });
  if (rng.chance(0.2)) {
    const stray: UnsignedVote = {
      type: rng.chance(0.5) ? VOTE_PREVOTE : VOTE_PRECOMMIT,
      height: v.height,
      round: v.round + rng.int(1, 5),
      blockHash: rng.chance(0.3) ? null : otherHash(sim, v.height, null),
      validatorIndex: v.validatorIndex,
    };
    sim.broadcast(node.index, { kind: 'vote', vote: { ...stray, signature: sim.world.sign({ kind: 'vote', vote: stray }) } });
  }
}

/** A value other than `not`: mostly a block really built at this height, sometimes random bytes. */
function otherHash(sim: Simulation, height: number, not: Hash | null): Hash {
  const known = (sim.world.blocksAt.get(height) ?? []).filter((h) => not === null || valueKey(h) !== valueKey(not));
  return known.length > 0 && sim.rng.chance(0.8) ? sim.rng.pick(known) : sim.rng.bytes(32);
}

/** Sends each peer `a`, `b`, or both in either order ('fork': even indices `a`, odd ones `b`). */
function split(sim: Simulation, node: SimNode, a: NetMsg, b: NetMsg): void {
  for (let to = 0; to < sim.nodes.length; to++) {
    if (to === node.index) continue;
    if (node.mode === 'fork') {
      sim.send(node.index, to, to % 2 === 0 ? a : b);
      continue;
    }
    const choice = sim.rng.int(0, 3);
    if (choice === 3) sim.send(node.index, to, b);
    if (choice !== 1) sim.send(node.index, to, a);
    if (choice === 1 || choice === 2) sim.send(node.index, to, b);
  }
}
