/**
 * Pre-signed transactions ahead of the send cursor, signed by a piscina pool of signer threads
 * (Lodestar-style: work is packed in batches to amortise the thread crossing). The generator
 * prefills before its clock starts, so on a 2-core machine signing competes with the node as
 * little as possible, then tops up in the background if a run outgrows the prefill.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { LoadError } from './errors.js';
import { SignedBatch, type SignedTxSlot } from './signedBatch.js';
import type { SignerPlan } from './signerPlan.js';

/** Txs per signer task: ~35 ms of signing at ~28k/s, so the thread crossing costs < 1%. */
export const SIGN_BATCH = 1024;
/** Signer tasks queued per thread: keeps threads busy without signing far past what is needed. */
const TASKS_PER_THREAD = 2;

/**
 * Resolves the worker script: Node 20 workers cannot load TypeScript, so from source (vitest)
 * this maps to the compiled dist/bench/load/signerWorker.js (`npm run build` makes it).
 */
function workerFilename(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/bench/load/signerWorker.js', here) : new URL('./signerWorker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new LoadError('LOAD_SIGNER_FAILED', `signer worker not built (${file}); run \`npx tsc -p tsconfig.json\``, { file });
  return file;
}

/** Pre-signed txs by sequence number. */
export class TxSource {
  readonly #pool: Piscina;
  readonly #batches = new Map<number, SignedBatch>();
  readonly #tasks = new Set<Promise<void>>();
  /** Batches below this index have been requested. */
  #requested = 0;
  /** Batches below this index have been released. */
  #released = 0;
  #failure: Error | undefined;
  /** Times `get` found its tx not signed yet (the signer threads fell behind the sender). */
  stalls = 0;

  constructor(plan: SignerPlan, opts: { threads?: number } = {}) {
    const threads = opts.threads ?? Math.max(1, os.cpus().length);
    this.#pool = new Piscina({ filename: workerFilename(), workerData: plan, minThreads: threads, maxThreads: threads });
  }

  /** Txs signed so far (including released ones). */
  signed = 0;

  /** Signs sequence numbers [0, n) and waits for them. */
  async prefill(n: number): Promise<void> {
    const target = Math.ceil(n / SIGN_BATCH);
    while (this.#requested < target || this.#tasks.size > 0) {
      while (this.#requested < target && this.#tasks.size < this.#pool.threads.length * TASKS_PER_THREAD) this.#request();
      await Promise.race(this.#tasks);
      this.#throwIfFailed();
    }
  }

  /** Requests batches so that at least `lead` txs past `cursor` are signed or being signed. */
  topUp(cursor: number, lead: number): void {
    this.#throwIfFailed();
    const target = Math.ceil((cursor + lead) / SIGN_BATCH);
    while (this.#requested < target && this.#tasks.size < this.#pool.threads.length * TASKS_PER_THREAD) this.#request();
  }

  /** The tx at sequence number `j`, or undefined when it is not signed yet. */
  get(j: number): SignedTxSlot | undefined {
    const batch = this.#batches.get(Math.floor(j / SIGN_BATCH));
    if (!batch) {
      this.stalls++;
      return undefined;
    }
    return batch.slot(j % SIGN_BATCH);
  }

  /** Frees the batches wholly below sequence number `j` (their txs were all taken). */
  release(j: number): void {
    const upTo = Math.floor(j / SIGN_BATCH);
    for (; this.#released < upTo; this.#released++) this.#batches.delete(this.#released);
  }

  /** Stops the signer threads. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#tasks);
    await this.#pool.destroy();
  }

  #request(): void {
    const index = this.#requested++;
    const task: Promise<void> = this.#pool
      .run({ from: index * SIGN_BATCH, count: SIGN_BATCH })
      .then(
        (buf: ArrayBuffer) => {
          this.signed += SIGN_BATCH;
          if (index >= this.#released) this.#batches.set(index, new SignedBatch(buf));
        },
        (e: Error) => {
          this.#failure ??= new LoadError('LOAD_SIGNER_FAILED', `signer thread failed: ${e.message}`, { batch: index });
        },
      )
      .finally(() => this.#tasks.delete(task));
    this.#tasks.add(task);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure;
  }
}
