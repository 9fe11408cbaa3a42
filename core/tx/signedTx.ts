import { decode, encode, EncodingError, type Value } from '../encoding/index.js';
import { DOMAIN_TX, sha256, signDomain, verifyDomain } from '../crypto/index.js';
import type { Address, Hash, PublicKey, Signature } from '../types.js';
import { TxError } from './errors.js';

/** The only transaction format version (design §4). */
export const TX_VERSION = 1;
/** Largest encoded transaction accepted anywhere: bounds mempool memory and block size. */
export const MAX_TX_BYTES = 64 * 1024;
/** Longest method name in UTF-8 bytes. */
export const MAX_METHOD_BYTES = 64;
/** Chain ids are short printable identifiers, e.g. `medchain-dev`. */
export const CHAIN_ID_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Method names: identifiers, so they can be shown and indexed safely. */
const METHOD_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A transaction before it is signed (the first 8 fields of design §4's SignedTx). */
export interface UnsignedTx {
  chainId: string;
  nonce: number;
  /** Ed25519 public key of the signer. */
  sender: PublicKey;
  /** Recipient account or contract; `null` deploys a contract. */
  to: Address | null;
  method: string;
  args: Value[];
  gasLimit: number;
}

/** A signed transaction (design §4). */
export interface SignedTx extends UnsignedTx {
  sig: Signature;
}

/** The canonical array of the 8 signed fields. */
function unsignedTuple(tx: UnsignedTx): Value[] {
  return [TX_VERSION, tx.chainId, tx.nonce, tx.sender, tx.to, tx.method, tx.args, tx.gasLimit];
}

/** The bytes the signature covers (before domain separation): encode(first 8 fields). */
export function txSigningPayload(tx: UnsignedTx): Uint8Array {
  return encode(unsignedTuple(tx));
}

/** Signs `tx` with an Ed25519 secret key under the `medchain/tx/v1` domain. */
export function signTx(tx: UnsignedTx, secretKey: Uint8Array): SignedTx {
  validateUnsignedTx(tx);
  return { ...tx, sig: signDomain(DOMAIN_TX, txSigningPayload(tx), secretKey) };
}

/** Canonical encoding of a signed transaction. */
export function encodeTx(tx: SignedTx): Uint8Array {
  return encode([...unsignedTuple(tx), tx.sig]);
}

/** Transaction hash: sha256 of the canonical encoding. */
export function txHash(encoded: Uint8Array): Hash {
  return sha256(encoded);
}

/** Whether `tx.sig` is a valid signature of its sender (acceptance rule of core/crypto). */
export function verifyTxSignature(tx: SignedTx): boolean {
  return verifyDomain(DOMAIN_TX, txSigningPayload(tx), tx.sig, tx.sender);
}

function bad(code: 'TX_BAD_FIELD' | 'TX_MALFORMED', field: string, message: string): TxError {
  return new TxError(code, `tx ${field}: ${message}`, { field });
}

function isBytes(v: unknown, len: number): v is Uint8Array {
  return v instanceof Uint8Array && v.length === len;
}

function isUint(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Stateless checks of the 8 signed fields; throws a TxError naming the bad field. */
export function validateUnsignedTx(tx: UnsignedTx): void {
  if (typeof tx.chainId !== 'string' || !CHAIN_ID_RE.test(tx.chainId)) {
    throw new TxError('TX_BAD_CHAIN_ID', 'tx chainId: expected a short lower-case identifier', { field: 'chainId' });
  }
  if (!isUint(tx.nonce)) throw bad('TX_BAD_FIELD', 'nonce', 'expected an unsigned safe integer');
  if (!isBytes(tx.sender, 32)) throw bad('TX_BAD_FIELD', 'sender', 'expected a 32-byte public key');
  if (tx.to !== null && !isBytes(tx.to, 20)) throw bad('TX_BAD_FIELD', 'to', 'expected a 20-byte address or nil');
  if (typeof tx.method !== 'string' || !METHOD_RE.test(tx.method) || new TextEncoder().encode(tx.method).length > MAX_METHOD_BYTES) {
    throw new TxError('TX_BAD_METHOD', `tx method: expected an identifier of at most ${MAX_METHOD_BYTES} bytes`, {
      field: 'method',
    });
  }
  if (tx.to === null && tx.method !== 'deploy') {
    throw new TxError('TX_BAD_METHOD', 'tx method: a tx without `to` must be "deploy"', { field: 'method' });
  }
  if (!Array.isArray(tx.args)) throw bad('TX_BAD_FIELD', 'args', 'expected an array');
  if (!isUint(tx.gasLimit)) throw bad('TX_BAD_FIELD', 'gasLimit', 'expected an unsigned safe integer');
}

/**
 * Decodes and statelessly validates a signed transaction (signature not checked: that is
 * the sig pool's job). Throws TxError; an encoding error becomes TX_MALFORMED.
 */
export function decodeTx(bytes: Uint8Array): SignedTx {
  if (!(bytes instanceof Uint8Array)) throw bad('TX_MALFORMED', 'bytes', 'expected bytes');
  if (bytes.length > MAX_TX_BYTES) {
    throw new TxError('TX_TOO_LARGE', `tx is ${bytes.length} bytes, the limit is ${MAX_TX_BYTES}`, {
      size: bytes.length,
      limit: MAX_TX_BYTES,
    });
  }
  let v: Value;
  try {
    v = decode(bytes);
  } catch (e) {
    if (e instanceof EncodingError) {
      throw new TxError('TX_MALFORMED', `tx is not canonical msgpack: ${e.message}`, { cause: e.code, ...e.context });
    }
    throw e;
  }
  if (!Array.isArray(v) || v.length !== 9) throw bad('TX_MALFORMED', 'bytes', 'expected a 9-element array');
  if (v[0] !== TX_VERSION) {
    throw new TxError('TX_BAD_VERSION', `tx version: expected ${TX_VERSION}`, { field: 'version', version: typeof v[0] === 'number' ? v[0] : typeof v[0] });
  }
  const tx = {
    chainId: v[1],
    nonce: v[2],
    sender: v[3],
    to: v[4],
    method: v[5],
    args: v[6],
    gasLimit: v[7],
    sig: v[8],
  } as SignedTx;
  validateUnsignedTx(tx);
  if (!isBytes(tx.sig, 64)) throw bad('TX_BAD_FIELD', 'sig', 'expected a 64-byte signature');
  return tx;
}
