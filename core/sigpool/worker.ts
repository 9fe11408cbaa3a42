/**
 * The pool's piscina worker: verifies one packed chunk (pack.ts) with exactly core/crypto's
 * `verify` — medchain's acceptance rule, then node:crypto — and its per-thread KeyObject
 * cache, so the worker path and the in-thread path cannot disagree. Returns one byte per
 * item (1 = valid), transferred back.
 */
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { verify } from '../crypto/verify.js';
import { FLAG_TEST_CRASH, unpackChunk } from './pack.js';

/** Set only by a pool constructed with test hooks (never by configuration or input). */
const testHooks = (workerData as { testHooks?: boolean } | undefined)?.testHooks === true;

/** Exit code of a test-requested crash, so a test can tell it from a real one. */
export const TEST_CRASH_EXIT_CODE = 86;

/** Verifies every signature of a packed chunk. */
export default function verifyChunk(buffer: ArrayBuffer): Uint8Array {
  const chunk = unpackChunk(buffer);
  if (testHooks && (chunk.flags & FLAG_TEST_CRASH) !== 0) process.exit(TEST_CRASH_EXIT_CODE);
  const out = new Uint8Array(chunk.count);
  for (let i = 0; i < chunk.count; i++) {
    out[i] = verify(chunk.signature(i), chunk.message(i), chunk.publicKey(i)) ? 1 : 0;
  }
  return move(out) as Uint8Array;
}
