import { encode, type Value } from '../encoding/index.js';
import type { Address } from '../types.js';

/** An event emitted by a contract. */
export interface ChainEvent {
  contract: Address;
  event: string;
  data: Value;
}

/** The outcome of one included transaction. */
export interface Receipt {
  status: 'ok' | 'reverted';
  gasUsed: number;
  /** The call's return value (null for transfers and reverted txs). */
  result: Value;
  events: ChainEvent[];
  /** Why it reverted. */
  error?: string;
}

/** Wire form of a status (1 = ok, 0 = reverted). */
const STATUS_OK = 1;
const STATUS_REVERTED = 0;

/** Canonical tuple `[status, gasUsed, result, events, error?]`. */
export function receiptTuple(r: Receipt): Value[] {
  const t: Value[] = [
    r.status === 'ok' ? STATUS_OK : STATUS_REVERTED,
    r.gasUsed,
    r.result,
    r.events.map((e) => [e.contract, e.event, e.data]),
  ];
  if (r.error !== undefined) t.push(r.error);
  return t;
}

/** Canonical encoding of a receipt (what receiptsRoot commits to). */
export function encodeReceipt(r: Receipt): Uint8Array {
  return encode(receiptTuple(r));
}

/**
 * Rebuilds a receipt from its stored tuple. The store wrote it, so anything unexpected is
 * corruption: every field is checked and a bad one throws (the store reports STORE_CORRUPT)
 * rather than turning into a plausible wrong receipt (status 7 read as "reverted").
 */
export function receiptFromTuple(v: Value): Receipt {
  if (!Array.isArray(v) || v.length < 4 || v.length > 5) throw new TypeError('receipt: expected a 4- or 5-tuple');
  const [status, gasUsed, result, events, error] = v;
  if (status !== STATUS_OK && status !== STATUS_REVERTED) throw new TypeError('receipt: status must be 1 (ok) or 0 (reverted)');
  if (typeof gasUsed !== 'number' || !Number.isSafeInteger(gasUsed) || gasUsed < 0) throw new TypeError('receipt: bad gasUsed');
  if (!Array.isArray(events)) throw new TypeError('receipt: events must be an array');
  if (v.length === 5 && typeof error !== 'string') throw new TypeError('receipt: error must be a string');
  const r: Receipt = {
    status: status === STATUS_OK ? 'ok' : 'reverted',
    gasUsed,
    result,
    events: events.map((e) => {
      if (!Array.isArray(e) || e.length !== 3 || !(e[0] instanceof Uint8Array) || e[0].length !== 20 || typeof e[1] !== 'string') {
        throw new TypeError('receipt: bad event');
      }
      return { contract: e[0], event: e[1], data: e[2] };
    }),
  };
  if (typeof error === 'string') r.error = error;
  return r;
}
