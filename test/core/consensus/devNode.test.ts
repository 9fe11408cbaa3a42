/**
 * n = 1 keeps the dev node's instant blocks: with one validator every block is decided as soon
 * as the app has built it — propose → own prevote → own precommit → commit — without a single
 * timeout firing. The driver here does what the node's does: answer `propose`, and sign and
 * feed back every signVote/signProposal.
 */
import { describe, expect, it } from 'vitest';
import { verifyCommit } from '../../../core/block/index.js';
import { devKey, sha256 } from '../../../core/crypto/index.js';
import {
  initState,
  signProposalMessage,
  signVoteMessage,
  step,
  type ConsensusAction,
  type ConsensusEvent,
  type ConsensusState,
} from '../../../core/consensus/index.js';
import { validator } from '../../../core/block/index.js';

const CHAIN = 'medchain-dev';

describe('n = 1 (dev mode)', () => {
  it('decides every height immediately, with a commit certificate that verifies', () => {
    const key = devKey(0);
    const validators = [validator(key.publicKey)];
    let state: ConsensusState = initState({ validators, selfIndex: 0, height: 1 });
    const commits: Array<Extract<ConsensusAction, { type: 'commit' }>> = [];
    const queue: ConsensusEvent[] = [{ type: 'start' }];
    let events = 0;
    while (queue.length > 0 && commits.length < 5) {
      const r = step(state, queue.shift()!);
      events++;
      state = r.state;
      for (const a of r.actions) {
        if (a.type === 'propose') queue.push({ type: 'proposalBlock', height: a.height, round: a.round, blockHash: sha256(Uint8Array.of(a.height)) });
        if (a.type === 'signProposal') queue.push({ type: 'proposal', proposal: signProposalMessage(CHAIN, a.proposal, key.secretKey) });
        if (a.type === 'signVote') queue.push({ type: 'vote', vote: signVoteMessage(CHAIN, a.vote, key.secretKey) });
        if (a.type === 'commit') commits.push(a);
        // scheduleTimeout actions are ignored: no timer ever fires in this test
      }
    }
    expect(commits.map((c) => [c.height, c.round])).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [5, 0]]);
    for (const c of commits) {
      expect(c.blockHash).toEqual(sha256(Uint8Array.of(c.height)));
      expect(() => verifyCommit(CHAIN, c.commit, validators, { height: c.height, blockHash: c.blockHash })).not.toThrow();
    }
    expect(events).toBe(1 + 5 * 4); // start, then per height: block, proposal, prevote, precommit
  });
});
