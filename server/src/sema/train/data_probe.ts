// Looks at data files just enough to check them against a model while the user types: a
// CSV's header line and, on request, one column's distinct values (the class count of a
// string target); a JSON array's keys; an npy or IDX file's header and an image folder's
// classes and first image's size (file_headers.ts). Results are cached by path and modification time, so
// re-checking a file costs one stat per data file. Tests and the editor (which reads bytes
// through the client) can pass their own DataProbe.
//
// A CSV is read in chunks and never held whole, through the engine's CSV reader (so a quoted
// field holding a comma or a newline is one field here as it is to `netspec train`): the
// header is the first record, and a column's values are counted by streaming the file
// again, keeping at most MAX_DISTINCT values. The cache keeps only those answers, not the text, so checking
// a train block whose CSV is larger than memory costs a bounded amount of it (the CLI
// checks the file before it trains, and training's data budget must hold while it does).

import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { CsvReader, type CsvRecord } from '../../../../engine/src/data/csv';
import { firstInvalid } from '../../../../engine/src/data/utf8';
import type { DataResult } from '../../../../engine/src/data/data_error';
import { readArrayHeader, readImageFolder, type ArrayHeader, type ImageFolder } from './file_headers';

/** Bytes read at a time from a CSV file by the UTF-8 scan, which allocates nothing per chunk. */
const CHUNK_BYTES = 1 << 20;
/**
 * Bytes read at a time for the CSV reader: small, as `netspec train` streams, so the text and
 * the records of one chunk die young in V8's young generation instead of being promoted and
 * piling up as old garbage (1 MiB chunks raised the CLI's peak on a 64 MB CSV by ~45 MB).
 */
const RECORD_CHUNK_BYTES = 64 * 1024;
/** Distinct values kept per column; more cannot be the classes of a model's output. */
const MAX_DISTINCT = 100_000;

export interface ColumnInfo {
  /** Distinct non-empty values. */
  distinct: number;
  /** True when every non-empty value parses as a number. */
  numeric: boolean;
  /** The first row whose field count differs from the header's (its values are not to be trusted). */
  ragged?: { line: number; fields: number };
}

export type DataInfo =
  | {
      ok: true;
      format: 'csv' | 'json' | 'file' | 'folder';
      /** Column names (CSV header, keys of the first JSON record); empty for other files. */
      columns: string[];
      /** Distinct values of one column, read on demand; undefined when there is no such column. */
      column(name: string): ColumnInfo | undefined;
      /** A file's npy or IDX header, read on demand (format 'file'); may throw when the file went away. */
      arrayHeader?(): DataResult<ArrayHeader>;
      /** A folder's classes and first image, read on each call (format 'folder': its images may change under it); may throw. */
      imageFolder?(): ImageFolder;
    }
  | { ok: false; message: string };

export interface DataProbe {
  probe(path: string): DataInfo;
}

/** Distinct non-empty values (counted up to MAX_DISTINCT) and whether all are numbers. */
function columnInfo(values: Iterable<unknown>): ColumnInfo {
  const set = new Set<string>();
  let numeric = true;
  for (const v of values) {
    if (v === null || v === undefined || v === '') continue;
    const s = String(v);
    if (set.size < MAX_DISTINCT) set.add(s);
    if (typeof v !== 'number' && !Number.isFinite(Number(s))) numeric = false;
  }
  return { distinct: set.size, numeric };
}

/** The text of a file, RECORD_CHUNK_BYTES at a time (a character cut by a chunk's end is decoded with the next). */
function* fileText(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(RECORD_CHUNK_BYTES);
    const decoder = new TextDecoder();
    for (;;) {
      const n = readSync(fd, buffer, 0, RECORD_CHUNK_BYTES, null);
      if (n === 0) {
        yield decoder.decode();
        return;
      }
      yield decoder.decode(buffer.subarray(0, n), { stream: true });
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The records of a CSV file as the engine reads them, a chunk at a time; the file is closed
 * when the caller stops early. A fault (a quote never closed) ends the records: what follows
 * it cannot be read as rows, and training reports the fault at its line.
 */
export function* csvFileRecords(path: string): Generator<CsvRecord> {
  const reader = new CsvReader(path);
  for (const text of fileText(path)) {
    const r = reader.feed(text);
    if (!r.ok) return;
    yield* r.records;
  }
  const last = reader.end();
  if (last.ok) yield* last.records;
}

function probeCsv(path: string): DataInfo {
  let header: CsvRecord | undefined;
  for (const rec of csvFileRecords(path)) {
    header = rec;
    break;
  }
  // A first record of one blank field is a line of white space, not a header.
  if (!header || (header.fields.length === 1 && header.fields[0].trim() === '')) return { ok: false, message: 'the CSV file is empty, but a header row is required' };
  const columns = header.fields.map((f) => f.trim());
  const cache = new Map<string, ColumnInfo>();
  return {
    ok: true,
    format: 'csv',
    columns,
    column(name) {
      const index = columns.indexOf(name);
      if (index < 0) return undefined;
      let info = cache.get(name);
      if (!info) {
        let ragged: ColumnInfo['ragged'];
        try {
          info = columnInfo(
            (function* () {
              let first = true;
              for (const rec of csvFileRecords(path)) {
                if (first) {
                  first = false;
                  continue;
                }
                if (!ragged && rec.fields.length !== columns.length) ragged = { line: rec.line, fields: rec.fields.length };
                yield rec.fields[index]?.trim();
              }
            })(),
          );
        } catch {
          // The file went away or became unreadable since its header was read: nothing to check.
          return undefined;
        }
        if (ragged) info.ragged = ragged;
        cache.set(name, info);
      }
      return info;
    },
  };
}

function probeJson(text: string): DataInfo {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `the JSON file does not parse (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!Array.isArray(data) || data.length === 0 || typeof data[0] !== 'object' || data[0] === null) {
    return { ok: false, message: 'the JSON file must hold a non-empty array of records' };
  }
  const records = data as Record<string, unknown>[];
  const columns = Object.keys(records[0]);
  return {
    ok: true,
    format: 'json',
    columns,
    column(name) {
      if (!columns.includes(name)) return undefined;
      return columnInfo(records.map((r) => (r && typeof r === 'object' ? r[name] : undefined)));
    },
  };
}

/** A file as UTF-8 text; bytes that are not UTF-8 throw (they would become U+FFFD, a new label). */
function readUtf8(path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path));
  } catch (e) {
    if (e instanceof TypeError) throw new Error('it is not valid UTF-8');
    throw e;
  }
}

/**
 * Reads the whole file CHUNK_BYTES at a time into one buffer and throws when its bytes are
 * not UTF-8. It scans bytes rather than decoding them, so checking a large file allocates
 * nothing (decoding each chunk to a string cost ~40 MB of heap on a 64 MB CSV).
 */
function assertUtf8(path: string): void {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES + 4);
    let carried = 0;
    for (;;) {
      const n = readSync(fd, buffer, carried, CHUNK_BYTES, null);
      const end = carried + n;
      if (firstInvalid(buffer, 0, end, n === 0) >= 0) throw new Error('it is not valid UTF-8');
      if (n === 0) return;
      // A sequence cut off by the chunk's end continues in the next read.
      const cut = incompleteTail(buffer, end);
      buffer.copy(buffer, 0, end - cut, end);
      carried = cut;
    }
  } finally {
    closeSync(fd);
  }
}

/** How many bytes at the end of `b[0..end)` start a multi-byte sequence that is not complete. */
function incompleteTail(b: Uint8Array, end: number): number {
  for (let back = 1; back <= 3 && back <= end; back++) {
    const c = b[end - back];
    if (c < 0x80) return 0;
    if (c >= 0xc0) {
      const length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return length > back ? back : 0;
    }
  }
  return 0;
}

/** The default probe: reads files with Node, cached by path and modification time. */
export class NodeDataProbe implements DataProbe {
  private readonly cache = new Map<string, { mtime: number; size: number; info: DataInfo }>();

  probe(path: string): DataInfo {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return { ok: false, message: `cannot find the data file ${path}` };
    }
    const hit = this.cache.get(path);
    if (hit && hit.mtime === stat.mtimeMs && hit.size === stat.size) return hit.info;
    let info: DataInfo;
    if (stat.isDirectory()) {
      info = { ok: true, format: 'folder', columns: [], column: () => undefined, imageFolder: () => readImageFolder(path) };
    } else {
      try {
        const lower = path.toLowerCase();
        if (lower.endsWith('.csv')) {
          assertUtf8(path);
          info = probeCsv(path);
        } else if (lower.endsWith('.json')) info = probeJson(readUtf8(path));
        else {
          let header: DataResult<ArrayHeader> | undefined;
          info = { ok: true, format: 'file', columns: [], column: () => undefined, arrayHeader: () => (header ??= readArrayHeader(path)) };
        }
      } catch (e) {
        info = { ok: false, message: `cannot read the data file ${path} (${e instanceof Error ? e.message : String(e)})` };
      }
    }
    this.cache.set(path, { mtime: stat.mtimeMs, size: stat.size, info });
    return info;
  }
}

/** One probe for the process, so its cache serves every check. */
export const defaultDataProbe: DataProbe = new NodeDataProbe();
