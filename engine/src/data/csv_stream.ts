// An incremental CSV reader for files too large to hold as text: it takes the file in chunks
// of bytes (DataFiles.stream), decodes them as UTF-8 across chunk boundaries, and hands out
// records (fields and the 1-based line where each starts) a chunk's worth at a time. It
// follows csv.ts exactly (RFC 4180 quotes, CRLF or LF, blank lines skipped, a byte order
// mark ignored) and reports the same faults with the same words and places, so a file
// reads the same whether it is parsed whole or streamed.

import type { DataError } from './data_error';

export interface CsvRecord {
  fields: string[];
  /** The 1-based line where the record starts. */
  line: number;
}

/** What one chunk gave: the records it completed, or the first fault. */
export type CsvChunk = { ok: true; records: CsvRecord[] } | { ok: false; error: DataError };

/** A push parser: `feed` each decoded piece of text in order, then `end`. */
export class CsvStreamParser {
  private fields: string[] = [];
  private field = '';
  private quoted = false;
  /** Inside quotes a '"' was the last character: a doubled quote or the closing one. */
  private quoteSeen = false;
  /** A '\r' ended the last piece; a '\n' that starts the next belongs to it. */
  private crSeen = false;
  private line = 1;
  private recordLine = 1;
  /** Characters of the current line before the current piece, for columns. */
  private column = 0;
  private fieldStartCol = 1;
  private started = false;
  /** True once a character other than white space was seen (an empty file is its own fault). */
  sawContent = false;

  constructor(private readonly file: string) {}

  feed(text: string): CsvChunk {
    const records: CsvRecord[] = [];
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!this.sawContent && text.trim() !== '') this.sawContent = true;
    const n = text.length;
    let i = 0;
    let lineStart = -this.column;
    if (this.crSeen && n > 0) {
      this.crSeen = false;
      if (text[0] === '\n') {
        i = 1;
        lineStart = 1;
      }
    }
    while (i < n) {
      if (this.quoteSeen) {
        this.quoteSeen = false;
        const c = text[i];
        if (c === '"') {
          this.field += '"';
          i++;
          continue;
        }
        this.quoted = false;
        if (c !== ',' && c !== '\n' && c !== '\r') {
          return this.fail(`unexpected character ${JSON.stringify(c)} after a closing quote; a quoted field must end at a comma or the end of the line`, this.line, i - lineStart + 1);
        }
        continue;
      }
      if (this.quoted) {
        // Copy the run up to the next quote in one slice, counting the newlines inside it.
        let j = i;
        while (j < n && text[j] !== '"') {
          if (text[j] === '\n') {
            this.line++;
            lineStart = j + 1;
          }
          j++;
        }
        this.field += text.slice(i, j);
        if (j < n) {
          this.quoteSeen = true;
          j++;
        }
        i = j;
        continue;
      }
      const c = text[i];
      if (c === '"' && this.field === '') {
        this.quoted = true;
        this.fieldStartCol = i - lineStart + 1;
        i++;
        continue;
      }
      if (c === ',') {
        this.fields.push(this.field);
        this.field = '';
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        this.endRecord(records);
        if (c === '\r') {
          if (i + 1 < n) {
            if (text[i + 1] === '\n') i++;
          } else this.crSeen = true;
        }
        i++;
        this.line++;
        lineStart = i;
        this.recordLine = this.line;
        continue;
      }
      // An unquoted run up to the next delimiter, in one slice.
      let j = i + 1;
      while (j < n) {
        const d = text[j];
        if (d === ',' || d === '\r' || d === '\n') break;
        j++;
      }
      this.field += text.slice(i, j);
      i = j;
    }
    this.column = n - lineStart;
    return { ok: true, records };
  }

  /** The last record (a file need not end in a newline), or the unclosed quote's fault. */
  end(): CsvChunk {
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.quoted = false;
    }
    if (this.quoted) return this.fail('a quoted field is never closed (missing \'"\')', this.recordLine, this.fieldStartCol);
    const records: CsvRecord[] = [];
    this.endRecord(records);
    return { ok: true, records };
  }

  private endRecord(records: CsvRecord[]): void {
    this.fields.push(this.field);
    this.field = '';
    if (!(this.fields.length === 1 && this.fields[0] === '')) records.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
  }

  private fail(message: string, line: number, column: number): CsvChunk {
    return { ok: false, error: { code: 'data-error', file: this.file, message, line, column } };
  }
}

/**
 * The records of a byte stream, a chunk's worth at a time; a fault ends the stream with an
 * error value (and so does an exception from the stream itself, as `data-error`).
 */
export async function* csvRecordChunks(bytes: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<CsvChunk & { sawContent: boolean }> {
  const decoder = new TextDecoder();
  const parser = new CsvStreamParser(file);
  try {
    for await (const chunk of bytes) {
      const r = parser.feed(decoder.decode(chunk, { stream: true }));
      yield { ...r, sawContent: parser.sawContent };
      if (!r.ok) return;
    }
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why = typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
    yield { ok: false, error: { code: 'data-error', file, message: `the CSV file cannot be read (${why})` }, sawContent: parser.sawContent };
    return;
  }
  const tail = parser.feed(decoder.decode());
  if (!tail.ok) {
    yield { ...tail, sawContent: parser.sawContent };
    return;
  }
  const last = parser.end();
  yield last.ok ? { ok: true, records: [...tail.records, ...last.records], sawContent: parser.sawContent } : { ...last, sawContent: parser.sawContent };
}
