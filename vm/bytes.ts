/**
 * A tiny binary writer/reader for the VM's own container format (not the chain's msgpack:
 * the container is the VM's private format, verified byte by byte at deploy). Unsigned
 * LEB128 varints must be minimal, so every container has one encoding.
 */
import { VerifyError, type VerifyErrorCode } from './errors.js';

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string (strings in the VM never hold lone surrogates). */
export function utf8Encode(s: string): Uint8Array {
  return UTF8_ENCODER.encode(s);
}

/** Appends to a growing byte array. */
export class ByteWriter {
  private buf = new Uint8Array(256);
  private n = 0;

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.n + k) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.n));
    this.buf = next;
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.n++] = v & 0xff;
    return this;
  }

  varuint(v: number): this {
    do {
      let byte = v & 0x7f;
      v = Math.floor(v / 128);
      if (v > 0) byte |= 0x80;
      this.u8(byte);
    } while (v > 0);
    return this;
  }

  bytes(b: Uint8Array): this {
    this.varuint(b.length);
    return this.raw(b);
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }

  str(s: string): this {
    return this.bytes(utf8Encode(s));
  }

  /** A signed 64-bit integer, 8 bytes little-endian two's complement. */
  i64(v: bigint): this {
    let u = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.u8(Number(u & 0xffn));
      u >>= 8n;
    }
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** Reads a container; every failure is a VerifyError (never a RangeError or TypeError). */
export class ByteReader {
  private at = 0;

  constructor(private readonly buf: Uint8Array) {}

  get offset(): number {
    return this.at;
  }

  get done(): boolean {
    return this.at === this.buf.length;
  }

  fail(reason: string, code: VerifyErrorCode = 'VERIFY_MALFORMED'): never {
    throw new VerifyError(code, `${reason} (at byte ${this.at})`, { offset: this.at });
  }

  u8(): number {
    if (this.at >= this.buf.length) this.fail('unexpected end of container');
    return this.buf[this.at++];
  }

  /** A minimal unsigned LEB128 varint of at most `max`. */
  varuint(max: number, what: string): number {
    let v = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 5) this.fail(`${what}: varint longer than 5 bytes`);
      const byte = this.u8();
      v += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (byte === 0 && i > 0) this.fail(`${what}: non-minimal varint`);
        break;
      }
    }
    if (v > max) this.fail(`${what} ${v} exceeds the limit ${max}`, 'VERIFY_LIMIT');
    return v;
  }

  raw(n: number): Uint8Array {
    if (this.at + n > this.buf.length) this.fail('unexpected end of container');
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  bytes(max: number, what: string): Uint8Array {
    return this.raw(this.varuint(max, `${what} length`));
  }

  str(max: number, what: string): string {
    const b = this.bytes(max, what);
    try {
      return UTF8_DECODER.decode(b);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }

  i64(): bigint {
    const b = this.raw(8);
    let u = 0n;
    for (let i = 7; i >= 0; i--) u = (u << 8n) | BigInt(b[i]);
    return BigInt.asIntN(64, u);
  }
}
