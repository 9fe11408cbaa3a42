/**
 * Per-height validator sets: the decoder of the validators contract's `epochs` against
 * malformed, oversized and hostile values, and a chain on real LevelDB whose set grows by
 * a governance tx — headers carry the new validatorsHash from the effective height (h+2),
 * proposers and lastCommits are checked under the set of their height, and a second node
 * following block by block (what block sync does: certificate, validate, commit) crosses
 * the change, also after reopening its store.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkCommit,
  assertCommitSigs,
  commitHash,
  headerHash,
  validator,
  validatorsHash,
  type Commit,
  type Validator,
} from '../../../core/block/index.js';
import { Chain, ChainError, decodeValidatorEpochs, epochAt, type BuiltBlock } from '../../../core/chain/index.js';
import { encode, toHex, type Value } from '../../../core/encoding/index.js';
import { VM_EXECUTOR, type TxEnvelope } from '../../../core/execution/index.js';
import { encodeValidatorEpochs } from '../../../core/genesis/index.js';
import { ChainStore } from '../../../core/store/index.js';
import type { Json } from '../../../vm/index.js';
import { DEV, inThreadVerify, TempDirs } from '../../fixtures/chainFixtures.js';
import { addArgs, certify, GovTxs, govSpec } from '../../fixtures/governance.js';

const tmp = new TempDirs();
const stores: ChainStore[] = [];
afterAll(async () => {
  for (const s of stores) if (s.db.status === 'open') await s.close();
  tmp.cleanup();
});

const V = (i: number, power = 1) => validator(DEV[i].publicKey, power);
const member = (v: Validator): { [k: string]: Value } => ({ addr: v.address, power: v.power, publicKey: v.publicKey });

function expectBadSet(raw: Uint8Array, match: RegExp): void {
  let caught: unknown;
  try {
    decodeValidatorEpochs(raw);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ChainError);
  expect((caught as ChainError).code).toBe('CHAIN_BAD_VALIDATORS');
  expect((caught as ChainError).message).toMatch(match);
}

describe('decodeValidatorEpochs', () => {
  it('decodes what genesis writes and picks the epoch of a height', () => {
    const epochs = decodeValidatorEpochs(encodeValidatorEpochs([
      { from: 0, validators: [V(0)] },
      { from: 7, validators: [V(0), V(1, 3)] },
    ]));
    expect(epochs.map((e) => e.from)).toEqual([0, 7]);
    expect(epochAt(epochs, 6).validators.map((v) => toHex(v.address))).toEqual([toHex(DEV[0].address)]);
    expect(epochAt(epochs, 7).validators).toEqual([V(0), V(1, 3)]);
    expect(epochAt(epochs, 1_000_000).validators).toHaveLength(2);
    expect(() => epochAt(decodeValidatorEpochs(encode([{ from: 5, members: [member(V(0))] }])), 4)).toThrow(/no epoch covers height 4/);
  });

  it('refuses malformed, oversized and hostile values', () => {
    const m0 = member(V(0));
    const one = (members: Value[]) => encode([{ from: 0, members }]);
    expectBadSet(new Uint8Array([0xc1]), /do not decode/);
    expectBadSet(new Uint8Array([...encode([]), 0]), /do not decode/); // trailing bytes
    expectBadSet(encode(7), /1\.\.8 epochs/);
    expectBadSet(encode([]), /1\.\.8 epochs/);
    expectBadSet(encode(Array.from({ length: 9 }, (_, i) => ({ from: i, members: [m0] }))), /1\.\.8 epochs/);
    expectBadSet(encode(['x']), /epochs\[0\] is not an epoch record/);
    expectBadSet(encode([{ from: 3, members: [m0] }, { from: 3, members: [m0] }]), /epochs\[1\]\.from is not increasing/);
    expectBadSet(encode([{ from: -1, members: [m0] }]), /from is not increasing/);
    expectBadSet(encode([{ from: '0', members: [m0] }]), /from is not increasing/);
    expectBadSet(one([]), /not 1\.\.256 members/);
    expectBadSet(encode([{ from: 0, members: 'x' }]), /not 1\.\.256 members/);
    expectBadSet(one(Array.from({ length: 257 }, () => m0)), /not 1\.\.256 members/);
    expectBadSet(one([[DEV[0].address, DEV[0].publicKey, 1]]), /members\[0\] is not a member record/);
    expectBadSet(one([{ ...m0, publicKey: DEV[0].publicKey.slice(1) }]), /publicKey is not 32 bytes/);
    expectBadSet(one([{ ...m0, power: 0 }]), /power is not a positive integer/);
    expectBadSet(one([{ ...m0, power: -5 }]), /power is not a positive integer/);
    expectBadSet(one([{ ...m0, power: 2n ** 60n }]), /power is not a positive integer/);
    expectBadSet(one([{ ...m0, addr: DEV[1].address }]), /addr is not the address of its key/);
    expectBadSet(one([{ power: 1, publicKey: DEV[0].publicKey }]), /addr is not the address of its key/);
    expectBadSet(one([m0, m0]), /lists a validator twice/);
    expectBadSet(one([member(V(0, 2 ** 52)), member(V(1, 2 ** 52))]), /total power/);
  });
});

async function openChain(dir = tmp.make('medchain-sets-')): Promise<{ chain: Chain; store: ChainStore; dir: string }> {
  const store = await ChainStore.open(dir);
  stores.push(store);
  return { chain: await Chain.open(store, { spec: govSpec(), executor: VM_EXECUTOR }), store, dir };
}

let gov = new GovTxs();
const govTx = (chain: Chain, from: number, method: string, args: Json[]): TxEnvelope => gov.tx(chain, from, method, args);

describe('Chain: the validator set of each height follows governance', () => {
  it('grows 1 → 2 at h+2: headers, proposers, certificates; a follower crosses the change; a reopened store agrees', async () => {
    gov = new GovTxs();
    const A = await openChain();
    const B = await openChain();
    const produced: Array<{ built: BuiltBlock; commit: Commit }> = [];
    /** Builds the next block on A (proposer `proposer`), certified by `signers` of its set. */
    const next = async (txs: TxEnvelope[], proposer = 0, signers?: number[]) => {
      const chain = A.chain;
      const last = produced.length === 0 ? null : produced[produced.length - 1].commit;
      const built = await chain.build(chain.head.timeMs + 1000, DEV[proposer].address, txs, last);
      const commit = certify(built, built.hash, chain.validatorsAt(built.block.header.height), signers);
      await chain.commit(built, commit);
      produced.push({ built, commit });
      return built;
    };

    // Block 1: the only validator proposes dev 1; it passes at once, effective at 3.
    const b1 = await next([govTx(A.chain, 0, 'proposeAdd', addArgs(1))]);
    expect(b1.receipts[0].status).toBe('ok');
    const old = validatorsHash([V(0)]);
    const grown = validatorsHash([V(0), V(1)]);
    expect(toHex(b1.block.header.validatorsHash)).toBe(toHex(old));
    // The head's state already names the set two heights on (for early consensus messages).
    expect(A.chain.validatorsAt(2)).toEqual([V(0)]);
    expect(A.chain.validatorsAt(3)).toEqual([V(0), V(1)]);
    expect(() => A.chain.validatorsAt(4)).toThrow(ChainError);
    const b2 = await next([]);
    expect(toHex(b2.block.header.validatorsHash)).toBe(toHex(old));
    expect(A.chain.validators).toEqual([V(0), V(1)]); // the set of height 3
    // Block 3 is the first under {0, 1}: proposed by dev 1, certified by both; its lastCommit
    // (of block 2) is dev 0's alone, under block 2's set.
    const b3 = await next([], 1);
    expect(toHex(b3.block.header.validatorsHash)).toBe(toHex(grown));
    expect(b3.block.lastCommit!.signatures.map((s) => s[0])).toEqual([0]);
    const b4 = await next([]);
    expect(b4.block.lastCommit!.signatures.map((s) => s[0])).toEqual([0, 1]);
    expect(A.chain.validatorsAt(2)).toEqual([V(0)]);
    expect(A.chain.validatorsAt(4)).toEqual([V(0), V(1)]);

    // The follower: certificate under the set of the block's height, then validate, commit.
    const follow = async (i: number) => {
      const { built, commit } = produced[i];
      const items = checkCommit('medchain-dev', commit, B.chain.validatorsAt(built.block.header.height), { height: built.block.header.height, blockHash: built.hash });
      assertCommitSigs(commit, await inThreadVerify(items));
      const v = await B.chain.validate(built.block, inThreadVerify);
      await B.chain.commit(v, commit);
    };
    await follow(0);
    await follow(1);
    // Before block 3: a block 3 by dev 1 with the OLD hash is refused; the honest one passes.
    const stale = structuredClone(b3.block);
    stale.header.validatorsHash = old;
    await expect(B.chain.validate(stale, inThreadVerify)).rejects.toMatchObject({ code: 'CHAIN_BAD_BLOCK', context: { field: 'validatorsHash' } });
    // Block 3's certificate signed by dev 0 alone is not a quorum of {0, 1}.
    expect(() => checkCommit('medchain-dev', certify(b3, b3.hash, [V(0), V(1)], [0]), B.chain.validatorsAt(3), { height: 3, blockHash: b3.hash })).toThrow();
    await follow(2);
    // Block 4 whose lastCommit (of block 3) has only dev 0's signature: refused under {0, 1}.
    const weak = structuredClone(b4.block);
    weak.lastCommit = certify(b3, b3.hash, [V(0), V(1)], [0]);
    weak.header.lastCommitHash = commitHash(weak.lastCommit);
    await expect(B.chain.validate(weak, inThreadVerify)).rejects.toMatchObject({ code: 'CHAIN_BAD_BLOCK', context: { field: 'lastCommit' } });
    await follow(3);
    expect(toHex(B.chain.headHash)).toBe(toHex(A.chain.headHash));

    // Reopened from disk (cold cache): the past heights' sets are read from stored state.
    await B.store.close();
    const B2 = await openChain(B.dir);
    expect(B2.chain.head.height).toBe(4);
    expect(B2.chain.validatorsAt(1)).toEqual([V(0)]);
    expect(B2.chain.validatorsAt(2)).toEqual([V(0)]);
    expect(B2.chain.validatorsAt(3)).toEqual([V(0), V(1)]);
    expect(B2.chain.validators).toEqual([V(0), V(1)]);
    expect(() => B2.chain.validatorsAt(7)).toThrow(ChainError);
    expect(headerHash(B2.chain.head)).toEqual(A.chain.headHash);
  });

  it('refuses a proposer outside the set of its height, and accepts it once its set includes it', async () => {
    gov = new GovTxs();
    const A = await openChain();
    const B = await openChain();
    const b1 = await A.chain.build(A.chain.head.timeMs + 1000, DEV[0].address, [govTx(A.chain, 0, 'proposeAdd', addArgs(1))], null);
    const c1 = certify(b1, b1.hash, [V(0)]);
    await A.chain.commit(b1, c1);
    await B.chain.commit(await B.chain.validate(b1.block, inThreadVerify), c1);
    // Block 2 proposed by dev 1: still the old set's height.
    const b2bad = await A.chain.build(A.chain.head.timeMs + 1000, DEV[1].address, [], c1);
    await expect(B.chain.validate(b2bad.block, inThreadVerify)).rejects.toMatchObject({ context: { field: 'proposer' } });
    const b2 = await A.chain.build(A.chain.head.timeMs + 1000, DEV[0].address, [], c1);
    const c2 = certify(b2, b2.hash, [V(0)]);
    await A.chain.commit(b2, c2);
    await B.chain.commit(await B.chain.validate(b2.block, inThreadVerify), c2);
    const b3 = await A.chain.build(A.chain.head.timeMs + 1000, DEV[1].address, [], c2);
    const v3 = await B.chain.validate(b3.block, inThreadVerify);
    expect(toHex(v3.hash)).toBe(toHex(b3.hash));
  });
});
