// The training process the extension host starts (bundled to dist/train_child.js, run with
// `fork` so that messages travel over Node's IPC channel with the structured clone). It is
// the panel's worker in Node: the same WorkerRun, fed the same `start`, `stop`, `pause` and
// `resume` messages, answering with the same protocol messages, but on Dawn's adapter or
// every CPU core (host_backend.ts). The extension relays what it says to the panel, which
// only draws. It ends when the extension disconnects (after the run's end, or when the
// extension host goes away), so no run outlives its editor.

import { gunzipSync } from 'node:zlib';
import { decodeImage } from './data/node_files';
import { pickHostBackend } from './host_backend';
import { WorkerRun } from '../../webview/src/worker_run';

function send(message: unknown): void {
  // The extension may be gone already; then there is no one left to tell.
  if (process.connected) process.send?.(message);
}

const run = new WorkerRun({
  post: (msg) => send(msg),
  // Not used: `pick` replaces the panel's choice; the Dawn adapter is acquired there.
  webgpu: async () => ({ ok: false, reason: 'not used in the extension host' }),
  pick: (choice) => pickHostBackend(choice),
  place: 'host',
  gunzip: (bytes) => new Uint8Array(gunzipSync(bytes)),
  decodeImage,
  now: () => performance.now(),
  rss: () => process.memoryUsage.rss(),
});

process.on('message', (msg: { type?: unknown } | null) => {
  if (msg && typeof msg.type === 'string') run.handle(msg as { type: string });
});
process.on('disconnect', () => process.exit(0));
