// Autograd computes no gradient for a tensor that does not need one: a model's inputs, its
// targets and constants are never on the tape, so the backward pass runs no rule branch for
// them (no dX of the data through a first Dense's matmul, no conv2d_grad_input for a first
// convolution, no product with a one-hot target). Counted on a backend that records every op
// it runs; the gradients that are computed stay bit for bit those of a pass that also
// differentiates the input.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, DeviceTensor, OpAttrs, OpName } from '../../../engine/src/backend';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { crossEntropy } from '../../../engine/src/losses';
import * as o from '../../../engine/src/ops';
import { setBackend, tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import { randomValues } from './helpers';

/** The CPU backend, recording each op's name and output shape. */
class CountingBackend extends CpuBackend {
  ops: { op: OpName; shape: readonly number[] }[] = [];
  override run<K extends OpName>(op: K, inputs: readonly DeviceTensor[], output: DeviceTensor, attrs: OpAttrs[K]): void {
    this.ops.push({ op, shape: output.shape });
    super.run(op, inputs, output, attrs);
  }
  count(op: OpName, shape?: readonly number[]): number {
    return this.ops.filter((r) => r.op === op && (!shape || r.shape.join() === shape.join())).length;
  }
}

function setUp(): CountingBackend {
  const backend = new CountingBackend();
  setBackend(backend as Backend);
  return backend;
}

async function values(ts: Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(await t.data())));
}

describe('autograd skips gradients nothing needs', () => {
  it('a Dense on a model input runs no matmul for the gradient of the input', async () => {
    const backend = setUp();
    const x = tensor(randomValues(6 * 5, 1), [6, 5]);
    const w = tensor(randomValues(5 * 4, 2), [5, 4]);
    const b = tensor(randomValues(4, 3), [4]);
    const y = tensor([0, 1, 2, 3, 0, 1], [6], 'int32');
    const loss = () => crossEntropy(o.matmul(x, w, { bias: b, activation: 'relu' }), y, false);
    backend.ops = [];
    const onlyParams = tidy(() => valueAndGrads(loss, [w, b]).grads);
    // One matmul forward, one for dW; none produces a [6, 5] gradient of x.
    assert.equal(backend.count('matmul'), 2);
    assert.equal(backend.count('matmul', [6, 5]), 0);
    // The one-hot target's side of the cross-entropy product is not differentiated either.
    const onlyParamsOps = backend.ops.length;
    backend.ops = [];
    const withInput = tidy(() => valueAndGrads(loss, [w, b, x]).grads);
    assert.equal(backend.count('matmul'), 3, 'asking for the input gradient runs its matmul');
    assert.equal(backend.count('matmul', [6, 5]), 1);
    assert.ok(backend.ops.length > onlyParamsOps);
    assert.deepEqual(await values(onlyParams), await values(withInput.slice(0, 2)));
  });

  it('a first convolution runs no conv2d_grad_input', async () => {
    const backend = setUp();
    const x = tensor(randomValues(2 * 6 * 6 * 1, 4), [2, 6, 6, 1]);
    const w = tensor(randomValues(3 * 3 * 1 * 4, 5), [3, 3, 1, 4]);
    const bias = tensor(randomValues(4, 6), [4]);
    const w2 = tensor(randomValues(3 * 3 * 4 * 2, 7), [3, 3, 4, 2]);
    const loss = () => o.sum(o.conv2d(o.conv2d(x, w, { bias, activation: 'relu' }), w2));
    backend.ops = [];
    const onlyParams = tidy(() => valueAndGrads(loss, [w, bias, w2]).grads);
    // The second convolution's input is on the tape (it depends on w), the first's is data.
    assert.equal(backend.count('conv2d_grad_input'), 1);
    assert.equal(backend.count('conv2d_grad_input', [2, 6, 6, 1]), 0);
    assert.equal(backend.count('conv2d_grad_filter'), 2);
    backend.ops = [];
    const withInput = tidy(() => valueAndGrads(loss, [w, bias, w2, x]).grads);
    assert.equal(backend.count('conv2d_grad_input', [2, 6, 6, 1]), 1);
    assert.deepEqual(await values(onlyParams), await values(withInput.slice(0, 3)));
  });

  it('a product with a constant differentiates only the tracked side', () => {
    const backend = setUp();
    const a = tensor(randomValues(8, 8), [2, 4]);
    const c = tensor(randomValues(8, 9), [2, 4]);
    backend.ops = [];
    tidy(() => valueAndGrads(() => o.sum(o.mul(a, c)), [a]).grads);
    // Forward: mul, reduce; backward: the seed fill, the sum's broadcast, one mul (dy * c).
    assert.equal(backend.count('binary'), 2);
  });
});
