import { MedchainError } from '../core/errors.js';

/** Node start-up problems the operator must fix: bad flags, config, key or data dir. */
export type NodeErrorCode = 'NODE_BAD_CONFIG' | 'NODE_BAD_KEY' | 'NODE_BAD_FLAG' | 'NODE_DATA_DIR';

/** An operator-facing error; `context.field` names the flag or config field. */
export class NodeError extends MedchainError<NodeErrorCode> {}
