import { decode, encode, EncodingError } from '../encoding/index.js';
import type { Hash } from '../types.js';
import { StateError } from './errors.js';

/** An account record `[nonce, balance, codeHash | nil]` (design §5). */
export interface Account {
  nonce: number;
  balance: bigint;
  /** sha256 of the contract code; null for a plain account. */
  codeHash: Hash | null;
}

/** Largest balance an account can hold: the encoding stores it as a msgpack uint64. */
export const MAX_BALANCE = 2n ** 64n - 1n;

/** The account every address has until something is written to it. */
export const EMPTY_ACCOUNT: Readonly<Account> = Object.freeze({ nonce: 0, balance: 0n, codeHash: null });

/** Whether an account is indistinguishable from absent (then it is not stored at all). */
export function isEmptyAccount(a: Account): boolean {
  return a.nonce === 0 && a.balance === 0n && a.codeHash === null;
}

/** Canonical encoding of an account. */
export function encodeAccount(a: Account): Uint8Array {
  return encode([a.nonce, a.balance, a.codeHash]);
}

/** Decodes a stored account; anything malformed is corruption (STATE_CORRUPT_ACCOUNT). */
export function decodeAccount(bytes: Uint8Array, where: string): Account {
  let v;
  try {
    v = decode(bytes);
  } catch (e) {
    if (e instanceof EncodingError) throw corrupt(where, e.message);
    throw e;
  }
  if (!Array.isArray(v) || v.length !== 3) throw corrupt(where, 'not a 3-tuple');
  const [nonce, balance, codeHash] = v;
  if (typeof nonce !== 'number' || nonce < 0) throw corrupt(where, 'bad nonce');
  if ((typeof balance !== 'number' && typeof balance !== 'bigint') || balance < 0) throw corrupt(where, 'bad balance');
  if (codeHash !== null && !(codeHash instanceof Uint8Array && codeHash.length === 32)) throw corrupt(where, 'bad codeHash');
  return { nonce, balance: BigInt(balance), codeHash };
}

function corrupt(where: string, msg: string): StateError {
  return new StateError('STATE_CORRUPT_ACCOUNT', `stored account ${where} is corrupt: ${msg}`, { address: where });
}
