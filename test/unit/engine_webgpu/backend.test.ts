// The WebGPU backend's own behaviour, beyond op values: submission order against uploads
// into reused buffers, staging-buffer and pipeline reuse, batching past the uniform ring,
// errors the device reports surfacing at the next download (and then clearing), device
// loss rejecting instead of hanging, the reason given when no adapter exists, and a
// training-style step (ops, autograd, tidy, the tensor pool) run end to end on the GPU.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import * as o from '../../../engine/src/ops';
import { setBackend, tensor, tidy } from '../../../engine/src/tensor';
import type { Backend, DeviceTensor } from '../../../engine/src/backend';
import { createWebGpuBackend } from '../../../engine/src/webgpu/backend';
import { WebGpuError } from '../../../engine/src/webgpu/errors';
import { assertClose, floats, gpuOrSkip } from './harness';

function devTensor(backend: Backend, values: number[], shape: number[]): DeviceTensor {
  const buffer = backend.alloc(values.length * 4, 'float32');
  backend.upload(buffer, Float32Array.from(values));
  return { buffer, shape, dtype: 'float32' };
}

function empty(backend: Backend, shape: number[]): DeviceTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return { buffer: backend.alloc(n * 4, 'float32'), shape, dtype: 'float32' };
}

describe('webgpu backend', () => {
  it('keeps recorded reads ahead of a later upload into the same buffer', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    const x = devTensor(gpu, [1, 2, 3], [3]);
    const y = empty(gpu, [3]);
    gpu.run('unary', [x], y, { fn: 'neg' });
    // The engine's pool hands x's buffer to a new tensor and uploads into it before y is read.
    gpu.upload(x.buffer, Float32Array.of(10, 20, 30));
    assert.deepEqual(Array.from(await gpu.download(y.buffer)), [-1, -2, -3]);
    assert.deepEqual(Array.from(await gpu.download(x.buffer)), [10, 20, 30]);
  });

  it('reuses staging buffers across downloads and one pipeline across shapes', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    const x = devTensor(gpu, [1, -2, 3, -4, 5, -6], [6]);
    await gpu.download(x.buffer);
    const before = gpu.stats;
    for (let i = 0; i < 5; i++) await gpu.download(x.buffer);
    assert.equal(gpu.stats.stagingBuffers, before.stagingBuffers, 'downloads of one size must share a staging buffer');
    const pipelinesBefore = gpu.stats.pipelines;
    for (const shape of [[6], [2, 3], [3, 2], [1, 6]]) {
      const y = empty(gpu, shape);
      gpu.run('unary', [{ ...x, shape }], y, { fn: 'square', alpha: 0 });
      assert.deepEqual(Array.from(await gpu.download(y.buffer)), [1, 4, 9, 16, 25, 36]);
      gpu.free(y.buffer);
    }
    assert.equal(gpu.stats.pipelines - pipelinesBefore, 1, 'one pipeline serves every shape of square');
  });

  it('submits long chains in batches and past the end of the uniform ring', async (t) => {
    const gpu = await gpuOrSkip(t, { batchOps: 1000 });
    if (!gpu) return;
    const submits = gpu.stats.submits;
    let cur = devTensor(gpu, [0, 1, 2, 3], [4]);
    const first = cur;
    for (let i = 0; i < 600; i++) {
      const next = empty(gpu, [4]);
      gpu.run('unary', [cur], next, { fn: 'affine', alpha: 1, beta: 1 });
      if (cur !== first) gpu.free(cur.buffer);
      cur = next;
    }
    assert.deepEqual(Array.from(await gpu.download(cur.buffer)), [600, 601, 602, 603]);
    assert.ok(gpu.stats.submits - submits >= 3, 'the 256-slot uniform ring forces intermediate submits');
  });

  it('reports a device error at the next download, then recovers', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    const ok = devTensor(gpu, [4, 5], [2]);
    // Larger than any adapter's maxBufferSize: the device rejects it asynchronously.
    gpu.alloc(2 ** 52, 'float32');
    await assert.rejects(gpu.download(ok.buffer), (e: unknown) => {
      assert.ok(e instanceof WebGpuError, String(e));
      assert.ok(e.kind === 'validation' || e.kind === 'out-of-memory', e.kind);
      assert.match(e.message, /^WebGPU (validation error|ran out of memory): /);
      return true;
    });
    assert.deepEqual(Array.from(await gpu.download(ok.buffer)), [4, 5]);
  });

  it('rejects downloads after the device is lost instead of hanging', async (t) => {
    if (!(await gpuOrSkip(t))) return;
    const r = await createWebGpuBackend();
    assert.ok(r.ok);
    const gpu = r.backend;
    const x = devTensor(gpu, [1, 2], [2]);
    assert.deepEqual(Array.from(await gpu.download(x.buffer)), [1, 2]);
    gpu.dispose();
    const started = Date.now();
    await assert.rejects(gpu.download(x.buffer), /WebGPU device lost: the device was destroyed/);
    await assert.rejects(gpu.download(x.buffer), (e: unknown) => e instanceof WebGpuError && e.kind === 'lost');
    assert.ok(Date.now() - started < 5000);
  });

  it('explains a missing adapter as a value, not a throw', async (t) => {
    if (!(await gpuOrSkip(t))) return;
    const script = "import('./engine/src/webgpu/device.ts').then(async (m) => { const r = await (m.acquireDevice ?? m.default.acquireDevice)(); console.log(JSON.stringify(r.ok ? { ok: true } : r)); })";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: new URL('../../../', import.meta.url).pathname,
      env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json', VK_DRIVER_FILES: '/nonexistent/icd.json' },
      encoding: 'utf8',
      timeout: 30000,
    });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    const result = JSON.parse(line) as { ok: boolean; reason?: string };
    assert.equal(result.ok, false, r.stdout + r.stderr);
    assert.match(result.reason ?? '', /^no WebGPU adapter: VK_ICD_FILENAMES names no existing Vulkan driver .*mesa-vulkan-drivers/);
  });

  it('runs a training step (ops, autograd, tidy, pooled buffers) like the cpu backend', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    const results: number[][] = [];
    for (const backend of [new CpuBackend(), gpu] as Backend[]) {
      setBackend(backend);
      const w = tensor(floats([8, 5], 1).data, [8, 5]);
      const b = tensor(floats([5], 2).data, [5]);
      const x = tensor(floats([6, 8], 3).data, [6, 8]);
      const target = tensor(floats([6, 5], 4).data, [6, 5]);
      const out: number[] = [];
      for (let step = 0; step < 3; step++) {
        const { loss, gw } = tidy(() => {
          const r = valueAndGrads(() => o.mean(o.square(o.sub(o.matmul(x, w, { bias: b, activation: 'tanh' }), target))), [w, b]);
          return { loss: r.value, gw: r.grads[0] };
        });
        out.push(...(await loss.data()));
        out.push(...(await gw.data()));
        loss.dispose();
        gw.dispose();
      }
      results.push(out);
    }
    assertClose(results[1], results[0], 1e-5, 1e-4, 'loss and gradient on webgpu vs cpu');
  });
});
