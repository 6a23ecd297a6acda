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
  {
    op: 'DepthwiseConv2D', args: { kernel: [3, 3], stride: [2, 2], padding: 'same', depth_multiplier: 2, activation: 'relu', bias: true }, inputs: [[2, 5, 6, 3]],
    weights: [{ name: 'depthwise_kernel', shape: [3, 3, 3, 2] }, { name: 'bias', shape: [6] }],
    tfForward: ([x], [w, b]) => tf.relu(tf.add(tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), b)),
    tfLayer: () => tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' }),
  },
  {
    op: 'DepthwiseConv2D', args: { kernel: [2, 3], stride: [1, 1], padding: 'valid', depth_multiplier: 1, activation: 'linear', bias: false }, inputs: [[2, 4, 5, 2]],
    weights: [{ name: 'depthwise_kernel', shape: [2, 3, 2, 1] }],
    tfForward: ([x], [w]) => tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'),
    tfLayer: () => tf.layers.depthwiseConv2d({ kernelSize: [2, 3], useBias: false }),
  },
  {
    op: 'SeparableConv2D', args: { filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'same', depth_multiplier: 2, activation: 'tanh', bias: true }, inputs: [[2, 5, 4, 3]],
    weights: [{ name: 'depthwise_kernel', shape: [3, 3, 3, 2] }, { name: 'pointwise_kernel', shape: [1, 1, 6, 4] }, { name: 'bias', shape: [4] }],
    tfForward: ([x], [dw, pw, b]) => tf.tanh(tf.add(tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, 1, 'same'), b)),
    tfLayer: () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'tanh' }),
  },
  {
    op: 'SeparableConv2D', args: { filters: 2, kernel: [2, 2], stride: [2, 2], padding: 'valid', depth_multiplier: 1, activation: 'linear', bias: false }, inputs: [[2, 5, 5, 2]],
    weights: [{ name: 'depthwise_kernel', shape: [2, 2, 2, 1] }, { name: 'pointwise_kernel', shape: [1, 1, 2, 2] }],
    tfForward: ([x], [dw, pw]) => tf.separableConv2d(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, 2, 'valid'),
    tfLayer: () => tf.layers.separableConv2d({ filters: 2, kernelSize: 2, strides: 2, useBias: false }),
  },
];
