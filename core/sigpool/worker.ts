/**
 * The pool's piscina worker: verifies the slices it claims of a packed job (pack.ts) with
 * exactly core/crypto's `verify` — medchain's acceptance rule, then node:crypto — and its
 * per-thread KeyObject cache, so the worker path and the in-thread path cannot disagree.
 * Each task keeps claiming slices until none is left, so the threads of a job stop within a
 * slice of each other and never wait on the calling thread in between. Results are written
 * to the job's shared result bytes; the task returns how many items it verified.
 */
import { workerData } from 'node:worker_threads';
import { verify } from '../crypto/verify.js';
import { openJob, RESULT_INVALID, RESULT_VALID } from './pack.js';

/** Set only by a pool constructed with test hooks (never by configuration or input). */
const testHooks = (workerData as { testHooks?: boolean } | undefined)?.testHooks === true;

/** Exit code of a test-requested crash, so a test can tell it from a real one. */
export const TEST_CRASH_EXIT_CODE = 86;

/** One task: a job's two shared buffers; `testCrash` asks (test hooks only) to exit after claiming a slice. */
export interface JobTask {
  chunk: SharedArrayBuffer;
  control: SharedArrayBuffer;
  testCrash?: boolean;
}

/** Verifies slices of a job until none is left; returns the number of items this task verified. */
export default function verifyJob(task: JobTask): number {
  const job = openJob(task?.chunk, task?.control);
  const { chunk, results } = job;
  let verified = 0;
  for (let slice = job.claim(); slice !== undefined; slice = job.claim()) {
    // Exits holding a claimed, unfinished slice: what a real crash mid-job leaves behind.
    if (testHooks && task.testCrash === true) process.exit(TEST_CRASH_EXIT_CODE);
    const [start, end] = slice;
    for (let i = start; i < end; i++) {
      results[i] = verify(chunk.signature(i), chunk.message(i), chunk.publicKey(i)) ? RESULT_VALID : RESULT_INVALID;
    }
    job.finish(end - start);
    verified += end - start;
  }
  return verified;
}
