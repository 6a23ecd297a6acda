// The up-sampling oracle of layer_cases_rearrange.ts against TensorFlow.js's own resize
// ops: nearest equals resizeNearestNeighbor, and bilinear equals resizeBilinear with
// half-pixel centres (what Keras's UpSampling2D computes through tf.image.resize), not the
// legacy alignment TF.js's UpSampling2D layer uses.

import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { resizeAxis } from './layer_cases_rearrange';

before(async () => {
  await tf.setBackend('cpu');
});

const image = () => tf.tensor4d(Array.from({ length: 2 * 3 * 4 * 2 }, (_v, i) => Math.sin(i * 1.7) * 3), [2, 3, 4, 2]);

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

test('nearest: the gather oracle equals tf.image.resizeNearestNeighbor', () => {
  const x = image();
  const ours = resizeAxis(resizeAxis(x, 1, 2, 'nearest'), 2, 3, 'nearest');
  assert.equal(maxDiff(ours, tf.image.resizeNearestNeighbor(x, [6, 12])), 0);
});

test('bilinear: the gather oracle equals tf.image.resizeBilinear with half-pixel centres, and differs from the legacy alignment', () => {
  const x = image();
  const ours = resizeAxis(resizeAxis(x, 1, 3, 'bilinear'), 2, 2, 'bilinear');
  assert.ok(maxDiff(ours, tf.image.resizeBilinear(x, [9, 8], false, true)) < 1e-5);
  assert.ok(maxDiff(ours, tf.image.resizeBilinear(x, [9, 8])) > 0.1);
});
