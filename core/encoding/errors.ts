import { MedchainError } from '../errors.js';
import { MAX_DEPTH } from './value.js';

/**
 * Each canonical-encoding rule (design §2) that `decode` or `encode` can find broken,
 * with the sentence that goes into the error's `context.rule` and message.
 */
export const ENCODING_RULES = {
  // decode: the input is not canonical msgpack
  ENCODING_TRUNCATED: 'input ends inside a value',
  ENCODING_TRAILING_BYTES: 'input continues after the value',
  ENCODING_FLOAT: 'floats are not allowed',
  ENCODING_EXT: 'ext types are not allowed',
  ENCODING_RESERVED: 'byte 0xc1 is never used',
  ENCODING_NON_CANONICAL_INT: 'integers use the shortest form, unsigned when non-negative',
  ENCODING_NON_CANONICAL_LENGTH: 'strings, bins, arrays and maps use the shortest length header',
  ENCODING_MAP_KEY_TYPE: 'map keys are strings',
  ENCODING_MAP_KEY_ORDER: 'map keys are sorted by their UTF-8 bytes',
  ENCODING_MAP_DUPLICATE_KEY: 'map keys are unique',
  ENCODING_INVALID_UTF8: 'strings are valid UTF-8',
  ENCODING_TOO_DEEP: `containers nest at most ${MAX_DEPTH} deep`,
  ENCODING_TUPLE_ARITY: 'the value is an array of the expected length',
  // encode: the JS value has no canonical encoding
  ENCODING_NOT_INTEGER: 'numbers are integers (no NaN, Infinity or fractions)',
  ENCODING_INT_RANGE: 'numbers are safe integers and bigints fit int64..uint64',
  ENCODING_UNSUPPORTED_TYPE: 'values are integers, strings, bytes, booleans, null, arrays or plain objects/Maps',
  ENCODING_LONE_SURROGATE: 'strings have no lone UTF-16 surrogates (they have no UTF-8 form)',
  ENCODING_TOO_LONG: 'lengths fit in 32 bits',
} as const;

/** Domain-prefixed codes of `EncodingError`, one per rule. */
export type EncodingErrorCode = keyof typeof ENCODING_RULES;

/** Where the rule was broken: `offset` is a byte offset into the decoder's input or the encoder's output. */
export interface EncodingErrorContext extends Record<string, unknown> {
  rule: string;
  offset: number;
}

/** Errors of the canonical codec: `code` names the broken rule, `context.offset` the byte where. */
export class EncodingError extends MedchainError<EncodingErrorCode> {
  declare readonly context: EncodingErrorContext;
}

/**
 * Builds the error for `code` at `offset`. For decode errors `offset` is the start of the
 * offending item (its header byte; for a map key, the key's header); for trailing bytes, the
 * first extra byte; for encode errors, how many bytes had been written.
 */
export function encodingError(code: EncodingErrorCode, offset: number, detail?: string): EncodingError {
  const rule = ENCODING_RULES[code];
  const message = `${rule}${detail ? ` (${detail})` : ''} at byte ${offset}`;
  return new EncodingError(code, message, detail ? { rule, offset, detail } : { rule, offset });
}
