// UTF-8 validation for text data files, so that a byte that is not UTF-8 is reported with
// its line instead of becoming U+FFFD (which would turn a label into a new class). The
// fast path is the platform's fatal TextDecoder; only when it refuses a chunk is the chunk
// scanned byte by byte to find where. Works on a whole file or on a stream of chunks.

/** Where the first invalid byte sits: 1-based line, its value, and its index in the chunk pushed last (below 0: in the chunk before). */
export interface Utf8Fault {
  line: number;
  byte: number;
  index: number;
}

/**
 * The index of the first byte in `b[start..end)` that starts an invalid sequence, or -1.
 * A sequence cut off by `end` is invalid only when `final` (the end of the file).
 */
export function firstInvalid(b: Uint8Array, start: number, end: number, final: boolean): number {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= end) return final ? i : -1;
      const d = b[i + k];
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function countLines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = b.indexOf(0x0a); i >= 0 && i < end; i = b.indexOf(0x0a, i + 1)) n++;
  return n;
}

/** The last `n` bytes of `a` followed by `b`. */
function lastBytes(a: Uint8Array, b: Uint8Array, n: number): Uint8Array {
  if (b.length >= n) return b.slice(b.length - n);
  const joined = new Uint8Array(Math.min(n, a.length + b.length));
  const fromA = joined.length - b.length;
  joined.set(a.subarray(a.length - fromA));
  joined.set(b, fromA);
  return joined;
}

/** Checks chunks in order: `push` each, then `end`; each returns the first fault, or null. */
export class Utf8Checker {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Newlines in the chunks before the current one. */
  private lines = 0;
  /** Up to three bytes at the end of the last chunk: an incomplete sequence continues here. */
  private tail: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Utf8Fault | null {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      return this.locate(chunk, false);
    }
    this.lines += countLines(chunk, chunk.length);
    this.tail = lastBytes(this.tail, chunk, 3);
    return null;
  }

  end(): Utf8Fault | null {
    try {
      this.decoder.decode();
    } catch {
      return this.locate(new Uint8Array(0), true);
    }
    return null;
  }

  /** Scans the last chunk's tail and `chunk` from a sequence boundary to find the bad byte. */
  private locate(chunk: Uint8Array, final: boolean): Utf8Fault {
    let from = 0;
    while (from < this.tail.length && this.tail[from] >= 0x80 && this.tail[from] <= 0xbf) from++;
    const joined = new Uint8Array(this.tail.length - from + chunk.length);
    joined.set(this.tail.subarray(from));
    joined.set(chunk, this.tail.length - from);
    const offset = this.tail.length - from;
    const bad = Math.max(firstInvalid(joined, 0, joined.length, final), 0);
    const inChunk = bad - offset;
    return { line: this.lines + 1 + (inChunk > 0 ? countLines(chunk, inChunk) : 0), byte: joined[bad] ?? 0, index: inChunk };
  }
}

/** The first invalid byte of a whole file, or null when it is valid UTF-8. */
export function utf8Fault(bytes: Uint8Array): Utf8Fault | null {
  const check = new Utf8Checker();
  return check.push(bytes) ?? check.end();
}

/** The message for a fault, naming the byte and the line (the caller adds the file). */
export function utf8Message(f: Utf8Fault): string {
  const hex = f.byte.toString(16).toUpperCase().padStart(2, '0');
  return `the file is not valid UTF-8: line ${f.line} holds the byte 0x${hex}, which does not start or continue a UTF-8 character; re-save the file as UTF-8`;
}
