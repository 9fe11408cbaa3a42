import { MedchainError } from '../errors.js';

/** Why a transaction was rejected before execution (stateless checks). */
export type TxErrorCode =
  | 'TX_MALFORMED'
  | 'TX_TOO_LARGE'
  | 'TX_BAD_VERSION'
  | 'TX_BAD_CHAIN_ID'
  | 'TX_BAD_FIELD'
  | 'TX_BAD_METHOD'
  | 'TX_BAD_SIGNATURE';

/** A transaction that fails decoding or stateless validation; `context.field` names the field. */
export class TxError extends MedchainError<TxErrorCode> {}
