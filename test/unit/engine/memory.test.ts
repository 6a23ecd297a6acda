// The buffer pool's promise: after the first training step of a small MLP (forward,
// backward, Adam), further steps allocate no new device memory and leave no live tensors
// behind; and the loss goes down, so the steps are real.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { crossEntropy } from '../../../engine/src/losses';
import * as o from '../../../engine/src/ops';
import { Optimizer } from '../../../engine/src/optimizers';
import { glorotUniform } from '../../../engine/src/init';
import { Rng } from '../../../engine/src/rng';
import { memory, setBackend, tensor, tidy } from '../../../engine/src/tensor';
import { BACKENDS, randomValues } from './helpers';

for (const backend of BACKENDS) {
  describe(`memory on ${backend.name}`, () => {
    before(() => setBackend(backend.make()));

    it('training steps of a small MLP keep allocated bytes flat', () => {
      const rng = new Rng(11);
      const w1 = tensor(glorotUniform([8, 16], rng), [8, 16]);
      const b1 = tensor(new Float32Array(16), [16]);
      const w2 = tensor(glorotUniform([16, 3], rng), [16, 3]);
      const b2 = tensor(new Float32Array(3), [3]);
      const params = [w1, b1, w2, b2];
      const x = tensor(randomValues(32 * 8, 1), [32, 8]);
      const labels = Array.from({ length: 32 }, (_v, i) => i % 3);
      const y = tensor(labels, [32], 'int32');
      const opt = new Optimizer({ kind: 'adam', lr: 0.01 });
      const step = (i: number) =>
        tidy(() => {
          const { value, grads } = valueAndGrads(() => {
            const h = o.dropout(o.matmul(x, w1, { bias: b1, activation: 'relu' }), 0.1, 5, i, true);
            return crossEntropy(o.matmul(h, w2, { bias: b2 }), y, false);
          }, params);
          opt.step(params, grads);
          return value.dataSync()[0];
        });
      const first = step(0);
      step(1);
      const allocated = memory().allocatedBytes;
      const live = memory().liveBytes;
      let last = first;
      for (let i = 2; i < 60; i++) last = step(i);
      assert.equal(memory().allocatedBytes, allocated, 'allocated bytes grew');
      assert.equal(memory().liveBytes, live, 'live bytes grew');
      assert.ok(last < first * 0.8, `loss went from ${first} to ${last}`);
    });
  });
}
