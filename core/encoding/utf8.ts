/**
 * UTF-8 helpers of the codec: writing strings into the encoder's buffer, decoding strictly,
 * and the UTF-8 byte order of map keys. No Node APIs: this runs in the browser SDK too.
 */

const textEncoder = new TextEncoder();
// fatal: invalid UTF-8 throws instead of becoming U+FFFD; ignoreBOM: a leading U+FEFF is content
const textDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as string & { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/**
 * Writes the UTF-8 of `s` into `out` at `at` (room for 3 bytes per UTF-16 unit already
 * ensured); returns the byte count, or -1 if `s` has a lone surrogate (no UTF-8 form).
 */
export function writeUtf8(s: string, out: Uint8Array, at: number): number {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[p++] = c;
    } else if (c < 0x800) {
      out[p++] = 0xc0 | (c >> 6);
      out[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[p++] = 0xe0 | (c >> 12);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    } else {
      const lo = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || lo < 0xdc00 || lo > 0xdfff) return -1;
      c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
      i++;
      out[p++] = 0xf0 | (c >> 18);
      out[p++] = 0x80 | ((c >> 12) & 0x3f);
      out[p++] = 0x80 | ((c >> 6) & 0x3f);
      out[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - at;
}

/** `writeUtf8` for long strings, through the native encoder; -1 on a lone surrogate. */
export function writeUtf8Long(s: string, out: Uint8Array, at: number): number {
  // encodeInto would silently write a lone surrogate as U+FFFD: a different string
  if (!isWellFormed(s)) return -1;
  return textEncoder.encodeInto(s, out.subarray(at)).written;
}

/** Strictly decodes UTF-8 (no replacement characters, BOM kept); undefined if invalid. */
export function readUtf8(bytes: Uint8Array): string | undefined {
  try {
    return textDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * UTF-8 byte order of two well-formed strings, from their UTF-16 units: it equals code-point
 * order, which differs from JS `<` only when surrogates (code points ≥ U+10000) meet units
 * U+E000..U+FFFF; remapping both ranges before comparing fixes that.
 */
export function compareUtf8(a: string, b: string): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}
