/** The transaction pool (design §4): admission checks, per-sender nonce queues, fair block building. */
export { Mempool, DEFAULT_MAX_TXS, DEFAULT_MAX_PER_SENDER, DEFAULT_MAX_NONCE_GAP } from './mempool.js';
export type { MempoolOptions, MempoolDeps, AddResult } from './mempool.js';
export { MempoolError, type MempoolErrorCode } from './errors.js';
