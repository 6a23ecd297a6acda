// Subtract, Average, Maximum, Minimum, Rescaling and Activation: shapes kept, no weights,
// FLOPs by hand, and the misuses (Subtract of three, shapes that differ, a missing or
// unknown activation, a missing scale) reported with Keras's limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, issue, params } from './helpers';

test('the element-wise merges keep one shape and have no weights', () => {
  const ab = [input([4, 8], 'a'), input([4, 8], 'b')];
  for (const op of ['Subtract', 'Average', 'Maximum', 'Minimum']) {
    const out = apply(op, ab);
    assert.deepEqual(out.shape, [4, 8], op);
    assert.equal(params(out), 0, op);
  }
  assert.deepEqual(apply('Maximum', [input(['seq', 3], 'a'), input(['seq', 3], 'b'), input(['seq', 3], 'c')]).shape, ['seq', 3]);
  assert.equal(apply('Subtract', ab).flops, 32);
  assert.equal(apply('Minimum', [...ab, input([4, 8], 'c')]).flops, 64);
  // Average: two adds and one scaling per value for three inputs.
  assert.equal(apply('Average', [...ab, input([4, 8], 'c')]).flops, 96);
});

test('Subtract takes exactly two inputs; every merge wants one shape', () => {
  const three = issue('Subtract', [input([3], 'a'), input([3], 'b'), input([3], 'c')]);
  assert.equal(three.code, 'shape-mismatch');
  assert.equal(three.message, 'Subtract expects exactly two inputs (a, b), but got 3: a [batch, 3], b [batch, 3], c [batch, 3]');
  assert.equal(three.input, 2);
  assert.match(issue('Subtract', [input([3], 'a')]).message, /^Subtract expects a tuple of two or more inputs/);
  const m = issue('Maximum', [input([4], 'a'), input([5], 'b')]);
  assert.equal(m.code, 'shape-mismatch');
  assert.equal(m.message, 'Maximum expects inputs of one shape, but a is [batch, 4] and b is [batch, 5]');
  assert.equal(issue('Average', [input([3], 'a'), input([3], 'b', 'int32')]).code, 'dtype-mismatch');
});

test('Rescaling and Activation keep the shape and count FLOPs per value', () => {
  const r = apply('Rescaling', input([28, 28, 1]), { scale: 1 / 255 });
  assert.deepEqual(r.shape, [28, 28, 1]);
  assert.equal(r.flops, 2 * 784);
  assert.equal(params(r), 0);
  assert.equal(apply('Activation', input([2, 5]), { activation: 'softmax' }).flops, 30);
  assert.equal(apply('Activation', input([2, 5]), { activation: 'relu' }).flops, 10);
  assert.equal(apply('Activation', input([2, 5]), { activation: 'linear' }).flops, 0);
  assert.deepEqual(apply('Activation', input(['seq', 4]), { activation: 'gelu' }).shape, ['seq', 4]);
});

test('Rescaling needs a scale and Activation a known function', () => {
  assert.equal(issue('Rescaling', input([3]), {}).code, 'missing-argument');
  assert.equal(issue('Activation', input([3]), {}).code, 'missing-argument');
  const bad = issue('Activation', input([3]), { activation: 'swish' });
  assert.equal(bad.code, 'bad-argument');
  assert.equal(bad.message, "Activation's `activation` must be one of linear, relu, sigmoid, tanh, softmax, gelu, silu, elu, leaky_relu, but is swish");
});
