// A NaN weight must never pass for a model. Loading refuses non-finite values (naming the
// weight and the element), and a NaN that gets into a model anyway reaches the output and
// the loss through relu instead of becoming 0, so the training NaN check sees it.

import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { Model } from '../../../engine/src/model';
import { setBackend, tensor } from '../../../engine/src/tensor';
import { loadWeights, predict } from '../../../engine/src/train/predict';
import { blobs, mlp } from './helpers';

describe('NaN weights', () => {
  before(() => setBackend(new CpuBackend()));

  it('loadWeights and predict refuse a NaN or infinite value, naming the weight and element', async () => {
    const built = Model.build(mlp(3), 1);
    assert.ok(built.ok);
    const model = built.model;
    const arrays = model.weights.map((w) => ({ name: w.name, shape: [...w.spec.shape], data: new Float32Array(w.tensor.size).fill(0.25) }));
    const before = Array.from(model.weights[0].tensor.dataSync());
    arrays[0].data[17] = NaN;
    let r = loadWeights(model, arrays);
    assert.ok(!r.ok);
    assert.match(r.message, /^weight dense\/kernel holds NaN at element 17 \(index \[1, 1\] of shape \[4, 16\]\)/);
    assert.deepEqual(Array.from(model.weights[0].tensor.dataSync()), before, 'nothing loaded');
    arrays[0].data[17] = 0.25;
    arrays[1].data[2] = Infinity;
    r = loadWeights(model, arrays);
    assert.ok(!r.ok);
    assert.match(r.message, /^weight dense\/bias holds Infinity at element 2;/);
    model.dispose();
    const p = await predict(mlp(3), arrays, blobs(3, 1));
    assert.ok(!p.ok && /dense\/bias holds Infinity/.test(p.message));
  });

  it('a NaN kernel reaches every output through relu instead of a plausible constant', () => {
    const built = Model.build(mlp(3), 1);
    assert.ok(built.ok);
    const model = built.model;
    const kernel = model.weights.find((w) => w.name === 'dense/kernel')!;
    kernel.tensor.assign(tensor(new Float32Array(kernel.tensor.size).fill(NaN), [...kernel.spec.shape]));
    const x = tensor(Float32Array.from([1, 2, 3, 4, -1, -2, -3, -4]), [2, 4]);
    const r = model.forward({ x }, { training: false });
    assert.ok(r.ok);
    const out = Array.from(r.outputs.y.dataSync());
    assert.equal(out.length, 6);
    assert.ok(out.every((v) => Number.isNaN(v)), `every output is NaN: ${out}`);
    model.dispose();
  });
});
