/**
 * The pool's tuning numbers, each with the trade-off it makes, and how a batch is cut into
 * chunks. Figures quoted were measured with `npm run bench -- sigpool` on the 2-core
 * development machine (Node 20.20, OpenSSL 3.0; ~65 µs per native verify).
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
 * Largest chunk sent to a worker. A chunk costs ~10-20 µs of packing and messaging, so 128
 * signatures (~8 ms of work) keep that under 0.3%. Smaller is better for balance: a worker
 * cannot give back chunks it already holds, so at the end of a block a thread slowed down
 * by anything else on its core (on a shared 2-core machine, that happens) is late by up to
 * CHUNKS_IN_FLIGHT_PER_WORKER chunks while the other idles. Lodestar's BLS pool also
 * settled on ~128 per message.
 */
export const MAX_CHUNK_SIZE = 128;

/**
 * Smallest chunk a batch is split into. 8 signatures split 4 + 4 over 2 threads answer in
 * 0.29 ms against 0.49 ms in one thread; with fewer than 4 per chunk the ~0.065 ms hand-off
 * would be over a quarter of each chunk's time.
 */
export const MIN_CHUNK_SIZE = 4;

/**
 * Chunks a worker holds at once (piscina's concurrentTasksPerWorker). With 1 it idles for a
 * round trip through the main thread after every chunk; with 2 the next chunk is already in
 * its port when it finishes one, and the main thread has a whole chunk (~8 ms) to refill it.
 * More buys nothing and commits more work to one thread at the end of a block (see above).
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

/** [start, end) ranges splitting n items evenly: a multiple of `threads` chunks when n allows. */
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

