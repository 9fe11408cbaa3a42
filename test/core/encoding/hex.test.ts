import { describe, expect, it } from 'vitest';
import { concatBytes, equalBytes, fromHex, toHex } from '../../../core/encoding/hex.js';

describe('hex', () => {
  it('round-trips lower-case 0x hex', () => {
    expect(toHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0x0001abff');
    expect(fromHex('0x0001ABff')).toEqual(new Uint8Array([0, 1, 0xab, 0xff]));
    expect(fromHex('0x')).toEqual(new Uint8Array(0));
  });

  it('rejects malformed hex with HEX_INVALID', () => {
    for (const bad of ['', '00', '0x0', '0xzz', '0x 0', 12 as unknown as string]) {
      expect(() => fromHex(bad)).toThrow(expect.objectContaining({ code: 'HEX_INVALID' }));
    }
    expect(() => fromHex('0x00', 2)).toThrow(/expected 2 bytes/);
  });

  it('concatenates and compares', () => {
    const c = concatBytes(new Uint8Array([1]), new Uint8Array(0), new Uint8Array([2, 3]));
    expect(equalBytes(c, new Uint8Array([1, 2, 3]))).toBe(true);
    expect(equalBytes(c, new Uint8Array([1, 2]))).toBe(false);
  });
});
