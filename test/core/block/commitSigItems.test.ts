/** The sig-pool path of commit verification: the items must verify with the raw native check. */
import { describe, expect, it } from 'vitest';
import { checkCommit, signVote, validator, VOTE_PRECOMMIT, type Commit } from '../../../core/block/index.js';
import { devKey, verify } from '../../../core/crypto/index.js';
import { SigVerifyPool } from '../../../core/sigpool/index.js';

describe('commit signature items', () => {
  const vals = [0, 1, 2, 3].map((i) => validator(devKey(i).publicKey));
  const blockHash = new Uint8Array(32).fill(5);
  const commit: Commit = {
    height: 3,
    round: 1,
    blockHash,
    signatures: [0, 1, 2].map((i) => [i, signVote('medchain-dev', VOTE_PRECOMMIT, 3, 1, blockHash, devKey(i).secretKey)] as [number, Uint8Array]),
  };

  it('verify in-thread with core/crypto verify (message = the signed digest)', () => {
    const items = checkCommit('medchain-dev', commit, vals, { height: 3, blockHash });
    expect(items.map((i) => verify(i.signature, i.message, i.publicKey))).toEqual([true, true, true]);
  });

  it('verify through the worker pool, and a vote for another chain does not', async () => {
    const pool = new SigVerifyPool({ threads: 1 });
    try {
      expect(await pool.verifyBatch(checkCommit('medchain-dev', commit, vals, { height: 3, blockHash }))).toEqual([true, true, true]);
      expect(await pool.verifyBatch(checkCommit('other-chain', commit, vals, { height: 3, blockHash }))).toEqual([false, false, false]);
    } finally {
      await pool.close();
    }
  });
});
