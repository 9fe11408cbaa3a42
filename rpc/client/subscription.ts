/**
 * One subscription as an async iterator: `for await (const head of client.subscribe('newHeads'))`.
 * Items wait in a bounded buffer; a consumer that stops reading is dropped with a
 * CLIENT_SLOW_CONSUMER error (buffered items are discarded) instead of the buffer growing
 * without bound. `return()` (what `break` calls) ends it and unsubscribes on the node.
 */
import { ClientError } from './errors.js';

/** Items buffered per subscription: a head every 500 ms is ~8 minutes of backlog, so a
 * consumer this far behind is stuck, not slow. */
export const DEFAULT_MAX_BUFFERED = 1_024;

interface Waiter<T> {
  resolve(r: IteratorResult<T, undefined>): void;
  reject(e: Error): void;
}

/** An async-iterable subscription. Obtain one from `MedchainClient.subscribe`. */
export class Subscription<T> implements AsyncIterableIterator<T, undefined> {
  /** Resolves once the node has accepted the subscription; rejects if it refused it. */
  readonly ready: Promise<void>;
  #resolveReady!: () => void;
  #rejectReady!: (e: Error) => void;
  #queue: T[] = [];
  #waiters: Waiter<T>[] = [];
  #error: Error | undefined;
  #done = false;
  #serverId: string | undefined;
  #resumeGaps = 0;

  /** `onEnd` runs once when the consumer or an overflow ends the subscription (to unsubscribe). */
  constructor(
    readonly kind: string,
    readonly maxBuffered: number,
    private readonly onEnd: () => void,
  ) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // a caller that never awaits `ready` learns of a refusal from next(); do not report it twice
    this.ready.catch(() => {});
  }

  /** The node's id for this subscription on the current connection (changes after a reconnect). */
  get id(): string | undefined {
    return this.#serverId;
  }

  /** Whether it has ended (by `return()`, an error, or the client closing). */
  get closed(): boolean {
    return this.#done;
  }

  /** Items waiting to be read. */
  get buffered(): number {
    return this.#queue.length;
  }

  /**
   * Times a reconnect could not resume without a possible gap: `events` on a node that cannot
   * replay from a height, or more missed heads than MAX_BACKFILL_HEADERS (or some the node would
   * not return). Items published while disconnected may have been missed that many times.
   */
  get resumeGaps(): number {
    return this.#resumeGaps;
  }

  /** The next item; `done` once ended; rejects once with the error that ended it. */
  next(): Promise<IteratorResult<T, undefined>> {
    if (this.#queue.length > 0) return Promise.resolve({ done: false, value: this.#queue.shift() as T });
    if (this.#error) {
      const e = this.#error;
      this.#error = undefined;
      return Promise.reject(e);
    }
    if (this.#done) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Ends the subscription and unsubscribes on the node (what `break` in `for await` calls). */
  return(): Promise<IteratorResult<T, undefined>> {
    if (!this.#done) {
      this.finish(undefined, true);
      this.onEnd();
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** @internal Delivers an item; on overflow ends the subscription with CLIENT_SLOW_CONSUMER. */
  push(item: T): void {
    if (this.#done) return;
    const w = this.#waiters.shift();
    if (w) return w.resolve({ done: false, value: item });
    if (this.#queue.length >= this.maxBuffered) {
      this.finish(
        new ClientError('CLIENT_SLOW_CONSUMER', `${this.kind} subscription dropped: more than ${this.maxBuffered} unread items`, {
          kind: this.kind,
          limit: this.maxBuffered,
        }),
        true,
      );
      this.onEnd();
      return;
    }
    this.#queue.push(item);
  }

  /** @internal Ends with an error (after the buffered items, unless `discard`). */
  fail(error: Error, discard = false): void {
    if (this.#done) return;
    this.#rejectReady(error);
    this.finish(error, discard);
  }

  /** @internal Ends normally: buffered items can still be read, then `done`. */
  end(): void {
    if (!this.#done) this.finish(undefined, false);
  }

  /** @internal The node accepted it (again, after a reconnect) under `id`. */
  established(id: string): void {
    this.#serverId = id;
    this.#resolveReady();
  }

  /** @internal The connection carrying it dropped. */
  detached(): void {
    this.#serverId = undefined;
  }

  /** @internal A reconnect resumed it with a possible gap. */
  gap(): void {
    this.#resumeGaps++;
  }

  private finish(error: Error | undefined, discard: boolean): void {
    this.#done = true;
    this.#serverId = undefined;
    if (discard) this.#queue = [];
    const waiters = this.#waiters;
    this.#waiters = [];
    // waiters exist only when the queue is empty: the first gets the error, the rest `done`
    let pendingError = error;
    for (const w of waiters) {
      if (pendingError) {
        w.reject(pendingError);
        pendingError = undefined;
      } else w.resolve({ done: true, value: undefined });
    }
    this.#error = pendingError;
    this.#rejectReady(error ?? new ClientError('CLIENT_CLOSED', `${this.kind} subscription ended before the node accepted it`));
  }
}
