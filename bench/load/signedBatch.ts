/**
 * A batch of pre-signed txs packed into one ArrayBuffer, so a signer thread hands it back with a
 * single zero-copy transfer: [count u32][end offsets u32 × count][hashes 32 × count][tx bytes].
 */

const HASH_LENGTH = 32;

/** What signing a plan's slots yields, one tx per sequence number. */
export interface SignedTxSlot {
  /** The tx as 0x-less lower-case hex, ready for tx_send. */
  hex: string;
  /** Its hash as 0x-hex, as the node reports it in blocks. */
  hash: string;
}

/** Packs signed txs (bytes and hashes) into one buffer. */
export function packBatch(txs: ReadonlyArray<{ bytes: Uint8Array; hash: Uint8Array }>): ArrayBuffer {
  const n = txs.length;
  const total = txs.reduce((a, t) => a + t.bytes.length, 0);
  const head = 4 + 4 * n + HASH_LENGTH * n;
  const buf = new ArrayBuffer(head + total);
  const view = new DataView(buf);
  const bytes = new Uint8Array(buf);
  view.setUint32(0, n, true);
  let off = head;
  txs.forEach((t, i) => {
    bytes.set(t.hash, 4 + 4 * n + HASH_LENGTH * i);
    bytes.set(t.bytes, off);
    off += t.bytes.length;
    view.setUint32(4 + 4 * i, off, true);
  });
  return buf;
}

/** A packed batch, read lazily: hex is made only when a tx is about to be sent. */
export class SignedBatch {
  readonly #buf: Buffer;
  readonly count: number;
  readonly #head: number;

  constructor(buffer: ArrayBuffer) {
    this.#buf = Buffer.from(buffer);
    this.count = this.#buf.readUInt32LE(0);
    this.#head = 4 + 4 * this.count + HASH_LENGTH * this.count;
  }

  /** The i-th tx of the batch. */
  slot(i: number): SignedTxSlot {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`slot ${i} is outside a batch of ${this.count}`);
    const start = i === 0 ? this.#head : this.#buf.readUInt32LE(4 + 4 * (i - 1));
    const end = this.#buf.readUInt32LE(4 + 4 * i);
    const h = 4 + 4 * this.count + HASH_LENGTH * i;
    return { hex: this.#buf.toString('hex', start, end), hash: '0x' + this.#buf.toString('hex', h, h + HASH_LENGTH) };
  }
}
