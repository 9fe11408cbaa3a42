/**
 * Runs async tasks one at a time, in submission order. The chain has one writer at a time
 * (block producer, consensus commit, block sync), so appending a block never interleaves.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every task submitted before it; resolves with its result. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn, fn);
    // The queue continues whatever the task did; the caller gets the task's own outcome.
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves when every task submitted so far has finished. */
  idle(): Promise<void> {
    return this.#tail.then(() => undefined);
  }
}
