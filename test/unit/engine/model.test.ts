// The catalog and the engine agree, on every backend: for every catalog layer, one-layer
// models built from the IR (a fixed sample and random valid configurations) run forward
// with the output shape the catalog's shape rule predicted and exactly the weights (names,
// shapes, parameter count) it listed, and a backward pass yields a finite gradient for
// every trainable weight. Also: a Dense → BatchNorm → Dropout → Dense model trains,
// updates BatchNorm's moving statistics, and bad input becomes an error value.

import assert from 'node:assert/strict';
import { allLayers, findLayer, IR_VERSION } from '../../../engine/catalog';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { crossEntropy, loss } from '../../../engine/src/losses';
import { Model } from '../../../engine/src/model';
import * as o from '../../../engine/src/ops';
import { Optimizer } from '../../../engine/src/optimizers';
import { tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import type { Sample } from './catalog_ir';
import { oneLayerIR, randomSample, resolve, SAMPLES } from './catalog_ir';
import { describeBackends, lcg, randomValues, read, readAll, sizeOf } from './helpers';

/** Random configurations per layer and backend, on top of the fixed sample. */
const RANDOM_CONFIGS = 4;

/**
 * Builds the one-layer model of `sample`, runs forward and backward on a batch of 2, and
 * checks the output shape, the weights and the gradients against the catalog.
 */
async function checkAgainstCatalog(op: string, sample: Sample, what: string): Promise<void> {
  const ir = oneLayerIR(op, sample);
  const built = Model.build(ir, 3);
  assert.ok(built.ok, what);
  const model = built.model;
  const node = ir.nodes[0];
  assert.deepEqual(model.weights.map((w) => [w.name, [...w.tensor.shape]]), node.weights.map((w) => [`layer/${w.name}`, w.shape]), `${what}: weights`);
  assert.equal(model.weights.reduce((s, w) => s + w.tensor.size, 0), ir.params, `${what}: parameter count`);
  const batch = 2;
  const params = model.trainable();
  const { y, value, grads } = tidy(() => {
    const xs: Record<string, Tensor> = {};
    sample.inputs.forEach((s, i) => {
      const n = batch * sizeOf(s.shape);
      const vocab = typeof sample.args.vocab === 'number' ? sample.args.vocab : 10;
      const v = s.dtype === 'int32' ? randomValues(n, i, 0, vocab).map(Math.floor) : randomValues(n, 10 + i);
      xs[`x${i}`] = tensor(v, [batch, ...s.shape], s.dtype ?? 'float32');
    });
    let y: Tensor | undefined;
    const { value, grads } = valueAndGrads(() => {
      const r = model.forward(xs, { training: true, step: 1 });
      if (!r.ok) throw new Error(`${what}: ${r.error.message}`);
      y = r.outputs.y;
      return o.sum(o.mul(y, y));
    }, params);
    // BatchNorm's moving-statistic updates read this step's batch statistics, so they apply inside the tidy.
    model.applyUpdates();
    return { y: y!, value, grads };
  });
  assert.deepEqual([...y.shape], [batch, ...node.shape], `${what}: output shape`);
  assert.equal(y.dtype, node.dtype, `${what}: output dtype`);
  grads.forEach((g, i) => assert.deepEqual([...g.shape], [...params[i].shape], `${what}: gradient ${i} shape`));
  const [yv, v, ...gv] = await readAll([y, value, ...grads]);
  assert.ok(yv.every(Number.isFinite), `${what}: output finite`);
  assert.ok(Number.isFinite(v[0]), `${what}: value finite`);
  gv.forEach((g, i) => assert.ok(g.every(Number.isFinite), `${what}: gradient of ${model.weights.filter((w) => w.spec.trainable)[i].name} finite`));
  model.dispose();
}

describeBackends('model', (test) => {
  test('has a sample for every catalog layer', () => {
    assert.deepEqual(allLayers().map((l) => l.name).filter((n) => !SAMPLES[n]), []);
  });

  for (const [op, sample] of Object.entries(SAMPLES)) {
    test(`${op}: engine output shape and weights match the catalog`, async () => {
      await checkAgainstCatalog(op, sample, `${op} sample`);
    });
  }

  for (const spec of allLayers()) {
    test(`${spec.name}: ${RANDOM_CONFIGS} random valid configurations match the catalog`, async () => {
      const r = lcg(7000 + [...spec.name].reduce((h, ch) => h * 31 + ch.charCodeAt(0), 0));
      for (let k = 0; k < RANDOM_CONFIGS; k++) {
        const sample = randomSample(spec.name, r);
        await checkAgainstCatalog(spec.name, sample, `${spec.name} ${JSON.stringify(sample)}`);
      }
    });
  }

  test('trains a small classifier and moves BatchNorm statistics', async () => {
    const dense = (id: string, input: string, f: number, units: number, activation: string) => ({
      id, op: 'Dense', args: resolve('Dense', { units, activation }), inputs: [input], shape: [units] as Shape, dtype: 'float32' as DType,
      weights: (findLayer('Dense')!.infer([{ name: input, shape: [f], dtype: 'float32' }], resolve('Dense', { units, activation })) as { weights: ModelIR['nodes'][0]['weights'] }).weights,
      line: 0,
    });
    const bnWeights = (findLayer('BatchNorm')!.infer([{ name: 'h', shape: [8], dtype: 'float32' }], resolve('BatchNorm', {})) as { weights: ModelIR['nodes'][0]['weights'] }).weights;
    const ir: ModelIR = {
      version: IR_VERSION, name: 'clf', params: 0, trainableParams: 0,
      inputs: [{ name: 'x', shape: [4], dtype: 'float32' }],
      nodes: [
        dense('dense', 'x', 4, 8, 'relu'),
        { id: 'bn', op: 'BatchNorm', args: resolve('BatchNorm', {}), inputs: ['dense'], shape: [8], dtype: 'float32', weights: bnWeights, line: 1 },
        { id: 'drop', op: 'Dropout', args: { rate: 0.2 }, inputs: ['bn'], shape: [8], dtype: 'float32', weights: [], line: 2 },
        dense('dense_1', 'drop', 8, 3, 'softmax'),
      ],
      outputs: [{ name: 'y', tensor: 'dense_1' }],
    };
    const built = Model.build(ir, 42);
    assert.ok(built.ok);
    const model = built.model;
    const x = tensor(randomValues(24 * 4, 5), [24, 4]);
    const labels = tensor(Array.from({ length: 24 }, (_v, i) => i % 3), [24], 'int32');
    // Make the classes separable: shift feature (class) by +2.
    const shifted = tidy(() => o.add(x, o.oneHot(labels, 4)));
    const opt = new Optimizer({ name: 'adam', args: { lr: 0.02 } });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const value = tidy(() => {
        const { value, grads } = valueAndGrads(() => {
          const r = model.forward({ x: shifted }, { training: true, step });
          if (!r.ok) throw new Error(r.error.message);
          return loss('cross_entropy', r.outputs.y, labels, true);
        }, model.trainable());
        model.applyUpdates();
        opt.step(model.trainable(), grads);
        return value;
      });
      losses.push((await readAll([value]))[0][0]);
    }
    assert.ok(losses[39] < losses[0] * 0.5, `loss ${losses[0]} -> ${losses[39]}`);
    const movingMean = await read(model.weights.find((w) => w.name === 'bn/moving_mean')!.tensor);
    assert.ok(movingMean.some((v) => v !== 0), 'moving mean was updated');
    const inference = tidy(() => {
      const r = model.forward({ x: shifted }, { training: false });
      if (!r.ok) throw new Error(r.error.message);
      return crossEntropy(r.outputs.y, labels, true);
    });
    assert.ok((await readAll([inference]))[0][0] < losses[0]);
    model.dispose();
    opt.dispose();
    for (const t of [x, labels, shifted]) t.dispose();
  });

  test('reports bad input and unknown layers as error values', () => {
    const ir = oneLayerIR('Dense', SAMPLES.Dense);
    const built = Model.build(ir, 1);
    assert.ok(built.ok);
    tidy(() => {
      const r = built.model.forward({ x0: tensor([1, 2, 3], [1, 3]) }, { training: false });
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error.code, 'data-mismatch');
      const missing = built.model.forward({}, { training: false });
      assert.equal(missing.ok, false);
    });
    const bad = Model.build({ ...ir, nodes: [{ ...ir.nodes[0], op: 'Nope' }] }, 1);
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.error.code, 'unknown-layer');
  });
});
