/** Canonical MessagePack (design §2) and the hex helpers used at JSON boundaries. */
export { encode, encodeWith } from './encode.js';
export { compareUtf8 } from './utf8.js';
export { decode, decodeTuple } from './decode.js';
export { EncodingError, ENCODING_RULES, type EncodingErrorCode, type EncodingErrorContext } from './errors.js';
export { MAX_DEPTH, type Encodable, type Value } from './value.js';
export * from './hex.js';
