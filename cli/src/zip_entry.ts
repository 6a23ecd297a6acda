// One file out of a zip archive's bytes (a `.keras` file is a zip of config.json,
// metadata.json and model.weights.h5): the central directory at the end lists each entry's
// name, method and where its local header starts; entries are stored (method 0) or deflated
// (method 8, inflated with Node's zlib). Zip64 and encrypted archives are not read.

import { inflateRawSync } from 'node:zlib';

export type ZipRead = { ok: true; data: Uint8Array } | { ok: false; message: string };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** True when the bytes start like a zip archive. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The bytes of the entry called `name` in the archive `zip`. */
export function zipEntry(zip: Uint8Array, name: string): ZipRead {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) return { ok: false, message: 'not a zip archive (no end of central directory)' };
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== DIRECTORY_ENTRY) return { ok: false, message: 'the zip central directory is damaged' };
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entryName = decoder.decode(zip.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (entryName !== name) continue;
    if (local + 30 > zip.length || view.getUint32(local, true) !== LOCAL_HEADER) return { ok: false, message: `the zip entry ${name} is damaged` };
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = zip.subarray(start, start + compressed);
    if (data.length !== compressed) return { ok: false, message: `the zip entry ${name} is cut short` };
    if (method === 0) return { ok: true, data };
    if (method !== 8) return { ok: false, message: `the zip entry ${name} uses compression method ${method}` };
    try {
      return { ok: true, data: new Uint8Array(inflateRawSync(data)) };
    } catch (e) {
      return { ok: false, message: `the zip entry ${name} cannot be inflated (${(e as Error).message})` };
    }
  }
  return { ok: false, message: `the archive has no ${name}` };
}
