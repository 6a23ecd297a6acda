// Adapters from the text formats to a RecordTable: CSV keeps line and column for every
// cell; a JSON array of records keeps the record index (JSON.parse reports no positions).

import { parseCsv } from './csv';
import { dataFail, type DataResult } from './data_error';
import type { RecordTable } from './table';

export function csvTable(text: string, file: string): DataResult<RecordTable> {
  const parsed = parseCsv(text, file);
  if (!parsed.ok) return parsed;
  const { header, rows, lines } = parsed.value;
  // Column positions are counted on the raw line; for quoted fields this is approximate,
  // so only the field's 1-based index is trusted and reported as the column.
  return {
    ok: true,
    value: { file, columns: header, rows, locate: (r, c) => ({ line: lines[r], column: c + 1 }) },
  };
}

export function jsonTable(text: string, file: string): DataResult<RecordTable> {
  if (text.trim() === '') return dataFail(file, 'the file is empty; expected a JSON array of records');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let at: { line?: number; column?: number } | undefined;
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      at = { line, column: Number(pos[1]) - before.lastIndexOf('\n') };
    }
    return dataFail(file, `the file is not valid JSON: ${msg}`, at);
  }
  if (!Array.isArray(data) || data.length === 0) return dataFail(file, 'expected a non-empty JSON array of records ([{"col": value, ...}, ...])');
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const rec of data) {
    if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) {
      return dataFail(file, `record ${data.indexOf(rec)} is ${Array.isArray(rec) ? 'an array' : String(rec)}; every element must be an object of column values`);
    }
    for (const k of Object.keys(rec)) if (!seen.has(k)) { seen.add(k); columns.push(k); }
  }
  const rows = data.map((rec: Record<string, unknown>) =>
    columns.map((c) => {
      const v = rec[c];
      return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : null;
    }),
  );
  return { ok: true, value: { file, columns, rows, locate: (r) => ({ record: r }) } };
}
