// Every issue code a shape rule reports, with the message text that spec §6 asks for: the
// layer, what it expects, what it found (shapes with the batch axis), and the input's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infer, input, issue } from './helpers';

test('rank-mismatch names the expected and found shapes', () => {
  const e = issue('Conv2D', input([784]), { filters: 8, kernel: [3, 3] });
  assert.equal(e.code, 'rank-mismatch');
  assert.equal(e.message, 'Conv2D expects an input [height, width, channels], but x is [batch, 784]');
  assert.equal(issue('Conv1D', input([28, 28, 1]), { filters: 8, kernel: 3 }).message, 'Conv1D expects an input [length, channels], but x is [batch, 28, 28, 1]');
  for (const name of ['SimpleRNN', 'LSTM', 'GRU']) {
    const r = issue(name, input([64]), { units: 4 });
    assert.equal(r.code, 'rank-mismatch', name);
    assert.match(r.message, new RegExp(`^${name} expects an input \\[time, features\\], but x is \\[batch, 64\\]$`));
  }
  assert.equal(issue('MaxPool2D', input([10, 3])).code, 'rank-mismatch');
  assert.equal(issue('GlobalAvgPool1D', input([10, 3, 3])).code, 'rank-mismatch');
  assert.equal(issue('Dense', input([]), { units: 2 }).code, 'rank-mismatch');
  const c = issue('Concat', [input([4, 8], 'a'), input([4, 8, 1], 'b')]);
  assert.equal(c.code, 'rank-mismatch');
  assert.equal(c.input, 1);
});

test('empty-dimension names the axis, the input size and the kernel', () => {
  const e = issue('Conv2D', input([28, 2, 1], 'img'), { filters: 8, kernel: [3, 3] });
  assert.equal(e.code, 'empty-dimension');
  assert.equal(
    e.message,
    "Conv2D's kernel 3 does not fit the width of img [batch, 28, 2, 1]: the width is 2, smaller than the kernel, so the output would be empty (use padding=same or a smaller kernel)",
  );
  assert.equal(e.arg, 'kernel');
  const p = issue('MaxPool1D', input([1, 4]));
  assert.equal(p.code, 'empty-dimension');
  assert.match(p.message, /^MaxPool1D's pool 2 does not fit the length of x \[batch, 1, 4\]: the length is 1/);
});

test('symbolic-size when weights or Flatten need a known size', () => {
  const d = issue('Dense', input([4, 'f']), { units: 3 });
  assert.equal(d.code, 'symbolic-size');
  assert.equal(d.message, 'Dense needs the last axis of x to be a known size, because its weights depend on it, but x is [batch, 4, f] with last axis f');
  assert.equal(issue('Conv2D', input([8, 8, 'c']), { filters: 2, kernel: [3, 3] }).code, 'symbolic-size');
  assert.equal(issue('BatchNorm', input(['f'])).code, 'symbolic-size');
  assert.equal(issue('LayerNorm', input([3, 'f'])).code, 'symbolic-size');
  assert.equal(issue('LSTM', input([10, 'f']), { units: 2 }).code, 'symbolic-size');
  const f = issue('Flatten', input(['seq', 64]));
  assert.equal(f.code, 'symbolic-size');
  assert.equal(f.message, 'Flatten needs every size of x [batch, seq, 64] to be known, but seq is symbolic; pool it away first (e.g. GlobalAvgPool2D)');
  assert.equal(issue('Reshape', input(['seq', 64]), { target: [8, 8] }).code, 'symbolic-size');
});

test('size-mismatch for Reshape shows both counts and shapes', () => {
  const e = issue('Reshape', input([4, 4]), { target: [3, 5] });
  assert.equal(e.code, 'size-mismatch');
  assert.equal(e.message, 'Reshape to [3, 5] needs 15 elements per sample, but x [batch, 4, 4] has 16');
  const m = issue('Reshape', input([4, 4]), { target: [-1, 5] });
  assert.equal(m.code, 'size-mismatch');
  assert.equal(m.message, 'Reshape to [-1, 5] cannot infer -1: x [batch, 4, 4] has 16 elements per sample, which is not a multiple of 5');
  assert.equal(issue('Reshape', input([16]), { target: [-1, -1] }).code, 'bad-argument');
  assert.equal(issue('Reshape', input([16]), { target: [0, 16] }).code, 'bad-argument');
});

test('dtype-mismatch: Embedding needs ids, every other computing layer needs floats', () => {
  const e = issue('Embedding', input([10], 'x'), { vocab: 100, dim: 8 });
  assert.equal(e.code, 'dtype-mismatch');
  assert.match(e.message, /^Embedding expects int32 ids, but x is float32 \[batch, 10\]/);
  const d = issue('Dense', input([10], 'ids', 'int32'), { units: 4 });
  assert.equal(d.code, 'dtype-mismatch');
  assert.match(d.message, /^Dense expects float32 values, but ids is int32 ids \[batch, 10\]/);
  for (const name of ['ReLU', 'Dropout', 'LayerNorm', 'GlobalMaxPool1D']) {
    assert.equal(issue(name, input([10, 2], 'ids', 'int32'), { rate: 0.1 }).code, 'dtype-mismatch', name);
  }
  assert.equal(issue('Add', [input([3], 'a'), input([3], 'b', 'int32')]).code, 'dtype-mismatch');
});

test('shape-mismatch for merges, attention pairs and PositionEmbedding', () => {
  const a = issue('Add', [input([4, 8], 'a'), input([4, 9], 'b')]);
  assert.equal(a.code, 'shape-mismatch');
  assert.equal(a.message, 'Add expects inputs of one shape, but a is [batch, 4, 8] and b is [batch, 4, 9]');
  assert.equal(a.input, 1);
  assert.equal(issue('Multiply', [input([4], 'a'), input(['n'], 'b')]).code, 'shape-mismatch');
  const one = issue('Add', [input([4], 'a')]);
  assert.equal(one.code, 'shape-mismatch');
  assert.match(one.message, /^Add expects a tuple of two or more inputs/);
  const c = issue('Concat', [input([4, 8], 'a'), input([5, 3], 'b')]);
  assert.equal(c.code, 'shape-mismatch');
  assert.equal(c.message, 'Concat along axis -1 expects inputs equal on every other axis, but a is [batch, 4, 8] and b is [batch, 5, 3]');
  const p = issue('PositionEmbedding', input([200, 64]), { max_len: 128 });
  assert.equal(p.code, 'shape-mismatch');
  assert.equal(p.message, 'PositionEmbedding(max_len=128) accepts at most 128 positions, but x [batch, 200, 64] has 200');
  assert.equal(issue('Dense', [input([3], 'a'), input([3], 'b')], { units: 2 }).code, 'shape-mismatch');
});

test('bad-argument: attention heads and causal, axes, and ranges', () => {
  const h = issue('MultiHeadAttention', input([10, 64]), { heads: 5 });
  assert.equal(h.code, 'bad-argument');
  assert.equal(h.arg, 'heads');
  assert.match(h.message, /64 is not a multiple of 5/);
  // With key_dim given, D need not divide by heads.
  assert.equal(infer('MultiHeadAttention', input([10, 64]), { heads: 5, key_dim: 8 }).ok, true);
  assert.equal(issue('MultiHeadAttention', [input([3, 8], 'q'), input([4, 8], 'kv')], { heads: 2, causal: true }).arg, 'causal');
  const s = issue('Softmax', input([3, 7]), { axis: 2 });
  assert.equal(s.code, 'bad-argument');
  assert.equal(s.arg, 'axis');
  assert.equal(s.message, "Softmax's axis 2 is out of range for x [batch, 3, 7], which has 2 axes per sample (use -2 to 1)");
  assert.equal(issue('Concat', [input([3], 'a'), input([3], 'b')], { axis: -2 }).arg, 'axis');
  const r = issue('Dropout', input([3]), { rate: 1 });
  assert.equal(r.code, 'bad-argument');
  assert.equal(r.message, "Dropout's `rate` must be at least 0 and less than 1, but is 1");
  assert.equal(issue('Dense', input([3]), { units: 0 }).message, "Dense's `units` must be at least 1, but is 0");
  assert.equal(issue('Dense', input([3]), { units: 2.5 }).code, 'bad-argument');
  assert.equal(issue('Conv2D', input([8, 8, 1]), { filters: 2, kernel: [3, 0] }).message, "Conv2D's `kernel` must be at least 1, but is (3, 0)");
  assert.equal(issue('BatchNorm', input([3]), { eps: 0 }).arg, 'eps');
  assert.equal(issue('BatchNorm', input([3]), { momentum: 1.5 }).arg, 'momentum');
  assert.equal(issue('Dense', input([3]), { units: 2, activation: 'swish' }).message, "Dense's `activation` must be one of linear, relu, sigmoid, tanh, softmax, gelu, silu, elu, leaky_relu, but is swish");
});

test('missing-argument when a required argument is absent', () => {
  const e = issue('Dense', input([3]));
  assert.equal(e.code, 'missing-argument');
  assert.equal(e.arg, 'units');
  assert.equal(issue('Dropout', input([3])).code, 'missing-argument');
});

test('infer never throws on malformed input', () => {
  const r = issue('Conv2D', input([8, 8, 1]), { filters: 'many' as unknown as number, kernel: [3, 3] });
  assert.equal(r.code, 'bad-argument');
  assert.doesNotThrow(() => issue('Reshape', input([8]), { target: 'x' as unknown as number[] }));
});
