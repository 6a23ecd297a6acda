// DepthwiseConv2D and SeparableConv2D: Keras's weight names, shapes and parameter counts
// (Xception's and MobileNet's layers), Conv2D's output sizes, and FLOPs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, issue, params } from './helpers';

test('DepthwiseConv2D: [kh, kw, C, dm] kernel, C*dm channels out, Conv2D window sizes', () => {
  // MobileNet's first depthwise layer: 3x3 on 112x112x32, 288 weights + no bias there.
  const mobile = apply('DepthwiseConv2D', input([112, 112, 32]), { kernel: 3, padding: 'same', bias: false });
  assert.deepEqual(mobile.shape, [112, 112, 32]);
  assert.equal(params(mobile), 288);
  const dm = apply('DepthwiseConv2D', input([9, 8, 3]), { kernel: [3, 2], stride: 2, depth_multiplier: 4 });
  assert.deepEqual(dm.shape, [4, 4, 12]);
  assert.deepEqual(dm.weights.map((w) => [w.name, w.shape]), [['depthwise_kernel', [3, 2, 3, 4]], ['bias', [12]]]);
  assert.equal(dm.flops, 2 * 4 * 4 * 3 * 2 * 3 * 4);
});

test('SeparableConv2D: depthwise then pointwise weights in Keras order, Xception counts', () => {
  // Xception's block2_sepconv1: SeparableConv2D(128, 3, padding="same", use_bias=False) on 147x147x64 = 8768.
  const x = apply('SeparableConv2D', input([147, 147, 64]), { filters: 128, kernel: 3, padding: 'same', bias: false });
  assert.equal(params(x), 8768);
  assert.deepEqual(x.shape, [147, 147, 128]);
  const y = apply('SeparableConv2D', input([10, 10, 3]), { filters: 5, kernel: 3, stride: 2, depth_multiplier: 2 });
  assert.deepEqual(y.weights.map((w) => [w.name, w.shape]), [['depthwise_kernel', [3, 3, 3, 2]], ['pointwise_kernel', [1, 1, 6, 5]], ['bias', [5]]]);
  assert.equal(params(y), 54 + 30 + 5);
  assert.deepEqual(y.shape, [4, 4, 5]);
});

test('depthwise layers reject a non-image input and a kernel larger than a valid input', () => {
  assert.equal(issue('DepthwiseConv2D', input([10, 4]), { kernel: 3 }).code, 'rank-mismatch');
  assert.equal(issue('SeparableConv2D', input([2, 5, 3]), { filters: 2, kernel: 3 }).code, 'empty-dimension');
});
