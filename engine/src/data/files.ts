// How the data loaders reach files without knowing where they run: the CLI reads the disk
// (cli/src/data/node_files.ts), the editor's webview gets the bytes the extension read and
// wraps them with `memoryFiles`. Paths use '/' in messages and lookups; the helpers below
// stand in for node:path so the loaders also bundle for the browser.

import { dataFail, type DataResult } from './data_error';
import { utf8Fault, utf8Message } from './utf8';

/** A decoded image as RGBA bytes, row-major. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface DirEntry {
  name: string;
  isDir: boolean;
}

/**
 * Where DiskRows reads its rows: fixed-size binary rows (disk_rows.ts) by byte range. A
 * RowStore is one; a file of npy or IDX rows converted on read is another (array_rows.ts).
 */
export interface RowReader {
  /** `length` bytes from byte `offset` of the rows, in a fresh array. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases what the rows hold (a temporary file is removed); safe to call twice. */
  delete(): Promise<void>;
}

/**
 * A temporary file of fixed-size binary rows, for data sets whose arrays exceed the memory
 * budget (disk_rows.ts). Rows are appended in order while the data is read, then read back
 * by byte range while training. The owner deletes it when the run ends, however it ends.
 */
export interface RowStore extends RowReader {
  /** Appends whole rows (a multiple of the row size); synchronous so a parser can call it per chunk. */
  append(bytes: Uint8Array): void;
  /** `length` bytes from byte `offset`, in a fresh array. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Closes the file; reads fail afterwards. */
  close(): Promise<void>;
  /** Closes and removes the file; safe to call twice. */
  delete(): Promise<void>;
}

export interface DataFiles {
  /** A whole file; missing, unreadable and empty files are errors naming the path and `role`. */
  read(path: string, role: string): Promise<DataResult<Uint8Array>>;
  /** The entries of a folder, sorted by name; a missing folder or a file is an error. */
  list(dir: string): Promise<DataResult<DirEntry[]>>;
  gunzip(bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * The file as a stream of chunks, for sources too large to hold as one array (the CSV
   * reader uses it when present). Absent where files are held in memory anyway.
   */
  stream?(path: string): AsyncIterable<Uint8Array>;
  /** With `stream`: checks that the file exists, is a file and is not empty, with read()'s messages. */
  probe?(path: string, role: string): Promise<DataResult<true>>;
  /**
   * Up to `length` bytes of the file from byte `offset`, fewer only where the file ends
   * first; for npy and IDX sources larger than the memory budget, read a block of rows at a
   * time. Throws on a missing or unreadable file (probe first). Absent where files are held in memory.
   */
  readRange?(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** A new temporary row store of `rowBytes`-byte rows; absent where data is held in memory anyway. */
  createRowStore?(rowBytes: number): Promise<RowStore>;
  /** PNG or JPEG to RGBA; absent where no decoder is available. */
  decodeImage?(bytes: Uint8Array, path: string): DataResult<Rgba> | Promise<DataResult<Rgba>>;
}

/** A whole text file as a string; bytes that are not UTF-8 are an error naming their line. */
export async function readText(files: DataFiles, path: string, role: string): Promise<DataResult<string>> {
  const r = await files.read(path, role);
  if (!r.ok) return r;
  const fault = utf8Fault(r.value);
  if (fault) return dataFail(path, utf8Message(fault), { line: fault.line });
  return { ok: true, value: new TextDecoder().decode(r.value) };
}

export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] ?? path;
}

export function extname(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot) : '';
}

export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== '')
    .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
    .join('/');
}

/**
 * Files held in memory by path (the webview's case): folders are implied by the paths, so
 * `images(DIR)` works when the extension sends every `DIR/<class>/<file>`.
 */
export function memoryFiles(
  bytes: ReadonlyMap<string, Uint8Array>,
  gunzip: DataFiles['gunzip'],
  decodeImage?: DataFiles['decodeImage'],
): DataFiles {
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const byPath = new Map([...bytes].map(([p, b]) => [norm(p), b]));
  return {
    async read(path, role) {
      const b = byPath.get(norm(path));
      if (!b) return dataFail(path, `the ${role} was not sent to the training panel; check the path (relative paths are resolved against the model file's folder)`);
      if (b.length === 0) return dataFail(path, `the ${role} is empty (0 bytes); regenerate or re-download it`);
      return { ok: true, value: b };
    },
    async list(dir) {
      const prefix = norm(dir) + '/';
      const entries = new Map<string, boolean>();
      for (const p of byPath.keys()) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      if (entries.size === 0) return dataFail(dir, 'the folder does not exist or holds no files');
      return { ok: true, value: [...entries].map(([name, isDir]) => ({ name, isDir })).sort((a, b) => (a.name < b.name ? -1 : 1)) };
    },
    gunzip,
    decodeImage,
  };
}
