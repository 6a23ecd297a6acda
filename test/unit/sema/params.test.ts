// Parameter counts of classic architectures written in Netspec, against the totals their
// Keras implementations print in `model.summary()`. A wrong argument default, weight shape
// or block/repeat expansion in the checker shows up here as a wrong total.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';

function params(source: string): { params: number; trainable: number } {
  const r = checkText(source);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors.map((d) => d.message), []);
  assert.equal(r.models.length, 1);
  assert.ok(r.models[0].ir, 'an error-free model has IR');
  assert.equal(r.models[0].ir!.params, r.models[0].params);
  return { params: r.models[0].params, trainable: r.models[0].trainableParams };
}

test('Keras "Simple MNIST convnet" has 34,826 parameters', () => {
  const src = `
model Mnist {
  input image: [28, 28, 1]
  Conv2D(32, kernel=3, activation=relu)
  MaxPool2D(pool=2)
  Conv2D(64, kernel=(3, 3), activation=relu)
  MaxPool2D(2)
  Flatten()
  Dropout(0.5)
  Dense(10, activation=softmax)
}`;
  assert.deepEqual(params(src), { params: 34826, trainable: 34826 });
});

test('LeNet-5 (32x32 input, average pooling) has 61,706 parameters', () => {
  const src = `
model LeNet5 {
  input x: [32, 32, 1]
  Conv2D(6, 5, activation=tanh)
  AvgPool2D(2)
  Conv2D(16, 5, activation=tanh)
  AvgPool2D(2)
  Flatten()
  Dense(120, activation=tanh)
  Dense(84, activation=tanh)
  Dense(10, activation=softmax)
}`;
  assert.deepEqual(params(src), { params: 61706, trainable: 61706 });
});

test('Keras mnist_mlp example has 669,706 parameters', () => {
  const src = `
model Mlp {
  input x: [784]
  Dense(512, activation=relu)
  Dropout(0.2)
  Dense(512, activation=relu)
  Dropout(0.2)
  Dense(10, activation=softmax)
}`;
  assert.deepEqual(params(src), { params: 669706, trainable: 669706 });
});

test('Keras imdb_lstm example has 2,691,713 parameters', () => {
  const src = `
model ImdbLstm {
  input words: [80] int
  Embedding(20000, 128)
  LSTM(128)
  Dense(1, activation=sigmoid)
}`;
  assert.deepEqual(params(src), { params: 2691713, trainable: 2691713 });
});

test('Keras imdb_cnn example has 350,751 parameters', () => {
  const src = `
model ImdbCnn {
  input words: [400] int
  Embedding(5000, 50)
  Dropout(0.2)
  Conv1D(250, 3, activation=relu)
  GlobalMaxPool1D()
  Dense(250)
  Dropout(0.2)
  ReLU()
  Dense(1, activation=sigmoid)
}`;
  assert.deepEqual(params(src), { params: 350751, trainable: 350751 });
});

test('BatchNorm counts its moving statistics as non-trainable parameters', () => {
  const src = `
model Norm {
  input x: [8, 8, 3]
  Conv2D(4, 3, bias=false)
  BatchNorm()
}`;
  // Conv2D: 3*3*3*4 = 108; BatchNorm: 4*4 = 16, of which 8 trainable.
  assert.deepEqual(params(src), { params: 124, trainable: 116 });
});

test('block uses and repeat count their parameters once per expansion', () => {
  const src = `
block Mlp(units) {
  input x: [f]
  Dense(units, activation=relu)
}

model Deep {
  input x: [10]
  repeat 3 {
    Mlp(10)
  }
  Mlp(units=4)
}`;
  const r = checkText(src);
  assert.deepEqual(r.diagnostics, []);
  // Three Dense(10) over 10 features (110 each) and one Dense(4) over 10 (44).
  assert.equal(r.models[0].params, 3 * 110 + 44);
  assert.deepEqual(
    r.models[0].layers.map((l) => [l.op, l.params]),
    [
      ['Mlp', 110],
      ['Mlp', 110],
      ['Mlp', 110],
      ['Mlp', 44],
    ],
  );
});
