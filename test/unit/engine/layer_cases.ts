// The layer cases of the tfjs comparison: for each case a layer call (op, args, batched
// input shapes, weights in the engine's names) and the same computation in tfjs ops; where
// tfjs has the layer itself, its forward too. Every catalog layer has at least one case.

import * as tf from '@tensorflow/tfjs';
import type { ResolvedArgs } from '../../../engine/catalog/types';
import { uniform01 } from '../../../engine/src/rng';
import { REARRANGE_CASES } from './layer_cases_rearrange';
import { CONV_LAYER_CASES } from './layer_cases_conv';
import { attention, denseTf, erfGelu, gru, moments, rnnTf } from './tf_reference';
import { POINTWISE_CASES } from './layer_cases_pointwise';
import { BIDIRECTIONAL_CASES } from './layer_cases_bidirectional';

export interface WeightInit {
  name: string;
  shape: number[];
  trainable?: boolean;
  /** Value range (variances must stay positive). */
  lo?: number;
  hi?: number;
}

export interface LayerCase {
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

export const LAYER_CASES: LayerCase[] = [
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
  {
    op: 'Dense', args: { units: 3, activation: 'sigmoid', bias: false }, inputs: [[4, 5]],
    weights: [{ name: 'kernel', shape: [5, 3] }],
    tfForward: ([x], [w]) => tf.sigmoid(denseTf(x, w)),
    tfLayer: () => tf.layers.dense({ units: 3, activation: 'sigmoid', useBias: false }),
  },
  {
    op: 'Dense', args: { units: 4, activation: 'softmax', bias: true }, inputs: [[3, 5]],
    weights: [{ name: 'kernel', shape: [5, 4] }, { name: 'bias', shape: [4] }],
    tfForward: ([x], [w, b]) => tf.softmax(denseTf(x, w, b)),
    tfLayer: () => tf.layers.dense({ units: 4, activation: 'softmax' }),
  },
  {
    op: 'Conv2D', args: { filters: 2, kernel: [2, 3], stride: [1, 1], padding: 'valid', activation: 'relu', bias: false }, inputs: [[2, 5, 6, 3]],
    weights: [{ name: 'kernel', shape: [2, 3, 3, 2] }],
    tfForward: ([x], [w]) => tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid')),
    tfLayer: () => tf.layers.conv2d({ filters: 2, kernelSize: [2, 3], activation: 'relu', useBias: false }),
  },
  {
    op: 'Dropout', args: { rate: 0.4 }, inputs: [[3, 8]], weights: [], training: true,
    // The mask is the backend-independent hash rng.ts defines (seed 1, step 0, salt 0).
    tfForward: ([x]) => tf.mul(x, tf.tensor(Array.from({ length: x.size }, (_v, i) => (uniform01(1, 0, i) >= 0.4 ? 1 / 0.6 : 0)), x.shape)),
  },
  {
    op: 'AvgPool2D', args: { pool: [3, 3], stride: [2, 2], padding: 'valid' }, inputs: [[2, 7, 6, 2]], weights: [],
    tfForward: ([x]) => tf.avgPool(x as tf.Tensor4D, 3, 2, 'valid'),
    tfLayer: () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'valid' }),
  },
  {
    op: 'MaxPool1D', args: { pool: 2, stride: 1, padding: 'same' }, inputs: [[2, 7, 3]], weights: [],
    tfForward: ([x]) => tf.maxPool(x.expandDims(1) as tf.Tensor4D, [1, 2], [1, 1], 'same').squeeze([1]),
    tfLayer: () => tf.layers.maxPooling1d({ poolSize: 2, strides: 1, padding: 'same' }),
  },
  {
    op: 'GlobalMaxPool2D', args: {}, inputs: [[2, 3, 4, 2]], weights: [],
    tfForward: ([x]) => tf.max(x, [1, 2]),
    tfLayer: () => tf.layers.globalMaxPooling2d({}),
  },
  {
    op: 'GlobalAvgPool1D', args: {}, inputs: [[2, 5, 3]], weights: [],
    tfForward: ([x]) => tf.mean(x, 1),
    tfLayer: () => tf.layers.globalAveragePooling1d({}),
  },
  {
    op: 'ReLU', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.relu(x),
    tfLayer: () => tf.layers.reLU(),
  },
  {
    op: 'Sigmoid', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.sigmoid(x),
    tfLayer: () => tf.layers.activation({ activation: 'sigmoid' }),
  },
  {
    op: 'Tanh', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.tanh(x),
    tfLayer: () => tf.layers.activation({ activation: 'tanh' }),
  },
  {
    op: 'SiLU', args: {}, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.mul(x, tf.sigmoid(x)),
    tfLayer: () => tf.layers.activation({ activation: 'swish' }),
  },
  {
    op: 'Softmax', args: { axis: -1 }, inputs: [[3, 5]], weights: [],
    tfForward: ([x]) => tf.softmax(x),
    tfLayer: () => tf.layers.softmax(),
  },
  {
    op: 'Concat', args: { axis: -1 }, inputs: [[2, 3, 2], [2, 3, 1]], weights: [],
    tfForward: (xs) => tf.concat(xs, 2),
    tfLayer: () => tf.layers.concatenate({ axis: -1 }),
  },
  {
    op: 'SimpleRNN', args: { units: 2, return_sequences: false, activation: 'tanh' }, inputs: [[3, 5, 2]],
    weights: [{ name: 'kernel', shape: [2, 2] }, { name: 'recurrent_kernel', shape: [2, 2] }, { name: 'bias', shape: [2] }],
    tfForward: rnnTf('rnn', false),
    tfLayer: () => tf.layers.simpleRNN({ units: 2 }),
  },
  {
    op: 'LSTM', args: { units: 2, return_sequences: true }, inputs: [[2, 3, 4]],
    weights: [{ name: 'kernel', shape: [4, 8] }, { name: 'recurrent_kernel', shape: [2, 8] }, { name: 'bias', shape: [8] }],
    tfForward: rnnTf('lstm', true),
    tfLayer: () => tf.layers.lstm({ units: 2, recurrentActivation: 'sigmoid', returnSequences: true }),
  },
  {
    op: 'GRU', args: { units: 2, return_sequences: false }, inputs: [[2, 3, 4]],
    weights: [{ name: 'kernel', shape: [4, 6] }, { name: 'recurrent_kernel', shape: [2, 6] }, { name: 'bias', shape: [2, 6] }],
    tfForward: gru(false),
  },
  ...POINTWISE_CASES,
  ...REARRANGE_CASES,
  ...BIDIRECTIONAL_CASES,
  ...CONV_LAYER_CASES,
];
