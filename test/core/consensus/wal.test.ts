/** Consensus write-ahead-log entries: round trips, identity by value, hostile bytes. */
import { describe, expect, it } from 'vitest';
import { VOTE_PREVOTE } from '../../../core/block/index.js';
import { decodeWalEntry, encodeWalEntry, signProposalMessage, signVoteMessage, walMessageId } from '../../../core/consensus/index.js';
import { DEV } from '../../fixtures/chainFixtures.js';

const CHAIN_ID = 'medchain-dev';
const KEYS = DEV.slice(0, 4);

describe('WAL entries', () => {
  it('entries round-trip, are identified by value, and hostile bytes give typed errors', () => {
    const p = signProposalMessage(CHAIN_ID, { height: 5, round: 2, blockHash: new Uint8Array(32).fill(7), validRound: 1, proposerIndex: 3 }, KEYS[3].secretKey);
    const v = signVoteMessage(CHAIN_ID, { type: VOTE_PREVOTE, height: 5, round: 2, blockHash: null, validatorIndex: 1 }, KEYS[1].secretKey);
    const pe = { kind: 'proposal' as const, proposal: p, block: new Uint8Array([1, 2, 3]) };
    const ve = { kind: 'vote' as const, vote: v };
    expect(decodeWalEntry(encodeWalEntry(pe))).toEqual(pe);
    expect(decodeWalEntry(encodeWalEntry(ve))).toEqual(ve);
    const v2 = signVoteMessage(CHAIN_ID, { type: VOTE_PREVOTE, height: 5, round: 2, blockHash: new Uint8Array(32).fill(9), validatorIndex: 1 }, KEYS[1].secretKey);
    expect(walMessageId(ve)).not.toBe(walMessageId({ kind: 'vote', vote: v2 })); // an equivocation is logged too
    expect(walMessageId(ve)).toBe(walMessageId({ kind: 'vote', vote: { ...v, signature: new Uint8Array(64) } }));
    const bad = [
      new Uint8Array(),
      new Uint8Array([0xc1]),
      new Uint8Array([0x92, 0x05, 0xc4, 0x00]), // [5, b'']: unknown tag
      new Uint8Array([0x92, 0x00, 0xc4, 0x00]), // a proposal without its block
      new Uint8Array([0x93, 0x00, 0xc4, 0x01, 0x00, 0x01]), // block not bytes
      new Uint8Array([0x92, 0x01, 0xc4, 0x01, 0x00]), // vote bytes that are not a vote
      new Uint8Array(1 << 16).fill(0x91), // deep nesting
    ];
    for (const b of bad) expect(() => decodeWalEntry(b)).toThrow(expect.objectContaining({ code: 'CONSENSUS_BAD_WAL_ENTRY' }));
  });
});
