// Reads just enough of npy, IDX and image-folder sources for the editor to check them
// against a model: an array file's header (a gzipped IDX file is inflated only as far as
// its header) and an image folder's class sub-folders with the size of its first image.
// The parsing is the engine's (npy.ts, idx.ts, image_size.ts), so the editor reads the
// headers exactly as `netspec train` does; no file is read whole.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { constants, gunzipSync } from 'node:zlib';
import { dataFail, type DataResult } from '../../../../engine/src/data/data_error';
import { parseIdxHeader } from '../../../../engine/src/data/idx';
import { parseNpyHeader } from '../../../../engine/src/data/npy';
import { imageSize, type ImageSize } from '../../../../engine/src/data/image_size';
import { IMAGE_EXTENSIONS } from '../../../../engine/src/data/images';
import { extname } from '../../../../engine/src/data/files';

/** Bytes read from the start of an array file: an IDX header (at most 4 + 4 * 255 bytes), even gzipped, fits. */
const HEAD_BYTES = 64 * 1024;
/** Bytes read from the start of an image, in which a JPEG's frame header must lie (it follows EXIF data). */
const IMAGE_HEAD_BYTES = 256 * 1024;

export interface ArrayHeader {
  format: 'npy' | 'idx';
  shape: number[];
}

export interface ImageFolder {
  /** Sub-folder names, sorted: the class labels. */
  classes: string[];
  /** The first image of the first class that holds one, with its size; null when none holds an image. */
  first: { path: string; size: DataResult<ImageSize> } | null;
}

/** Up to `length` bytes from the start of a file. */
function readHead(path: string, length: number): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const n = readSync(fd, buffer, 0, length, 0);
    return buffer.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The npy or IDX header of an array file, told apart by their signatures. */
export function readArrayHeader(path: string): DataResult<ArrayHeader> {
  let head = readHead(path, HEAD_BYTES);
  if (head[0] === 0x93 && head[1] === 0x4e) {
    let parsed = parseNpyHeader(head, path);
    // A header longer than the first read (rare: a huge shape) is read again in full.
    if (!parsed.ok && head.length === HEAD_BYTES && head[6] !== 1) {
      head = readHead(path, 12 + new DataView(head.buffer, head.byteOffset).getUint32(8, true));
      parsed = parseNpyHeader(head, path);
    }
    return parsed.ok ? { ok: true, value: { format: 'npy', shape: parsed.value.shape } } : parsed;
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    try {
      // A sync flush returns what the bytes read so far inflate to, instead of failing on the cut-off stream.
      head = gunzipSync(head, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch (e) {
      return dataFail(path, `the gzip data is corrupt (${(e as Error).message}); re-download the file`);
    }
  }
  const parsed = parseIdxHeader(head, path);
  return parsed.ok ? { ok: true, value: { format: 'idx', shape: parsed.value.shape } } : parsed;
}

/** The class folders of an images(DIR) source and the size of the first image in them. */
export function readImageFolder(dir: string): ImageFolder {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const classes = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  for (const cls of classes) {
    const files = readdirSync(join(dir, cls), { withFileTypes: true })
      .filter((e) => !e.isDirectory() && IMAGE_EXTENSIONS.has(extname(e.name).toLowerCase()))
      .map((e) => e.name)
      .sort();
    if (files.length === 0) continue;
    const path = join(dir, cls, files[0]);
    const size = imageSize(readHead(path, IMAGE_HEAD_BYTES));
    return { classes, first: { path, size: size ? { ok: true, value: size } : dataFail(path, 'the image cannot be read: it is not a PNG or JPEG file, or its size is not in its first 256 KiB') } };
  }
  return { classes, first: null };
}
