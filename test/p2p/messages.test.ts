import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode } from '../../core/encoding/index.js';
import { P2PError } from '../../p2p/errors.js';
import { decodeMessage, encodeMessage, MAX_BLOCKS_PER_REQUEST, type Message } from '../../p2p/messages.js';

const b = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

const samples: Message[] = [
  { kind: 'hello', version: 1, chainId: 'medchain-dev', genesisHash: b(32), nodeKey: b(32, 2), challenge: b(32, 3), listenPort: 26656 },
  { kind: 'hello', version: 1, chainId: 'x', genesisHash: b(32), nodeKey: b(32, 2), challenge: b(32, 3), listenPort: null },
  { kind: 'auth', signature: b(64) },
  { kind: 'status', height: 12, headHash: b(32) },
  { kind: 'tx', tx: b(100) },
  { kind: 'proposal', proposal: b(10), block: b(1000) },
  { kind: 'vote', vote: b(80) },
  { kind: 'getBlocks', from: 5, count: 64 },
  { kind: 'blocks', blocks: [{ block: b(10), commit: b(5) }] },
  { kind: 'evidence', evidence: b(20) },
];

describe('p2p frames', () => {
  it('round-trip every kind', () => {
    for (const m of samples) expect(decodeMessage(encodeMessage(m))).toEqual(m);
  });

  it.each([
    ['not msgpack', new Uint8Array([0xc1])],
    ['not an array', encode('hi')],
    ['empty array', encode([])],
    ['unknown kind', encode([99, 1])],
    ['negative kind', encode([-1])],
    ['auth with a short signature', encode([1, b(63)])],
    ['status with extra field', encode([2, 1, b(32), 0])],
    ['hello with bad genesis', encode([0, 1, 'c', b(31), b(32), b(32), null])],
    ['hello with a port > 65535', encode([0, 1, 'c', b(32), b(32), b(32), 70000])],
    ['getBlocks of 0', encode([6, 1, 0])],
    ['getBlocks over the cap', encode([6, 1, MAX_BLOCKS_PER_REQUEST + 1])],
    ['blocks over the cap', encode([7, Array.from({ length: MAX_BLOCKS_PER_REQUEST + 1 }, () => [b(1), b(1)])])],
    ['blocks entry not a pair', encode([7, [[b(1)]]])],
    ['tx not bytes', encode([3, 'tx'])],
  ])('rejects %s with a penalizing P2PError', (_n, bytes) => {
    try {
      decodeMessage(bytes);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(P2PError);
      expect((e as P2PError).action).toBe('penalize');
    }
  });

  it('random bytes never throw anything but a P2PError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(P2PError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
