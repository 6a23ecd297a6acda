// Layer cases for the transposed and depthwise/separable convolutions (see layer_cases.ts).

import * as tf from '@tensorflow/tfjs';
import type { LayerCase } from './layer_cases';

export const CONV_LAYER_CASES: LayerCase[] = [
  {
    op: 'Conv2DTranspose', args: { filters: 3, kernel: [3, 3], stride: [2, 2], padding: 'same', activation: 'tanh', bias: true }, inputs: [[2, 3, 4, 2]],
    weights: [{ name: 'kernel', shape: [3, 3, 3, 2] }, { name: 'bias', shape: [3] }],
    tfForward: ([x], [w, b]) => tf.tanh(tf.add(tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 6, 8, 3], 2, 'same'), b)),
    tfLayer: () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }),
  },
  {
    op: 'Conv2DTranspose', args: { filters: 2, kernel: [3, 2], stride: [2, 1], padding: 'valid', activation: 'linear', bias: false }, inputs: [[2, 3, 3, 2]],
    weights: [{ name: 'kernel', shape: [3, 2, 2, 2] }],
    tfForward: ([x], [w]) => tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 7, 4, 2], [2, 1], 'valid'),
    tfLayer: () => tf.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: [2, 1], padding: 'valid', useBias: false }),
  },
  {
    op: 'Conv1DTranspose', args: { filters: 2, kernel: 3, stride: 2, padding: 'valid', activation: 'relu', bias: true }, inputs: [[2, 4, 3]],
    weights: [{ name: 'kernel', shape: [3, 2, 3] }, { name: 'bias', shape: [2] }],
    tfForward: ([x], [w, b]) =>
      tf.relu(tf.add(tf.conv2dTranspose(x.expandDims(1) as tf.Tensor4D, w.expandDims(0) as tf.Tensor4D, [2, 1, 9, 2], [1, 2], 'valid').squeeze([1]), b)),
  },
];
