// Forwards of the layers without recurrence or attention: Dense, Dropout, convolutions,
// pooling, Flatten/Reshape, normalisations, activations, embeddings and merges. Each is a
// short composition of engine ops on batched tensors (the batch axis first).

import { findLayer } from '../../catalog/index';
import type { LayerName } from '../../catalog/index';
import type { Padding } from '../backend';
import * as o from '../ops';
import type { Tensor } from '../tensor';
import type { LayerForward } from './context';
import { ints, num, pairOf, str } from './context';

const FUSABLE = new Set(['linear', 'relu', 'sigmoid', 'tanh']);

/** x @ kernel + bias, then the activation (fused into the matmul where the kernel can). */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | undefined, act: string): Tensor {
  if (FUSABLE.has(act)) return o.matmul(x, kernel, { bias, activation: act as 'relu' });
  const y = o.matmul(x, kernel, { bias });
  return o.activation(y, act);
}

const Dense: LayerForward = ([x], w, args) => dense(x, w.kernel, w.bias, str(args, 'activation'));

const Dropout: LayerForward = ([x], _w, args, ctx) =>
  o.dropout(x, num(args, 'rate'), ctx.seed, ctx.step * 1024 + ctx.salt, ctx.training);

/** The catalog's padding enum is 'valid' or 'same'. */
const padding = (args: Parameters<LayerForward>[2]): Padding => (str(args, 'padding') === 'same' ? 'same' : 'valid');

const Conv2D: LayerForward = ([x], w, args) =>
  o.conv2d(x, w.kernel, { stride: pairOf(args, 'stride'), padding: padding(args), bias: w.bias, activation: str(args, 'activation') });

const Conv1D: LayerForward = ([x], w, args) => {
  const y = o.conv1d(x, w.kernel, { stride: num(args, 'stride'), padding: padding(args), bias: w.bias });
  return o.activation(y, str(args, 'activation'));
};

function pool2d(fn: 'max' | 'avg'): LayerForward {
  return ([x], _w, args) => o.pool2d(x, fn, { pool: pairOf(args, 'pool'), stride: pairOf(args, 'stride'), padding: padding(args) });
}

function pool1d(fn: 'max' | 'avg'): LayerForward {
  return ([x], _w, args) => o.pool1d(x, fn, { pool: num(args, 'pool'), stride: num(args, 'stride'), padding: padding(args) });
}

/** Global pooling reduces every axis between the batch and the channels. */
function globalPool(fn: 'max' | 'avg'): LayerForward {
  return ([x]) => {
    const axes = x.shape.slice(1, -1).map((_d, i) => i + 1);
    return fn === 'max' ? o.max(x, axes) : o.mean(x, axes);
  };
}

const Flatten: LayerForward = ([x]) => o.reshape(x, [x.shape[0], x.size / x.shape[0]]);

const Reshape: LayerForward = ([x], _w, args) => o.reshape(x, [x.shape[0], ...ints(args, 'target')]);

const BatchNorm: LayerForward = ([x], w, args, ctx) => {
  const eps = num(args, 'eps');
  const momentum = num(args, 'momentum');
  const p = { gamma: w.gamma, beta: w.beta, movingMean: w.moving_mean, movingVariance: w.moving_variance };
  const r = o.batchNorm(x, p, eps, ctx.training);
  if (ctx.training && r.mean && r.variance) {
    const { mean, variance } = r;
    ctx.updates.push(
      { target: w.moving_mean, value: () => o.movingAverage(w.moving_mean, mean, momentum) },
      { target: w.moving_variance, value: () => o.movingAverage(w.moving_variance, variance, momentum) },
    );
  }
  return r.y;
};

const LayerNorm: LayerForward = ([x], w, args) => o.layerNorm(x, w.gamma, w.beta, num(args, 'eps'));

/** An activation layer applies the function its catalog entry names; LeakyReLU's slope is its `alpha`. */
function act(layer: LayerName): LayerForward {
  const fn = findLayer(layer)?.activation;
  if (!fn) throw new Error(`${layer} names no activation in the catalog`);
  return ([x], _w, args) => o.activation(x, fn, typeof args.alpha === 'number' ? args.alpha : undefined);
}

/** Softmax's axis counts the axes of one sample, so it is shifted past the batch axis. */
const Softmax: LayerForward = ([x], _w, args) => {
  const axis = num(args, 'axis');
  return o.softmax(x, axis < 0 ? axis : axis + 1);
};

const Embedding: LayerForward = ([ids], w) => o.embedding(w.embeddings, ids.dtype === 'int32' ? ids : o.cast(ids, 'int32'));

/** Adds the first T rows of the learned position table to every sequence in the batch. */
const PositionEmbedding: LayerForward = ([x], w) => {
  const [, t, d] = x.shape;
  return o.add(x, o.slice(w.embeddings, [0, 0], [t, d]));
};

const Add: LayerForward = (xs) => xs.slice(1).reduce((a, b) => o.add(a, b), xs[0]);
const Multiply: LayerForward = (xs) => xs.slice(1).reduce((a, b) => o.mul(a, b), xs[0]);
const Concat: LayerForward = (xs, _w, args) => {
  const axis = num(args, 'axis');
  return o.concat(xs, axis < 0 ? axis : axis + 1);
};

export const BASIC_LAYERS = {
  Dense, Dropout, Conv2D, Conv1D,
  MaxPool2D: pool2d('max'), AvgPool2D: pool2d('avg'), MaxPool1D: pool1d('max'), AvgPool1D: pool1d('avg'),
  GlobalMaxPool2D: globalPool('max'), GlobalAvgPool2D: globalPool('avg'),
  GlobalMaxPool1D: globalPool('max'), GlobalAvgPool1D: globalPool('avg'),
  Flatten, Reshape, BatchNorm, LayerNorm,
  ReLU: act('ReLU'), Sigmoid: act('Sigmoid'), Tanh: act('Tanh'), GELU: act('GELU'), SiLU: act('SiLU'),
  ELU: act('ELU'), LeakyReLU: act('LeakyReLU'), Softmax,
  Embedding, PositionEmbedding, Add, Multiply, Concat,
} satisfies Partial<Record<LayerName, LayerForward>>;

