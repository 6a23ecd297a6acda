// The CLI's DataFiles: bytes from the disk, chunked streams for large CSV files, byte
// ranges for large npy and IDX files, gunzip from zlib, PNG from pngjs and JPEG from
// jpeg-js. Every failure is an error value that names the file: a missing path, a folder
// where a file belongs, an empty file, an undecodable image.

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { dataFail, type DataResult } from '../../../engine/src/data/data_error';
import type { DataFiles, DirEntry, RowStore, Rgba } from '../../../engine/src/data/files';
import { imageDecodeMessage } from './image_errors';

function nodeCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

/** Checks that `path` is an existing, non-empty file, before it is read or streamed. */
export async function probeFile(path: string, role = 'data file'): Promise<DataResult<true>> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) return dataFail(path, `the ${role} is a folder, but a file is expected here`);
    if (s.size === 0) return dataFail(path, `the ${role} is empty (0 bytes); regenerate or re-download it`);
  } catch (e) {
    const code = nodeCode(e);
    if (code === 'ENOENT') return dataFail(path, `the ${role} does not exist; check the path (relative paths are resolved against the model file's folder)`);
    return dataFail(path, `the ${role} cannot be read (${code})`);
  }
  return { ok: true, value: true };
}

/** Reads a whole file; missing, unreadable and empty files are errors with a fix. */
export async function readBytes(path: string, role = 'data file'): Promise<DataResult<Uint8Array>> {
  const probed = await probeFile(path, role);
  if (!probed.ok) return probed;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    return dataFail(path, `the ${role} cannot be read (${nodeCode(e)})`);
  }
  if (bytes.length === 0) return dataFail(path, `the ${role} is empty (0 bytes); regenerate or re-download it`);
  return { ok: true, value: bytes };
}

async function listDir(path: string): Promise<DataResult<DirEntry[]>> {
  try {
    const s = await stat(path);
    if (!s.isDirectory()) return dataFail(path, 'this is a file, but a folder is expected here');
    const names = (await readdir(path)).sort();
    const entries: DirEntry[] = [];
    for (const name of names) entries.push({ name, isDir: (await stat(`${path}/${name}`)).isDirectory() });
    return { ok: true, value: entries };
  } catch (e) {
    const code = nodeCode(e);
    if (code === 'ENOENT') return dataFail(path, 'the folder does not exist');
    return dataFail(path, `the folder cannot be read (${code})`);
  }
}

/** Decodes one PNG or JPEG file to RGBA bytes. */
export function decodeImage(bytes: Uint8Array, file: string): DataResult<Rgba> {
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  try {
    if (isPng) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { ok: true, value: { width: png.width, height: png.height, data: new Uint8Array(png.data) } };
    }
    if (isJpeg) {
      const jpg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
      return { ok: true, value: { width: jpg.width, height: jpg.height, data: jpg.data } };
    }
  } catch (e) {
    return dataFail(file, imageDecodeMessage(isPng ? 'PNG' : 'JPEG', e));
  }
  return dataFail(file, 'the file is neither PNG nor JPEG (its first bytes are not a PNG or JPEG signature)');
}

/** Bytes of a streamed file read at a time. */
export const STREAM_CHUNK_BYTES = 64 * 1024;

/**
 * The file in chunks of STREAM_CHUNK_BYTES read into one reused buffer, so a large CSV is
 * never held whole and reading it allocates nothing per chunk: each chunk is valid until the
 * next is asked for (the CSV reader decodes it at once). Small chunks keep the text and the
 * records parsed from one chunk small enough to die young in V8's young generation, instead
 * of being promoted and piling up as old garbage between full collections.
 */
async function* streamFile(path: string): AsyncIterable<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(STREAM_CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The folders of row stores not yet deleted, removed synchronously if the process exits first. */
const liveStores = new Set<string>();
let exitHookSet = false;

/** Removes every row store still on disk (the process is exiting: Ctrl-C twice, an error). */
export function deleteRowStoresSync(): void {
  for (const dir of liveStores) rmSync(dir, { recursive: true, force: true });
  liveStores.clear();
}

/**
 * A row store in a fresh folder under os.tmpdir() (netspec-rows-XXXXXX/rows.bin): appends
 * are synchronous writes, reads are positioned reads of a file handle, and the folder is
 * removed by delete() or, failing that, when the process exits.
 */
export async function createRowStore(rowBytes: number): Promise<RowStore> {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-rows-'));
  liveStores.add(dir);
  if (!exitHookSet) {
    exitHookSet = true;
    process.on('exit', deleteRowStoresSync);
  }
  const file = join(dir, 'rows.bin');
  let fd: number | null = openSync(file, 'w');
  let reader: Awaited<ReturnType<typeof open>> | null = null;
  let size = 0;
  const closeWriter = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return {
    append(bytes) {
      if (fd === null) throw new Error('the row store is closed for writing');
      if (bytes.length % rowBytes !== 0) throw new Error(`appended ${bytes.length} bytes, not whole rows of ${rowBytes}`);
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
      size += bytes.length;
    },
    async read(offset, length) {
      closeWriter();
      reader ??= await open(file, 'r');
      if (offset < 0 || offset + length > size) throw new Error(`read of bytes ${offset}..${offset + length} past the rows' ${size} bytes`);
      const out = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const r = await reader.read(out, got, length - got, offset + got);
        if (r.bytesRead === 0) throw new Error('the row file ended early');
        got += r.bytesRead;
      }
      return out;
    },
    async close() {
      closeWriter();
      await reader?.close();
      reader = null;
    },
    async delete() {
      closeWriter();
      await reader?.close().catch(() => undefined);
      reader = null;
      await rm(dir, { recursive: true, force: true });
      liveStores.delete(dir);
    },
  };
}

/**
 * Up to `length` bytes of `path` from `offset` (fewer where the file ends first), through a
 * file handle opened for the call, so a block of npy or IDX rows is read without the rest.
 */
export async function readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const want = Math.max(0, Math.min(length, size - offset));
    const out = new Uint8Array(want);
    let got = 0;
    while (got < want) {
      const r = await handle.read(out, got, want - got, offset + got);
      if (r.bytesRead === 0) break;
      got += r.bytesRead;
    }
    return got === want ? out : out.subarray(0, got);
  } finally {
    await handle.close();
  }
}

export const nodeFiles: DataFiles = {
  read: readBytes,
  readRange,
  createRowStore,
  stream: streamFile,
  probe: probeFile,
  list: listDir,
  gunzip: (bytes) => new Uint8Array(gunzipSync(bytes)),
  decodeImage,
};
