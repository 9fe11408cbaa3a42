/**
 * The wire format of signatures sent to the workers: ONE buffer per batch, never thousands of
 * small objects to structured-clone.
 *
 * Chunk layout (native-endian u32s — both ends run on this machine — then bytes):
 *   [count][msgOffset_0 … msgOffset_count]          header, (2 + count) × 4 bytes
 *   [publicKey_0 … publicKey_{count-1}]             count × 32
 *   [signature_0 … signature_{count-1}]             count × 64
 *   [message bytes, concatenated]                   msgOffset_count bytes
 * msgOffset_i is the start of message i within the message area (msgOffset_0 = 0).
 *
 * The pool packs a whole batch once, in this layout, into a SharedArrayBuffer (a job, see
 * `packJob`) that every worker reads in place; the workers claim slices of it through a shared
 * control block, so none waits on the calling thread between slices and all finish together.
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

/** Packs `items` (all well-formed) into one shared buffer in the chunk layout. */
function packShared(items: readonly SigItem[]): SharedArrayBuffer {
  const count = items.length;
  let msgBytes = 0;
  for (const it of items) msgBytes += it.message.length;
  const headerBytes = (2 + count) * 4;
  const pkBase = headerBytes;
  const sigBase = pkBase + count * PK;
  const msgBase = sigBase + count * SIG;
  const buffer = new SharedArrayBuffer(msgBase + msgBytes);
  const header = new Uint32Array(buffer, 0, 2 + count);
  const bytes = new Uint8Array(buffer);
  header[0] = count;
  let off = 0;
  for (let i = 0; i < count; i++) {
    const it = items[i];
    header[1 + i] = off;
    bytes.set(it.publicKey, pkBase + i * PK);
    bytes.set(it.signature, sigBase + i * SIG);
    bytes.set(it.message, msgBase + off);
    off += it.message.length;
  }
  header[1 + count] = off;
  return buffer;
}

/** A packed chunk, read in place: accessors return views into the one buffer. */
export interface UnpackedChunk {
  count: number;
  publicKey(i: number): Uint8Array;
  signature(i: number): Uint8Array;
  message(i: number): Uint8Array;
}

/** Reads a packed chunk, plain or shared (throws RangeError if the buffer is not a consistent chunk). */
export function unpackChunk(buffer: ArrayBuffer | SharedArrayBuffer): UnpackedChunk {
  if (!(buffer instanceof ArrayBuffer || buffer instanceof SharedArrayBuffer) || buffer.byteLength < 8) {
    throw new RangeError('not a signature chunk');
  }
  const count = new Uint32Array(buffer, 0, 1)[0];
  const headerBytes = (2 + count) * 4;
  const msgBase = headerBytes + count * (PK + SIG);
  if (msgBase > buffer.byteLength) throw new RangeError('signature chunk truncated');
  const offsets = new Uint32Array(buffer, 4, count + 1);
  if (offsets[0] !== 0 || msgBase + offsets[count] !== buffer.byteLength) throw new RangeError('signature chunk inconsistent');
  for (let i = 0; i < count; i++) if (offsets[i + 1] < offsets[i]) throw new RangeError('signature chunk inconsistent');
  const bytes = new Uint8Array(buffer);
  const pkBase = headerBytes;
  const sigBase = pkBase + count * PK;
  return {
    count,
    publicKey: (i) => bytes.subarray(pkBase + i * PK, pkBase + (i + 1) * PK),
    signature: (i) => bytes.subarray(sigBase + i * SIG, sigBase + (i + 1) * SIG),
    message: (i) => bytes.subarray(msgBase + offsets[i], msgBase + offsets[i + 1]),
  };
}

/** Result byte of an item no worker has finished (yet). */
export const RESULT_PENDING = 0;
/** Result byte of a valid signature. */
export const RESULT_VALID = 1;
/** Result byte of an invalid signature. */
export const RESULT_INVALID = 2;

// Control block words.
const NEXT_SLICE = 0;
const DONE_ITEMS = 1;
const SLICE_COUNT = 2;
const CONTROL_WORDS = 3;

/**
 * A batch packed for the workers: `chunk` holds the signatures (chunk layout, shared), and
 * `control` is where the workers claim slices and leave results:
 *   [nextSlice][doneItems][sliceCount][bound_0 … bound_sliceCount]   i32/u32 words
 *   [result_0 … result_{count-1}]                                    RESULT_* bytes
 * Slice k is items [bound_k, bound_k+1). A worker takes the next slice with an atomic add on
 * nextSlice, writes the slice's result bytes, then adds its size to doneItems (an atomic add,
 * so a reader that loads doneItems atomically sees the result bytes written before it).
 */
export interface PackedJob {
  chunk: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

/** Packs `items` (all well-formed) into a job cut into `slices` (contiguous [start, end) ranges covering them in order). */
export function packJob(items: readonly SigItem[], slices: readonly (readonly [number, number])[]): PackedJob {
  const chunk = packShared(items);
  const words = CONTROL_WORDS + slices.length + 1;
  const control = new SharedArrayBuffer(words * 4 + items.length);
  const head = new Uint32Array(control, 0, words);
  head[SLICE_COUNT] = slices.length;
  let next = 0;
  for (let k = 0; k < slices.length; k++) {
    if (slices[k][0] !== next || slices[k][1] < next) throw new RangeError('slices must cover the items in order');
    head[CONTROL_WORDS + k] = next;
    next = slices[k][1];
  }
  if (next !== items.length) throw new RangeError('slices must cover the items in order');
  head[CONTROL_WORDS + slices.length] = next;
  return { chunk, control };
}

/** A job as a worker sees it: the signatures, the slices to claim, and where results go. */
export interface OpenedJob {
  chunk: UnpackedChunk;
  /** Result bytes, one per item (RESULT_*), shared with the pool. */
  results: Uint8Array;
  /** Claims the next unclaimed slice, or undefined when none is left. */
  claim(): [number, number] | undefined;
  /** Publishes `n` more finished results (after writing them). */
  finish(n: number): void;
}

/** Opens a job's buffers in place (throws RangeError if they are not a consistent job). */
export function openJob(chunkBuffer: unknown, controlBuffer: unknown): OpenedJob {
  if (!(chunkBuffer instanceof SharedArrayBuffer) || !(controlBuffer instanceof SharedArrayBuffer)) {
    throw new RangeError('a job is two SharedArrayBuffers');
  }
  const chunk = unpackChunk(chunkBuffer);
  if (controlBuffer.byteLength < (CONTROL_WORDS + 1) * 4) throw new RangeError('job control truncated');
  const ctl = new Int32Array(controlBuffer, 0, CONTROL_WORDS);
  const sliceCount = ctl[SLICE_COUNT];
  const words = CONTROL_WORDS + sliceCount + 1;
  if (sliceCount < 0 || controlBuffer.byteLength !== words * 4 + chunk.count) throw new RangeError('job control inconsistent');
  const bounds = new Uint32Array(controlBuffer, CONTROL_WORDS * 4, sliceCount + 1);
  if (bounds[0] !== 0 || bounds[sliceCount] !== chunk.count) throw new RangeError('job control inconsistent');
  for (let k = 0; k < sliceCount; k++) if (bounds[k + 1] < bounds[k]) throw new RangeError('job control inconsistent');
  return {
    chunk,
    results: new Uint8Array(controlBuffer, words * 4, chunk.count),
    claim: () => {
      const k = Atomics.add(ctl, NEXT_SLICE, 1);
      return k < sliceCount ? [bounds[k], bounds[k + 1]] : undefined;
    },
    finish: (n) => void Atomics.add(ctl, DONE_ITEMS, n),
  };
}

/** The pool's side of a job: how many results are published, and the result bytes (read after `done()`). */
export function jobResults(job: PackedJob): { done(): number; results: Uint8Array } {
  const ctl = new Int32Array(job.control, 0, CONTROL_WORDS);
  const words = CONTROL_WORDS + ctl[SLICE_COUNT] + 1;
  return {
    done: () => Atomics.load(ctl, DONE_ITEMS),
    results: new Uint8Array(job.control, words * 4),
  };
}
