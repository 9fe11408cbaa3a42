import { MedchainError } from '../errors.js';

/**
 * Why the mempool refused a transaction. Every rejection is one of these, so RPC and p2p can
 * answer (or score a peer) by code; none of them means the node is in trouble.
 */
export type MempoolErrorCode =
  /** Not a decodable, statelessly valid tx; `context.cause` is the TxError code, `context.field` the field. */
  | 'MEMPOOL_MALFORMED'
  /** More than MAX_TX_BYTES; refused before decoding. */
  | 'MEMPOOL_TOO_LARGE'
  /** Signed for another chain. */
  | 'MEMPOOL_WRONG_CHAIN'
  /** gasLimit above the block gas limit (could never be included) or below its intrinsic gas. */
  | 'MEMPOOL_GAS_LIMIT'
  /** The same tx (same hash) is already pooled or being admitted. */
  | 'MEMPOOL_DUPLICATE'
  /** Another tx of this sender with this nonce is pooled or being admitted (no replacement: no fees). */
  | 'MEMPOOL_NONCE_TAKEN'
  /** Nonce below the sender's account nonce: already used on chain. */
  | 'MEMPOOL_NONCE_TOO_LOW'
  /** Nonce too far ahead of the sender's next expected nonce. */
  | 'MEMPOOL_NONCE_GAP'
  /** A transfer spending more than the balance left after this sender's pooled transfers. */
  | 'MEMPOOL_INSUFFICIENT_BALANCE'
  /** The sender already holds its maximum number of pooled txs. */
  | 'MEMPOOL_SENDER_FULL'
  /** The pool is full and no tx can be evicted fairly to make room. */
  | 'MEMPOOL_FULL'
  /** The signature does not verify. */
  | 'MEMPOOL_BAD_SIGNATURE';

/** A rejected transaction; `code` says why, `context` carries the numbers involved. */
export class MempoolError extends MedchainError<MempoolErrorCode> {}
