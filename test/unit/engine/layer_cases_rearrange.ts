// Layer cases of the tfjs comparison for the weightless rearranging layers: zero padding,
// cropping, up-sampling, RepeatVector and Permute. Arguments are written as the catalog
// resolves them (padding 2D: [top, bottom, left, right]).

import * as tf from '@tensorflow/tfjs';
import type { LayerCase } from './layer_cases';

/**
 * Keras's resize along one axis by the factor s, written with gathers: output j reads the
 * source coordinate (j + 0.5) / s - 0.5 from its two neighbours (edges clamped), or for
 * nearest the value floor(j / s). TF.js's own resize gradients are wrong for non-square
 * images, so this is the oracle; its forward is held to tf.image.resize* in layers_resize.test.ts.
 */
export function resizeAxis(x: tf.Tensor, axis: number, s: number, mode: 'nearest' | 'bilinear'): tf.Tensor {
  const n = x.shape[axis];
  const out = Array.from({ length: n * s }, (_v, j) => j);
  if (mode === 'nearest') return tf.gather(x, out.map((j) => Math.floor(j / s)), axis);
  const at = out.map((j) => (j + 0.5) / s - 0.5);
  const lower = at.map((a) => Math.max(Math.floor(a), 0));
  const upper = at.map((a) => Math.min(Math.ceil(a), n - 1));
  const wShape = x.shape.map((d, i) => (i === axis ? n * s : 1));
  const w = tf.tensor(at.map((a) => a - Math.floor(a)), wShape);
  return tf.add(tf.mul(tf.gather(x, lower, axis), tf.sub(1, w)), tf.mul(tf.gather(x, upper, axis), w));
}

export const REARRANGE_CASES: LayerCase[] = [
  {
    op: 'ZeroPadding2D', args: { padding: [1, 2, 0, 3] }, inputs: [[2, 3, 4, 2]], weights: [],
    tfForward: ([x]) => tf.pad(x, [[0, 0], [1, 2], [0, 3], [0, 0]]),
    tfLayer: () => tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }),
  },
  {
    op: 'ZeroPadding1D', args: { padding: [2, 1] }, inputs: [[2, 4, 3]], weights: [],
    tfForward: ([x]) => tf.pad(x, [[0, 0], [2, 1], [0, 0]]),
  },
  {
    op: 'Cropping2D', args: { cropping: [1, 0, 2, 1] }, inputs: [[2, 4, 5, 2]], weights: [],
    tfForward: ([x]) => tf.slice(x, [0, 1, 2, 0], [2, 3, 2, 2]),
    tfLayer: () => tf.layers.cropping2D({ cropping: [[1, 0], [2, 1]] }),
  },
  {
    op: 'Cropping1D', args: { cropping: [1, 2] }, inputs: [[2, 6, 3]], weights: [],
    tfForward: ([x]) => tf.slice(x, [0, 1, 0], [2, 3, 3]),
  },
  {
    op: 'UpSampling2D', args: { size: [2, 3], interpolation: 'nearest' }, inputs: [[2, 3, 2, 2]], weights: [],
    tfForward: ([x]) => resizeAxis(resizeAxis(x, 1, 2, 'nearest'), 2, 3, 'nearest'),
    tfLayer: () => tf.layers.upSampling2d({ size: [2, 3] }),
  },
  {
    // Keras resizes with half-pixel centres (TensorFlow's tf.image.resize); TF.js's own
    // UpSampling2D layer does not (its export refuses bilinear), so only the op is compared.
    op: 'UpSampling2D', args: { size: [3, 2], interpolation: 'bilinear' }, inputs: [[2, 3, 4, 2]], weights: [],
    tfForward: ([x]) => resizeAxis(resizeAxis(x, 1, 3, 'bilinear'), 2, 2, 'bilinear'),
  },
  {
    op: 'UpSampling2D', args: { size: [1, 4], interpolation: 'bilinear' }, inputs: [[1, 2, 3, 1]], weights: [],
    tfForward: ([x]) => resizeAxis(resizeAxis(x, 1, 1, 'bilinear'), 2, 4, 'bilinear'),
  },
  {
    op: 'RepeatVector', args: { n: 3 }, inputs: [[2, 4]], weights: [],
    tfForward: ([x]) => tf.tile(x.expandDims(1), [1, 3, 1]),
    tfLayer: () => tf.layers.repeatVector({ n: 3 }),
  },
  {
    op: 'Permute', args: { axes: [3, 1, 2] }, inputs: [[2, 2, 3, 4]], weights: [],
    tfForward: ([x]) => tf.transpose(x, [0, 3, 1, 2]),
    tfLayer: () => tf.layers.permute({ dims: [3, 1, 2] }),
  },
  {
    op: 'Permute', args: { axes: [2, 1] }, inputs: [[3, 5, 2]], weights: [],
    tfForward: ([x]) => tf.transpose(x, [0, 2, 1]),
    tfLayer: () => tf.layers.permute({ dims: [2, 1] }),
  },
  {
    op: 'UpSampling1D', args: { size: 3 }, inputs: [[2, 4, 3]], weights: [],
    tfForward: ([x]) => tf.tile(x.expandDims(2), [1, 1, 3, 1]).reshape([2, 12, 3]),
  },
];
