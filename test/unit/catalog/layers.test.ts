// Per-layer shapes, weights and FLOPs, with expected numbers worked out by hand from the
// Keras formulas (spec §4), including symbolic sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, params, trainable } from './helpers';

test('Dense maps the last axis and declares Keras kernel and bias', () => {
  const out = apply('Dense', input([784]), { units: 128 });
  assert.deepEqual(out.shape, [128]);
  assert.equal(params(out), 784 * 128 + 128);
  assert.deepEqual(out.weights.map((w) => [w.name, w.shape, w.init, w.regularized]), [
    ['kernel', [784, 128], 'glorot_uniform', true],
    ['bias', [128], 'zeros', false],
  ]);
  assert.equal(out.flops, 2 * 784 * 128);
});

test('Dense applies over leading axes, keeps symbolic ones, and drops the bias on request', () => {
  const seq = apply('Dense', input(['seq', 64]), { units: 32, bias: false });
  assert.deepEqual(seq.shape, ['seq', 32]);
  assert.equal(params(seq), 64 * 32);
  assert.equal(seq.flops, null);
  const known = apply('Dense', input([10, 64]), { units: 32 });
  assert.equal(known.flops, 2 * 10 * 64 * 32);
});

test('Conv2D valid, same and strided outputs with a [kh, kw, C, filters] kernel', () => {
  const out = apply('Conv2D', input([28, 28, 1]), { filters: 32, kernel: [3, 3] });
  assert.deepEqual(out.shape, [26, 26, 32]);
  assert.equal(params(out), 3 * 3 * 1 * 32 + 32);
  assert.deepEqual(out.weights[0].shape, [3, 3, 1, 32]);
  assert.equal(out.flops, 2 * 26 * 26 * 9 * 32);
  const same = apply('Conv2D', input([32, 32, 3]), { filters: 16, kernel: [5, 3], stride: [2, 2], padding: 'same' });
  assert.deepEqual(same.shape, [16, 16, 16]);
  assert.equal(params(same), 5 * 3 * 3 * 16 + 16);
  const strided = apply('Conv2D', input([9, 7, 2]), { filters: 4, kernel: 3, stride: [2, 1] });
  assert.deepEqual(strided.shape, [4, 5, 4]);
});

test('Conv2D keeps symbolic spatial sizes as expressions', () => {
  const out = apply('Conv2D', input(['h', 'w', 3]), { filters: 8, kernel: [3, 3] });
  assert.deepEqual(out.shape, ['h-2', 'w-2', 8]);
  assert.equal(out.flops, null);
  assert.equal(params(out), 3 * 3 * 3 * 8 + 8);
  const pooled = apply('MaxPool2D', input(out.shape), {});
  assert.deepEqual(pooled.shape, ['floor((h-4)/2)+1', 'floor((w-4)/2)+1', 8]);
  const same = apply('MaxPool2D', input(['h', 'w', 3]), { padding: 'same' });
  assert.deepEqual(same.shape, ['ceil(h/2)', 'ceil(w/2)', 3]);
});

test('Conv1D uses a [k, C, filters] kernel', () => {
  const out = apply('Conv1D', input([100, 16]), { filters: 32, kernel: 5, stride: 2 });
  assert.deepEqual(out.shape, [48, 32]);
  assert.deepEqual(out.weights[0].shape, [5, 16, 32]);
  assert.equal(params(out), 5 * 16 * 32 + 32);
  assert.equal(out.flops, 2 * 48 * 5 * 16 * 32);
});

test('pooling defaults the stride to the pool size and has no weights', () => {
  assert.deepEqual(apply('MaxPool2D', input([26, 26, 32])).shape, [13, 13, 32]);
  assert.deepEqual(apply('AvgPool2D', input([10, 10, 4]), { pool: [3, 3] }).shape, [3, 3, 4]);
  assert.deepEqual(apply('AvgPool2D', input([10, 10, 4]), { pool: [3, 3], stride: [1, 1] }).shape, [8, 8, 4]);
  assert.deepEqual(apply('MaxPool1D', input([11, 8])).shape, [5, 8]);
  assert.deepEqual(apply('AvgPool1D', input([11, 8]), { pool: 3, padding: 'same' }).shape, [4, 8]);
  assert.equal(params(apply('MaxPool2D', input([4, 4, 2]))), 0);
  assert.deepEqual(apply('GlobalAvgPool2D', input([7, 7, 64])).shape, [64]);
  assert.deepEqual(apply('GlobalMaxPool2D', input(['h', 'w', 64])).shape, [64]);
  assert.deepEqual(apply('GlobalAvgPool1D', input(['seq', 32])).shape, [32]);
  assert.deepEqual(apply('GlobalMaxPool1D', input([10, 32])).shape, [32]);
});

test('Flatten multiplies sizes and Reshape infers -1; both keep the dtype', () => {
  assert.deepEqual(apply('Flatten', input([5, 5, 16])).shape, [400]);
  assert.deepEqual(apply('Reshape', input([784]), { target: [28, 28, 1] }).shape, [28, 28, 1]);
  assert.deepEqual(apply('Reshape', input([4, 6]), { target: [-1, 3] }).shape, [8, 3]);
  assert.deepEqual(apply('Reshape', input(['seq', 64]), { target: [-1, 8, 8] }).shape, ['seq', 8, 8]);
  assert.deepEqual(apply('Reshape', input(['seq', 64]), { target: [-1, 16] }).shape, ['seq*4', 16]);
  assert.equal(apply('Flatten', input([3, 4], 'ids', 'int32')).dtype, 'int32');
  assert.equal(apply('Reshape', input([12], 'ids', 'int32'), { target: [3, 4] }).dtype, 'int32');
});

test('Dropout and activations keep the shape', () => {
  for (const name of ['ReLU', 'Sigmoid', 'Tanh', 'GELU', 'SiLU', 'ELU', 'LeakyReLU', 'Softmax']) {
    const out = apply(name, input(['seq', 10]));
    assert.deepEqual(out.shape, ['seq', 10], name);
    assert.equal(params(out), 0, name);
  }
  assert.deepEqual(apply('Dropout', input([3, 7]), { rate: 0.5 }).shape, [3, 7]);
  assert.deepEqual(apply('Softmax', input([3, 7]), { axis: 0 }).shape, [3, 7]);
  assert.equal(apply('ReLU', input([3, 7])).flops, 21);
});

test('BatchNorm has 4F weights of which 2F are trainable; LayerNorm has 2F', () => {
  const bn = apply('BatchNorm', input([8, 8, 16]));
  assert.deepEqual(bn.shape, [8, 8, 16]);
  assert.equal(params(bn), 64);
  assert.equal(trainable(bn), 32);
  assert.deepEqual(bn.weights.map((w) => [w.name, w.init, w.trainable, w.regularized]), [
    ['gamma', 'ones', true, false],
    ['beta', 'zeros', true, false],
    ['moving_mean', 'zeros', false, false],
    ['moving_variance', 'ones', false, false],
  ]);
  const ln = apply('LayerNorm', input(['seq', 64]));
  assert.deepEqual(ln.weights.map((w) => [w.name, w.shape]), [['gamma', [64]], ['beta', [64]]]);
});

test('Embedding turns int ids into float vectors; PositionEmbedding has a [max_len, D] table', () => {
  const emb = apply('Embedding', input(['seq'], 'ids', 'int32'), { vocab: 1000, dim: 64 });
  assert.deepEqual(emb.shape, ['seq', 64]);
  assert.equal(emb.dtype, 'float32');
  assert.deepEqual(emb.weights.map((w) => [w.name, w.shape, w.init]), [['embeddings', [1000, 64], 'uniform']]);
  const pos = apply('PositionEmbedding', input([50, 64]), { max_len: 128 });
  assert.deepEqual(pos.shape, [50, 64]);
  assert.deepEqual(pos.weights[0].shape, [128, 64]);
  assert.deepEqual(apply('PositionEmbedding', input(['seq', 64]), { max_len: 128 }).shape, ['seq', 64]);
});

test('recurrent layers: shapes with and without return_sequences, Keras weight shapes', () => {
  const rnn = apply('SimpleRNN', input([20, 8]), { units: 16 });
  assert.deepEqual(rnn.shape, [16]);
  assert.equal(params(rnn), 8 * 16 + 16 * 16 + 16);
  assert.equal(rnn.weights[1].init, 'orthogonal');
  const lstm = apply('LSTM', input(['seq', 8]), { units: 16, return_sequences: true });
  assert.deepEqual(lstm.shape, ['seq', 16]);
  assert.deepEqual(lstm.weights.map((w) => [w.name, w.shape]), [
    ['kernel', [8, 64]],
    ['recurrent_kernel', [16, 64]],
    ['bias', [64]],
  ]);
  assert.equal(lstm.flops, null);
  const gru = apply('GRU', input([20, 8]), { units: 16 });
  assert.deepEqual(gru.weights.map((w) => w.shape), [[8, 48], [16, 48], [2, 48]]);
  assert.equal(params(gru), 3 * (8 * 16 + 16 * 16 + 2 * 16));
  assert.equal(gru.flops, 2 * 20 * 3 * (8 * 16 + 16 * 16));
});

test('MultiHeadAttention: Keras weights for self and cross attention', () => {
  // Keras MultiHeadAttention(num_heads=2, key_dim=2) on (batch, 8, 16): three projections of
  // 16*2*2 + 2*2 = 68 each, and an output of 2*2*16 + 16 = 80, so 284 params.
  const self = apply('MultiHeadAttention', input([8, 16]), { heads: 2, key_dim: 2 });
  assert.deepEqual(self.shape, [8, 16]);
  assert.equal(params(self), 284);
  assert.deepEqual(self.weights.map((w) => [w.name, w.shape]), [
    ['query/kernel', [16, 2, 2]],
    ['query/bias', [2, 2]],
    ['key/kernel', [16, 2, 2]],
    ['key/bias', [2, 2]],
    ['value/kernel', [16, 2, 2]],
    ['value/bias', [2, 2]],
    ['attention_output/kernel', [2, 2, 16]],
    ['attention_output/bias', [16]],
  ]);
  const defaulted = apply('SelfAttention', input(['seq', 64]), { heads: 4, causal: true });
  assert.deepEqual(defaulted.weights[0].shape, [64, 4, 16]);
  assert.equal(params(defaulted), 4 * (64 * 64 + 64));
  const cross = apply('MultiHeadAttention', [input([5, 32], 'q'), input([7, 12], 'kv')], { heads: 4 });
  assert.deepEqual(cross.shape, [5, 32]);
  assert.deepEqual(cross.weights[2].shape, [12, 4, 8]);
  assert.equal(params(cross), 32 * 32 + 32 + 2 * (12 * 32 + 32) + 32 * 32 + 32);
  assert.equal(cross.flops, 2 * 5 * 32 * 32 + 4 * 7 * 12 * 32 + 4 * 5 * 7 * 32 + 2 * 5 * 32 * 32);
});

test('merge layers: Add and Multiply keep the shape, Concat sums one axis', () => {
  assert.deepEqual(apply('Add', [input([4, 8], 'a'), input([4, 8], 'b'), input([4, 8], 'c')]).shape, [4, 8]);
  assert.equal(apply('Add', [input([4, 8], 'a'), input([4, 8], 'b'), input([4, 8], 'c')]).flops, 64);
  assert.deepEqual(apply('Multiply', [input(['seq', 8], 'a'), input(['seq', 8], 'b')]).shape, ['seq', 8]);
  assert.deepEqual(apply('Concat', [input([4, 8], 'a'), input([4, 3], 'b')]).shape, [4, 11]);
  assert.deepEqual(apply('Concat', [input([4, 8], 'a'), input([2, 8], 'b')], { axis: 0 }).shape, [6, 8]);
  assert.deepEqual(apply('Concat', [input(['s', 8], 'a'), input([2, 8], 'b')], { axis: 0 }).shape, ['s+2', 8]);
});
