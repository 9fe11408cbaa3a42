export {
  SigVerifyPool,
  type SigVerifyPoolOptions,
  type SigPoolLogger,
  type SigPoolStats,
} from './sigVerifyPool.js';
export {
  planChunks,
  DEFAULT_THREADS,
  DEFAULT_MAX_QUEUE,
  DEFAULT_BATCH_MAX_WAIT_MS,
  IN_THREAD_MAX,
  MAX_CHUNK_SIZE,
  MIN_CHUNK_SIZE,
  CHUNKS_IN_FLIGHT_PER_WORKER,
  BATCH_MAX_SIZE,
} from './tuning.js';
export { type SigItem, isWellFormed } from './pack.js';
export { VerifiedSigCache, VERIFIED_SIG_CACHE_SIZE } from './verifiedCache.js';
export {
  SigPoolError,
  PoolBusyError,
  PoolClosedError,
  PoolWorkerError,
  type SigPoolErrorCode,
} from './errors.js';
