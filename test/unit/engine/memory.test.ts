// The buffer pool's promise: after the first training step of a small MLP (forward,
// backward, Adam), further steps allocate no new device memory and leave no live tensors
// behind; and the loss goes down, so the steps are real.

import assert from 'node:assert/strict';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { crossEntropy } from '../../../engine/src/losses';
import * as o from '../../../engine/src/ops';
import { Optimizer } from '../../../engine/src/optimizers';
import { glorotUniform } from '../../../engine/src/init';
import { Rng } from '../../../engine/src/rng';
import { memory, setBackend, tensor, tidy } from '../../../engine/src/tensor';
import { WebGpuBackend } from '../../../engine/src/webgpu/backend';
import { describeBackends, randomValues, readAll } from './helpers';

describeBackends('memory', (test) => {
  test('training steps of a small MLP keep allocated bytes flat', async (_t, backend) => {
    const rng = new Rng(11);
    const w1 = tensor(glorotUniform([8, 16], rng), [8, 16]);
    const b1 = tensor(new Float32Array(16), [16]);
    const w2 = tensor(glorotUniform([16, 3], rng), [16, 3]);
    const b2 = tensor(new Float32Array(3), [3]);
    const params = [w1, b1, w2, b2];
    const x = tensor(randomValues(32 * 8, 1), [32, 8]);
    const labels = Array.from({ length: 32 }, (_v, i) => i % 3);
    const y = tensor(labels, [32], 'int32');
    const opt = new Optimizer({ name: 'adam', args: { lr: 0.01 } });
    // A step as the training loop runs it: the loss tensor leaves the tidy, is read, disposed.
    const step = async (i: number) => {
      const value = tidy(() => {
        const { value, grads } = valueAndGrads(() => {
          const h = o.dropout(o.matmul(x, w1, { bias: b1, activation: 'relu' }), 0.1, 5, i, true);
          return crossEntropy(o.matmul(h, w2, { bias: b2 }), y, false);
        }, params);
        opt.step(params, grads);
        return value;
      });
      return (await readAll([value]))[0][0];
    };
    const gpuStats = () => (backend instanceof WebGpuBackend ? backend.stats : undefined);
    const first = await step(0);
    await step(1);
    const allocated = memory().allocatedBytes;
    const live = memory().liveBytes;
    const device = gpuStats();
    let last = first;
    for (let i = 2; i < 60; i++) last = await step(i);
    assert.equal(memory().allocatedBytes, allocated, 'allocated bytes grew');
    assert.equal(memory().liveBytes, live, 'live bytes grew');
    if (device) {
      // On the GPU, the device itself must see no new buffers: not from the pool, not for staging.
      const now = gpuStats()!;
      assert.equal(now.buffersCreated, device.buffersCreated, 'the WebGPU backend created buffers');
      assert.equal(now.stagingBuffers, device.stagingBuffers, 'the WebGPU backend created staging buffers');
    }
    assert.ok(last < first * 0.8, `loss went from ${first} to ${last}`);
    opt.dispose();
    for (const t of [...params, x, y]) t.dispose();
  });
});
