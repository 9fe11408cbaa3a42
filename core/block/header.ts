import { decode, encode, EncodingError, type Value } from '../encoding/index.js';
import { sha256 } from '../crypto/index.js';
import type { Address, Hash, Height } from '../types.js';
import { BlockError } from './errors.js';

/** Block header, design §6 (field order is the wire order). */
export interface Header {
  chainId: string;
  height: Height;
  prevHash: Hash;
  timeMs: number;
  proposer: Address;
  txRoot: Hash;
  stateRoot: Hash;
  receiptsRoot: Hash;
  validatorsHash: Hash;
  lastCommitHash: Hash;
}

/** The header as its canonical tuple. */
export function headerTuple(h: Header): Value[] {
  return [h.chainId, h.height, h.prevHash, h.timeMs, h.proposer, h.txRoot, h.stateRoot, h.receiptsRoot, h.validatorsHash, h.lastCommitHash];
}

/** Canonical encoding of a header. */
export function encodeHeader(h: Header): Uint8Array {
  return encode(headerTuple(h));
}

/** Block hash: sha256 of the encoded header. */
export function headerHash(h: Header): Hash {
  return sha256(encodeHeader(h));
}

function field(code: 'BLOCK_BAD_FIELD', name: string, what: string): BlockError {
  return new BlockError(code, `header ${name}: expected ${what}`, { field: name });
}

function isHash(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array && v.length === 32;
}

/** Rebuilds a header from its decoded tuple, checking every field's type. */
export function headerFromTuple(v: Value): Header {
  if (!Array.isArray(v) || v.length !== 10) {
    throw new BlockError('BLOCK_MALFORMED', 'header: expected a 10-element array', { field: 'header' });
  }
  const [chainId, height, prevHash, timeMs, proposer, txRoot, stateRoot, receiptsRoot, validatorsHash, lastCommitHash] = v;
  if (typeof chainId !== 'string') throw field('BLOCK_BAD_FIELD', 'chainId', 'a string');
  if (typeof height !== 'number' || !Number.isSafeInteger(height) || height < 0) throw field('BLOCK_BAD_FIELD', 'height', 'an unsigned integer');
  if (typeof timeMs !== 'number' || !Number.isSafeInteger(timeMs) || timeMs < 0) throw field('BLOCK_BAD_FIELD', 'timeMs', 'an unsigned integer');
  if (!(proposer instanceof Uint8Array) || proposer.length !== 20) throw field('BLOCK_BAD_FIELD', 'proposer', 'a 20-byte address');
  const hashes = { prevHash, txRoot, stateRoot, receiptsRoot, validatorsHash, lastCommitHash };
  for (const [name, h] of Object.entries(hashes)) if (!isHash(h)) throw field('BLOCK_BAD_FIELD', name, 'a 32-byte hash');
  return {
    chainId,
    height,
    prevHash: prevHash as Hash,
    timeMs,
    proposer,
    txRoot: txRoot as Hash,
    stateRoot: stateRoot as Hash,
    receiptsRoot: receiptsRoot as Hash,
    validatorsHash: validatorsHash as Hash,
    lastCommitHash: lastCommitHash as Hash,
  };
}

/** Decodes a header; throws BlockError (never an EncodingError) on bad input. */
export function decodeHeader(bytes: Uint8Array): Header {
  return headerFromTuple(decodeOrThrow(bytes, 'header'));
}

/** Decodes canonical msgpack, turning an EncodingError into BLOCK_MALFORMED for `what`. */
export function decodeOrThrow(bytes: Uint8Array, what: string): Value {
  try {
    return decode(bytes);
  } catch (e) {
    if (e instanceof EncodingError) {
      throw new BlockError('BLOCK_MALFORMED', `${what}: ${e.message}`, { field: what, cause: e.code, ...e.context });
    }
    throw e;
  }
}
