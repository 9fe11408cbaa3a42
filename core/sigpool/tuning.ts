/**
 * The pool's tuning numbers, each with the trade-off it makes, and how a batch is cut into
 * slices. Figures quoted were measured on the 2-core development machine (Node 20.20,
 * OpenSSL 3.0; ~63 µs per native verify) with `npm run bench -- sigpool` unless they say how.
 */
import { availableParallelism } from 'node:os';

/** Worker threads by default: one per core. Block validation waits on the pool, so the main thread is mostly idle meanwhile. */
export const DEFAULT_THREADS = availableParallelism();

/**
 * Work at or below this many signatures is verified in the calling thread. Measured here
 * (the "threshold" lines of `npm run bench -- sigpool`, idle pool, 2 threads): a hand-off to
 * a worker adds ~0.065 ms to ~0.061 ms per verify, so 1 signature takes 0.13 ms on a thread
 * vs 0.06 ms here, 2 take 0.19 vs 0.12, 4 (one chunk) 0.30 vs 0.24; from 5, split over two
 * threads, the pool wins (6: 0.22 vs 0.37 ms). A busy pool would also queue small work
 * behind a block, so up to 4 (a small validator set's votes) is answered here at once,
 * blocking the caller for at most ~0.25 ms.
 */
export const IN_THREAD_MAX = 4;

/**
 * Largest slice of a job a worker claims at once (pack.ts: the workers of a job take slices
 * from a shared cursor until none is left). A claim costs two atomic adds, well under 1 µs
 * against ~65 µs per signature, so slices can be small; what they buy is the end of a block:
 * the threads stop within one slice of each other, ~16 × 65 µs ≈ 1 ms, where 128-signature
 * chunks pushed two at a time to each worker left one thread idle for up to two chunks
 * (~16 ms) while the other finished. Measured on a 10,000-signature block, 2 threads, from
 * the threads' CPU and run-queue times (/proc schedstat): workers idle 0.5-1.0% of the block's
 * wall time with 16-signature slices, 0.2-5.9% with the pushed chunks (most rounds 1-4%).
 */
export const MAX_CHUNK_SIZE = 16;

/**
 * Smallest slice a batch is split into. 8 signatures split 4 + 4 over 2 threads answer in
 * 0.29 ms against 0.49 ms in one thread; with fewer than 4 per slice the ~0.065 ms hand-off
 * would be over a quarter of each slice's time.
 */
export const MIN_CHUNK_SIZE = 4;

/**
 * Tasks a worker holds at once (piscina's concurrentTasksPerWorker). A block needs one task
 * per thread (its task claims slices until the job is done); micro-batches of single `verify`
 * calls are one task each, and with 2 the next is already in the worker's port when it
 * finishes one, instead of a round trip through the calling thread. More commits more
 * micro-batches to one thread while the other may be free.
 */
export const CHUNKS_IN_FLIGHT_PER_WORKER = 2;

/** A micro-batch of single `verify` calls is flushed at this size (Lodestar uses ~128 per message too). */
export const BATCH_MAX_SIZE = 128;

/**
 * How long a single `verify` waits for company while the pool is busy. Longer waits make
 * fuller chunks but add latency to mempool admission; an idle pool never waits (it flushes
 * on the next event-loop turn, which still coalesces a synchronous burst of calls).
 */
export const DEFAULT_BATCH_MAX_WAIT_MS = 1;

/**
 * Signatures the pool accepts before `verifyBatch`/`verify` reject with PoolBusyError:
 * ~2 s of work on 2 cores. More only queues latency; less rejects a burst the threads would
 * clear quickly. A single batch larger than this is still accepted into an empty pool.
 */
export const DEFAULT_MAX_QUEUE = 65_536;

/** [start, end) slices splitting n items evenly: a multiple of `threads` slices when n allows. */
export function planChunks(n: number, threads: number): [number, number][] {
  const byMin = Math.ceil(n / MIN_CHUNK_SIZE);
  const byMax = threads * Math.ceil(n / (threads * MAX_CHUNK_SIZE));
  const count = Math.max(1, Math.min(byMin, byMax));
  const base = Math.floor(n / count);
  const extra = n % count;
  const out: [number, number][] = [];
  for (let i = 0, start = 0; i < count; i++) {
    const end = start + base + (i < extra ? 1 : 0);
    out.push([start, end]);
    start = end;
  }
  return out;
}

