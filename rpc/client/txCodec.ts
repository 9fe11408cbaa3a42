/**
 * Transactions on the client side (design §4), byte-identical to core/tx but browser-safe:
 * sha256 from @noble/hashes instead of node:crypto, the same canonical encoder (core/encoding
 * imports nothing Node-only). test/rpc/client/txCodec.test.ts checks the bytes against core.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { encode, fromHex, toHex, utf8, type Value } from '../../core/encoding/index.js';
import { ClientError } from './errors.js';
import { signBytes } from './keys.js';

/** The only transaction format version (design §4). */
export const TX_VERSION = 1;
/** Domain of transaction signatures (design §3). */
export const TX_DOMAIN = 'medchain/tx/v1';
/** Chain ids are short lower-case identifiers (core/tx CHAIN_ID_RE). */
const CHAIN_ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Method names are identifiers of at most 64 bytes (core/tx METHOD_RE). */
const METHOD_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const DOMAIN_BYTES = utf8(TX_DOMAIN);

/** A transaction before signing: the first 8 fields of SignedTx (same shape as core's). */
export interface UnsignedTx {
  chainId: string;
  nonce: number;
  /** Ed25519 public key of the signer. */
  sender: Uint8Array;
  /** Recipient account or contract; null deploys a contract. */
  to: Uint8Array | null;
  method: string;
  args: Value[];
  gasLimit: number;
}

/** A signed transaction (design §4). */
export interface SignedTx extends UnsignedTx {
  sig: Uint8Array;
}

function bad(field: string, message: string): ClientError {
  return new ClientError('CLIENT_BAD_INPUT', `tx ${field}: ${message}`, { field });
}

function isUint(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** The same stateless checks as core, so a bad tx fails here with its field named. */
function check(tx: UnsignedTx): void {
  if (typeof tx.chainId !== 'string' || !CHAIN_ID_RE.test(tx.chainId)) throw bad('chainId', 'expected a short lower-case identifier');
  if (!isUint(tx.nonce)) throw bad('nonce', 'expected an unsigned safe integer');
  if (!(tx.sender instanceof Uint8Array) || tx.sender.length !== 32) throw bad('sender', 'expected a 32-byte public key');
  if (tx.to !== null && (!(tx.to instanceof Uint8Array) || tx.to.length !== 20)) throw bad('to', 'expected a 20-byte address or null');
  if (typeof tx.method !== 'string' || !METHOD_RE.test(tx.method)) throw bad('method', 'expected an identifier of at most 64 bytes');
  if (tx.to === null && tx.method !== 'deploy') throw bad('method', 'a tx without `to` must be "deploy"');
  if (!Array.isArray(tx.args)) throw bad('args', 'expected an array');
  if (!isUint(tx.gasLimit)) throw bad('gasLimit', 'expected an unsigned safe integer');
}

function unsignedTuple(tx: UnsignedTx): Value[] {
  return [TX_VERSION, tx.chainId, tx.nonce, tx.sender, tx.to, tx.method, tx.args, tx.gasLimit];
}

/** sha256(domain || payload): what a tx signature covers (design §3). */
export function txSigningDigest(tx: UnsignedTx): Uint8Array {
  const payload = encode(unsignedTuple(tx));
  const msg = new Uint8Array(DOMAIN_BYTES.length + payload.length);
  msg.set(DOMAIN_BYTES);
  msg.set(payload, DOMAIN_BYTES.length);
  return sha256(msg);
}

/** Signs `tx` under the `medchain/tx/v1` domain (Ed25519 over sha256(domain || encode(8 fields))). */
export function signTx(tx: UnsignedTx, secretKey: Uint8Array): SignedTx {
  check(tx);
  return { ...tx, sig: signBytes(txSigningDigest(tx), secretKey) };
}

/** Canonical encoding of a signed transaction. */
export function encodeTx(tx: SignedTx): Uint8Array {
  return encode([...unsignedTuple(tx), tx.sig]);
}

/** Transaction hash: sha256 of the canonical encoding. */
export function txHash(encoded: Uint8Array): Uint8Array {
  return sha256(encoded);
}

/** A signed tx ready to send: the tx, its bytes, and both as hex. */
export interface BuiltTx {
  tx: SignedTx;
  bytes: Uint8Array;
  /** The bytes as 0x-hex (what `tx_send` takes). */
  hex: string;
  /** The tx hash as 0x-hex. */
  hash: string;
}

/** Bundles a signed tx with its encoding and hash. */
export function builtTx(tx: SignedTx): BuiltTx {
  const bytes = encodeTx(tx);
  return { tx, bytes, hex: toHex(bytes), hash: toHex(txHash(bytes)) };
}

/** Anything `sendTx` / `sendAndWait` accept: a built or signed tx, or its bytes (raw or 0x-hex). */
export type TxInput = BuiltTx | SignedTx | Uint8Array | string;

/** The encoded bytes of a TxInput. */
export function txBytes(tx: TxInput): Uint8Array {
  if (typeof tx === 'string') {
    try {
      return fromHex(tx);
    } catch {
      throw new ClientError('CLIENT_BAD_INPUT', 'a tx given as a string must be 0x-hex', { field: 'tx' });
    }
  }
  if (tx instanceof Uint8Array) return tx;
  if ('bytes' in tx && tx.bytes instanceof Uint8Array) return tx.bytes;
  return encodeTx(tx as SignedTx);
}

/** Parses a 20-byte address given as bytes or 0x-hex. */
export function addressBytes(a: Uint8Array | string, field = 'to'): Uint8Array {
  try {
    const b = typeof a === 'string' ? fromHex(a, 20) : a;
    if (b instanceof Uint8Array && b.length === 20) return b;
  } catch {
    // reported below with the field name
  }
  throw new ClientError('CLIENT_BAD_INPUT', `${field} must be a 20-byte address (0x + 40 hex)`, { field });
}
