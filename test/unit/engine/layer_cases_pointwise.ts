// The tfjs comparison cases of Subtract, Average, Maximum, Minimum, Rescaling and Activation
// (one per layer, Activation once per kind of function). TF.js 4.22 has Average, Maximum,
// Minimum, Rescaling and Activation layers, whose forwards are checked too; it has no
// Subtract layer, so that one is compared with tf.sub only.

import * as tf from '@tensorflow/tfjs';
import { erfGelu } from './tf_reference';
import type { LayerCase } from './layer_cases';

export const POINTWISE_CASES: LayerCase[] = [
  {
    op: 'Subtract', args: {}, inputs: [[2, 3], [2, 3]], weights: [],
    tfForward: ([a, b]) => tf.sub(a, b),
  },
  {
    op: 'Average', args: {}, inputs: [[2, 3, 2], [2, 3, 2], [2, 3, 2]], weights: [],
    tfForward: (xs) => tf.mul(1 / xs.length, tf.addN(xs)),
    tfLayer: () => tf.layers.average(),
  },
  {
    op: 'Maximum', args: {}, inputs: [[2, 4], [2, 4], [2, 4]], weights: [],
    tfForward: (xs) => xs.slice(1).reduce((a, b) => tf.maximum(a, b), xs[0]),
    tfLayer: () => tf.layers.maximum(),
  },
  {
    op: 'Minimum', args: {}, inputs: [[3, 2], [3, 2]], weights: [],
    tfForward: ([a, b]) => tf.minimum(a, b),
    tfLayer: () => tf.layers.minimum(),
  },
  {
    op: 'Rescaling', args: { scale: -0.5, offset: 0.25 }, inputs: [[2, 3, 2]], weights: [],
    tfForward: ([x]) => tf.add(tf.mul(x, -0.5), 0.25),
    tfLayer: () => tf.layers.rescaling({ scale: -0.5, offset: 0.25 }),
  },
  {
    op: 'Activation', args: { activation: 'softmax' }, inputs: [[2, 3, 4]], weights: [],
    tfForward: ([x]) => tf.softmax(x),
    tfLayer: () => tf.layers.activation({ activation: 'softmax' }),
  },
  {
    op: 'Activation', args: { activation: 'gelu' }, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => erfGelu(x),
  },
  {
    op: 'Activation', args: { activation: 'leaky_relu' }, inputs: [[3, 4]], weights: [],
    // Netspec's leaky_relu has slope 0.01 wherever it is named (Keras's function: 0.2).
    tfForward: ([x]) => tf.leakyRelu(x, 0.01),
  },
  {
    op: 'Activation', args: { activation: 'silu' }, inputs: [[3, 4]], weights: [],
    tfForward: ([x]) => tf.mul(x, tf.sigmoid(x)),
    tfLayer: () => tf.layers.activation({ activation: 'swish' }),
  },
];
