// `importKeras` on models that TensorFlow.js builds and saves (model.json + weights.bin, in
// memory): the .netspec text checks with no diagnostics, counts TF.js's parameters, and the
// engine (CPU backend) on the imported weights predicts what TF.js predicts within 1e-5
// relative. Layers Netspec cannot express are refused, each named with its Keras name.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { importKeras } from '../../../engine/src/import/keras';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { importMatches, saveTfjs } from './keras_import_helpers';

let worst = 0;

describe('keras import: models saved by TensorFlow.js', () => {
  before(async () => {
    setBackend(new CpuBackend());
    await tf.setBackend('cpu');
  });

  test('Sequential MLP: one layer per line from the input, no names', async () => {
    const m = tf.sequential({ name: 'mlp' });
    m.add(tf.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }));
    m.add(tf.layers.dense({ units: 6, activation: 'tanh' }));
    m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const r = await importMatches(m, 3);
    worst = Math.max(worst, r.worst);
    assert.equal(
      r.imported.text.split('\n').filter((l) => !l.startsWith('#')).join('\n'),
      'model Mlp {\n  input x: [5]\n  Dense(8, activation=relu)\n  Dense(6, activation=tanh)\n  Dense(3, activation=softmax)\n}\n',
    );
    assert.deepEqual(r.imported.outputs, ['output']);
  });

  test('CNN: Conv2D, BatchNormalization, MaxPooling2D, Dropout, Flatten, Dense', async () => {
    const m = tf.sequential({ name: 'cnn' });
    m.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 9, 2] }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: 2, padding: 'same', useBias: false }));
    m.add(tf.layers.averagePooling2d({ poolSize: [1, 2], strides: 1 }));
    m.add(tf.layers.dropout({ rate: 0.25 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 4 }));
    const r = await importMatches(m, 5);
    worst = Math.max(worst, r.worst);
    assert.match(r.imported.text, /Conv2D\(5, \(2, 3\), stride=2, padding=same, bias=false\)/);
    assert.match(r.imported.text, /AvgPool2D\(\(1, 2\), stride=1\)/);
    assert.match(r.imported.text, /\n {2}Dropout\(0\.25\)\n/);
  });

  test('functional: two inputs, a residual Add, Concatenate, two outputs in Keras order, weights in three shards', async () => {
    const a = tf.input({ shape: [6], name: 'features' });
    const b = tf.input({ shape: [4], name: 'extra' });
    const h = tf.layers.dense({ units: 6, activation: 'relu', name: 'hidden' }).apply(a) as tf.SymbolicTensor;
    const res = tf.layers.add({ name: 'residual' }).apply([a, h]) as tf.SymbolicTensor;
    const cat = tf.layers.concatenate({ name: 'joined' }).apply([res, b]) as tf.SymbolicTensor;
    const score = tf.layers.dense({ units: 1, name: 'score' }).apply(cat) as tf.SymbolicTensor;
    const norm = tf.layers.layerNormalization({ name: 'norm' }).apply(cat) as tf.SymbolicTensor;
    const kind = tf.layers.dense({ units: 3, activation: 'softmax', name: 'kind' }).apply(norm) as tf.SymbolicTensor;
    const m = tf.model({ name: 'two_heads', inputs: [a, b], outputs: [kind, score] });
    // Its weights split over three shard files, cut inside weights.
    const r = await importMatches(m, 7, 0, 3);
    worst = Math.max(worst, r.worst);
    assert.deepEqual(r.imported.outputs, ['kind', 'score']);
    assert.deepEqual(r.ir.outputs.map((o) => o.name), ['kind', 'score']);
    assert.match(r.imported.text, /residual = \(features, hidden\) -> Add\(\)/);
    assert.match(r.imported.text, /joined = \(residual, extra\) -> Concat\(\)/);
  });

  test('Embedding + LSTM (sigmoid recurrent activation) + LayerNormalization, float ids declared int', async () => {
    const m = tf.sequential({ name: 'text' });
    m.add(tf.layers.embedding({ inputDim: 20, outputDim: 6, inputShape: [7] }));
    m.add(tf.layers.lstm({ units: 5, recurrentActivation: 'sigmoid', returnSequences: true }));
    m.add(tf.layers.layerNormalization());
    m.add(tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: 2 }));
    const r = await importMatches(m, 9, 20);
    worst = Math.max(worst, r.worst);
    assert.match(r.imported.text, /input x: \[7\] int/);
    assert.match(r.imported.text, /LSTM\(5, return_sequences=true\)/);
    assert.match(r.imported.notes.join('\n'), /int here since an Embedding reads it/);
  });

  test('Conv1D, pooling over sequences, SimpleRNN, Reshape and activation layers', async () => {
    const m = tf.sequential({ name: 'seq' });
    m.add(tf.layers.conv1d({ filters: 4, kernelSize: 2, inputShape: [9, 3] }));
    m.add(tf.layers.leakyReLU({ alpha: 0.2 }));
    m.add(tf.layers.maxPooling1d({ poolSize: 2 }));
    m.add(tf.layers.simpleRNN({ units: 4, returnSequences: true, activation: 'relu' }));
    m.add(tf.layers.activation({ activation: 'sigmoid' }));
    m.add(tf.layers.reshape({ targetShape: [8, 2] }));
    m.add(tf.layers.globalAveragePooling1d());
    m.add(tf.layers.dense({ units: 2, activation: 'elu' }));
    const r = await importMatches(m, 13);
    worst = Math.max(worst, r.worst);
    assert.match(r.imported.text, /LeakyReLU\(alpha=0\.2\)/);
    assert.match(r.imported.text, /SimpleRNN\(4, return_sequences=true, activation=relu\)/);
  });

  test('Bidirectional around LSTM and SimpleRNN: merge modes, and weights found under the wrapped layer\'s own name', async () => {
    const m = tf.sequential({ name: 'both_ways' });
    const lstm = tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid', returnSequences: true, name: 'enc_lstm' });
    m.add(tf.layers.bidirectional({ layer: lstm as tf.RNN, inputShape: [6, 3] }));
    m.add(tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 3 }) as tf.RNN, mergeMode: 'ave' }));
    m.add(tf.layers.dense({ units: 2 }));
    const r = await importMatches(m, 19);
    worst = Math.max(worst, r.worst);
    assert.match(r.imported.text, /\n {2}Bidirectional\(LSTM\(4, return_sequences=true\)\)\n {2}Bidirectional\(SimpleRNN\(3\), merge=ave\)\n/);
    assert.ok(r.imported.weights!.some((w) => w.name === 'bidirectional/backward_lstm/recurrent_kernel'));
  });

  test('an open sequence length becomes a symbolic size', async () => {
    const m = tf.sequential({ name: 'any_length' });
    m.add(tf.layers.conv1d({ filters: 3, kernelSize: 2, padding: 'same', inputShape: [null, 4] }));
    m.add(tf.layers.lstm({ units: 4, recurrentActivation: 'sigmoid' }));
    m.add(tf.layers.dense({ units: 2 }));
    const r = await importMatches(m, 17);
    worst = Math.max(worst, r.worst);
    assert.match(r.imported.text, /input x: \[size1, 4\]\n/);
    assert.deepEqual(r.ir.inputs[0].shape, ['size1', 4]);
  });

  test('layers Netspec cannot express: refused, each named with its Keras name and why', async () => {
    const m = tf.sequential({ name: 'odd' });
    m.add(tf.layers.embedding({ inputDim: 10, outputDim: 4, inputShape: [5] }));
    m.add(tf.layers.gru({ units: 3, name: 'my_gru', returnSequences: true }));
    m.add(tf.layers.lstm({ units: 3, name: 'my_lstm', returnSequences: true }));
    m.add(tf.layers.gaussianNoise({ stddev: 0.1, name: 'noise' }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 2, activation: 'softplus', name: 'soft' }));
    const saved = await saveTfjs(m);
    const result = importKeras({ json: saved.json, shards: saved.shards, fileName: 'model.json' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.problems.map((p) => [p.className, p.layer]), [
      ['GRU', 'my_gru'],
      ['LSTM', 'my_lstm'],
      ['GaussianNoise', 'noise'],
      ['Dense', 'soft'],
    ]);
    assert.match(result.problems[0].message, /recurrent_activation="hard_sigmoid" is not supported \(Netspec computes sigmoid\); reset_after=false is not supported \(Netspec computes True\); TensorFlow\.js's GRU always has reset_after=False/);
    assert.match(result.problems[1].message, /recurrent_activation="hard_sigmoid" is not supported/);
    assert.match(result.problems[2].message, /Netspec has no such layer/);
    assert.match(result.problems[3].message, /activation softplus is not supported/);
  });

  test('worst relative difference', () => {
    console.log(`keras import: worst relative difference vs TF.js ${worst.toExponential(2)}`);
    assert.ok(worst <= 1e-5);
  });
});
