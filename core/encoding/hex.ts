import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { MedchainError } from '../errors.js';

/** Errors of the hex codec used at JSON boundaries (RPC, genesis, config). */
export class HexError extends MedchainError<'HEX_INVALID'> {}

const HEX_RE = /^0x([0-9a-fA-F]{2})*$/;

// noble's helpers rather than Buffer: this module is shared with the browser-safe client SDK.

/** Bytes as `0x`-prefixed lower-case hex (design §2: bytes in JSON). */
export function toHex(bytes: Uint8Array): string {
  return '0x' + bytesToHex(bytes);
}

/** Parses `0x`-prefixed hex; `expectedLength` (in bytes) is checked when given. */
export function fromHex(hex: string, expectedLength?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) {
    throw new HexError('HEX_INVALID', 'expected 0x-prefixed hex with an even number of digits', {
      value: typeof hex === 'string' ? hex.slice(0, 80) : typeof hex,
    });
  }
  const out = hexToBytes(hex.slice(2));
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new HexError('HEX_INVALID', `expected ${expectedLength} bytes, got ${out.length}`, {
      expectedLength,
      length: out.length,
    });
  }
  return out;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Constant-shape byte equality (not constant time; nothing secret is compared). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** UTF-8 bytes of a string. */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
