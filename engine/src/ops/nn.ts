// Neural-network operations built on the primitives: convolution and pooling in 1-D and
// 2-D (1-D runs as 2-D with a height of 1), embedding lookup, dropout, and the layer and
// batch normalisations composed from elementwise ops so their gradients come for free.

import type { Padding, PoolFn } from '../backend';
import { apply } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { activation, add, affine, broadcastTo, mean, mul, reshape, sqrt, square, sub, div } from './math';

export interface ConvOptions {
  stride?: number | [number, number];
  padding?: Padding;
  bias?: Tensor;
  activation?: string;
}

function pair(v: number | [number, number] | undefined, d: number): [number, number] {
  if (v === undefined) return [d, d];
  return typeof v === 'number' ? [v, v] : v;
}

/** x [N, H, W, C] with kernel w [kh, kw, C, F] -> [N, H', W', F]. */
export function conv2d(x: Tensor, w: Tensor, o: ConvOptions = {}): Tensor {
  let y = apply('conv2d', [x, w], { stride: pair(o.stride, 1), padding: o.padding ?? 'valid' });
  if (o.bias) y = add(y, o.bias);
  return o.activation ? activation(y, o.activation) : y;
}

/** x [N, L, C] with kernel w [k, C, F] -> [N, L', F]. */
export function conv1d(x: Tensor, w: Tensor, o: Omit<ConvOptions, 'stride'> & { stride?: number } = {}): Tensor {
  const [n, l, c] = x.shape;
  const [k, , f] = w.shape;
  const y = conv2d(reshape(x, [n, 1, l, c]), reshape(w, [1, k, c, f]), { ...o, stride: [1, o.stride ?? 1] });
  return reshape(y, [n, y.shape[2], f]);
}

export interface PoolOptions {
  pool?: number | [number, number];
  stride?: number | [number, number];
  padding?: Padding;
}

export function pool2d(x: Tensor, fn: PoolFn, o: PoolOptions = {}): Tensor {
  const pool = pair(o.pool, 2);
  return apply('pool2d', [x], { fn, pool, stride: o.stride === undefined ? pool : pair(o.stride, 1), padding: o.padding ?? 'valid' });
}

export function pool1d(x: Tensor, fn: PoolFn, o: { pool?: number; stride?: number; padding?: Padding } = {}): Tensor {
  const [n, l, c] = x.shape;
  const pool = o.pool ?? 2;
  const y = pool2d(reshape(x, [n, 1, l, c]), fn, { pool: [1, pool], stride: [1, o.stride ?? pool], padding: o.padding });
  return reshape(y, [n, y.shape[2], c]);
}

/** Rows of table [V, D] picked by int32 indices [...] -> [..., D]. */
export function embedding(table: Tensor, indices: Tensor): Tensor {
  return apply('gather', [table, indices], {});
}

/**
 * Inverted dropout: during training, zeroes each value with probability `rate` from the
 * counter-based hash of (seed, step, index) and scales the rest by 1/(1-rate).
 */
export function dropout(x: Tensor, rate: number, seed: number, step: number, training: boolean): Tensor {
  if (!training || rate <= 0) return x;
  const mask = apply('dropout_mask', [], { shape: [...x.shape], rate, seed, step });
  return mul(x, mask);
}

/** (x - mean) / sqrt(var + eps) * gamma + beta over the last axis (Keras LayerNormalization). */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps = 1e-3): Tensor {
  const mu = mean(x, -1, true);
  const centered = sub(x, mu);
  const variance = mean(square(centered), -1, true);
  const normed = div(centered, sqrt(affine(variance, 1, eps)));
  return add(mul(normed, gamma), beta);
}

export interface BatchNormResult {
  y: Tensor;
  /** The batch statistics (biased variance) a training step folds into the moving ones. */
  mean?: Tensor;
  variance?: Tensor;
}

/**
 * Keras BatchNormalization over every axis but the last. Training normalises with the
 * batch statistics and returns them; inference uses the moving mean and variance.
 */
export function batchNorm(
  x: Tensor,
  p: { gamma: Tensor; beta: Tensor; movingMean: Tensor; movingVariance: Tensor },
  eps: number,
  training: boolean,
): BatchNormResult {
  if (!training) {
    const scale = div(p.gamma, sqrt(affine(p.movingVariance, 1, eps)));
    return { y: add(mul(sub(x, p.movingMean), scale), p.beta) };
  }
  const axes = x.shape.slice(0, -1).map((_d, i) => i);
  const mu = mean(x, axes, true);
  const centered = sub(x, mu);
  const variance = mean(square(centered), axes, true);
  const y = add(mul(div(centered, sqrt(affine(variance, 1, eps))), p.gamma), p.beta);
  const f = x.shape[x.rank - 1];
  return { y, mean: reshape(mu, [f]), variance: reshape(variance, [f]) };
}

/** The moving-average update Keras applies: moving * momentum + batch * (1 - momentum). */
export function movingAverage(moving: Tensor, batch: Tensor, momentum: number): Tensor {
  return add(affine(moving, momentum), affine(batch, 1 - momentum));
}

export { broadcastTo };
