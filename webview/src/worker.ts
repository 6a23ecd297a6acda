// The panel's dedicated worker (bundled to dist/worker.js, started by the page from a blob
// URL): training runs here so the page stays responsive. It wires the browser's pieces —
// `postMessage` with transfers, WebGPU from the worker's navigator, gzip through
// `DecompressionStream` — into WorkerRun, which does the work.

import { dataFail } from '../../engine/src/data/data_error';
import type { DataResult } from '../../engine/src/data/data_error';
import type { Rgba } from '../../engine/src/data/files';
import { createWebGpuBackend } from '../../engine/src/webgpu/backend';
import { WorkerRun } from './worker_run';

/** The slice of a dedicated worker's global scope used here (the DOM lib types `self` as a window). */
interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent) => void) | null;
}

/** Gunzips bytes with the browser's own decompressor. */
export async function gunzipInBrowser(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Decodes a PNG or JPEG to RGBA with the browser's decoder (createImageBitmap + OffscreenCanvas). */
export async function decodeImageInBrowser(bytes: Uint8Array, path: string): Promise<DataResult<Rgba>> {
  try {
    const bitmap = await createImageBitmap(new Blob([bytes as BlobPart]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d');
    if (!ctx) return dataFail(path, 'the browser offers no 2D canvas to decode images');
    ctx.drawImage(bitmap, 0, 0);
    const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
    bitmap.close();
    return { ok: true, value: { width: canvas.width, height: canvas.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) } };
  } catch (e) {
    return dataFail(path, `the image could not be decoded (${e instanceof Error ? e.message : String(e)}); use PNG or JPEG`);
  }
}

const scope = globalThis as unknown as WorkerScope;
const run = new WorkerRun({
  post: (msg, transfer) => scope.postMessage(msg, transfer ?? []),
  webgpu: () => createWebGpuBackend(),
  gunzip: gunzipInBrowser,
  decodeImage: decodeImageInBrowser,
  now: () => performance.now(),
});
scope.onmessage = (e: MessageEvent) => {
  const msg = e.data as { type?: unknown } | null;
  if (msg && typeof msg.type === 'string') run.handle(msg as { type: string });
};
