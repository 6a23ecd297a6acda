// The one CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, blank lines
// skipped, a byte order mark ignored) of everything that reads a CSV: the training data
// loaders, which stream a file in chunks (csv_stream_load.ts) or hand over a whole text as
// one chunk (`parseCsv`), and the editor's data probe (server/src/sema/train/data_probe.ts). So a
// quoted field that holds a comma or a newline is one field to all of them. It keeps the
// line where every record starts and reports faults with a line and column, so a bad value
// can be reported exactly where the user can fix it. Fields stay strings; turning them into
// numbers is table.ts's job. `CsvRows` checks what makes records a table (a header of
// distinct names, one field per column in every row) with the same words for every reader.

import { dataFail, type DataError, type DataResult } from './data_error';

export interface CsvRecord {
  fields: string[];
  /** The 1-based line where the record starts. */
  line: number;
}

/** What one chunk gave: the records it completed, or the first fault. */
export type CsvChunk = { ok: true; records: CsvRecord[] } | { ok: false; error: DataError };

/**
 * A push parser: `feed` each decoded piece of text in order, then `end`. The pieces may be
 * cut anywhere (inside a quoted field, between '\r' and '\n'); a whole text is one piece.
 */
export class CsvReader {
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
 * The checks that make CSV records a table, fed one record at a time: the header's names
 * (trimmed, none empty, none twice), then each row's field count; `end` reports an empty
 * file or one with no data rows. A header of blank names is the empty-file fault when
 * nothing but white space follows, so its own fault waits until content is seen.
 */
export class CsvRows {
  header: string[] | null = null;
  headerLine = 1;
  rows = 0;
  private sawContent = false;
  private headerFault: DataResult<never> | null = null;

  constructor(private readonly file: string) {}

  /** Before each chunk's records: the reader's `sawContent` so far; a header fault that waited for it. */
  content(sawContent: boolean): DataResult<never> | null {
    if (sawContent) this.sawContent = true;
    return this.headerFault && this.sawContent ? this.headerFault : null;
  }

  /** 'header' or 'row' for a record that reads well, 'skip' while a header fault waits, else the fault. */
  take(rec: CsvRecord): 'header' | 'row' | 'skip' | DataResult<never> {
    if (this.headerFault) return this.sawContent ? this.headerFault : 'skip';
    if (this.header === null) {
      const header = rec.fields.map((h) => h.trim());
      this.header = header;
      this.headerLine = rec.line;
      if (header.some((h) => h === '')) {
        this.headerFault = dataFail(this.file, `the header row has an empty column name (column ${header.indexOf('') + 1}); every column needs a name`, { line: rec.line });
        return this.sawContent ? this.headerFault : 'skip';
      }
      const seen = new Set<string>();
      for (const h of header) {
        if (seen.has(h)) return dataFail(this.file, `the header names column "${h}" twice`, { line: rec.line });
        seen.add(h);
      }
      return 'header';
    }
    if (rec.fields.length !== this.header.length) {
      return dataFail(this.file, `row has ${rec.fields.length} fields but the header has ${this.header.length} (${this.header.join(', ')}); every row needs one value per column`, { line: rec.line, column: 1 });
    }
    this.rows++;
    return 'row';
  }

  /** After the last record: the header and the row count, or the empty-file and no-rows faults. */
  end(): DataResult<{ header: string[]; rows: number }> {
    if (this.header === null || !this.sawContent) return dataFail(this.file, 'the file is empty; a CSV needs a header row and at least one data row');
    if (this.rows === 0) return dataFail(this.file, 'the file has a header row but no data rows', { line: this.headerLine });
    return { ok: true, value: { header: this.header, rows: this.rows } };
  }
}

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** 1-based source line of each row (a quoted field may span lines; this is where it starts). */
  lines: number[];
}

/**
 * A whole text as a table: the reader's one-chunk case. Every record is read before the
 * table checks run, so a fault in the text (a quote never closed) comes before a fault in
 * the table's shape, as when the text is streamed and a fault ends the stream.
 */
export function parseCsv(text: string, file: string): DataResult<CsvTable> {
  const reader = new CsvReader(file);
  const body = reader.feed(text);
  if (!body.ok) return body;
  const last = reader.end();
  if (!last.ok) return last;
  const table = new CsvRows(file);
  const waiting = table.content(reader.sawContent);
  if (waiting) return waiting;
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const records of [body.records, last.records]) {
    for (const rec of records) {
      const r = table.take(rec);
      if (r === 'skip') break;
      if (r === 'row') {
        rows.push(rec.fields);
        lines.push(rec.line);
      } else if (r !== 'header') return r;
    }
  }
  const done = table.end();
  if (!done.ok) return done;
  return { ok: true, value: { header: done.value.header, rows, lines } };
}

/**
 * The records of a byte stream, a chunk's worth at a time; a fault ends the stream with an
 * error value (and so does an exception from the stream itself, as `data-error`).
 */
export async function* csvRecordChunks(bytes: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<CsvChunk & { sawContent: boolean }> {
  const decoder = new TextDecoder();
  const reader = new CsvReader(file);
  try {
    for await (const chunk of bytes) {
      const r = reader.feed(decoder.decode(chunk, { stream: true }));
      yield { ...r, sawContent: reader.sawContent };
      if (!r.ok) return;
    }
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    const why = typeof code === 'string' ? code : e instanceof Error ? e.message : String(e);
    yield { ok: false, error: { code: 'data-error', file, message: `the CSV file cannot be read (${why})` }, sawContent: reader.sawContent };
    return;
  }
  const tail = reader.feed(decoder.decode());
  if (!tail.ok) {
    yield { ...tail, sawContent: reader.sawContent };
    return;
  }
  const last = reader.end();
  yield last.ok ? { ok: true, records: [...tail.records, ...last.records], sawContent: reader.sawContent } : { ...last, sawContent: reader.sawContent };
}
