/**
 * Contract call arguments written as JSON (CLI `--args`, config files) → canonical-msgpack
 * values. JSON cannot tell bytes or big integers from strings, so the rules mirror how the
 * node prints values (rpc/methods/json.ts valueJson), with tags for the ambiguous cases:
 * - a `0x`-hex string with an even number of digits → bytes (addresses, hashes);
 * - a number → an integer (floats are not medchain values);
 * - `{"$bigint": "123…"}` → an integer beyond 2^53-1; `{"$string": "0x…"}` → that string as text;
 * - other strings, booleans, null, arrays and objects → themselves.
 */
import { fromHex, type Value } from '../../core/encoding/index.js';
import { ClientError } from './errors.js';

const HEX_RE = /^0x([0-9a-fA-F]{2})*$/;
const BIGINT_RE = /^-?(0|[1-9][0-9]*)$/;
/** The codec's integer range: int64..uint64 (design §2). */
const MIN_INT = -(2n ** 63n);
const MAX_UINT = 2n ** 64n - 1n;

function bad(path: string, message: string): ClientError {
  return new ClientError('CLIENT_BAD_INPUT', `${path}: ${message}`, { field: path });
}

/** Converts one JSON value (see the module comment for the rules); `path` names it in errors. */
export function jsonToValue(json: unknown, path = 'args'): Value {
  if (json === null || typeof json === 'boolean') return json;
  if (typeof json === 'number') {
    if (!Number.isSafeInteger(json)) throw bad(path, `${json} is not a safe integer (use {"$bigint": "…"} for large ones)`);
    return json;
  }
  if (typeof json === 'string') return HEX_RE.test(json) ? fromHex(json) : json;
  if (Array.isArray(json)) return json.map((v, i) => jsonToValue(v, `${path}[${i}]`));
  if (typeof json === 'object') {
    const o = json as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === '$bigint') {
      if (typeof o.$bigint !== 'string' || !BIGINT_RE.test(o.$bigint)) throw bad(path, '$bigint must be a decimal integer string');
      const n = BigInt(o.$bigint);
      if (n < MIN_INT || n > MAX_UINT) throw bad(path, '$bigint is outside int64..uint64');
      return n;
    }
    if (keys.length === 1 && keys[0] === '$string') {
      if (typeof o.$string !== 'string') throw bad(path, '$string must be a string');
      return o.$string;
    }
    const out: { [k: string]: Value } = {};
    for (const k of keys) out[k] = jsonToValue(o[k], `${path}.${k}`);
    return out;
  }
  throw bad(path, `unsupported JSON value of type ${typeof json}`);
}

/** Parses a JSON array of call arguments (e.g. the CLI's `--args '[1, "0xab"]'`). */
export function parseArgsJson(text: string): Value[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw bad('args', `not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(json)) throw bad('args', 'expected a JSON array');
  return json.map((v, i) => jsonToValue(v, `args[${i}]`));
}
