/**
 * The wire format of a chunk of signatures sent to a worker: ONE ArrayBuffer, transferred
 * (not copied) to the worker, instead of thousands of small objects to structured-clone.
 *
 * Layout (native-endian u32s — both ends run on this machine — then bytes):
 *   [count][flags][msgOffset_0 … msgOffset_count]   header, (3 + count) × 4 bytes
 *   [publicKey_0 … publicKey_{count-1}]             count × 32
 *   [signature_0 … signature_{count-1}]             count × 64
 *   [message bytes, concatenated]                   msgOffset_count bytes
 * msgOffset_i is the start of message i within the message area (msgOffset_0 = 0).
 *
 * Only well-formed items (32-byte key, 64-byte signature, byte message) are packed; the
 * pool answers malformed ones `false` without sending them.
 */

/** One signature to verify. `txHash`, when given, keys the verified-signature cache. */
export interface SigItem {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
  txHash?: Uint8Array;
}

/** Flag bit: exit the worker thread on receipt (crash-recovery tests; honoured only when the pool enables test hooks). */
export const FLAG_TEST_CRASH = 1;

const PK = 32;
const SIG = 64;

/** Whether an item has the shape of a signature (right types and lengths); anything else is `false`. */
export function isWellFormed(item: unknown): item is SigItem {
  if (item === null || typeof item !== 'object') return false;
  const { publicKey, message, signature } = item as SigItem;
  return (
    publicKey instanceof Uint8Array &&
    publicKey.length === PK &&
    signature instanceof Uint8Array &&
    signature.length === SIG &&
    message instanceof Uint8Array
  );
}

/** Packs `items[start..end)` (all well-formed) into one transferable buffer. */
export function packChunk(items: readonly SigItem[], start: number, end: number, flags = 0): ArrayBuffer {
  const count = end - start;
  let msgBytes = 0;
  for (let i = start; i < end; i++) msgBytes += items[i].message.length;
  const headerBytes = (3 + count) * 4;
  const pkBase = headerBytes;
  const sigBase = pkBase + count * PK;
  const msgBase = sigBase + count * SIG;
  const buffer = new ArrayBuffer(msgBase + msgBytes);
  const header = new Uint32Array(buffer, 0, 3 + count);
  const bytes = new Uint8Array(buffer);
  header[0] = count;
  header[1] = flags;
  let off = 0;
  for (let i = 0; i < count; i++) {
    const it = items[start + i];
    header[2 + i] = off;
    bytes.set(it.publicKey, pkBase + i * PK);
    bytes.set(it.signature, sigBase + i * SIG);
    bytes.set(it.message, msgBase + off);
    off += it.message.length;
  }
  header[2 + count] = off;
  return buffer;
}

/** A packed chunk, read in place: accessors return views into the one buffer. */
export interface UnpackedChunk {
  count: number;
  flags: number;
  publicKey(i: number): Uint8Array;
  signature(i: number): Uint8Array;
  message(i: number): Uint8Array;
}

/** Reads a packed chunk (throws RangeError if the buffer is not a consistent chunk). */
export function unpackChunk(buffer: ArrayBuffer): UnpackedChunk {
  if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < 12) throw new RangeError('not a signature chunk');
  const head = new Uint32Array(buffer, 0, 2);
  const count = head[0];
  const flags = head[1];
  const headerBytes = (3 + count) * 4;
  const msgBase = headerBytes + count * (PK + SIG);
  if (msgBase > buffer.byteLength) throw new RangeError('signature chunk truncated');
  const offsets = new Uint32Array(buffer, 8, count + 1);
  if (offsets[0] !== 0 || msgBase + offsets[count] !== buffer.byteLength) throw new RangeError('signature chunk inconsistent');
  for (let i = 0; i < count; i++) if (offsets[i + 1] < offsets[i]) throw new RangeError('signature chunk inconsistent');
  const bytes = new Uint8Array(buffer);
  const pkBase = headerBytes;
  const sigBase = pkBase + count * PK;
  return {
    count,
    flags,
    publicKey: (i) => bytes.subarray(pkBase + i * PK, pkBase + (i + 1) * PK),
    signature: (i) => bytes.subarray(sigBase + i * SIG, sigBase + (i + 1) * SIG),
    message: (i) => bytes.subarray(msgBase + offsets[i], msgBase + offsets[i + 1]),
  };
}
