/**
 * The values the canonical codec carries (design §2) and its hostile-input limits.
 * Shared by `encode.ts` and `decode.ts`.
 */

/**
 * A value of medchain's canonical MessagePack. Integers are `number` (safe integers) or
 * `bigint` (int64..uint64); `decode` returns `number` within ±(2^53-1) and `bigint` beyond,
 * so decode∘encode is the identity on what decode returns.
 */
export type Value = number | bigint | string | Uint8Array | boolean | null | Value[] | { [key: string]: Value };

/**
 * What `encode` accepts: every `Value`, plus read-only arrays/objects and `Map<string, …>`
 * (encoded as a msgpack map; decoded back as a plain null-prototype object).
 */
export type Encodable =
  | Value
  | readonly Encodable[]
  | { readonly [key: string]: Encodable }
  | ReadonlyMap<string, Encodable>;

/**
 * Deepest container nesting `encode` writes and `decode` reads. Medchain's deepest real
 * structure (a p2p frame holding a block holding txs holding args) is under 10 levels; 64
 * leaves contracts room while bounding recursion on hostile input, and makes `encode` fail
 * cleanly on cyclic objects instead of overflowing the stack.
 */
export const MAX_DEPTH = 64;

/** Largest length a msgpack 32-bit header can declare (bin32/str32/array32/map32). */
export const MAX_LENGTH = 0xffff_ffff;
