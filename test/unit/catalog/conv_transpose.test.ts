// Transposed convolutions: Keras's output sizes (same: n*s; valid: n*s + max(k - s, 0)),
// symbolic sizes carried through, the kernel in Keras's [kh, kw, filters, C] layout, and the
// parameter counts of published models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apply, input, issue, params } from './helpers';

test('Conv2DTranspose output sizes follow Keras for valid and same', () => {
  const same = apply('Conv2DTranspose', input([7, 7, 64]), { filters: 32, kernel: 3, stride: 2, padding: 'same' });
  assert.deepEqual(same.shape, [14, 14, 32]);
  const valid = apply('Conv2DTranspose', input([7, 5, 64]), { filters: 32, kernel: [3, 4], stride: [2, 1] });
  assert.deepEqual(valid.shape, [15, 8, 32]);
  // A kernel smaller than the stride adds nothing beyond n*s (Keras's max(k - s, 0)).
  assert.deepEqual(apply('Conv2DTranspose', input([4, 4, 1]), { filters: 1, kernel: 2, stride: 3 }).shape, [12, 12, 1]);
  assert.deepEqual(apply('Conv2DTranspose', input(['h', 'w', 3]), { filters: 2, kernel: 3, stride: 2 }).shape, ['h*2+1', 'w*2+1', 2]);
});

test('Conv2DTranspose weights: Keras layout and the DCGAN generator count', () => {
  // keras.io DCGAN: Conv2DTranspose(128, kernel_size=4, strides=2, padding="same") on 8x8x128.
  const up = apply('Conv2DTranspose', input([8, 8, 128]), { filters: 128, kernel: 4, stride: 2, padding: 'same' });
  assert.deepEqual(up.weights.map((w) => [w.name, w.shape]), [['kernel', [4, 4, 128, 128]], ['bias', [128]]]);
  assert.equal(params(up), 262272);
  assert.deepEqual(up.shape, [16, 16, 128]);
  const noBias = apply('Conv2DTranspose', input([5, 5, 3]), { filters: 7, kernel: [2, 3], bias: false });
  assert.deepEqual(noBias.weights.map((w) => w.shape), [[2, 3, 7, 3]]);
});

test('Conv1DTranspose sizes and weights', () => {
  const y = apply('Conv1DTranspose', input([10, 4]), { filters: 6, kernel: 5, stride: 3 });
  assert.deepEqual(y.shape, [32, 6]);
  assert.deepEqual(y.weights.map((w) => w.shape), [[5, 6, 4], [6]]);
  assert.deepEqual(apply('Conv1DTranspose', input([10, 4]), { filters: 6, kernel: 5, stride: 3, padding: 'same' }).shape, [30, 6]);
});

test('transposed convolutions reject inputs of the wrong rank', () => {
  assert.equal(issue('Conv2DTranspose', input([10, 4]), { filters: 2, kernel: 3 }).code, 'rank-mismatch');
  assert.equal(issue('Conv1DTranspose', input([10, 4, 3]), { filters: 2, kernel: 3 }).code, 'rank-mismatch');
});
