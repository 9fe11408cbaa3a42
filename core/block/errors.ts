import { MedchainError } from '../errors.js';

/** Why a block, header or commit certificate was rejected. */
export type BlockErrorCode =
  | 'BLOCK_MALFORMED'
  | 'BLOCK_BAD_FIELD'
  | 'BLOCK_BAD_PARENT'
  | 'BLOCK_BAD_ROOT'
  | 'BLOCK_BAD_PROPOSER'
  | 'BLOCK_BAD_COMMIT'
  | 'BLOCK_BAD_TX'
  | 'BLOCK_GAS_EXCEEDED';

/** A block that fails decoding or validation; `context` names the field or tx index. */
export class BlockError extends MedchainError<BlockErrorCode> {}
