/**
 * The store's sublevels (design §11), one name each. A name is never reused for another
 * kind of data: old databases would misread it.
 */
export const Bucket = {
  /** height → encoded block */
  blocks: 'b',
  /** block hash → height */
  blockHashes: 'h',
  /** tx hash → [height, index] */
  txIndex: 't',
  /** height → encoded receipts array */
  receipts: 'r',
  /** height → encoded commit certificate of that block */
  commits: 'c',
  /** trie node hash → node */
  trie: 'n',
  /** height ‖ tx index ‖ event index → encoded event (for event queries and resume) */
  events: 'e',
  /** consensus safety state (last signed height/round/step) */
  safety: 's',
  /** height ‖ seq → consensus write-ahead-log entry of that height (core/consensus/wal.ts) */
  wal: 'w',
  /** head, final height, genesis hash */
  meta: 'm',
  /** tx hash → encoded tx: the mempool journal, so an accepted tx survives a crash */
  pool: 'p',
} as const;
export type BucketName = keyof typeof Bucket;

/** WAL key: height (8 bytes BE) ‖ seq (4 bytes BE), so a height's entries sort in write order. */
export function walKey(height: number, seq: number): Uint8Array {
  const k = new Uint8Array(12);
  const v = new DataView(k.buffer);
  v.setBigUint64(0, BigInt(height));
  v.setUint32(8, seq);
  return k;
}

/** Meta keys. */
export const META_HEAD = 'head';
export const META_FINAL = 'final';
export const META_GENESIS = 'genesis';

/** Height as 8 big-endian bytes, so keys sort by height. */
export function heightKey(height: number): Uint8Array {
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, BigInt(height));
  return k;
}
