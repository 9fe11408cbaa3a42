/**
 * The consensus write-ahead log in the node's driver, on a real LevelDB: a validator that
 * prevoted and precommitted a block, then crashed, gets back after a restart the proposal
 * (with its block), the prevotes behind its lock and its own precommit — so the height can
 * still be decided with the precommits of the others. Without the WAL the restarted node holds
 * neither the block nor its own vote, and 2 more precommits out of 4 decide nothing.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeBlock, VOTE_PRECOMMIT, VOTE_PREVOTE, type VoteType } from '../../core/block/index.js';
import { Chain, type BuiltBlock } from '../../core/chain/index.js';
import { decodeVote, decodeWalEntry, encodeProposal, encodeVote, encodeWalEntry, signProposalMessage, signVoteMessage, walMessageId } from '../../core/consensus/index.js';
import { equalBytes, toHex } from '../../core/encoding/index.js';
import { UNAVAILABLE_EXECUTOR } from '../../core/execution/index.js';
import { parseGenesis, type GenesisSpec } from '../../core/genesis/index.js';
import { Mempool } from '../../core/mempool/index.js';
import { ChainStore } from '../../core/store/index.js';
import type { Hash } from '../../core/types.js';
import { Network, type Peer } from '../../p2p/index.js';
import { ConsensusDriver } from '../../node/consensusDriver.js';
import { createLogger } from '../../node/logger.js';
import { SerialQueue } from '../../node/serialQueue.js';
import { DEV, inThreadVerify, TempDirs } from '../fixtures/chainFixtures.js';

const CHAIN_ID = 'medchain-dev';
const KEYS = DEV.slice(0, 4);

function spec(): GenesisSpec {
  return parseGenesis({
    chainId: CHAIN_ID,
    timeMs: 1_767_225_600_000,
    blockGasLimit: 10_000_000,
    blockIntervalMs: 100,
    validators: KEYS.map((k) => ({ publicKey: toHex(k.publicKey), power: 1 })),
    accounts: [],
  });
}

const tmp = new TempDirs();
const stores: ChainStore[] = [];
afterAll(async () => {
  for (const s of stores) if (s.db.status === 'open') await s.close();
  tmp.cleanup();
});

async function openChain(dir: string): Promise<Chain> {
  const store = await ChainStore.open(dir);
  stores.push(store);
  return Chain.open(store, { spec: spec(), executor: UNAVAILABLE_EXECUTOR });
}

/** The key of validator `index` in the chain's set. */
function keyOf(chain: Chain, index: number) {
  const k = KEYS.find((x) => equalBytes(x.address, chain.validators[index].address));
  if (!k) throw new Error('no key');
  return k;
}

/** A driver for validator `self` over `chain`, its broadcasts captured. */
function driverFor(chain: Chain, self: number) {
  const key = keyOf(chain, self);
  const logger = createLogger({ level: 'error' });
  const network = new Network(
    { chainId: CHAIN_ID, genesisHash: chain.genesisHash, nodeKey: key, host: '127.0.0.1', port: 0, peers: [] },
    { onMessage: () => undefined, logger },
  );
  const sent = vi.spyOn(network, 'broadcast');
  const mempool = new Mempool({ chainId: CHAIN_ID, blockGasLimit: chain.spec.blockGasLimit }, { account: (a) => chain.account(a), verifySignature: async () => true });
  const committed: BuiltBlock[] = [];
  const driver = new ConsensusDriver({
    chain,
    mempool,
    network,
    key: { ...key, name: 'v' } as never,
    verifySigs: inThreadVerify,
    writes: new SerialQueue(),
    logger,
    blockMs: 0,
    behind: () => false,
    onCommitted: (b) => committed.push(b),
  });
  const votes = () =>
    sent.mock.calls.map(([m]) => m).flatMap((m) => (m.kind === 'vote' ? [decodeVote(m.vote)] : []));
  return { driver, votes, committed };
}

const peer = {} as Peer;

function vote(chain: Chain, from: number, type: VoteType, blockHash: Hash | null): Uint8Array {
  return encodeVote(signVoteMessage(CHAIN_ID, { type, height: 1, round: 0, blockHash, validatorIndex: from }, keyOf(chain, from).secretKey));
}

async function until(what: string, cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('consensus WAL (driver + LevelDB)', () => {
  it('a validator restarted after precommitting replays proposal, block, prevotes and its own precommit, and decides the height', async () => {
    const dir = tmp.make('medchain-wal-');
    let chain = await openChain(dir);
    const self = chain.validators.findIndex((v) => equalBytes(v.address, KEYS[0].address));
    const proposer = (1 + 0) % 4; // height 1, round 0
    expect(self).not.toBe(proposer);
    const others = [0, 1, 2, 3].filter((i) => i !== self);

    // The proposer's block, built on its own copy of the chain.
    const builder = await openChain(tmp.make('medchain-wal-builder-'));
    const built = await builder.build(chain.spec.timeMs + 1_000, builder.validators[proposer].address, [], null);
    const proposal = signProposalMessage(CHAIN_ID, { height: 1, round: 0, blockHash: built.hash, validRound: -1, proposerIndex: proposer }, keyOf(chain, proposer).secretKey);

    const first = driverFor(chain, self);
    first.driver.start();
    await first.driver.onProposal(peer, encodeProposal(proposal), encodeBlock(built.block));
    await until('own prevote', () => first.votes().some((v) => v.type === VOTE_PREVOTE && v.blockHash !== null));
    for (const i of others.slice(0, 2)) await first.driver.onVote(peer, vote(chain, i, VOTE_PREVOTE, built.hash));
    await until('own precommit', () => first.votes().some((v) => v.type === VOTE_PRECOMMIT));
    const precommit = first.votes().find((v) => v.type === VOTE_PRECOMMIT)!;
    expect(precommit.blockHash && equalBytes(precommit.blockHash, built.hash)).toBe(true);
    await first.driver.stop();
    expect(chain.head.height).toBe(0);

    // What is on disk: the proposal with its block, 3 prevotes (own included), the own precommit.
    const logged = (await chain.store.walEntries(1)).map(decodeWalEntry);
    expect(logged.map((e) => e.kind).sort()).toEqual(['proposal', 'vote', 'vote', 'vote', 'vote']);
    const loggedProposal = logged.find((e) => e.kind === 'proposal');
    expect(loggedProposal?.kind === 'proposal' && equalBytes(loggedProposal.block, encodeBlock(built.block))).toBe(true);
    expect(logged.some((e) => e.kind === 'vote' && e.vote.type === VOTE_PRECOMMIT && e.vote.validatorIndex === self)).toBe(true);

    // "Crash": reopen the store and start a fresh driver on it.
    await chain.store.close();
    chain = await openChain(dir);
    const second = driverFor(chain, self);
    second.driver.start();
    // The replay re-sends the precommit signed before the crash (same signature), not a new one.
    await until('re-sent precommit', () => second.votes().some((v) => v.type === VOTE_PRECOMMIT));
    const again = second.votes().find((v) => v.type === VOTE_PRECOMMIT)!;
    expect(equalBytes(again.signature, precommit.signature)).toBe(true);

    for (const i of others.slice(0, 2)) await second.driver.onVote(peer, vote(chain, i, VOTE_PRECOMMIT, built.hash));
    await until('commit of height 1', () => chain.head.height === 1);
    expect(equalBytes(chain.headHash, built.hash)).toBe(true);
    expect(second.committed).toHaveLength(1);
    await until('WAL moved to height 2', () => second.driver.position.height === 2);
    await second.driver.stop();
    expect(await chain.store.walEntries(1)).toEqual([]);
  });

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
