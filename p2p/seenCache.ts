/**
 * A bounded set of recently seen message ids (insertion-ordered, oldest evicted), so a gossiped
 * tx, proposal or vote is handled and re-broadcast once however many peers send it.
 */
export class SeenCache {
  readonly #set = new Set<string>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  /** Records `id`; returns false if it was already there (a duplicate). */
  add(id: string): boolean {
    if (this.#set.has(id)) return false;
    this.#set.add(id);
    if (this.#set.size > this.capacity) this.#set.delete(this.#set.values().next().value as string);
    return true;
  }

  /** Whether `id` was seen recently. */
  has(id: string): boolean {
    return this.#set.has(id);
  }

  get size(): number {
    return this.#set.size;
  }
}
