// A CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF) that keeps the line and
// column of every field so a bad value can be reported exactly where the user can fix it.
// Rows are returned as strings; turning them into numbers is table.ts's job.

import { dataFail, type DataResult } from './data_error';

export interface CsvTable {
  header: string[];
  rows: string[][];
  /** 1-based source line of each row (a quoted field may span lines; this is where it starts). */
  lines: number[];
}

/** Byte order marks and a trailing blank line are common in exported files; both are ignored. */
export function parseCsv(text: string, file: string): DataResult<CsvTable> {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return dataFail(file, 'the file is empty; a CSV needs a header row and at least one data row');
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let fieldStartCol = 1;
  let lineStart = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false; i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          return dataFail(file, `unexpected character ${JSON.stringify(next)} after a closing quote; a quoted field must end at a comma or the end of the line`, { line, column: i - lineStart + 1 });
        }
        continue;
      }
      if (c === '\n') { line++; lineStart = i + 1; }
      field += c; i++;
      continue;
    }
    if (c === '"' && field === '') { quoted = true; fieldStartCol = i - lineStart + 1; i++; continue; }
    if (c === ',') { fields.push(field); field = ''; i++; continue; }
    if (c === '\r' || c === '\n') {
      fields.push(field); field = '';
      if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });
      fields = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
      i++; line++; lineStart = i; recordLine = line;
      continue;
    }
    field += c; i++;
  }
  if (quoted) return dataFail(file, 'a quoted field is never closed (missing \'"\')', { line: recordLine, column: fieldStartCol });
  fields.push(field);
  if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: recordLine });

  const header = records[0].fields.map((h) => h.trim());
  if (header.some((h) => h === '')) {
    return dataFail(file, `the header row has an empty column name (column ${header.indexOf('') + 1}); every column needs a name`, { line: records[0].line });
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) return dataFail(file, `the header names column "${h}" twice`, { line: records[0].line });
    seen.add(h);
  }
  if (records.length < 2) return dataFail(file, 'the file has a header row but no data rows', { line: records[0].line });
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    if (rec.fields.length !== header.length) {
      return dataFail(file, `row has ${rec.fields.length} fields but the header has ${header.length} (${header.join(', ')}); every row needs one value per column`, { line: rec.line, column: 1 });
    }
    rows.push(rec.fields);
    lines.push(rec.line);
  }
  return { ok: true, value: { header, rows, lines } };
}

/** Reads just the header row (cheap: the editor probes data files while the user types). */
export function csvHeader(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const end = text.search(/\r?\n/);
  const first = end < 0 ? text : text.slice(0, end);
  const parsed = parseCsv(first + '\n', '');
  return parsed.ok ? parsed.value.header : first.split(',').map((s) => s.trim());
}
