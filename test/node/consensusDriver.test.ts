/**
 * The node's consensus driver on a real LevelDB, fed signed peer messages directly.
 *
 * Write-ahead log: a validator that
 * prevoted and precommitted a block, then crashed, gets back after a restart the proposal
 * (with its block), the prevotes behind its lock and its own precommit — so the height can
 * still be decided with the precommits of the others. Without the WAL the restarted node holds
 * neither the block nor its own vote, and 2 more precommits out of 4 decide nothing.
 *
 * Evidence: an equivocation the machine detects is reported once as a tx that, included in a
 * block, records it in state.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeBlock, validator, VOTE_PRECOMMIT, VOTE_PREVOTE, type VoteType } from '../../core/block/index.js';
import { Chain, type BuiltBlock } from '../../core/chain/index.js';
import { decodeVote, decodeWalEntry, encodeEvidence, initState, encodeProposal, encodeVote, signProposalMessage, signVoteMessage } from '../../core/consensus/index.js';
import { encode } from '../../core/encoding/index.js';
import { equalBytes, toHex } from '../../core/encoding/index.js';
import { envelope, EVIDENCE_ADDRESS, evidenceSlot, UNAVAILABLE_EXECUTOR, VM_EXECUTOR } from '../../core/execution/index.js';
import { decodeTx, txHash } from '../../core/tx/index.js';
import { parseGenesis, type GenesisSpec } from '../../core/genesis/index.js';
import { Mempool } from '../../core/mempool/index.js';
import { ChainStore } from '../../core/store/index.js';
import type { Hash } from '../../core/types.js';
import { Network, type Peer } from '../../p2p/index.js';
import { ConsensusDriver, roundFailure } from '../../node/consensusDriver.js';
import { createLogger } from '../../node/logger.js';
import { SerialQueue } from '../../node/serialQueue.js';
import { DEV, inThreadVerify, TempDirs } from '../fixtures/chainFixtures.js';
import { addArgs, certify, GovTxs, govSpec } from '../fixtures/governance.js';

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

/** A driver for validator `self` over `chain` (or for `key`, which may join the set later), its broadcasts captured. */
function driverFor(chain: Chain, self: number, writes = new SerialQueue(), key = keyOf(chain, self)) {
  const logger = createLogger({ level: 'error' });
  const network = new Network(
    { chainId: CHAIN_ID, genesisHash: chain.genesisHash, nodeKey: key, host: '127.0.0.1', port: 0, peers: [] },
    { onMessage: () => undefined, logger },
  );
  const sent = vi.spyOn(network, 'broadcast');
  const mempool = new Mempool({ chainId: CHAIN_ID, blockGasLimit: chain.spec.blockGasLimit }, { account: (a) => chain.account(a), verifySignature: async () => true });
  const committed: BuiltBlock[] = [];
  const submitted: Uint8Array[] = [];
  const driver = new ConsensusDriver({
    chain,
    mempool,
    network,
    key: { ...key, name: 'v' } as never,
    verifySigs: inThreadVerify,
    writes,
    logger,
    blockMs: 0,
    behind: () => false,
    onCommitted: (b) => committed.push(b),
    submitTx: async (bytes) => {
      submitted.push(bytes);
      await mempool.add(bytes);
    },
  });
  const proposals = () => sent.mock.calls.map(([m]) => m).filter((m) => m.kind === 'proposal');
  const votes = () =>
    sent.mock.calls.map(([m]) => m).flatMap((m) => (m.kind === 'vote' ? [decodeVote(m.vote)] : []));
  return { driver, votes, proposals, committed, submitted, mempool };
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

describe('consensus driver (LevelDB)', () => {
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


  it('reports a detected equivocation once, as a tx that records it on chain when included', async () => {
    const dir = tmp.make('medchain-evidence-');
    let chain = await openChain(dir);
    const self = chain.validators.findIndex((v) => equalBytes(v.address, KEYS[0].address));
    const offender = [0, 1, 2, 3].find((i) => i !== self && i !== 1)!;
    const d = driverFor(chain, self);
    d.driver.start();
    const forBlock = vote(chain, offender, VOTE_PREVOTE, new Uint8Array(32).fill(5));
    const forNil = vote(chain, offender, VOTE_PREVOTE, null);
    await d.driver.onVote(peer, forBlock);
    await d.driver.onVote(peer, forNil);
    await until('evidence report', () => d.submitted.length === 1);
    await d.driver.onVote(peer, forNil); // the same offence again: no second report
    await new Promise((r) => setTimeout(r, 50));
    expect(d.submitted).toHaveLength(1);
    await d.driver.stop();

    const tx = decodeTx(d.submitted[0]);
    expect(equalBytes(tx.to!, EVIDENCE_ADDRESS)).toBe(true);
    expect(equalBytes(tx.sender, KEYS[0].publicKey)).toBe(true);
    const built = await chain.build(chain.spec.timeMs + 1_000, chain.validators[1].address, [envelope(tx, d.submitted[0])], null);
    expect(built.receipts[0]).toMatchObject({ status: 'ok', events: [{ event: 'Equivocation' }] });
    await chain.commit(built, null);
    const slot = evidenceSlot(chain.validators[offender].address, 1, 0, VOTE_PREVOTE);
    expect(chain.stateAt().getStorage(EVIDENCE_ADDRESS, slot)).toBeDefined();
    expect(chain.store.txLocation(txHash(d.submitted[0]))).toEqual({ height: 1, index: 0 });

    // After a restart, a new offence (next height, same validator) is reported in turn.
    await chain.store.close();
    chain = await openChain(dir);
    const again = driverFor(chain, self);
    again.driver.start();
    const h2 = (h: Hash | null) => encodeVote(signVoteMessage(CHAIN_ID, { type: VOTE_PREVOTE, height: 2, round: 0, blockHash: h, validatorIndex: offender }, keyOf(chain, offender).secretKey));
    await again.driver.onVote(peer, h2(new Uint8Array(32).fill(6)));
    await again.driver.onVote(peer, h2(null));
    await until('second evidence report (new offence)', () => again.submitted.length === 1);
    await again.driver.stop();
  });

  it('checks evidence gossiped by a peer: hostile or forged evidence penalises the peer, valid evidence is reported once', async () => {
    const chain = await openChain(tmp.make('medchain-evidence-gossip-'));
    const self = chain.validators.findIndex((v) => equalBytes(v.address, KEYS[0].address));
    const offender = (self + 2) % 4;
    const d = driverFor(chain, self);
    d.driver.start();
    const signed = (by: number, index: number, h: Hash | null) =>
      signVoteMessage(CHAIN_ID, { type: VOTE_PRECOMMIT, height: 1, round: 0, blockHash: h, validatorIndex: index }, keyOf(chain, by).secretKey);
    const hostile: Uint8Array[] = [
      new Uint8Array([0xc1]),
      encode([1, 2]),
      encode([new Uint8Array(3), new Uint8Array(3)]),
      new Uint8Array(1 << 16).fill(0x91),
      encodeEvidence({ vote1: signed(offender, offender, new Uint8Array(32).fill(1)), vote2: signed(offender, offender, new Uint8Array(32).fill(1)) }), // same value
      encodeEvidence({ vote1: signed(offender, offender, new Uint8Array(32).fill(1)), vote2: signed(self, offender, null) }), // forged
    ];
    for (const bytes of hostile) await expect(d.driver.onEvidence(peer, bytes)).rejects.toMatchObject({ code: 'P2P_BAD_FRAME', action: 'penalize' });
    expect(d.submitted).toHaveLength(0);
    const good = encodeEvidence({ vote1: signed(offender, offender, new Uint8Array(32).fill(1)), vote2: signed(offender, offender, null) });
    await d.driver.onEvidence(peer, good);
    await d.driver.onEvidence(peer, good);
    expect(d.submitted).toHaveLength(1);
    expect(d.mempool.size).toBe(1);
    await d.driver.stop();
  });

  it('when block sync stores the decided block first, the driver goes on to the next height (it proposes there)', async () => {
    const chain = await openChain(tmp.make('medchain-race-'));
    const self = 2; // proposer of height 2, round 0
    const proposer = 1; // of height 1, round 0
    const writes = new SerialQueue();
    const d = driverFor(chain, self, writes);
    const builder = await openChain(tmp.make('medchain-race-builder-'));
    const built = await builder.build(chain.spec.timeMs + 1_000, builder.validators[proposer].address, [], null);
    const proposal = signProposalMessage(CHAIN_ID, { height: 1, round: 0, blockHash: built.hash, validRound: -1, proposerIndex: proposer }, keyOf(chain, proposer).secretKey);
    d.driver.start();
    await d.driver.onProposal(peer, encodeProposal(proposal), encodeBlock(built.block));
    for (const i of [0, 1]) await d.driver.onVote(peer, vote(chain, i, VOTE_PREVOTE, built.hash));
    await until('own precommit', () => d.votes().some((v) => v.type === VOTE_PRECOMMIT));
    // Block sync holds the write queue and stores height 1 before the driver's commit runs.
    let release!: () => void;
    void writes.run(() => new Promise<void>((r) => (release = r)));
    const synced = await chain.validate(built.block, inThreadVerify);
    void writes.run(() => chain.commit(synced, null));
    for (const i of [0, 1]) await d.driver.onVote(peer, vote(chain, i, VOTE_PRECOMMIT, built.hash));
    await until('decision', () => d.driver.position.height === 2);
    release();
    await until('a proposal for height 2', () => d.proposals().length > 0);
    expect(chain.head.height).toBe(1);
    expect(d.committed).toHaveLength(0); // the driver did not commit (or report) the block twice
    await d.driver.stop();
  });

  it('carries the messages held for the next height across a validator-set change: a joining validator acts on them at once', async () => {
    // Genesis {dev 0}; block 1 adds dev 1 and dev 2 (dev 0 alone passes both): from height 3
    // the set is {0, 1, 2}, whose round-0 proposer is dev 0. The driver runs dev 1's key.
    const gov = new GovTxs();
    const openGov = async () => {
      const store = await ChainStore.open(tmp.make('medchain-setchange-'));
      stores.push(store);
      return Chain.open(store, { spec: govSpec([0]), executor: VM_EXECUTOR });
    };
    const builder = await openGov();
    const chain = await openGov();
    const b1 = await builder.build(builder.head.timeMs + 1_000, DEV[0].address, [gov.tx(builder, 0, 'proposeAdd', addArgs(1)), gov.tx(builder, 0, 'proposeAdd', addArgs(2))], null);
    expect(b1.receipts.map((r) => r.status)).toEqual(['ok', 'ok']);
    const c1 = certify(b1, b1.hash, builder.validatorsAt(1));
    await builder.commit(b1, c1);
    await chain.commit(await chain.validate(b1.block, inThreadVerify), c1);
    const grown = [0, 1, 2].map((i) => validator(DEV[i].publicKey));
    expect(chain.validatorsAt(3)).toEqual(grown);
    const b2 = await builder.build(builder.head.timeMs + 1_000, DEV[0].address, [], c1);
    const c2 = certify(b2, b2.hash, builder.validatorsAt(2));
    await builder.commit(b2, c2);
    const b3 = await builder.build(builder.head.timeMs + 1_000, DEV[0].address, [], c2);

    const d = driverFor(chain, 0, new SerialQueue(), { ...DEV[1], name: 'v' } as never);
    const signed = (height: number, type: VoteType, hash: Hash, from: number, index: number) =>
      encodeVote(signVoteMessage(CHAIN_ID, { type, height, round: 0, blockHash: hash, validatorIndex: index }, DEV[from].secretKey));
    const propose = (height: number, hash: Hash) =>
      encodeProposal(signProposalMessage(CHAIN_ID, { height, round: 0, blockHash: hash, validRound: -1, proposerIndex: 0 }, DEV[0].secretKey));
    d.driver.start();
    expect(d.driver.position.height).toBe(2);
    await d.driver.onProposal(peer, propose(2, b2.hash), encodeBlock(b2.block));
    // Height 3's proposal and two of its prevotes arrive while this node still decides height 2:
    // dev 2's index (2) is beyond height 2's one-member set.
    await d.driver.onProposal(peer, propose(3, b3.hash), encodeBlock(b3.block));
    await d.driver.onVote(peer, signed(3, VOTE_PREVOTE, b3.hash, 0, 0));
    await d.driver.onVote(peer, signed(3, VOTE_PREVOTE, b3.hash, 2, 2));
    await d.driver.onVote(peer, signed(2, VOTE_PRECOMMIT, b2.hash, 0, 0));
    await until('commit of height 2', () => chain.head.height === 2);
    // Restarted with the new set, dev 1 (index 1) prevotes the held proposal and, with the two
    // held prevotes, has 3 of 3: it precommits the block — no round lost to the set change.
    await until('own precommit at height 3', () => d.votes().some((v) => v.height === 3 && v.type === VOTE_PRECOMMIT));
    const own = d.votes().filter((v) => v.height === 3);
    expect(own.map((v) => [v.type, v.round, v.validatorIndex, v.blockHash && toHex(v.blockHash)])).toEqual([
      [VOTE_PREVOTE, 0, 1, toHex(b3.hash)],
      [VOTE_PRECOMMIT, 0, 1, toHex(b3.hash)],
    ]);
    await d.driver.stop();
  });

  it('names why a round failed, and whose proposal it was, for the round-change log line', () => {
    const validators = KEYS.map((k) => validator(k.publicKey));
    const s0 = initState({ validators, selfIndex: 0, height: 5, round: 2, lock: null });
    const timeout = { type: 'timeout' as const, height: 5, round: 2, step: 'propose' as const };
    expect(roundFailure(s0, timeout)).toEqual({ failedRound: 2, proposer: toHex(validators[(5 + 2) % 4].address), reason: 'no valid proposal arrived in time' });
    expect(roundFailure({ ...s0, step: 'prevote' }, timeout).reason).toMatch(/prevotes/);
    expect(roundFailure({ ...s0, step: 'precommit' }, timeout).reason).toMatch(/precommits/);
    const later = signVoteMessage(CHAIN_ID, { type: VOTE_PREVOTE, height: 5, round: 3, blockHash: null, validatorIndex: 1 }, KEYS[1].secretKey);
    expect(roundFailure(s0, { type: 'vote', vote: later }).reason).toBe('peers moved to a later round');
  });
});
