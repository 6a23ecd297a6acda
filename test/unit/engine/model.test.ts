// The catalog and the engine agree: for every catalog layer, a one-layer model built from
// the IR runs forward with the output shape the catalog's shape rule predicted and the
// weights it listed, and a backward pass yields a finite gradient for every trainable
// weight. Also: a Dense → BatchNorm → Dropout → Dense model trains, updates BatchNorm's
// moving statistics, and bad input becomes an error value.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allLayers, findLayer, IR_VERSION } from '../../../engine/catalog';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { ResolvedArgs } from '../../../engine/catalog/types';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { crossEntropy, loss } from '../../../engine/src/losses';
import { Model } from '../../../engine/src/model';
import * as o from '../../../engine/src/ops';
import { Optimizer } from '../../../engine/src/optimizers';
import { setBackend, tensor, tidy } from '../../../engine/src/tensor';
import { BACKENDS, randomValues, sizeOf } from './helpers';

interface Sample {
  args: ResolvedArgs;
  inputs: { shape: number[]; dtype?: DType }[];
}

/** One call of each layer with the required arguments filled in. */
const SAMPLES: Record<string, Sample> = {
  Dense: { args: { units: 3, activation: 'silu' }, inputs: [{ shape: [4] }] },
  Dropout: { args: { rate: 0.5 }, inputs: [{ shape: [5] }] },
  Conv2D: { args: { filters: 2, kernel: [3, 3], padding: 'same', stride: [2, 2] }, inputs: [{ shape: [5, 5, 2] }] },
  Conv1D: { args: { filters: 2, kernel: 3 }, inputs: [{ shape: [6, 2] }] },
  MaxPool2D: { args: {}, inputs: [{ shape: [4, 5, 2] }] },
  AvgPool2D: { args: { padding: 'same' }, inputs: [{ shape: [5, 5, 2] }] },
  MaxPool1D: { args: {}, inputs: [{ shape: [6, 2] }] },
  AvgPool1D: { args: { pool: 3, stride: 1 }, inputs: [{ shape: [6, 2] }] },
  GlobalAvgPool2D: { args: {}, inputs: [{ shape: [3, 3, 2] }] },
  GlobalMaxPool2D: { args: {}, inputs: [{ shape: [3, 3, 2] }] },
  GlobalAvgPool1D: { args: {}, inputs: [{ shape: [4, 2] }] },
  GlobalMaxPool1D: { args: {}, inputs: [{ shape: [4, 2] }] },
  Flatten: { args: {}, inputs: [{ shape: [2, 3, 2] }] },
  Reshape: { args: { target: [3, -1] }, inputs: [{ shape: [6] }] },
  BatchNorm: { args: {}, inputs: [{ shape: [3] }] },
  LayerNorm: { args: {}, inputs: [{ shape: [2, 4] }] },
  ReLU: { args: {}, inputs: [{ shape: [3] }] },
  Sigmoid: { args: {}, inputs: [{ shape: [3] }] },
  Tanh: { args: {}, inputs: [{ shape: [3] }] },
  GELU: { args: {}, inputs: [{ shape: [3] }] },
  SiLU: { args: {}, inputs: [{ shape: [3] }] },
  ELU: { args: {}, inputs: [{ shape: [3] }] },
  LeakyReLU: { args: {}, inputs: [{ shape: [3] }] },
  Softmax: { args: {}, inputs: [{ shape: [2, 3] }] },
  Embedding: { args: { vocab: 10, dim: 3 }, inputs: [{ shape: [4], dtype: 'int32' }] },
  PositionEmbedding: { args: { max_len: 6 }, inputs: [{ shape: [4, 3] }] },
  SimpleRNN: { args: { units: 3 }, inputs: [{ shape: [4, 2] }] },
  LSTM: { args: { units: 3, return_sequences: true }, inputs: [{ shape: [4, 2] }] },
  GRU: { args: { units: 3 }, inputs: [{ shape: [4, 2] }] },
  MultiHeadAttention: { args: { heads: 2, causal: true }, inputs: [{ shape: [4, 6] }] },
  Add: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Multiply: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Concat: { args: {}, inputs: [{ shape: [2, 3] }, { shape: [2, 1] }] },
};

/** The args with the catalog's defaults applied, as the checker would. */
function resolve(op: string, given: ResolvedArgs): ResolvedArgs {
  const spec = findLayer(op)!;
  const out: ResolvedArgs = {};
  for (const a of spec.args) {
    const v = given[a.name] ?? a.default;
    out[a.name] = a.type === 'size2' && typeof v === 'number' ? [v, v] : v;
  }
  return out;
}

function oneLayerIR(op: string, sample: Sample): ModelIR {
  const spec = findLayer(op)!;
  const args = resolve(op, sample.args);
  const inputs = sample.inputs.map((s, i) => ({ name: `x${i}`, shape: s.shape as Shape, dtype: s.dtype ?? ('float32' as DType) }));
  const r = spec.infer(inputs, args);
  if (!r.ok) throw new Error(`${op}: ${r.issue.message}`);
  const params = r.weights.reduce((s, w) => s + sizeOf(w.shape), 0);
  return {
    version: IR_VERSION,
    name: op,
    inputs,
    nodes: [{ id: 'layer', op, args, inputs: inputs.map((i) => i.name), shape: r.shape, dtype: r.dtype, weights: r.weights, line: 0 }],
    outputs: [{ name: 'y', tensor: 'layer' }],
    params,
    trainableParams: r.weights.filter((w) => w.trainable).reduce((s, w) => s + sizeOf(w.shape), 0),
  };
}

for (const backend of BACKENDS) {
  describe(`model on ${backend.name}`, () => {
    before(() => setBackend(backend.make()));

    it('has a sample for every catalog layer', () => {
      assert.deepEqual(allLayers().map((l) => l.name).filter((n) => !SAMPLES[n]), []);
    });

    for (const [op, sample] of Object.entries(SAMPLES)) {
      it(`${op}: engine output shape and weights match the catalog`, () => {
        const ir = oneLayerIR(op, sample);
        const built = Model.build(ir, 3);
        assert.ok(built.ok);
        const model = built.model;
        tidy(() => {
          const batch = 2;
          const xs: Record<string, ReturnType<typeof tensor>> = {};
          sample.inputs.forEach((s, i) => {
            const n = batch * sizeOf(s.shape);
            const v = s.dtype === 'int32' ? randomValues(n, i, 0, 10).map(Math.floor) : randomValues(n, 10 + i);
            xs[`x${i}`] = tensor(v, [batch, ...s.shape], s.dtype ?? 'float32');
          });
          const params = model.trainable();
          const { value, grads } = valueAndGrads(() => {
            const r = model.forward(xs, { training: true, step: 1 });
            assert.ok(r.ok);
            const y = r.outputs.y;
            assert.deepEqual([...y.shape], [batch, ...ir.nodes[0].shape], 'output shape');
            return o.sum(o.mul(y, y));
          }, params);
          assert.ok(Number.isFinite(value.dataSync()[0]));
          assert.equal(model.weights.reduce((s, w) => s + w.tensor.size, 0), ir.params);
          grads.forEach((g, i) => {
            assert.deepEqual([...g.shape], [...params[i].shape]);
            assert.ok(g.dataSync().every(Number.isFinite), `gradient ${i} finite`);
          });
          model.applyUpdates();
        });
        model.dispose();
      });
    }

    it('trains a small classifier and moves BatchNorm statistics', () => {
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
      const opt = new Optimizer({ kind: 'adam', lr: 0.02 });
      const losses: number[] = [];
      for (let step = 0; step < 40; step++) {
        losses.push(
          tidy(() => {
            const { value, grads } = valueAndGrads(() => {
              const r = model.forward({ x: shifted }, { training: true, step });
              if (!r.ok) throw new Error(r.error.message);
              return loss('cross_entropy', r.outputs.y, labels, true);
            }, model.trainable());
            model.applyUpdates();
            opt.step(model.trainable(), grads);
            return value.dataSync()[0];
          }),
        );
      }
      assert.ok(losses[39] < losses[0] * 0.5, `loss ${losses[0]} -> ${losses[39]}`);
      const movingMean = model.weights.find((w) => w.name === 'bn/moving_mean')!.tensor.dataSync();
      assert.ok(movingMean.some((v) => v !== 0), 'moving mean was updated');
      tidy(() => {
        const r = model.forward({ x: shifted }, { training: false });
        assert.ok(r.ok);
        assert.ok(crossEntropy(r.outputs.y, labels, true).dataSync()[0] < losses[0]);
      });
      model.dispose();
      opt.dispose();
    });

    it('reports bad input and unknown layers as error values', () => {
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
}
