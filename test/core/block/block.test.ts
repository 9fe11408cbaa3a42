/**
 * Block, header and commit codecs: round trips, the block hash, and hostile input (malformed,
 * truncated, oversized, wrong-typed) that must always end in a BlockError with the right code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../core/crypto/index.js';
import { decode, encode, toHex, type Value } from '../../../core/encoding/index.js';
import {
  blockHash,
  BlockError,
  commitFromTuple,
  commitHash,
  commitTuple,
  decodeBlock,
  decodeHeader,
  encodeBlock,
  encodeHeader,
  headerFromTuple,
  headerHash,
  headerTuple,
  MAX_BLOCK_BYTES,
  ZERO_HASH,
  type Block,
  type BlockErrorCode,
  type Commit,
  type Header,
} from '../../../core/block/index.js';

const fill = (n: number, b: number) => new Uint8Array(n).fill(b);

const header: Header = {
  chainId: 'medchain-dev',
  height: 7,
  prevHash: fill(32, 1),
  timeMs: 1_767_225_600_123,
  proposer: fill(20, 2),
  txRoot: fill(32, 3),
  stateRoot: fill(32, 4),
  receiptsRoot: fill(32, 5),
  validatorsHash: fill(32, 6),
  lastCommitHash: fill(32, 7),
};

const commit: Commit = {
  height: 6,
  round: 2,
  blockHash: fill(32, 8),
  signatures: [
    [0, fill(64, 9)],
    [3, fill(64, 10)],
  ],
};

const block: Block = { header, txs: [Uint8Array.of(1, 2, 3), new Uint8Array(0), fill(300, 0xab)], lastCommit: commit };

/** Runs `f`, asserting it throws a BlockError with `code` (and, if given, context.field). */
function expectBlockError(f: () => unknown, code: BlockErrorCode, field?: string): BlockError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a BlockError').toBeInstanceOf(BlockError);
  const err = caught as BlockError;
  expect(err.code).toBe(code);
  if (field !== undefined) expect(err.context.field).toBe(field);
  return err;
}

/** Decoding must either succeed or throw a BlockError; anything else is a crash. */
function decodesOrBlockError(bytes: Uint8Array): void {
  try {
    decodeBlock(bytes);
  } catch (e) {
    if (!(e instanceof BlockError)) throw e;
  }
}

describe('header and block codec', () => {
  it('round-trips a header through encode/decode', () => {
    expect(decodeHeader(encodeHeader(header))).toEqual(header);
  });

  it('round-trips a block with txs and a lastCommit, and one with none', () => {
    expect(decodeBlock(encodeBlock(block))).toEqual(block);
    const first: Block = { header: { ...header, height: 1 }, txs: [], lastCommit: null };
    expect(decodeBlock(encodeBlock(first))).toEqual(first);
  });

  it('encodes the header as the 10-field tuple of design §6 and the block as [header, txs, lastCommit]', () => {
    expect(decode(encodeHeader(header))).toEqual([
      header.chainId,
      header.height,
      header.prevHash,
      header.timeMs,
      header.proposer,
      header.txRoot,
      header.stateRoot,
      header.receiptsRoot,
      header.validatorsHash,
      header.lastCommitHash,
    ]);
    expect(decode(encodeBlock(block))).toEqual([headerTuple(header), block.txs, commitTuple(commit)]);
  });

  it('hashes a block as sha256 of its encoded header, independent of txs and lastCommit', () => {
    const h = sha256(encodeHeader(header));
    expect(headerHash(header)).toEqual(h);
    expect(blockHash(block)).toEqual(h);
    expect(blockHash({ header, txs: [], lastCommit: null })).toEqual(h);
    expect(toHex(headerHash({ ...header, height: 8 }))).not.toBe(toHex(h));
  });

  it('round-trips a commit through its tuple and hashes it; no commit hashes to ZERO_HASH', () => {
    expect(commitFromTuple(decode(encode(commitTuple(commit))))).toEqual(commit);
    expect(commitHash(commit)).toEqual(sha256(encode(commitTuple(commit))));
    expect(commitHash(null)).toEqual(ZERO_HASH);
    expect(ZERO_HASH).toEqual(new Uint8Array(32));
  });

  it('property: random headers and blocks round-trip', () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
    const headerArb = fc.record({
      chainId: fc.string({ maxLength: 64 }),
      height: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      prevHash: bytes(32),
      timeMs: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      proposer: bytes(20),
      txRoot: bytes(32),
      stateRoot: bytes(32),
      receiptsRoot: bytes(32),
      validatorsHash: bytes(32),
      lastCommitHash: bytes(32),
    });
    const commitArb = fc.record({
      height: fc.nat(),
      round: fc.nat(),
      blockHash: bytes(32),
      signatures: fc.array(fc.tuple(fc.nat({ max: 300 }), bytes(64)), { maxLength: 5 }),
    });
    const blockArb = fc.record({
      header: headerArb,
      txs: fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }),
      lastCommit: fc.option(commitArb, { nil: null }),
    });
    fc.assert(
      fc.property(blockArb, (b) => {
        expect(decodeBlock(encodeBlock(b as Block))).toEqual(b);
        expect(decodeHeader(encodeHeader(b.header))).toEqual(b.header);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeBlock / decodeHeader on bad input', () => {
  const good = encodeBlock(block);

  it('rejects bytes that are not canonical msgpack as BLOCK_MALFORMED', () => {
    expectBlockError(() => decodeBlock(new Uint8Array(0)), 'BLOCK_MALFORMED');
    expectBlockError(() => decodeBlock(Uint8Array.of(0xc1)), 'BLOCK_MALFORMED'); // never-used byte
    expectBlockError(() => decodeBlock(Uint8Array.of(0xca, 0, 0, 0, 0)), 'BLOCK_MALFORMED'); // float32
    expectBlockError(() => decodeBlock(Uint8Array.of(0xcc, 0x05)), 'BLOCK_MALFORMED'); // non-shortest int
    expectBlockError(() => decodeHeader(Uint8Array.of(0xc1)), 'BLOCK_MALFORMED', 'header');
  });

  it('rejects every truncation of a valid block, and trailing bytes', () => {
    for (let n = 0; n < good.length; n++) expectBlockError(() => decodeBlock(good.subarray(0, n)), 'BLOCK_MALFORMED');
    const extra = new Uint8Array(good.length + 1);
    extra.set(good);
    expectBlockError(() => decodeBlock(extra), 'BLOCK_MALFORMED');
  });

  it('rejects a block over MAX_BLOCK_BYTES before decoding it', () => {
    const big = new Uint8Array(MAX_BLOCK_BYTES + 1);
    const err = expectBlockError(() => decodeBlock(big), 'BLOCK_MALFORMED');
    expect(err.context.size).toBe(MAX_BLOCK_BYTES + 1);
  });

  it('rejects the wrong shape at the top level', () => {
    for (const v of [null, 1, 'block', {}, [], [headerTuple(header), []], [headerTuple(header), [], null, null]] as Value[]) {
      expectBlockError(() => decodeBlock(encode(v)), 'BLOCK_MALFORMED');
    }
  });

  it('rejects txs that are not an array of byte strings', () => {
    for (const txs of [null, 'x', {}, [1], [Uint8Array.of(1), 'tx'], [[Uint8Array.of(1)]]] as Value[]) {
      expectBlockError(() => decodeBlock(encode([headerTuple(header), txs, null])), 'BLOCK_MALFORMED', 'txs');
    }
  });

  it('rejects a header that is not a 10-element array', () => {
    for (const h of [null, 5, {}, headerTuple(header).slice(0, 9), [...headerTuple(header), 1]] as Value[]) {
      expectBlockError(() => decodeBlock(encode([h, [], null])), 'BLOCK_MALFORMED', 'header');
      expectBlockError(() => decodeHeader(encode(h)), 'BLOCK_MALFORMED', 'header');
    }
  });

  const names = ['chainId', 'height', 'prevHash', 'timeMs', 'proposer', 'txRoot', 'stateRoot', 'receiptsRoot', 'validatorsHash', 'lastCommitHash'];
  const badValues: Record<string, Value[]> = {
    chainId: [1, null, fill(4, 1), []],
    height: [-1, 'one', 2n ** 53n, 2n ** 64n - 1n, null, fill(8, 0)],
    timeMs: [-5, '1', 2n ** 60n, null],
    proposer: [fill(19, 1), fill(21, 1), fill(32, 1), 'addr', null],
  };
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    const values = badValues[name] ?? [fill(31, 1), fill(33, 1), new Uint8Array(0), 'hash', 0, null, [fill(32, 1)]];
    it(`rejects a wrong-typed header ${name} as BLOCK_BAD_FIELD naming it`, () => {
      for (const bad of values) {
        const t = headerTuple(header);
        t[i] = bad;
        expectBlockError(() => decodeHeader(encode(t)), 'BLOCK_BAD_FIELD', name);
        expectBlockError(() => decodeBlock(encode([t, [], null])), 'BLOCK_BAD_FIELD', name);
        expectBlockError(() => headerFromTuple(t), 'BLOCK_BAD_FIELD', name);
      }
    });
  }

  it('rejects a malformed lastCommit as BLOCK_BAD_COMMIT', () => {
    const ct = commitTuple(commit);
    const bads: Value[] = [
      5,
      'commit',
      {},
      [],
      ct.slice(0, 3),
      [...ct, 1],
      [-1, ...ct.slice(1)],
      ['6', ...ct.slice(1)],
      [2n ** 60n, ...ct.slice(1)],
      [ct[0], -2, ct[2], ct[3]],
      [ct[0], ct[1], fill(31, 0), ct[3]],
      [ct[0], ct[1], null, ct[3]],
      [ct[0], ct[1], ct[2], 'sigs'],
      [ct[0], ct[1], ct[2], [[0]]],
      [ct[0], ct[1], ct[2], [[0, fill(63, 1)]]],
      [ct[0], ct[1], ct[2], [[0, fill(65, 1)]]],
      [ct[0], ct[1], ct[2], [['0', fill(64, 1)]]],
      [ct[0], ct[1], ct[2], [[0, fill(64, 1), 1]]],
      [ct[0], ct[1], ct[2], [fill(64, 1)]],
    ];
    for (const lc of bads) {
      expectBlockError(() => decodeBlock(encode([headerTuple(header), [], lc])), 'BLOCK_BAD_COMMIT', 'commit');
      expectBlockError(() => commitFromTuple(lc), 'BLOCK_BAD_COMMIT', 'commit');
    }
  });

  it('rejects deep nesting without a stack overflow', () => {
    const deep = new Uint8Array(100_000).fill(0x91); // [[[[…
    expectBlockError(() => decodeBlock(deep), 'BLOCK_MALFORMED');
    const t = headerTuple(header);
    let nested: Value = fill(32, 1);
    for (let i = 0; i < 60; i++) nested = [nested];
    t[2] = nested;
    expectBlockError(() => decodeHeader(encode(t)), 'BLOCK_BAD_FIELD', 'prevHash');
  });

  it('rejects a header or tx count that claims more elements than there are bytes', () => {
    // array32 of 2^32-1 elements with nothing after it
    expectBlockError(() => decodeBlock(Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff)), 'BLOCK_MALFORMED');
    // bin32 claiming 4 GiB
    expectBlockError(() => decodeHeader(Uint8Array.of(0xc6, 0xff, 0xff, 0xff, 0xff, 0)), 'BLOCK_MALFORMED');
  });

  it('property: random bytes never crash the decoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => decodesOrBlockError(bytes)),
      { numRuns: 2000 },
    );
  });

  it('property: single-byte corruptions of a valid block decode to a BlockError or a (different) valid block', () => {
    fc.assert(
      fc.property(fc.nat({ max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, xor) => {
        const b = good.slice();
        b[at] ^= xor;
        decodesOrBlockError(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: random msgpack values are rejected with a BlockError', () => {
    const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.uint8Array({ maxLength: 40 }), fc.constant(null), fc.boolean());
    const value = fc.letrec<{ v: Value }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 11 })),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(() => decodeBlock(encode(v))).toThrow(BlockError);
      }),
      { numRuns: 1000 },
    );
  });
});
