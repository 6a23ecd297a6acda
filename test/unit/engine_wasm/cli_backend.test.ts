// The CLI's backend choice with the wasm backend: `--backend wasm` selects it (threads from
// NETSPEC_WASM_THREADS, else every CPU), `--backend cpu` is still the TypeScript reference,
// an unknown name lists the three. The automatic choice depends on the machine's adapter:
// a hardware one is used; a software one (lavapipe here and in CI) or none gives wasm, with
// the reason on stderr — the test asks the WebGPU module which case this machine is.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('no --backend: WebGPU on a hardware adapter; wasm on a software adapter or none, saying why', async () => {
  // The choice runs in a real `netspec train` child process: each process then opens at most
  // one WebGPU device, and Dawn's teardown at exit stays out of this test's process.
  const mod = await import('../../../engine/src/webgpu/backend');
  const probe = await mod.createWebGpuBackend();
  const hardware = probe.ok && !probe.backend.software;
  const description = probe.ok ? probe.backend.description : '';
  if (probe.ok) probe.backend.dispose();
  const out = join(mkdtempSync(join(tmpdir(), 'netspec-backend-')), 'w.safetensors');
  const run = spawnSync(process.execPath, ['dist/cli.js', 'train', 'examples/iris/iris.netspec', '--epochs', '1', '--out', out], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  if (hardware) {
    assert.match(run.stderr, /using the webgpu backend/);
  } else {
    assert.match(run.stderr, probe.ok ? /using the wasm backend .*software renderer, slower than the CPU; --backend webgpu uses it anyway/ : /using the wasm backend .*no WebGPU/);
    if (probe.ok) assert.ok(run.stderr.includes(description), run.stderr);
  }
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
