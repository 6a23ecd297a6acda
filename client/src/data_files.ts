// Which local files a training run needs, and reading them. The train block names its data
// (csv/json files, npy/idx file pairs, image folders); the panel's worker cannot read the
// disk, so the extension reads every byte here and hands it over. The path logic is plain
// (no `vscode` import) so unit tests drive it with a fake file system; train_command.ts
// adapts `vscode.workspace.fs` to the small `DataFs` interface below.

import * as path from 'node:path';
import type { TrainDataSource, TrainIR } from '../../engine/catalog/train_ir';
import type { DataFile } from '../../webview/protocol';

/** A file or a folder (read recursively) that a train block names, as an absolute path. */
export interface DataEntry {
  path: string;
  kind: 'file' | 'dir';
}

/** The file system operations the reader needs; `readDirectory` lists names with their kind. */
export interface DataFs {
  readFile(p: string): Promise<Uint8Array>;
  readDirectory(p: string): Promise<[string, 'file' | 'dir' | 'other'][]>;
}

/** The files and folders one data source names (none for a source without paths). */
function sourceEntries(source: TrainDataSource | null | undefined): DataEntry[] {
  if (!source) return [];
  const out: DataEntry[] = [];
  if (source.path !== undefined) out.push({ path: source.path, kind: source.kind === 'images' ? 'dir' : 'file' });
  for (const p of Object.values(source.files ?? {})) out.push({ path: p, kind: 'file' });
  return out;
}

/** Every file and folder the train block needs: the data, then a validation source, without repeats. */
export function dataEntries(train: TrainIR): DataEntry[] {
  const all = [...sourceEntries(train.data), ...(typeof train.validation === 'object' ? sourceEntries(train.validation) : [])];
  const seen = new Set<string>();
  return all.filter((e) => {
    const key = path.resolve(e.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** True when `p` is `folder` itself or lies below it (both absolute; no `..` escapes). */
export function isInside(p: string, folder: string): boolean {
  const rel = path.relative(path.resolve(folder), path.resolve(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The entries that lie outside every workspace folder (all of them when there is no folder). */
export function outsideFolders(entries: DataEntry[], folders: readonly string[]): DataEntry[] {
  return entries.filter((e) => !folders.some((f) => isInside(e.path, f)));
}

/**
 * The bytes as a plain Uint8Array. The extension host's file system gives Node Buffers, and
 * a Buffer crosses `postMessage` as JSON (`{type: 'Buffer', data: [...]}`, via its toJSON)
 * instead of as bytes, so the panel would get no bytes at all.
 */
export function plainBytes(data: Uint8Array): Uint8Array {
  return typeof Buffer !== 'undefined' && Buffer.isBuffer(data) ? new Uint8Array(data) : data;
}

/** The outcome of reading: the files, or the first problem as a message naming the path. */
export type ReadResult = { ok: true; files: DataFile[]; bytes: number } | { ok: false; message: string };

/** Above this many files in one image folder, reading stops with an error rather than hanging. */
export const MAX_FILES = 200_000;

/** Reads every entry: files as they are, folders recursively in sorted order (stable runs). */
export async function readDataFiles(entries: DataEntry[], fs: DataFs): Promise<ReadResult> {
  const files: DataFile[] = [];
  let bytes = 0;
  const readOne = async (p: string): Promise<string | null> => {
    try {
      const data = plainBytes(await fs.readFile(p));
      files.push({ path: p, bytes: data });
      bytes += data.byteLength;
      return null;
    } catch (e) {
      return `cannot read ${p}: ${e instanceof Error ? e.message : String(e)}`;
    }
  };
  const walk = async (dir: string): Promise<string | null> => {
    let listing: [string, 'file' | 'dir' | 'other'][];
    try {
      listing = await fs.readDirectory(dir);
    } catch (e) {
      return `cannot list the folder ${dir}: ${e instanceof Error ? e.message : String(e)}`;
    }
    for (const [name, kind] of [...listing].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (name.startsWith('.')) continue;
      const child = path.join(dir, name);
      const problem = kind === 'dir' ? await walk(child) : kind === 'file' ? await readOne(child) : null;
      if (problem) return problem;
      if (files.length > MAX_FILES) return `the folder ${dir} holds more than ${MAX_FILES} files`;
    }
    return null;
  };
  for (const e of entries) {
    const problem = e.kind === 'dir' ? await walk(e.path) : await readOne(e.path);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, files, bytes };
}
