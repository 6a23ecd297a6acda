// The wasm backend on several threads in Node: helpers are worker_threads sharing the
// backend's WebAssembly.Memory, each running `helperLoop` (its source is passed to the
// worker as text, so the bundled CLI needs no extra file). Helpers are unref'd: they never
// keep the process alive, and end with it. Browsers get the one-thread backend: a shared
// memory needs cross-origin isolation, which VS Code's webviews do not have.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { HelperInit, WasmResult } from './backend';
import { MAX_THREADS, WasmBackend, helperLoop } from './backend';

const WORKER_SOURCE = `const { workerData } = require('node:worker_threads');\n(${helperLoop.toString()})(workerData);\n`;

function startHelper(init: HelperInit): void {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: init });
  worker.unref();
}

/** Threads to use by default: NETSPEC_WASM_THREADS when set, else the machine's logical CPUs; at most MAX_THREADS. */
export function defaultWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const asked = Number(env.NETSPEC_WASM_THREADS);
  const n = Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
  return Math.max(1, Math.min(MAX_THREADS, n));
}

/** The wasm backend with `threads` threads (default: defaultWasmThreads()), or why not. */
export function createWasmBackendThreaded(threads = defaultWasmThreads()): WasmResult {
  try {
    return { ok: true, backend: threads > 1 ? new WasmBackend({ threads, startHelper }) : new WasmBackend() };
  } catch (e) {
    return { ok: false, reason: `WebAssembly SIMD with threads is not available (${e instanceof Error ? e.message : String(e)})` };
  }
}
