// Reads the IDX format of the MNIST files (big-endian sizes after a magic number whose third
// byte is the element type), gzipped or not. Decompression is passed in so the same parser
// runs in Node (zlib) and in the webview (DecompressionStream).

import { dataFail, type DataResult } from './data_error';

export interface IdxArray {
  shape: number[];
  /** Bytes stay integers: labels are class indices, pixels are scaled by the caller (idxScale). */
  data: Int32Array | Float32Array;
}

export type Gunzip = (bytes: Uint8Array) => Uint8Array;

/** The element types by the magic number's third byte (values are big-endian). */
export const IDX_TYPES: Record<number, { size: number; get: (v: DataView, o: number) => number; float: boolean }> = {
  0x08: { size: 1, get: (v, o) => v.getUint8(o), float: false },
  0x09: { size: 1, get: (v, o) => v.getInt8(o), float: false },
  0x0b: { size: 2, get: (v, o) => v.getInt16(o), float: false },
  0x0c: { size: 4, get: (v, o) => v.getInt32(o), float: false },
  0x0d: { size: 4, get: (v, o) => v.getFloat32(o), float: true },
  0x0e: { size: 8, get: (v, o) => v.getFloat64(o), float: true },
};

/**
 * What IDX pixel values are divided by to scale them for training: unsigned bytes (0x08,
 * MNIST's pixels) by 255 into [0, 1], signed bytes (0x09) by 128 into [-1, 1); wider
 * integers and floats are used as they are (1), like npy values.
 */
export function idxScale(type: number): number {
  return type === 0x08 ? 255 : type === 0x09 ? 128 : 1;
}

/**
 * The fault of an IDX file whose rank does not fit its role: an images file holds one
 * sample per entry of its first axis and at least one more axis; a labels file is rank 1
 * (one class index per sample) or more (several values per sample). A rank-1 file given as
 * images is almost surely the labels file, and is said to be.
 */
export function idxRoleFault(shape: readonly number[], file: string, role: 'images' | 'labels'): DataResult<never> | null {
  if (role === 'images' && shape.length === 1) {
    return dataFail(file, `this looks like an IDX labels file (rank 1: one value for each of ${shape[0]} samples), but idx(images=...) expects an images file (rank 3, e.g. train-images-idx3-ubyte); check that images= and labels= are not swapped`, undefined, 'data-mismatch');
  }
  if (shape.length === 0) return dataFail(file, `the IDX file has rank 0 (no axes), but idx(${role}=...) needs one ${role === 'images' ? 'image' : 'label'} per entry of the first axis`, undefined, 'data-mismatch');
  return null;
}

/** What an IDX header says: the element type (the magic number's third byte), the shape and where the values begin. */
export interface IdxHeader {
  type: number;
  shape: number[];
  dataStart: number;
  /** Values the header promises (the product of the shape). */
  count: number;
}

/** Parses the header at the start of uncompressed IDX bytes (the whole file or at least its header); the values are not read. */
export function parseIdxHeader(bytes: Uint8Array, file: string): DataResult<IdxHeader> {
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !IDX_TYPES[bytes[2]]) {
    return dataFail(file, 'not an IDX file (the magic number should be 00 00 TYPE RANK, as in MNIST\'s train-images-idx3-ubyte)');
  }
  const rank = bytes[3];
  if (bytes.length < 4 + 4 * rank) return dataFail(file, 'the IDX header is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  return { ok: true, value: { type: bytes[2], shape, dataStart: 4 + 4 * rank, count: shape.reduce((a, b) => a * b, 1) } };
}

export function parseIdx(raw: Uint8Array, file: string, gunzip?: Gunzip): DataResult<IdxArray> {
  let bytes = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    if (!gunzip) return dataFail(file, 'the file is gzipped and no decompressor is available here');
    try {
      bytes = gunzip(raw);
    } catch (e) {
      return dataFail(file, `the gzip data is corrupt: ${(e as Error).message}`);
    }
  }
  const header = parseIdxHeader(bytes, file);
  if (!header.ok) return header;
  const { shape, count, dataStart: start } = header.value;
  const type = IDX_TYPES[header.value.type];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (start + count * type.size > bytes.length) {
    return dataFail(file, `the header promises shape [${shape.join(', ')}] (${count} values) but the file holds ${Math.floor((bytes.length - start) / type.size)}; the file is truncated`);
  }
  const data = type.float ? new Float32Array(count) : new Int32Array(count);
  if (type.size === 1 && !type.float && bytes[2] === 0x08) {
    for (let i = 0; i < count; i++) data[i] = bytes[start + i];
  } else {
    for (let i = 0; i < count; i++) data[i] = type.get(view, start + i * type.size);
  }
  return { ok: true, value: { shape, data } };
}
