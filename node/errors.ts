import { MedchainError } from '../core/errors.js';

/**
 * Problems the operator must fix: bad flags, config, key or data dir at start-up; a chain a
 * `medchain demo` cannot play (a contract missing, a demo account registered in another role).
 */
export type NodeErrorCode = 'NODE_BAD_CONFIG' | 'NODE_BAD_KEY' | 'NODE_BAD_FLAG' | 'NODE_DATA_DIR' | 'NODE_DEMO_CHAIN';

/** An operator-facing error; `context.field` names the flag or config field. */
export class NodeError extends MedchainError<NodeErrorCode> {}
