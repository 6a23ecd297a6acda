// Reading the bytes behind a data source, with every failure an error value that names the
// file: a missing path, a folder where a file belongs, an empty file. Decompression of
// gzipped files lives here too, so the format readers stay functions of bytes.

import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { dataFail, type DataResult } from '../../../engine/src/data/data_error';

function nodeCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/** Reads a whole file; missing, unreadable and empty files are errors with a fix. */
export async function readBytes(path: string, role = 'data file'): Promise<DataResult<Uint8Array>> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return dataFail(path, `the ${role} is a folder, but a file is expected here`);
  } catch (e) {
    const code = nodeCode(e);
    if (code === 'ENOENT') return dataFail(path, `the ${role} does not exist; check the path (relative paths are resolved against the model file's folder)`);
    return dataFail(path, `the ${role} cannot be read (${code})`);
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    return dataFail(path, `the ${role} cannot be read (${nodeCode(e)})`);
  }
  if (bytes.length === 0) return dataFail(path, `the ${role} is empty (0 bytes); regenerate or re-download it`);
  return { ok: true, value: bytes };
}

/** Reads a file as UTF-8 text with readBytes' errors. */
export async function readText(path: string, role = 'data file'): Promise<DataResult<string>> {
  const r = await readBytes(path, role);
  if (!r.ok) return r;
  return { ok: true, value: new TextDecoder().decode(r.value) };
}

/** The zlib gunzip for parseIdx, which takes its decompressor as an argument. */
export function gunzip(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(gunzipSync(bytes));
}
