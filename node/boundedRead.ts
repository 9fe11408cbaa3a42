import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Reads a whole regular file of at most `maxBytes`. Checks before reading: a huge file is
 * refused by its size, and a special file (a FIFO, /dev/zero, a directory) is refused
 * outright — `readFileSync` would read /dev/zero until memory runs out. Opened with
 * O_NONBLOCK so that opening a FIFO with no writer does not hang either.
 * Throws a plain Error (or the fs error) for the caller to wrap with its own context.
 */
export function readBoundedFile(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
