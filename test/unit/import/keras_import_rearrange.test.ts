// `importKeras` on TF.js models with the padding and cropping layers (TF.js has the 2D ones):
// the imported text spells the amounts as a user would, and the engine on the imported
// weights predicts what TF.js predicts.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { importMatches } from './keras_import_helpers';

describe('keras import: padding and cropping saved by TensorFlow.js', () => {
  before(async () => {
    setBackend(new CpuBackend());
    await tf.setBackend('cpu');
  });

  test('ZeroPadding2D and Cropping2D in every form around a convolution', async () => {
    const m = tf.sequential({ name: 'edges' });
    m.add(tf.layers.zeroPadding2d({ padding: [[1, 2], [0, 3]], inputShape: [5, 4, 2] }));
    m.add(tf.layers.conv2d({ filters: 3, kernelSize: 3 }));
    m.add(tf.layers.zeroPadding2d({}));
    m.add(tf.layers.cropping2D({ cropping: [[1, 1], [2, 2]] }));
    m.add(tf.layers.zeroPadding2d({ padding: 2 }));
    m.add(tf.layers.cropping2D({ cropping: [[2, 0], [1, 0]] }));
    const r = await importMatches(m, 41);
    const body = r.imported.text.split('\n').filter((l) => /^\s+(ZeroPadding|Cropping)/.test(l)).map((l) => l.trim().replace(/ ->$/, ''));
    assert.deepEqual(body, ['ZeroPadding2D(((1, 2), (0, 3)))', 'ZeroPadding2D()', 'Cropping2D((1, 2))', 'ZeroPadding2D(2)', 'Cropping2D(((2, 0), (1, 0)))']);
    assert.ok(r.worst <= 1e-5);
  });

  test('RepeatVector and Permute between recurrent layers', async () => {
    const m = tf.sequential({ name: 'seq2seq' });
    m.add(tf.layers.simpleRNN({ units: 4, inputShape: [5, 3] }));
    m.add(tf.layers.repeatVector({ n: 6 }));
    m.add(tf.layers.permute({ dims: [2, 1] }));
    m.add(tf.layers.dense({ units: 2 }));
    const r = await importMatches(m, 47);
    assert.match(r.imported.text, / {2}RepeatVector\(6\)\n {2}Permute\(\[2, 1\]\)\n/);
    assert.ok(r.worst <= 1e-5);
  });

  test('UpSampling2D (nearest) in a decoder', async () => {
    const m = tf.sequential({ name: 'decoder' });
    m.add(tf.layers.dense({ units: 2 * 3 * 4, inputShape: [5] }));
    m.add(tf.layers.reshape({ targetShape: [2, 3, 4] }));
    m.add(tf.layers.upSampling2d({}));
    m.add(tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }));
    m.add(tf.layers.upSampling2d({ size: [1, 3] }));
    const r = await importMatches(m, 43);
    assert.match(r.imported.text, / {2}UpSampling2D\(\)\n {2}Conv2D\(2, 3, padding=same\)\n {2}UpSampling2D\(\(1, 3\)\)\n/);
    assert.ok(r.worst <= 1e-5);
  });
});
