// The panel's dedicated worker (bundled to dist/worker.js, started by the page from a blob
// URL): training runs here so the page stays responsive. It wires the browser's pieces —
// `postMessage` with transfers, WebGPU from the worker's navigator, gzip through
// `DecompressionStream` — into WorkerRun, which does the work.

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

const scope = globalThis as unknown as WorkerScope;
const run = new WorkerRun({
  post: (msg, transfer) => scope.postMessage(msg, transfer ?? []),
  webgpu: () => createWebGpuBackend(),
  gunzip: gunzipInBrowser,
  now: () => performance.now(),
});
scope.onmessage = (e: MessageEvent) => {
  const msg = e.data as { type?: unknown } | null;
  if (msg && typeof msg.type === 'string') run.handle(msg as { type: string });
};
