// Initialisers and randomness: Glorot's Keras limit and fans, orthogonality, the Embedding
// range, determinism by seed, and the dropout mask's rate, scale and counter-based bits.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fans, glorotUniform, initialValues, orthogonal } from '../../../engine/src/init';
import { dropout } from '../../../engine/src/ops';
import { hash3, Rng, uniform01 } from '../../../engine/src/rng';
import { tensor, tidy } from '../../../engine/src/tensor';
import { describeBackends, readAll } from './helpers';

describe('initialisers', () => {
  it('computes Keras fans for dense and conv kernels', () => {
    assert.deepEqual(fans([784, 128]), { fanIn: 784, fanOut: 128 });
    assert.deepEqual(fans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 });
    assert.deepEqual(fans([10]), { fanIn: 10, fanOut: 10 });
  });

  it('Glorot uniform stays within sqrt(6/(in+out)) with the uniform variance', () => {
    const w = glorotUniform([200, 100], new Rng(1));
    const limit = Math.sqrt(6 / 300);
    let s2 = 0;
    for (const v of w) {
      assert.ok(Math.abs(v) <= limit);
      s2 += v * v;
    }
    const variance = s2 / w.length;
    assert.ok(Math.abs(variance - (limit * limit) / 3) < 0.05 * (limit * limit) / 3, `variance ${variance}`);
  });

  it('orthogonal gives orthonormal columns (tall) and rows (wide)', () => {
    for (const [rows, cols] of [[8, 5], [4, 9], [6, 6]]) {
      const q = orthogonal([rows, cols], new Rng(3));
      const n = Math.min(rows, cols);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          let dot = 0;
          for (let k = 0; k < Math.max(rows, cols); k++) {
            dot += rows >= cols ? q[k * cols + a] * q[k * cols + b] : q[a * cols + k] * q[b * cols + k];
          }
          assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-5, `[${rows},${cols}] (${a},${b}) = ${dot}`);
        }
    }
  });

  it('Embedding uniform, zeros and ones; the same seed gives the same weights', () => {
    const spec = { name: 'embeddings', shape: [50, 4], trainable: true, init: 'uniform' as const, regularized: false };
    const a = initialValues(spec, new Rng(5));
    assert.ok(a.every((v) => v >= -0.05 && v < 0.05));
    assert.deepEqual(a, initialValues(spec, new Rng(5)));
    assert.notDeepEqual(a, initialValues(spec, new Rng(6)));
    assert.ok(initialValues({ ...spec, init: 'zeros' }, new Rng(1)).every((v) => v === 0));
    assert.ok(initialValues({ ...spec, init: 'ones' }, new Rng(1)).every((v) => v === 1));
  });

  it('the hash is a pure function of (seed, stream, index) and well spread', () => {
    assert.equal(hash3(1, 2, 3), hash3(1, 2, 3));
    assert.notEqual(hash3(1, 2, 3), hash3(1, 2, 4));
    assert.notEqual(hash3(1, 2, 3), hash3(1, 3, 3));
    let mean = 0;
    for (let i = 0; i < 10000; i++) mean += uniform01(42, 0, i);
    assert.ok(Math.abs(mean / 10000 - 0.5) < 0.01);
  });
});

describeBackends('dropout', (test) => {
  test('keeps about 1 - rate, scales by 1/(1 - rate), and follows uniform01(seed, step, i)', async () => {
    const n = 4000;
    const [y, other, inference] = await readAll(
      tidy(() => [
        dropout(tensor(new Float32Array(n).fill(1), [n]), 0.3, 7, 2, true),
        dropout(tensor(new Float32Array(n).fill(1), [n]), 0.3, 7, 3, true),
        dropout(tensor([1, 2], [2]), 0.3, 7, 2, false),
      ]),
    );
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const keep = uniform01(7, 2, i) >= 0.3;
      assert.equal(y[i], keep ? Math.fround(1 / 0.7) : 0);
      if (keep) kept++;
    }
    assert.ok(Math.abs(kept / n - 0.7) < 0.03);
    assert.notDeepEqual(y, other);
    assert.deepEqual([...inference], [1, 2]);
  });
});
