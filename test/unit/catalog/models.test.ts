// Parameter totals of classic models built by chaining infer calls, against the counts the
// Keras documentation and the literature publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chain, input } from './helpers';

test('Keras "Simple MNIST convnet" has 34,826 parameters', () => {
  const m = chain(input([28, 28, 1]), [
    ['Conv2D', { filters: 32, kernel: [3, 3], activation: 'relu' }],
    ['MaxPool2D'],
    ['Conv2D', { filters: 64, kernel: [3, 3], activation: 'relu' }],
    ['MaxPool2D'],
    ['Flatten'],
    ['Dropout', { rate: 0.5 }],
    ['Dense', { units: 10, activation: 'softmax' }],
  ]);
  assert.deepEqual(m.shape, [10]);
  assert.equal(m.params, 34826);
});

test('LeNet-5 (32x32 input, tanh, average pooling) has 61,706 parameters', () => {
  const m = chain(input([32, 32, 1]), [
    ['Conv2D', { filters: 6, kernel: [5, 5], activation: 'tanh' }],
    ['AvgPool2D'],
    ['Conv2D', { filters: 16, kernel: [5, 5], activation: 'tanh' }],
    ['AvgPool2D'],
    ['Flatten'],
    ['Dense', { units: 120, activation: 'tanh' }],
    ['Dense', { units: 84, activation: 'tanh' }],
    ['Dense', { units: 10, activation: 'softmax' }],
  ]);
  assert.deepEqual(m.shape, [10]);
  assert.equal(m.params, 61706);
});

test('Keras imdb_lstm example (Embedding 20000x128, LSTM 128, Dense 1) has 2,691,713 parameters', () => {
  const m = chain(input(['seq'], 'ids', 'int32'), [
    ['Embedding', { vocab: 20000, dim: 128 }],
    ['LSTM', { units: 128 }],
    ['Dense', { units: 1, activation: 'sigmoid' }],
  ]);
  assert.deepEqual(m.shape, [1]);
  assert.equal(m.params, 2691713);
});

test('Keras RNN guide models: LSTM 98,816 and GRU 247,296 / SimpleRNN 49,280', () => {
  // "Working with RNNs": Embedding(1000, 64) -> LSTM(128) -> Dense(10): 64,000 + 98,816 + 1,290.
  const lstm = chain(input(['seq'], 'ids', 'int32'), [['Embedding', { vocab: 1000, dim: 64 }], ['LSTM', { units: 128 }], ['Dense', { units: 10 }]]);
  assert.equal(lstm.params, 64000 + 98816 + 1290);
  // Embedding(1000, 64) -> GRU(256, return_sequences) -> SimpleRNN(128) -> Dense(10).
  const gru = chain(input(['seq'], 'ids', 'int32'), [
    ['Embedding', { vocab: 1000, dim: 64 }],
    ['GRU', { units: 256, return_sequences: true }],
    ['SimpleRNN', { units: 128 }],
    ['Dense', { units: 10 }],
  ]);
  assert.deepEqual(gru.shape, [10]);
  assert.equal(gru.params, 64000 + 247296 + 49280 + 1290);
});

test('FLOPs of a chain add up when every size is known', () => {
  const m = chain(input([4]), [['Dense', { units: 3 }], ['ReLU'], ['Dense', { units: 2 }]]);
  assert.equal(m.flops, 2 * 4 * 3 + 3 + 2 * 3 * 2);
});
