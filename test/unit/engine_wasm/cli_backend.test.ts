// The CLI's backend choice with the wasm backend: `--backend wasm` selects it (threads from
// NETSPEC_WASM_THREADS, else every CPU), `--backend cpu` is still the TypeScript reference,
// an unknown name lists the three. The automatic choice (WebGPU when an adapter exists, else
// wasm, saying so) depends on the machine's adapter and is not asserted here.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseBackend } from '../../../cli/src/model_pick';
import type { CliIO } from '../../../cli/src/io';
import { getBackend } from '../../../engine/src/tensor';
import type { WasmBackend } from '../../../engine/src/wasm/backend';
import { defaultWasmThreads } from '../../../engine/src/wasm/threads_node';

function io(): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return { errors, out: () => {}, err: (t) => errors.push(t), readText: async () => '', cwd: '/' };
}

test('--backend wasm selects the WebAssembly backend, silently', async () => {
  const i = io();
  const r = await chooseBackend('wasm', i, 'train');
  assert.deepEqual(r, { ok: true, value: 'wasm' });
  assert.equal(getBackend().name, 'wasm');
  assert.equal((getBackend() as WasmBackend).threads, defaultWasmThreads());
  assert.deepEqual(i.errors, []);
});

test('--backend cpu is the TypeScript reference', async () => {
  const r = await chooseBackend('cpu', io(), 'train');
  assert.deepEqual(r, { ok: true, value: 'cpu' });
  assert.equal(getBackend().name, 'cpu');
});

test('an unknown backend names the three choices', async () => {
  const i = io();
  const r = await chooseBackend('tpu', i, 'train');
  assert.deepEqual(r, { ok: false, status: 2 });
  assert.match(i.errors.join(''), /--backend must be webgpu, wasm or cpu, not 'tpu'/);
});

test('NETSPEC_WASM_THREADS picks the thread count, within 1..4', () => {
  assert.equal(defaultWasmThreads({ NETSPEC_WASM_THREADS: '1' }), 1);
  assert.equal(defaultWasmThreads({ NETSPEC_WASM_THREADS: '3' }), 3);
  assert.equal(defaultWasmThreads({ NETSPEC_WASM_THREADS: '64' }), 4);
  assert.ok(defaultWasmThreads({ NETSPEC_WASM_THREADS: 'x' }) >= 1);
});
