// Failures a user can cause come back as error values that say what and where: a loss that
// overflows names the first layer whose output is not finite (and its line); data that does
// not fit the model, bad settings, and checkpoints that do not fit are messages, not throws.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { Model } from '../../../engine/src/model';
import { setBackend } from '../../../engine/src/tensor';
import { splitValidation } from '../../../engine/src/data/dataset';
import { loadWeights, predict } from '../../../engine/src/train/predict';
import { train } from '../../../engine/src/train/run';
import type { Dataset } from '../../../engine/src/data/dataset';
import type { TrainError } from '../../../engine/src/train/types';
import { blobs, buildIR, config, mlp } from './helpers';

async function failure(p: ReturnType<typeof train>): Promise<TrainError> {
  const r = await p;
  assert.equal(r.ok, false, 'expected an error');
  return (r as { error: TrainError }).error;
}

describe('training errors', () => {
  before(() => setBackend(new CpuBackend()));

  it('names the first layer whose output overflows when the loss turns NaN', async () => {
    // x → dense (relu) → square = dense · dense → out. One sample of 1e20s keeps dense
    // finite (about 1e20) but squares past float32's 3.4e38 in `square`.
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'dense', op: 'Dense', args: { units: 8, activation: 'relu' }, inputs: ['x'], line: 2 },
        { id: 'square', op: 'Multiply', inputs: ['dense', 'dense'], line: 3 },
        { id: 'out', op: 'Dense', args: { units: 3 }, inputs: ['square'], line: 4 },
      ],
      [{ name: 'y', tensor: 'out' }],
    );
    const data = blobs(48, 1);
    data.inputs.x.data.fill(1e20, 20 * 4, 21 * 4);
    const steps: number[] = [];
    const r = await train(ir, config({ epochs: 3, batchSize: 8 }), data, null, { onStep: (e) => steps.push(e.step) });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const e = r.error;
    assert.equal(e.code, 'nan-loss');
    assert.equal(e.node, 'square');
    assert.equal(e.line, 3);
    assert.equal(e.epoch, 1);
    assert.equal(e.step, steps.length + 1, 'the failing step is the one after the last reported');
    assert.match(e.message, new RegExp(`^the loss became (NaN|infinite) at epoch 1, step ${e.step}; the first non-finite output is square \\(line 4\\); try a lower learning rate`));
    assert.equal(r.partial?.epochs.length, 0);
    assert.equal(r.partial?.weights.length, 4, 'the partial result holds the initial weights');
  });

  it('reports a loss that overflows although every layer is finite', async () => {
    const data = blobs(16, 2);
    const ir = buildIR([{ name: 'x', shape: [4] }], [{ id: 'd', op: 'Dense', args: { units: 1 }, inputs: ['x'] }], [{ name: 'y', tensor: 'd' }]);
    const targets = new Float32Array(16).fill(3e30);
    const e = await failure(train(ir, config({ loss: 'mse' }), { ...data, targets: { y: { data: targets, sampleShape: [1] } } }, null));
    assert.equal(e.code, 'nan-loss');
    assert.equal(e.node, 'd');
    assert.match(e.message, /every layer's output is finite, but the mse loss of output y is not/);
  });

  it('rejects data that does not fit the model before training', async () => {
    const good = blobs(30, 3);
    const wrongWidth: Dataset = { ...good, inputs: { x: { data: new Float32Array(30 * 5), sampleShape: [5] } } };
    let e = await failure(train(mlp(3), config(), wrongWidth, null));
    assert.equal(e.code, 'data-mismatch');
    assert.match(e.message, /input x expects samples of shape \[4\] \(4 values\), but the training data has 5 values per sample/);
    e = await failure(train(mlp(3), config(), { ...good, targets: {} }, null));
    assert.match(e.message, /no targets for output y/);
    e = await failure(train(mlp(3), config(), good, { ...good, count: 31 }));
    assert.match(e.message, /input x in the validation data holds 120 values, but 31 samples of shape \[4\] need 124/);
    const nan = blobs(30, 3);
    nan.inputs.x.data[9] = NaN;
    e = await failure(train(mlp(3), config(), nan, null));
    assert.match(e.message, /not a finite number \(NaN\) in sample 2/);
    const badClass = blobs(30, 3);
    (badClass.targets.y.data as Int32Array)[4] = 7;
    e = await failure(train(mlp(3), config(), badClass, null));
    assert.equal(e.code, 'data-mismatch');
    assert.match(e.message, /a target of output y is 7, not a class index from 0 to 2/);
    assert.equal(e.epoch, 1);
  });

  it('rejects bad settings as build errors', async () => {
    const data = blobs(30, 3);
    const cases: [Parameters<typeof config>[0], RegExp][] = [
      [{ metrics: ['auc'] }, /unknown metric auc/],
      [{ loss: 'hinge' }, /unknown loss hinge/],
      [{ loss: { z: 'mse' } }, /the loss names output z/],
      [{ lossWeights: { z: 1 } }, /loss_weights names output z/],
      [{ epochs: 0 }, /epochs must be/],
      [{ batchSize: 2.5 }, /batch_size must be/],
      [{ optimizer: { name: 'adam', args: { lr: -1 } } }, /optimizer adam's `lr` must be greater than 0, but is -1/],
      [{ schedule: { name: 'cosine', args: {} } }, /schedule cosine needs the argument `decay_steps`/],
    ];
    for (const [over, re] of cases) {
      const e = await failure(train(mlp(3), config(over), data, null));
      assert.equal(e.code, 'build-error');
      assert.match(e.message, re);
    }
    const unknownLayer = mlp(3);
    unknownLayer.nodes[1] = { ...unknownLayer.nodes[1], op: 'Nope' };
    const e = await failure(train(unknownLayer, config(), data, null));
    assert.equal(e.code, 'build-error');
    assert.equal(e.node, 'dense_1');
  });

  it('loads weights only when every name and shape fits, naming both shapes', async () => {
    const built = Model.build(mlp(3), 1);
    assert.ok(built.ok);
    const model = built.model;
    const arrays = model.weights.map((w) => ({ name: w.name, shape: [...w.spec.shape], data: new Float32Array(w.tensor.size).fill(0.5) }));
    let r = loadWeights(model, arrays.slice(1));
    assert.ok(!r.ok && /the weights lack dense\/kernel/.test(r.message), JSON.stringify(r));
    r = loadWeights(model, [{ ...arrays[0], shape: [16, 4] }, ...arrays.slice(1)]);
    assert.ok(!r.ok && r.message === 'weight dense/kernel has shape [16, 4] in the file, but the model needs [4, 16]', JSON.stringify(r));
    r = loadWeights(model, [...arrays, { name: 'extra/w', shape: [1], data: new Float32Array(1) }]);
    assert.ok(!r.ok && /extra\/w, which model m does not have/.test(r.message), JSON.stringify(r));
    assert.notDeepEqual(Array.from(model.weights[0].tensor.dataSync()), new Array(64).fill(0.5), 'nothing loaded after a failure');
    assert.deepEqual(loadWeights(model, arrays), { ok: true });
    assert.deepEqual(Array.from(model.weights[0].tensor.dataSync()), new Array(64).fill(0.5));
    model.dispose();
    const p = await predict(mlp(3), arrays.slice(1), blobs(3, 1));
    assert.ok(!p.ok && /dense\/kernel/.test(p.message));
  });

  it('predicts in batches: rows in sample order, the same whatever the batch size', async () => {
    const built = Model.build(mlp(3), 4);
    assert.ok(built.ok);
    const weights = built.model.weights.map((w) => ({ name: w.name, shape: [...w.spec.shape], data: w.tensor.dataSync() as Float32Array }));
    built.model.dispose();
    const data = blobs(10, 5);
    const a = await predict(mlp(3), weights, data, 3);
    const b = await predict(mlp(3), weights, data, 10);
    assert.ok(a.ok && b.ok);
    assert.equal(a.outputs.y.rows.length, 10);
    assert.deepEqual(a.outputs.y.sampleShape, [3]);
    assert.deepEqual(a.outputs.y.rows, b.outputs.y.rows);
  });

  it('holds out a seeded validation fraction', () => {
    const data = blobs(10, 6);
    const s = splitValidation(data, 0.2, 42)!;
    assert.equal(s.validation.count, 2);
    assert.equal(s.train.count, 8);
    const rows = (d: Dataset) => Array.from({ length: d.count }, (_v, i) => Array.from(d.inputs.x.data.subarray(i * 4, i * 4 + 4)).join());
    const all = rows(data).sort();
    assert.deepEqual([...rows(s.train), ...rows(s.validation)].sort(), all, 'every sample lands on exactly one side');
    assert.deepEqual(splitValidation(data, 0.2, 42), s, 'the same seed splits the same way');
    assert.equal(splitValidation(data, 1.5, 42), null);
  });
});
