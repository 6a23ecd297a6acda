// The safetensors checkpoint format (huggingface/safetensors), written and read from bytes so
// that the CLI, the editor and a browser worker share one implementation and none of them
// needs a file API here. Layout: an 8-byte little-endian header length N, N bytes of JSON
// header (padded with spaces so the data starts at an 8-byte boundary), then the tensors'
// bytes back to back. Each header entry gives a dtype, a shape and [begin, end) offsets into
// the data section; an optional "__metadata__" entry maps strings to strings. Decoding
// validates everything a corrupt or hostile file could get wrong and never throws.

import type { NamedArray } from '../train/types';

/** The key reserved for free-form string metadata in the header. */
const METADATA_KEY = '__metadata__';

/** Headers beyond this size are rejected, as the reference implementation does (100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

export type DecodeResult =
  | { ok: true; arrays: NamedArray[]; metadata: Record<string, string> }
  | { ok: false; message: string };

/** Serialises float32 arrays (in the given order) and optional metadata to safetensors bytes. */
export function encodeSafetensors(arrays: NamedArray[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header[METADATA_KEY] = { ...metadata };
  let offset = 0;
  for (const a of arrays) {
    const bytes = a.data.length * 4;
    header[a.name] = { dtype: 'F32', shape: [...a.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad with spaces so that 8 + N is a multiple of 8 and the data section is aligned.
  const padded = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + padded + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let at = 8 + padded;
  for (const a of arrays) {
    for (let i = 0; i < a.data.length; i++) view.setFloat32(at + i * 4, a.data[i], true);
    at += a.data.length * 4;
  }
  return out;
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}

/** Parses safetensors bytes; any inconsistency becomes `{ok: false, message}`. */
export function decodeSafetensors(bytes: Uint8Array): DecodeResult {
  if (bytes.length < 8) return fail(`the file is ${bytes.length} bytes long, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    return fail(`the header claims ${n} bytes, but the file has ${bytes.length - 8} after the length field`);
  }
  const headerLength = Number(n);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    return fail(`the header is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) return fail('the header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('__metadata__ is not an object');
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') return fail(`__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    const entry = readEntry(name, value);
    if (typeof entry === 'string') return fail(entry);
    entries.push(entry);
  }
  // The tensors must tile the data section exactly: in bounds, no overlap, no gap.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.end > dataLength) return fail(`tensor ${e.name} ends at byte ${e.end}, past the ${dataLength} data bytes`);
    if (e.begin < expected) return fail(`tensor ${e.name} overlaps the tensor before it (begins at byte ${e.begin}, expected ${expected})`);
    if (e.begin > expected) return fail(`the data section has a gap of ${e.begin - expected} bytes before tensor ${e.name}`);
    expected = e.end;
  }
  if (expected !== dataLength) return fail(`the data section has ${dataLength - expected} bytes that no tensor uses`);
  const arrays = entries.map((e) => {
    const data = new Float32Array((e.end - e.begin) / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(dataStart + e.begin + i * 4, true);
    return { name: e.name, shape: e.shape, data };
  });
  return { ok: true, arrays, metadata };
}

/** One tensor entry of the header, or a message saying what is wrong with it. */
function readEntry(name: string, value: unknown): Entry | string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `tensor ${name} has no dtype, shape and data_offsets`;
  const v = value as Record<string, unknown>;
  if (v.dtype !== 'F32') return `tensor ${name} has dtype ${JSON.stringify(v.dtype)}; only F32 is supported`;
  const shape = v.shape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return `tensor ${name} has an invalid shape ${JSON.stringify(shape)}`;
  }
  const offsets = v.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return `tensor ${name} has invalid data_offsets ${JSON.stringify(offsets)}`;
  }
  const [begin, end] = offsets as number[];
  if (end < begin) return `tensor ${name} has data_offsets [${begin}, ${end}] that end before they begin`;
  const count = (shape as number[]).reduce((p, d) => p * d, 1);
  if (end - begin !== count * 4) {
    return `tensor ${name} of shape [${shape.join(', ')}] needs ${count * 4} bytes, but its data_offsets span ${end - begin}`;
  }
  return { name, shape: [...(shape as number[])], begin, end };
}

function fail(message: string): DecodeResult {
  return { ok: false, message: `not a valid safetensors file: ${message}` };
}
