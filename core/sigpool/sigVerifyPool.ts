import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { verify as verifyInThread } from '../crypto/verify.js';
import { PoolBusyError, PoolClosedError, PoolWorkerError, SigPoolError } from './errors.js';
import { isWellFormed, jobResults, packJob, RESULT_PENDING, RESULT_VALID, type PackedJob, type SigItem } from './pack.js';
import {
  BATCH_MAX_SIZE,
  CHUNKS_IN_FLIGHT_PER_WORKER,
  DEFAULT_BATCH_MAX_WAIT_MS,
  DEFAULT_MAX_QUEUE,
  DEFAULT_THREADS,
  IN_THREAD_MAX,
  planChunks,
} from './tuning.js';
import type { VerifiedSigCache } from './verifiedCache.js';

/** Constructor options; every field has a default. */
export interface SigVerifyPoolOptions {
  threads?: number;
  maxQueue?: number;
  batchMaxWaitMs?: number;
  /** When given, items with a `txHash` in it are answered `true` without work, and verified ones are added. */
  verifiedCache?: VerifiedSigCache;
}

/** Where the pool reports what it recovers from (a replaced worker, a retried chunk). */
export interface SigPoolLogger {
  warn(message: string, context: Record<string, unknown>, error?: unknown): void;
}

/** Enables test-only hooks (a deterministic worker crash); not part of the public API. */
export const SIGPOOL_TEST_HOOKS: unique symbol = Symbol('medchain.sigpool.testHooks');

/** What the pool has done so far, for metrics. */
export interface SigPoolStats {
  /** Signatures verified in the calling thread (small work). */
  inThread: number;
  /** Signatures sent to the worker threads. */
  onWorkers: number;
  /** Tasks sent to the workers (each a share of one job; retries included). */
  chunks: number;
  /** Jobs whose unfinished items were retried after a worker failed. */
  retries: number;
  /** Worker failures seen (crashes with or without a chunk). */
  workerErrors: number;
  /** Items answered from the verified-signature cache. */
  cacheHits: number;
  /** Signatures accepted and not yet answered (buffered or on the threads). */
  pending: number;
}

interface Waiter {
  item: SigItem;
  resolve: (ok: boolean) => void;
  reject: (e: unknown) => void;
}

/**
 * Resolves the worker script. Node 20 workers cannot load TypeScript, so when this module runs
 * from source (vitest: import.meta.url ends in .ts) it maps to the compiled
 * dist/core/sigpool/worker.js, which `npm test` builds first; from dist it is ./worker.js.
 */
function workerFilename(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/core/sigpool/worker.js', here) : new URL('./worker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) {
    throw new SigPoolError('SIGPOOL_NO_WORKER', 'signature pool worker not built; run `npm run build`', { file });
  }
  return file;
}

/**
 * Ed25519 verification on a pool of worker threads (issue 11), with medchain's acceptance
 * rule (core/crypto `verify`) on every path. A batch is packed once into shared memory and
 * the threads claim slices of it until it is done (pack.ts); single `verify` calls are
 * coalesced into micro-batches; tiny work stays in the calling thread.
 */
export class SigVerifyPool {
  readonly threads: number;
  readonly maxQueue: number;
  readonly batchMaxWaitMs: number;
  private readonly piscina: Piscina;
  private readonly cache?: VerifiedSigCache;
  private readonly logger?: SigPoolLogger;
  private readonly testHooks: boolean;
  private buffer: Waiter[] = [];
  private flushTimer?: NodeJS.Timeout;
  private flushImmediate?: NodeJS.Immediate;
  private pending = 0;
  private readonly outstanding = new Set<Promise<unknown>>();
  private closed = false;
  private closing?: Promise<void>;
  private crashNext = 0;
  private readonly counters = { inThread: 0, onWorkers: 0, chunks: 0, retries: 0, workerErrors: 0, cacheHits: 0 };

  constructor(
    opts: SigVerifyPoolOptions & { [SIGPOOL_TEST_HOOKS]?: boolean } = {},
    modules: { logger?: SigPoolLogger } = {},
  ) {
    this.threads = positiveInt(opts.threads ?? DEFAULT_THREADS, 'threads');
    this.maxQueue = positiveInt(opts.maxQueue ?? DEFAULT_MAX_QUEUE, 'maxQueue');
    this.batchMaxWaitMs = opts.batchMaxWaitMs ?? DEFAULT_BATCH_MAX_WAIT_MS;
    if (!(this.batchMaxWaitMs >= 0 && this.batchMaxWaitMs <= 1000)) throw new RangeError('batchMaxWaitMs must be in 0..1000');
    this.cache = opts.verifiedCache;
    this.logger = modules.logger;
    this.testHooks = opts[SIGPOOL_TEST_HOOKS] === true;
    this.piscina = new Piscina({
      filename: workerFilename(),
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: Infinity,
      concurrentTasksPerWorker: CHUNKS_IN_FLIGHT_PER_WORKER,
      workerData: { testHooks: this.testHooks },
    });
    // A worker that dies between tasks is replaced by piscina; without a listener the
    // 'error' event would throw in the main thread.
    this.piscina.on('error', (e: unknown) => {
      this.counters.workerErrors++;
      this.logger?.warn('signature worker failed while idle; replaced', {}, e);
    });
  }

  /** Verifies every item; one result per item, same order. Malformed items are `false`. */
  async verifyBatch(items: readonly SigItem[]): Promise<boolean[]> {
    if (this.closed) throw new PoolClosedError();
    if (!Array.isArray(items)) throw new SigPoolError('SIGPOOL_BAD_INPUT', 'verifyBatch expects an array of items');
    const results = new Array<boolean>(items.length).fill(false);
    const work: SigItem[] = [];
    const where: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (!isWellFormed(item)) continue;
      if (this.cachedValid(item)) results[i] = true;
      else {
        work.push(item);
        where.push(i);
      }
    }
    if (work.length <= IN_THREAD_MAX) {
      for (let j = 0; j < work.length; j++) results[where[j]] = this.verifyHere(work[j]);
      return results;
    }
    this.assertRoom(work.length);
    const out = await this.runOnWorkers(work);
    for (let j = 0; j < work.length; j++) results[where[j]] = this.record(work[j], out[j] === 1);
    return results;
  }

  /** Verifies one item, coalesced with concurrent calls into micro-batches. */
  verify(item: SigItem): Promise<boolean> {
    if (this.closed) return Promise.reject(new PoolClosedError());
    if (!isWellFormed(item)) return Promise.resolve(false);
    if (this.cachedValid(item)) return Promise.resolve(true);
    try {
      this.assertRoom(1);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<boolean>((resolve, reject) => {
      const wasIdle = this.pending === 0;
      this.buffer.push({ item, resolve, reject });
      this.pending++;
      if (this.buffer.length >= BATCH_MAX_SIZE) this.flush();
      else if (this.buffer.length === 1) {
        if (wasIdle) this.flushImmediate = setImmediate(() => this.flush());
        else this.flushTimer = setTimeout(() => this.flush(), this.batchMaxWaitMs);
      }
    });
  }

  /** Whether the pool would accept more work now (for callers that can hold back, e.g. gossip). */
  canAcceptWork(): boolean {
    return !this.closed && this.pending < this.maxQueue;
  }

  /** Counters for metrics: where work ran, retries, worker failures, cache hits, signatures pending. */
  get stats(): Readonly<SigPoolStats> {
    return { ...this.counters, pending: this.pending };
  }

  /** Stops accepting work, finishes what was accepted, then ends the worker threads. Idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      this.flush();
      while (this.outstanding.size > 0) await Promise.allSettled([...this.outstanding]);
      await this.piscina.destroy();
    })();
    return this.closing;
  }

  /** Test-only hooks; throws unless the pool was built with them. */
  get [SIGPOOL_TEST_HOOKS](): { crashNextChunks(n: number): void } {
    if (!this.testHooks) throw new SigPoolError('SIGPOOL_BAD_INPUT', 'test hooks are not enabled');
    return { crashNextChunks: (n) => void (this.crashNext = n) };
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    clearImmediate(this.flushImmediate);
    this.flushTimer = this.flushImmediate = undefined;
    const waiters = this.buffer;
    if (waiters.length === 0) return;
    this.buffer = [];
    this.pending -= waiters.length;
    if (waiters.length <= IN_THREAD_MAX) {
      for (const w of waiters) w.resolve(this.verifyHere(w.item));
      return;
    }
    const work = waiters.map((w) => w.item);
    // An idle pool splits the micro-batch over the threads for latency; a busy one sends it
    // whole, since the threads are already fed and a split would only double the messages.
    this.runOnWorkers(work, this.pending === 0 ? this.threads : 1).then(
      (out) => waiters.forEach((w, j) => w.resolve(this.record(w.item, out[j] === 1))),
      (e: unknown) => waiters.forEach((w) => w.reject(e)),
    );
  }

  private verifyHere(item: SigItem): boolean {
    this.counters.inThread++;
    return this.record(item, verifyInThread(item.signature, item.message, item.publicKey));
  }

  private cachedValid(item: SigItem): boolean {
    if (this.cache === undefined || item.txHash === undefined || !this.cache.has(item.txHash)) return false;
    this.counters.cacheHits++;
    return true;
  }

  /** Adds a verified item to the cache (when it carries a usable tx hash) and passes the result on. */
  private record(item: SigItem, ok: boolean): boolean {
    if (ok && this.cache !== undefined && item.txHash instanceof Uint8Array && item.txHash.length === 32) {
      this.cache.add(item.txHash);
    }
    return ok;
  }

  private assertRoom(requested: number): void {
    if (this.pending > 0 && this.pending + requested > this.maxQueue) {
      throw new PoolBusyError({ pending: this.pending, requested, maxQueue: this.maxQueue });
    }
  }

  /** Verifies `work` (well-formed items) on `ways` threads; resolves to one byte per item (1 = valid). */
  private async runOnWorkers(work: SigItem[], ways = this.threads): Promise<Uint8Array> {
    this.counters.onWorkers += work.length;
    this.pending += work.length;
    const p = this.runJob(work, ways);
    this.outstanding.add(p);
    try {
      return await p;
    } finally {
      this.outstanding.delete(p);
      this.pending -= work.length;
    }
  }

  /**
   * Packs `work` into one job and sends a task for it to `ways` threads, which claim its slices
   * until none is left. Items a failed worker left unfinished are retried once as a new job (on
   * the surviving or replacement workers); failing again is a PoolWorkerError.
   */
  private async runJob(work: SigItem[], ways: number): Promise<Uint8Array> {
    const out = new Uint8Array(work.length);
    let todo: number[] | undefined; // indices into `work` left by a failed attempt
    for (let attempt = 1; ; attempt++) {
      const items = todo === undefined ? work : todo.map((j) => work[j]);
      const slices = planChunks(items.length, ways);
      const job = packJob(items, slices);
      const tasks: Promise<unknown>[] = [];
      for (let t = Math.min(ways, slices.length); t > 0; t--) {
        const testCrash = this.crashNext > 0;
        if (testCrash) this.crashNext--;
        this.counters.chunks++;
        tasks.push(this.piscina.run({ chunk: job.chunk, control: job.control, testCrash }));
      }
      const failures = await this.settle(tasks, job, items.length);
      const { done, results } = jobResults(job);
      done(); // an atomic read: the result bytes the workers published are visible after it
      const left: number[] = [];
      for (let i = 0; i < items.length; i++) {
        const j = todo === undefined ? i : todo[i];
        if (results[i] === RESULT_PENDING) left.push(j);
        else out[j] = results[i] === RESULT_VALID ? 1 : 0;
      }
      this.counters.workerErrors += failures.length;
      if (left.length === 0) return out;
      const cause = failures.length > 0 ? String(failures[0]) : 'items left unverified';
      if (attempt >= 2) throw new PoolWorkerError({ chunkSize: left.length, attempts: attempt, cause });
      this.counters.retries++;
      this.logger?.warn('signature worker failed in a batch; retrying its unfinished items once', { unfinished: left.length }, failures[0]);
      todo = left;
    }
  }

  /**
   * Resolves once every item of the job has a published result (a task that finds nothing left
   * to claim may still be queued behind other work; it is not waited for), or once every task
   * has settled; to the failures seen by then.
   */
  private settle(tasks: Promise<unknown>[], job: PackedJob, count: number): Promise<unknown[]> {
    const { done } = jobResults(job);
    const failures: unknown[] = [];
    return new Promise((resolve) => {
      let settled = 0;
      const check = () => {
        if (++settled === tasks.length || (failures.length === 0 && done() === count)) resolve(failures);
      };
      for (const t of tasks) {
        t.then(check, (e: unknown) => {
          failures.push(e);
          check();
        });
      }
    });
  }
}

function positiveInt(v: number, name: string): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer`);
  return v;
}
