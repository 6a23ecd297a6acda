// Layer cases of the tfjs comparison for the weightless rearranging layers: zero padding,
// cropping, up-sampling, RepeatVector and Permute. Arguments are written as the catalog
// resolves them (padding 2D: [top, bottom, left, right]).

import * as tf from '@tensorflow/tfjs';
import type { LayerCase } from './layer_cases';

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
];
