// Reads NumPy .npy files (format versions 1-3, C order, little-endian numeric dtypes) into
// float32 or int32 arrays. Anything else gets a message naming the dtype or layout found
// and how to save the array so it can be read.

import { dataFail, type DataResult } from './data_error';

export interface NpyArray {
  shape: number[];
  dtype: string;
  /** Float dtypes read as Float32Array, integer and bool dtypes as Int32Array. */
  data: Float32Array | Int32Array;
}

/** The element readers of the supported dtypes, by descr ('=' read as '<'). */
export const NPY_DTYPES: Record<string, { size: number; float: boolean; get: (v: DataView, o: number) => number }> = {
  '<f4': { size: 4, float: true, get: (v, o) => v.getFloat32(o, true) },
  '<f8': { size: 8, float: true, get: (v, o) => v.getFloat64(o, true) },
  '<i4': { size: 4, float: false, get: (v, o) => v.getInt32(o, true) },
  '<i8': { size: 8, float: false, get: (v, o) => Number(v.getBigInt64(o, true)) },
  '<i2': { size: 2, float: false, get: (v, o) => v.getInt16(o, true) },
  '|i1': { size: 1, float: false, get: (v, o) => v.getInt8(o) },
  '|u1': { size: 1, float: false, get: (v, o) => v.getUint8(o) },
  '<u2': { size: 2, float: false, get: (v, o) => v.getUint16(o, true) },
  '<u4': { size: 4, float: false, get: (v, o) => v.getUint32(o, true) },
  '|b1': { size: 1, float: false, get: (v, o) => v.getUint8(o) },
};

/** What an .npy header says: the element reader, the shape and where the values begin. */
export interface NpyHeader {
  shape: number[];
  dtype: string;
  reader: (typeof NPY_DTYPES)[string];
  dataStart: number;
  /** Values the header promises (the product of the shape). */
  count: number;
}

/**
 * Parses the header at the start of `bytes` (the whole file, or at least its header); the
 * values are not read. With fewer bytes than the header needs, it is reported truncated.
 */
export function parseNpyHeader(bytes: Uint8Array, file: string): DataResult<NpyHeader> {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((m, i) => bytes[i] !== m)) {
    return dataFail(file, 'not a .npy file (the "\\x93NUMPY" signature is missing); save arrays with numpy.save');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major !== 1 && bytes.length < 12) return dataFail(file, 'the .npy header is truncated');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) return dataFail(file, 'the .npy header is truncated');
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    return dataFail(file, `the .npy header cannot be read: ${header.trim()}`);
  }
  // '=' is native order, which is little-endian on every platform the engine runs on.
  const reader = NPY_DTYPES[descr.replace(/^=/, '<')];
  if (!reader) {
    return dataFail(file, `dtype ${descr} is not supported; save the array as float32 or int32 (numpy: a.astype("float32"))`, undefined, 'data-mismatch');
  }
  if (fortran === 'True') return dataFail(file, 'the array is in Fortran order; save it with numpy.ascontiguousarray(a)', undefined, 'data-mismatch');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  return { ok: true, value: { shape, dtype: descr, reader, dataStart: headerStart + headerLen, count } };
}

export function parseNpy(bytes: Uint8Array, file: string): DataResult<NpyArray> {
  const parsed = parseNpyHeader(bytes, file);
  if (!parsed.ok) return parsed;
  const { shape, dtype, reader, dataStart, count } = parsed.value;
  if (dataStart + count * reader.size > bytes.length) {
    return dataFail(file, `the file holds ${Math.floor((bytes.length - dataStart) / reader.size)} values but its header promises shape (${shape.join(', ')}) = ${count}; the file is truncated`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = reader.float ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) data[i] = reader.get(view, dataStart + i * reader.size);
  return { ok: true, value: { shape, dtype, data } };
}
