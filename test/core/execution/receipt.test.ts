/** Receipts: canonical encoding and the stored-tuple decoder (round trips, optional error, bad shapes). */
import { describe, expect, it } from 'vitest';
import { decode, encode, type Value } from '../../../core/encoding/index.js';
import { encodeReceipt, receiptFromTuple, receiptTuple, type Receipt } from '../../../core/execution/index.js';

const contract = new Uint8Array(20).fill(3);

const receipts: Receipt[] = [
  { status: 'ok', gasUsed: 1_592, result: null, events: [] },
  { status: 'ok', gasUsed: 2 ** 40, result: { a: [1, 'x', Uint8Array.of(1)], b: -5 }, events: [{ contract, event: 'Granted', data: { patient: 'p1', n: 7, big: 2n ** 60n } }] },
  { status: 'reverted', gasUsed: 1_000, result: null, events: [], error: 'insufficient balance' },
  { status: 'reverted', gasUsed: 0, result: null, events: [], error: '' },
];

describe('receipt encoding', () => {
  it('round-trips through encode/decode, including the optional error', () => {
    for (const r of receipts) {
      const back = receiptFromTuple(decode(encodeReceipt(r)));
      expect(back).toEqual(r);
      expect('error' in back).toBe(r.error !== undefined);
    }
  });

  it('is the tuple [status 1|0, gasUsed, result, events, error?]', () => {
    expect(decode(encodeReceipt(receipts[0]))).toEqual([1, 1_592, null, []]);
    expect(decode(encodeReceipt(receipts[2]))).toEqual([0, 1_000, null, [], 'insufficient balance']);
    expect(receiptTuple(receipts[1])[3]).toEqual([[contract, 'Granted', { patient: 'p1', n: 7, big: 2n ** 60n }]]);
  });

  it('a receipt without an error encodes differently from one with an empty error', () => {
    const a = encodeReceipt({ status: 'reverted', gasUsed: 0, result: null, events: [] });
    const b = encodeReceipt(receipts[3]);
    expect(a).not.toEqual(b);
  });

  it('rejects malformed stored tuples with an error, never a wrong receipt', () => {
    const bads: Value[] = [
      null,
      5,
      'receipt',
      [],
      [1, 0, null],
      [1, 0, null, [], 'e', 'extra'],
      [1, '5', null, []],
      [1, -1, null, []],
      [1, 2n ** 60n, null, []],
      [1, 0, null, 'events'],
      [1, 0, null, [[contract, 'E']]],
      [1, 0, null, [['not bytes', 'E', null]]],
      [1, 0, null, [[contract, 5, null]]],
      [1, 0, null, [[contract.subarray(0, 19), 'E', null]]],
      [1, 0, null, [5]],
      [2, 0, null, []], // unknown status
      ['ok', 0, null, []],
      [null, 0, null, []],
      [0, 0, null, [], 5], // error that is not a string
      [0, 0, null, [], null],
    ];
    for (const b of bads) expect(() => receiptFromTuple(b), JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).toThrow();
  });

  it('encodes deterministically (map keys sorted)', () => {
    const r1: Receipt = { status: 'ok', gasUsed: 1, result: { b: 1, a: 2 }, events: [] };
    const r2: Receipt = { status: 'ok', gasUsed: 1, result: { a: 2, b: 1 }, events: [] };
    expect(encodeReceipt(r1)).toEqual(encodeReceipt(r2));
    expect(encodeReceipt(r1)).toEqual(encode([1, 1, { a: 2, b: 1 }, []]));
  });
});
