/**
 * Contract events as subscriptions see them, their filters and their order. An event's
 * position (block height, index within the block) is what lets a resumed subscription splice
 * replayed history onto live events without a gap or a duplicate.
 */

/** A contract event as the node publishes it (other members are passed through to clients). */
export interface ChainEvent {
  /** Height of the block that emitted it. */
  height: number;
  /** Position among all events of that block, from 0. */
  index: number;
  /** Emitting contract's address, `0x` + 40 hex. */
  contract: string;
  /** Event name. */
  event: string;
  /** Event fields by name. */
  data: Record<string, unknown>;
  [extra: string]: unknown;
}

/** Equality value of one filtered event field. */
export type FilterValue = string | number | boolean | null;

/** What an `events` subscription selects; absent members match everything. */
export interface EventFilter {
  contract?: string;
  event?: string;
  /** Event fields that must equal the given values. */
  filters?: Record<string, FilterValue>;
}

/** Normalises a filter once at subscribe time (addresses compare lower-case). */
export function normalizeFilter(f: EventFilter): EventFilter {
  return {
    ...(f.contract !== undefined ? { contract: f.contract.toLowerCase() } : {}),
    ...(f.event !== undefined ? { event: f.event } : {}),
    ...(f.filters !== undefined && Object.keys(f.filters).length > 0 ? { filters: { ...f.filters } } : {}),
  };
}

/** Whether `e` (with `contractLower` = its address in lower case) passes normalised filter `f`. */
export function matchesEvent(f: EventFilter, e: ChainEvent, contractLower: string): boolean {
  if (f.contract !== undefined && f.contract !== contractLower) return false;
  if (f.event !== undefined && f.event !== e.event) return false;
  if (f.filters) {
    const data = e.data;
    if (typeof data !== 'object' || data === null) return false;
    for (const k in f.filters) {
      if (!Object.hasOwn(data, k) || data[k] !== f.filters[k]) return false;
    }
  }
  return true;
}

/** An event's place in chain order. */
export interface EventPosition {
  height: number;
  index: number;
}

/** Whether position `a` comes strictly after `b`. */
export function isAfter(a: EventPosition, b: EventPosition): boolean {
  return a.height > b.height || (a.height === b.height && a.index > b.index);
}
