import { MedchainError } from '../errors.js';

/** Error codes of core/crypto. */
export type CryptoErrorCode =
  /** A key argument is not a Uint8Array. */
  | 'CRYPTO_BAD_KEY'
  /** A key, seed or signature has the wrong number of bytes. */
  | 'CRYPTO_BAD_LENGTH'
  /** A message or payload argument is not a Uint8Array. */
  | 'CRYPTO_BAD_INPUT'
  /** A dev-key index outside 0..DEV_KEY_COUNT-1. */
  | 'CRYPTO_BAD_DEV_INDEX';

/**
 * Thrown by the signing side (keys, sign, addresses) for malformed arguments. The
 * verification side never throws: malformed input is simply not a valid signature.
 */
export class CryptoError extends MedchainError<CryptoErrorCode> {}

/** Asserts `value` is a Uint8Array of exactly `length` bytes (`what` names it in the error). */
export function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('CRYPTO_BAD_KEY', `${what} must be a Uint8Array`, { what, type: typeof value });
  }
  if (value.length !== length) {
    throw new CryptoError('CRYPTO_BAD_LENGTH', `${what} must be ${length} bytes, got ${value.length}`, {
      what,
      expected: length,
      length: value.length,
    });
  }
}

/** Asserts `value` is a Uint8Array of any length (messages, payloads). */
export function assertMessage(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('CRYPTO_BAD_INPUT', `${what} must be a Uint8Array`, { what, type: typeof value });
  }
}
