// Importing the transposed, depthwise and separable convolutions from models TensorFlow.js
// builds and saves (an independent producer of the format): a DCGAN-style upsampling stack
// and a MobileNet-style depthwise stack import with TF.js's parameter count and, on the
// imported weights, predict what TF.js predicts.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { importMatches } from './keras_import_helpers';

describe('keras import: transposed convolutions saved by TensorFlow.js', () => {
  before(async () => {
    setBackend(new CpuBackend());
    await tf.setBackend('cpu');
  });

  test('Dense -> Reshape -> Conv2DTranspose (same, valid, kernel < stride, no bias)', async () => {
    const m = tf.sequential({ name: 'generator' });
    m.add(tf.layers.dense({ units: 3 * 3 * 4, inputShape: [5] }));
    m.add(tf.layers.reshape({ targetShape: [3, 3, 4] }));
    m.add(tf.layers.conv2dTranspose({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.conv2dTranspose({ filters: 2, kernelSize: [3, 2], strides: [2, 1] }));
    m.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 1, strides: 2, useBias: false, activation: 'sigmoid' }));
    const r = await importMatches(m, 13);
    assert.equal(r.ir.params, m.countParams());
    assert.match(r.imported.text, /Conv2DTranspose\(3, 4, stride=2, padding=same, activation=relu\)/);
    assert.match(r.imported.text, /Conv2DTranspose\(2, \(3, 2\), stride=\(2, 1\)\)/);
    assert.match(r.imported.text, /Conv2DTranspose\(1, 1, stride=2, activation=sigmoid, bias=false\)/);
    assert.deepEqual(r.ir.nodes[r.ir.nodes.length - 1].shape, [26, 14, 1]);
    assert.ok(r.worst <= 1e-5);
  });

  test('DepthwiseConv2D and SeparableConv2D (depth multipliers, strides, no bias)', async () => {
    const m = tf.sequential({ name: 'mobile' });
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'relu', inputShape: [9, 8, 3] }));
    m.add(tf.layers.separableConv2d({ filters: 5, kernelSize: [3, 2], strides: 2, useBias: false }));
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 2, useBias: false }));
    // TF.js 4.22's SeparableConv2D leaves depth_multiplier out of its saved config; the
    // importer reads it from the depthwise kernel's shape in the weights manifest.
    m.add(tf.layers.separableConv2d({ filters: 2, kernelSize: 1, depthMultiplier: 3, activation: 'tanh' }));
    const r = await importMatches(m, 17);
    assert.equal(r.ir.params, m.countParams());
    assert.match(r.imported.text, /DepthwiseConv2D\(3, padding=same, depth_multiplier=2, activation=relu\)/);
    assert.match(r.imported.text, /SeparableConv2D\(5, \(3, 2\), stride=2, bias=false\)/);
    assert.match(r.imported.text, /SeparableConv2D\(2, 1, depth_multiplier=3, activation=tanh\)/);
    assert.ok(r.worst <= 1e-5);
  });
});
