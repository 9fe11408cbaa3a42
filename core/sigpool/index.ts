// The pool's public surface (re-exported by core/index.ts). Tuning constants and the chunk
// format stay internal: import them from './tuning.js' / './pack.js' where needed.
export {
  SigVerifyPool,
  type SigVerifyPoolOptions,
  type SigPoolLogger,
  type SigPoolStats,
} from './sigVerifyPool.js';
export { DEFAULT_MAX_QUEUE, DEFAULT_BATCH_MAX_WAIT_MS } from './tuning.js';
export { type SigItem } from './pack.js';
export { VerifiedSigCache, VERIFIED_SIG_CACHE_SIZE } from './verifiedCache.js';
export {
  SigPoolError,
  PoolBusyError,
  PoolClosedError,
  PoolWorkerError,
  type SigPoolErrorCode,
} from './errors.js';
