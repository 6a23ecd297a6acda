// Each layer's forward and gradients (input and every trainable weight) against
// TensorFlow.js on identical inputs and weights, relative error at most 1e-4 (values under
// 1e-2 in size are compared against 1e-2, so a gradient that is zero in exact arithmetic,
// like attention's key bias, may carry float32 noise up to 1e-6). tfjs has no
// GRU with reset_after=True and no MultiHeadAttention layer, so those two are compared with
// the Keras equations written in tfjs ops (gru, attention below).

import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { ResolvedArgs } from '../../../engine/catalog/types';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { LAYER_FORWARDS } from '../../../engine/src/layers';
import type { LayerContext } from '../../../engine/src/layers';
import * as o from '../../../engine/src/ops';
import { tensor, tidy } from '../../../engine/src/tensor';
import { describeBackends, randomValues, readAll, relError, sizeOf } from './helpers';

const TOL = 1e-4;

interface WeightInit {
  name: string;
  shape: number[];
  trainable?: boolean;
  /** Value range (variances must stay positive). */
  lo?: number;
  hi?: number;
}

interface LayerCase {
  op: string;
  args: ResolvedArgs;
  /** Batched input shapes. */
  inputs: number[][];
  weights: WeightInit[];
  training?: boolean;
  /** When set, input 0 holds int32 ids in [0, ids) and takes no gradient. */
  ids?: number;
  /** The same computation in tfjs ops, from inputs and weights (in `weights` order). */
  tfForward: (xs: tf.Tensor[], ws: tf.Tensor[]) => tf.Tensor;
  /** Where tfjs has the layer, its forward is checked too. */
  tfLayer?: () => tf.layers.Layer;
}

function check(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const e = relError(actual, expected, 1e-2);
  assert.ok(e <= TOL, `${what}: relative error ${e} > ${TOL}`);
}

/**
 * A tfjs layer's forward with the given weights: applied once to build, then weighted and
 * applied again. Layers own their variables, so this checks forwards only; gradients come
 * from the functional forms below, which the same forward check ties to the layer.
 */
function layerForward(make: () => tf.layers.Layer, xs: tf.Tensor[], ws: tf.Tensor[], training: boolean): tf.Tensor {
  const layer = make();
  const input = xs.length === 1 ? xs[0] : xs;
  tf.dispose(layer.apply(input) as tf.Tensor);
  layer.setWeights(ws);
  return layer.apply(input, { training }) as tf.Tensor;
}

const erfGelu = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));

/** x [..., F] @ w [F, U] + b over the last axis. */
function denseTf(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const f = x.shape[x.rank - 1];
  const y = tf.matMul(x.reshape([-1, f]), w).reshape([...x.shape.slice(0, -1), w.shape[1]!]);
  return b ? tf.add(y, b) : y;
}

function moments(x: tf.Tensor, axes: number[]) {
  return tf.moments(x, axes, true);
}

/** Keras SimpleRNN and LSTM (sigmoid recurrent activation) in tfjs ops. */
function rnnTf(kind: 'rnn' | 'lstm', returnSequences: boolean) {
  return ([x]: tf.Tensor[], [kernel, rk, bias]: tf.Tensor[]) => {
    const [n, t] = x.shape;
    const u = rk.shape[0];
    let h: tf.Tensor = tf.zeros([n, u]);
    let c: tf.Tensor = tf.zeros([n, u]);
    const hs: tf.Tensor[] = [];
    for (let s = 0; s < t; s++) {
      const xt = x.slice([0, s, 0], [n, 1, -1]).reshape([n, -1]);
      const z = tf.add(tf.add(tf.matMul(xt, kernel), tf.matMul(h, rk)), bias);
      if (kind === 'rnn') h = tf.tanh(z);
      else {
        const part = (g: number) => z.slice([0, g * u], [n, u]);
        c = tf.add(tf.mul(tf.sigmoid(part(1)), c), tf.mul(tf.sigmoid(part(0)), tf.tanh(part(2))));
        h = tf.mul(tf.sigmoid(part(3)), tf.tanh(c));
      }
      hs.push(h);
    }
    return returnSequences ? tf.stack(hs, 1) : h;
  };
}

/** Keras GRU (reset_after=True) in tfjs ops. */
function gru(returnSequences: boolean) {
  return ([x]: tf.Tensor[], [kernel, rk, bias]: tf.Tensor[]) => {
    const [n, t] = x.shape;
    const u = rk.shape[0];
    const bIn = bias.slice([0, 0], [1, 3 * u]).reshape([3 * u]);
    const bRec = bias.slice([1, 0], [1, 3 * u]).reshape([3 * u]);
    let h: tf.Tensor = tf.zeros([n, u]);
    const hs: tf.Tensor[] = [];
    for (let s = 0; s < t; s++) {
      const xt = x.slice([0, s, 0], [n, 1, -1]).reshape([n, -1]);
      const xw = tf.add(tf.matMul(xt, kernel), bIn);
      const inner = tf.add(tf.matMul(h, rk), bRec);
      const part = (m: tf.Tensor, g: number) => m.slice([0, g * u], [n, u]);
      const z = tf.sigmoid(tf.add(part(xw, 0), part(inner, 0)));
      const r = tf.sigmoid(tf.add(part(xw, 1), part(inner, 1)));
      const hh = tf.tanh(tf.add(part(xw, 2), tf.mul(r, part(inner, 2))));
      h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      hs.push(h);
    }
    return returnSequences ? tf.stack(hs, 1) : h;
  };
}

/** Keras MultiHeadAttention in tfjs ops (kernels [D, h, k], output [h, k, D]). */
function attention(causal: boolean) {
  return (xs: tf.Tensor[], [wq, bq, wk, bk, wv, bv, wo, bo]: tf.Tensor[]) => {
    const q = xs[0];
    const kv = xs[1] ?? xs[0];
    const [, h, k] = wq.shape;
    const n = q.shape[0];
    // [B, T, D] -> [B, h, T, k].
    const proj = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
      denseTf(x, w.reshape([w.shape[0], h * k]), b.reshape([h * k])).reshape([n, x.shape[1]!, h, k]).transpose([0, 2, 1, 3]);
    const query = tf.mul(proj(q, wq, bq), 1 / Math.sqrt(k));
    let scores = tf.matMul(query, proj(kv, wk, bk), false, true);
    if (causal) {
      const tq = q.shape[1]!;
      const tk = kv.shape[1]!;
      const mask = tf.linalg.bandPart(tf.ones([tq, tk]), -1, 0);
      scores = tf.add(scores, tf.mul(tf.sub(1, mask), -1e9));
    }
    const out = tf.matMul(tf.softmax(scores), proj(kv, wv, bv)).transpose([0, 2, 1, 3]).reshape([n, q.shape[1]!, h * k]);
    return tf.add(denseTf(out, wo.reshape([h * k, wo.shape[2]!])), bo);
  };
}

const CASES: LayerCase[] = [
  {
    op: 'Dense', args: { units: 4, activation: 'gelu', bias: true }, inputs: [[3, 5]],
    weights: [{ name: 'kernel', shape: [5, 4] }, { name: 'bias', shape: [4] }],
    tfForward: ([x], [w, b]) => erfGelu(denseTf(x, w, b)),
  },
  {
    op: 'Dense', args: { units: 3, activation: 'relu', bias: true }, inputs: [[2, 4, 5]],
    weights: [{ name: 'kernel', shape: [5, 3] }, { name: 'bias', shape: [3] }],
    tfForward: ([x], [w, b]) => tf.relu(denseTf(x, w, b)),
    tfLayer: () => tf.layers.dense({ units: 3, activation: 'relu' }),
  },
  {
    op: 'Conv2D', args: { filters: 3, kernel: [3, 3], stride: [2, 2], padding: 'same', activation: 'tanh', bias: true }, inputs: [[2, 6, 5, 2]],
    weights: [{ name: 'kernel', shape: [3, 3, 2, 3] }, { name: 'bias', shape: [3] }],
    tfForward: ([x], [w, b]) => tf.tanh(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), b)),
    tfLayer: () => tf.layers.conv2d({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
  },
  {
    op: 'Conv1D', args: { filters: 2, kernel: 3, stride: 1, padding: 'valid', activation: 'linear', bias: true }, inputs: [[2, 7, 3]],
    weights: [{ name: 'kernel', shape: [3, 3, 2] }, { name: 'bias', shape: [2] }],
    tfForward: ([x], [w, b]) => tf.add(tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 1, 'valid'), b),
    tfLayer: () => tf.layers.conv1d({ filters: 2, kernelSize: 3 }),
  },
  {
    op: 'MaxPool2D', args: { pool: [2, 2], stride: [2, 2], padding: 'same' }, inputs: [[2, 5, 5, 2]], weights: [],
    tfForward: ([x]) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'same'),
    tfLayer: () => tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: 'same' }),
  },
  {
    op: 'AvgPool1D', args: { pool: 2, stride: 2, padding: 'valid' }, inputs: [[2, 7, 3]], weights: [],
    tfForward: ([x]) => tf.avgPool(x.expandDims(1) as tf.Tensor4D, [1, 2], [1, 2], 'valid').squeeze([1]),
    tfLayer: () => tf.layers.averagePooling1d({ poolSize: 2, strides: 2 }),
  },
  {
    op: 'GlobalAvgPool2D', args: {}, inputs: [[2, 3, 4, 2]], weights: [],
    tfForward: ([x]) => tf.mean(x, [1, 2]),
    tfLayer: () => tf.layers.globalAveragePooling2d({}),
  },
  {
    op: 'GlobalMaxPool1D', args: {}, inputs: [[2, 5, 3]], weights: [],
    tfForward: ([x]) => tf.max(x, 1),
    tfLayer: () => tf.layers.globalMaxPooling1d({}),
  },
  {
    op: 'Flatten', args: {}, inputs: [[2, 3, 2, 2]], weights: [],
    tfForward: ([x]) => x.reshape([x.shape[0], -1]),
    tfLayer: () => tf.layers.flatten(),
  },
  {
    op: 'BatchNorm', args: { momentum: 0.99, eps: 0.001 }, inputs: [[6, 3]], training: true,
    weights: [
      { name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] },
      { name: 'moving_mean', shape: [3], trainable: false }, { name: 'moving_variance', shape: [3], trainable: false, lo: 0.5, hi: 2 },
    ],
    tfForward: ([x], [g, b]) => {
      const { mean, variance } = tf.moments(x, [0]);
      return tf.batchNorm(x, mean, variance, b, g, 0.001);
    },
    tfLayer: () => tf.layers.batchNormalization({ momentum: 0.99, epsilon: 0.001 }),
  },
  {
    op: 'BatchNorm', args: { momentum: 0.99, eps: 0.001 }, inputs: [[4, 2, 3]], training: false,
    weights: [
      { name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] },
      { name: 'moving_mean', shape: [3], trainable: false }, { name: 'moving_variance', shape: [3], trainable: false, lo: 0.5, hi: 2 },
    ],
    tfForward: ([x], [g, b, m, v]) => tf.batchNorm(x, m, v, b, g, 0.001),
    tfLayer: () => tf.layers.batchNormalization({ momentum: 0.99, epsilon: 0.001 }),
  },
  {
    op: 'LayerNorm', args: { eps: 0.001 }, inputs: [[2, 3, 5]],
    weights: [{ name: 'gamma', shape: [5] }, { name: 'beta', shape: [5] }],
    tfForward: ([x], [g, b]) => {
      const { mean, variance } = moments(x, [2]);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 0.001))), g), b);
    },
    tfLayer: () => tf.layers.layerNormalization({ epsilon: 0.001 }),
  },
  {
    op: 'ELU', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.elu(x),
    tfLayer: () => tf.layers.elu({ alpha: 1 }),
  },
  {
    op: 'LeakyReLU', args: { alpha: 0.01 }, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.leakyRelu(x, 0.01),
    tfLayer: () => tf.layers.leakyReLU({ alpha: 0.01 }),
  },
  {
    op: 'Softmax', args: { axis: 0 }, inputs: [[2, 3, 4]], weights: [],
    tfForward: ([x]) => tf.softmax(x.transpose([0, 2, 1])).transpose([0, 2, 1]),
  },
  {
    op: 'Concat', args: { axis: 0 }, inputs: [[2, 2, 3], [2, 3, 3]], weights: [],
    tfForward: (xs) => tf.concat(xs, 1),
    tfLayer: () => tf.layers.concatenate({ axis: 1 }),
  },
  {
    op: 'Multiply', args: {}, inputs: [[2, 3], [2, 3]], weights: [],
    tfForward: ([a, b]) => tf.mul(a, b),
    tfLayer: () => tf.layers.multiply(),
  },
  {
    op: 'Embedding', args: { vocab: 7, dim: 3 }, inputs: [[2, 5]], ids: 7,
    weights: [{ name: 'embeddings', shape: [7, 3] }],
    tfForward: ([ids], [table]) => tf.gather(table, ids),
    tfLayer: () => tf.layers.embedding({ inputDim: 7, outputDim: 3 }),
  },
  {
    op: 'PositionEmbedding', args: { max_len: 6 }, inputs: [[2, 4, 3]],
    weights: [{ name: 'embeddings', shape: [6, 3] }],
    tfForward: ([x], [table]) => tf.add(x, table.slice([0, 0], [4, 3])),
  },
  {
    op: 'Add', args: {}, inputs: [[2, 3], [2, 3], [2, 3]], weights: [],
    tfForward: (xs) => tf.addN(xs),
    tfLayer: () => tf.layers.add(),
  },
  {
    op: 'Reshape', args: { target: [3, -1] }, inputs: [[2, 6]], weights: [],
    tfForward: ([x]) => x.reshape([2, 3, 2]),
  },
  {
    op: 'GELU', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => erfGelu(x),
  },
  {
    op: 'SimpleRNN', args: { units: 3, return_sequences: true, activation: 'tanh' }, inputs: [[2, 4, 3]],
    weights: [{ name: 'kernel', shape: [3, 3] }, { name: 'recurrent_kernel', shape: [3, 3] }, { name: 'bias', shape: [3] }],
    tfForward: rnnTf('rnn', true),
    tfLayer: () => tf.layers.simpleRNN({ units: 3, returnSequences: true }),
  },
  {
    op: 'LSTM', args: { units: 3, return_sequences: false }, inputs: [[2, 4, 3]],
    weights: [{ name: 'kernel', shape: [3, 12] }, { name: 'recurrent_kernel', shape: [3, 12] }, { name: 'bias', shape: [12] }],
    tfForward: rnnTf('lstm', false),
    tfLayer: () => tf.layers.lstm({ units: 3, recurrentActivation: 'sigmoid' }),
  },
  {
    op: 'GRU', args: { units: 3, return_sequences: true }, inputs: [[2, 4, 3]],
    weights: [{ name: 'kernel', shape: [3, 9] }, { name: 'recurrent_kernel', shape: [3, 9] }, { name: 'bias', shape: [2, 9] }],
    tfForward: gru(true),
  },
  ...[false, true].map((causal) => ({
    op: 'MultiHeadAttention', args: { heads: 2, key_dim: 3, causal }, inputs: [[2, 4, 6]],
    weights: [
      { name: 'query/kernel', shape: [6, 2, 3] }, { name: 'query/bias', shape: [2, 3] },
      { name: 'key/kernel', shape: [6, 2, 3] }, { name: 'key/bias', shape: [2, 3] },
      { name: 'value/kernel', shape: [6, 2, 3] }, { name: 'value/bias', shape: [2, 3] },
      { name: 'attention_output/kernel', shape: [2, 3, 6] }, { name: 'attention_output/bias', shape: [6] },
    ],
    tfForward: attention(causal),
  })),
  {
    op: 'MultiHeadAttention', args: { heads: 2, key_dim: 2, causal: false }, inputs: [[2, 3, 4], [2, 5, 3]],
    weights: [
      { name: 'query/kernel', shape: [4, 2, 2] }, { name: 'query/bias', shape: [2, 2] },
      { name: 'key/kernel', shape: [3, 2, 2] }, { name: 'key/bias', shape: [2, 2] },
      { name: 'value/kernel', shape: [3, 2, 2] }, { name: 'value/bias', shape: [2, 2] },
      { name: 'attention_output/kernel', shape: [2, 2, 4] }, { name: 'attention_output/bias', shape: [4] },
    ],
    tfForward: attention(false),
  },
];

describeBackends('layers vs tfjs', (test) => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  CASES.forEach((c, ci) => {
    test(`${c.op} ${JSON.stringify(c.args)}${c.training ? ' training' : ''}`, async () => {
      const seed = 500 + ci * 13;
      const xv = c.inputs.map((s, k) =>
        c.ids && k === 0 ? randomValues(sizeOf(s), seed, 0, c.ids).map(Math.floor) : randomValues(sizeOf(s), seed + k, -1.5, 1.5),
      );
      const dtypeOf = (k: number) => (c.ids && k === 0 ? 'int32' : 'float32');
      const firstFloat = c.ids ? 1 : 0;
      const wv = c.weights.map((w, k) => randomValues(sizeOf(w.shape), seed + 20 + k, w.lo ?? -0.8, w.hi ?? 0.8));
      const trainable = c.weights.map((w, k) => (w.trainable === false ? -1 : k)).filter((k) => k >= 0);

      // tfjs: forward and gradients of sum(y * r) w.r.t. inputs and trainable weights.
      const tfXs = xv.map((v, k) => tf.tensor(v, c.inputs[k], dtypeOf(k)));
      const tfWs = wv.map((v, k) => tf.tensor(v, c.weights[k].shape));
      const tfY = c.tfForward(tfXs, tfWs);
      if (c.tfLayer) {
        const viaLayer = layerForward(c.tfLayer, tfXs, tfWs, c.training ?? false);
        check('tfjs layer vs tfjs ops (the oracle itself)', tfY.dataSync(), viaLayer.dataSync());
        viaLayer.dispose();
      }
      const r = randomValues(tfY.size, seed + 40);
      const tfR = tf.tensor(r, tfY.shape);
      const diffIdx = [...[...tfXs.keys()].slice(firstFloat), ...trainable.map((k) => tfXs.length + k)];
      const tfGrads = tf.grads((...vs: tf.Tensor[]) => {
        const all = [...tfXs, ...tfWs];
        diffIdx.forEach((idx, j) => (all[idx] = vs[j]));
        return tf.sum(tf.mul(c.tfForward(all.slice(0, tfXs.length), all.slice(tfXs.length)), tfR));
      })(diffIdx.map((idx) => [...tfXs, ...tfWs][idx]));

      const { y, grads } = tidy(() => {
        const xs = xv.map((v, k) => tensor(v, c.inputs[k], dtypeOf(k)));
        const ws = wv.map((v, k) => tensor(v, c.weights[k].shape));
        const record: Record<string, (typeof ws)[number]> = {};
        c.weights.forEach((w, k) => (record[w.name] = ws[k]));
        const ctx = (): LayerContext => ({ training: c.training ?? false, seed: 1, step: 0, salt: 0, updates: [] });
        const forward = LAYER_FORWARDS[c.op];
        const y = forward(xs, record, c.args, ctx());
        const rT = tensor(r, tfY.shape);
        const wrt = [...xs.slice(firstFloat), ...trainable.map((k) => ws[k])];
        return { y, grads: valueAndGrads(() => o.sum(o.mul(forward(xs, record, c.args, ctx()), rT)), wrt).grads };
      });
      assert.deepEqual([...y.shape], tfY.shape, 'output shape');
      const [yv, ...gv] = await readAll([y, ...grads]);
      check('forward', yv, tfY.dataSync());
      const nx = xv.length - firstFloat;
      gv.forEach((g, j) => check(`gradient ${j < nx ? `of input ${j + firstFloat}` : c.weights[trainable[j - nx]].name}`, g, tfGrads[j].dataSync()));
      tf.dispose([...tfXs, ...tfWs, tfY, tfR, ...tfGrads]);
    });
  });
});
