// Forwards of the layers without recurrence or attention: Dense, Dropout, convolutions,
// pooling, Flatten/Reshape, normalisations, activations, embeddings and merges. Each is a
// short composition of engine ops on batched tensors (the batch axis first).

import * as o from '../ops';
import type { Tensor } from '../tensor';
import type { LayerForward } from './context';
import { num, pairOf, str } from './context';

const FUSABLE = new Set(['linear', 'relu', 'sigmoid', 'tanh']);

/** x @ kernel + bias, then the activation (fused into the matmul where the kernel can). */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | undefined, act: string): Tensor {
  if (FUSABLE.has(act)) return o.matmul(x, kernel, { bias, activation: act as 'relu' });
  const y = o.matmul(x, kernel, { bias });
  return o.activation(y, act);
}

const Dense: LayerForward = ([x], w, args) => dense(x, w.kernel, w.bias, str(args, 'activation', 'linear'));

const Dropout: LayerForward = ([x], _w, args, ctx) =>
  o.dropout(x, num(args, 'rate', 0), ctx.seed, ctx.step * 1024 + ctx.salt, ctx.training);

const Conv2D: LayerForward = ([x], w, args) =>
  o.conv2d(x, w.kernel, {
    stride: pairOf(args, 'stride', [1, 1]),
    padding: str(args, 'padding', 'valid') === 'same' ? 'same' : 'valid',
    bias: w.bias,
    activation: str(args, 'activation', 'linear'),
  });

const Conv1D: LayerForward = ([x], w, args) => {
  const y = o.conv1d(x, w.kernel, {
    stride: num(args, 'stride', 1),
    padding: str(args, 'padding', 'valid') === 'same' ? 'same' : 'valid',
    bias: w.bias,
  });
  return o.activation(y, str(args, 'activation', 'linear'));
};

function pool2d(fn: 'max' | 'avg'): LayerForward {
  return ([x], _w, args) => {
    const pool = pairOf(args, 'pool', [2, 2]);
    return o.pool2d(x, fn, { pool, stride: pairOf(args, 'stride', pool), padding: str(args, 'padding', 'valid') === 'same' ? 'same' : 'valid' });
  };
}

function pool1d(fn: 'max' | 'avg'): LayerForward {
  return ([x], _w, args) => {
    const pool = num(args, 'pool', 2);
    return o.pool1d(x, fn, { pool, stride: num(args, 'stride', pool), padding: str(args, 'padding', 'valid') === 'same' ? 'same' : 'valid' });
  };
}

/** Global pooling reduces every axis between the batch and the channels. */
function globalPool(fn: 'max' | 'avg'): LayerForward {
  return ([x]) => {
    const axes = x.shape.slice(1, -1).map((_d, i) => i + 1);
    return fn === 'max' ? o.max(x, axes) : o.mean(x, axes);
  };
}

const Flatten: LayerForward = ([x]) => o.reshape(x, [x.shape[0], x.size / x.shape[0]]);

const Reshape: LayerForward = ([x], _w, args) => {
  const target = Array.isArray(args.target) ? args.target : [-1];
  return o.reshape(x, [x.shape[0], ...target]);
};

const BatchNorm: LayerForward = ([x], w, args, ctx) => {
  const eps = num(args, 'eps', 1e-3);
  const momentum = num(args, 'momentum', 0.99);
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

const LayerNorm: LayerForward = ([x], w, args) => o.layerNorm(x, w.gamma, w.beta, num(args, 'eps', 1e-3));

function act(name: string): LayerForward {
  return ([x], _w, args) => o.activation(x, name, name === 'leaky_relu' ? num(args, 'alpha', 0.01) : undefined);
}

/** Softmax's axis counts the axes of one sample, so it is shifted past the batch axis. */
const Softmax: LayerForward = ([x], _w, args) => {
  const axis = num(args, 'axis', -1);
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
  const axis = num(args, 'axis', -1);
  return o.concat(xs, axis < 0 ? axis : axis + 1);
};

export const BASIC_LAYERS: Record<string, LayerForward> = {
  Dense, Dropout, Conv2D, Conv1D,
  MaxPool2D: pool2d('max'), AvgPool2D: pool2d('avg'), MaxPool1D: pool1d('max'), AvgPool1D: pool1d('avg'),
  GlobalMaxPool2D: globalPool('max'), GlobalAvgPool2D: globalPool('avg'),
  GlobalMaxPool1D: globalPool('max'), GlobalAvgPool1D: globalPool('avg'),
  Flatten, Reshape, BatchNorm, LayerNorm,
  ReLU: act('relu'), Sigmoid: act('sigmoid'), Tanh: act('tanh'), GELU: act('gelu'), SiLU: act('silu'),
  ELU: act('elu'), LeakyReLU: act('leaky_relu'), Softmax,
  Embedding, PositionEmbedding, Add, Multiply, Concat,
};

