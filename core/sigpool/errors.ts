import { MedchainError } from '../errors.js';

/** Error codes of the signature-verification pool. */
export type SigPoolErrorCode =
  /** The pool already holds `maxQueue` signatures: back off and retry later (not a fault of the input). */
  | 'SIGPOOL_BUSY'
  /** The pool was closed; no further work is accepted. */
  | 'SIGPOOL_CLOSED'
  /** A chunk failed in a worker twice (its worker crashed, was replaced, and the retry failed too). */
  | 'SIGPOOL_WORKER_FAILED'
  /** An argument that is not a batch at all (items of a batch are never errors: malformed ones are `false`). */
  | 'SIGPOOL_BAD_INPUT'
  /** The compiled worker script is missing (run `npm run build`). */
  | 'SIGPOOL_NO_WORKER';

/** Base class of the pool's errors. */
export class SigPoolError<C extends SigPoolErrorCode = SigPoolErrorCode> extends MedchainError<C> {}

/** `maxQueue` reached: the caller should stop taking work (e.g. stop reading gossip) and retry. */
export class PoolBusyError extends SigPoolError<'SIGPOOL_BUSY'> {
  constructor(context: { pending: number; requested: number; maxQueue: number }) {
    super('SIGPOOL_BUSY', `signature pool is full (${context.pending} pending, max ${context.maxQueue})`, context);
  }
}

/** The pool is closed (or closing). */
export class PoolClosedError extends SigPoolError<'SIGPOOL_CLOSED'> {
  constructor() {
    super('SIGPOOL_CLOSED', 'signature pool is closed');
  }
}

/** A chunk could not be verified even after one retry on a fresh worker. */
export class PoolWorkerError extends SigPoolError<'SIGPOOL_WORKER_FAILED'> {
  constructor(context: { chunkSize: number; attempts: number; cause: string }) {
    super('SIGPOOL_WORKER_FAILED', `signature chunk failed in ${context.attempts} workers: ${context.cause}`, context);
  }
}
