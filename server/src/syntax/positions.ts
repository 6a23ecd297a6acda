// Converts between UTF-16 offsets (what every span holds) and 0-based line/character
// positions (what editors and the CLI show). The line starts are computed once and searched
// with a binary search, so a lookup costs O(log lines). `\n`, `\r\n` and a lone `\r` each
// end a line, as in LSP.

export interface LinePosition {
  line: number;
  character: number;
}

export class LineIndex {
  /** The offset at which each line starts; the first is always 0. */
  private readonly starts: number[];
  /** The offset at which each line's content ends (before its line break). */
  private readonly ends: number[];
  private readonly length: number;

  constructor(text: string) {
    const starts = [0];
    const ends: number[] = [];
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 || c === 10) {
        ends.push(i);
        if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    ends.push(n);
    this.starts = starts;
    this.ends = ends;
    this.length = n;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position of `offset`, clamped to the text. */
  positionAt(offset: number): LinePosition {
    const off = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: off - this.starts[lo] };
  }

  /** The offset of a position; a character past the end of its line clamps to the line's end. */
  offsetAt(pos: LinePosition): number {
    if (!Number.isFinite(pos.line) || pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.length;
    const start = this.starts[pos.line];
    const ch = Number.isFinite(pos.character) ? Math.max(0, Math.floor(pos.character)) : 0;
    return Math.min(start + ch, this.ends[pos.line]);
  }

  /** The offset where a line starts (clamped to the existing lines). */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
}
