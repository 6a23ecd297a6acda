// TensorFlow.js (cpu backend) as an oracle: identical float32 inputs through tfjs and
// through the engine, forward values and gradients compared with a relative error of at
// most 1e-4. Covers matmul, conv2d (both paddings, stride 2), pooling and softmax
// cross-entropy on logits.

import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { crossEntropy } from '../../../engine/src/losses';
import * as o from '../../../engine/src/ops';
import { tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import { describeBackends, randomValues, readAll, relError, sizeOf } from './helpers';

const TOL = 1e-4;

function check(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const e = relError(actual, expected);
  assert.ok(e <= TOL, `${what}: relative error ${e} > ${TOL}`);
}

/**
 * Runs f on the engine and g on tfjs with the same inputs; compares outputs and the
 * gradients of sum(output * r) with respect to every input.
 */
async function compare(
  name: string,
  shapes: number[][],
  engineF: (xs: Tensor[]) => Tensor,
  tfF: (xs: tf.Tensor[]) => tf.Tensor,
  seed: number,
  linearGrad = false,
): Promise<void> {
  const values = shapes.map((s, k) => randomValues(sizeOf(s), seed + k));
  const tfXs = values.map((v, k) => tf.tensor(v, shapes[k], 'float32'));
  const tfY = tfF(tfXs);
  const r = randomValues(tfY.size, seed + 50);
  const tfR = tf.tensor(r, tfY.shape);
  const tfGrads = linearGrad
    ? [linearVjp(tfF, shapes[0], tfR)]
    : tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tfF(xs), tfR)))(tfXs);
  const { y, grads } = tidy(() => {
    const xs = values.map((v, k) => tensor(v, shapes[k]));
    const y = engineF(xs);
    const rT = tensor(r, tfY.shape);
    return { y, grads: valueAndGrads(() => o.sum(o.mul(engineF(xs), rT)), xs).grads };
  });
  assert.deepEqual([...y.shape], tfY.shape, `${name}: shape`);
  const [yv, ...gv] = await readAll([y, ...grads]);
  check(`${name} forward`, yv, tfY.dataSync());
  gv.forEach((g, k) => check(`${name} gradient ${k}`, g, tfGrads[k].dataSync()));
  tf.dispose([...tfXs, tfY, tfR, ...tfGrads]);
}

/**
 * The gradient of sum(f(x) * r) for a linear one-input f, from tfjs forwards alone: entry i
 * is sum(f(e_i) * r). Used for average pooling with 'same' padding, where tfjs's own
 * gradient divides by the full window size at the border (tfjs-backend-cpu AvgPoolGrad)
 * although its forward, like TF, divides by the in-bounds count.
 */
function linearVjp(f: (xs: tf.Tensor[]) => tf.Tensor, shape: number[], r: tf.Tensor): tf.Tensor {
  const n = sizeOf(shape);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const e = new Float32Array(n);
    e[i] = 1;
    out.push(tf.tidy(() => tf.sum(tf.mul(f([tf.tensor(e, shape)]), r)).dataSync()[0]));
  }
  return tf.tensor(out, shape);
}

describeBackends('tfjs oracle', (test) => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  test('matmul, plain and transposed, with bias and relu', async () => {
    await compare('matmul', [[5, 7], [7, 4]], ([a, b]) => o.matmul(a, b), ([a, b]) => tf.matMul(a, b), 1);
    await compare('matmul tA tB', [[7, 5], [4, 7]], ([a, b]) => o.matmul(a, b, { transA: true, transB: true }), ([a, b]) => tf.matMul(a, b, true, true), 2);
    await compare(
      'matmul batched + bias + relu',
      [[3, 5, 7], [3, 7, 4], [4]],
      ([a, b, c]) => o.matmul(a, b, { bias: c, activation: 'relu' }),
      ([a, b, c]) => tf.relu(tf.add(tf.matMul(a, b), c)),
      3,
    );
  });

  for (const padding of ['valid', 'same'] as const) {
    for (const stride of [1, 2]) {
      test(`conv2d ${padding} stride ${stride}`, async () => {
        await compare(
          `conv2d ${padding} ${stride}`,
          [[2, 7, 6, 3], [3, 3, 3, 4]],
          ([x, w]) => o.conv2d(x, w, { stride, padding }),
          ([x, w]) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, padding),
          10 + stride,
        );
      });
    }
  }

  test('conv1d same stride 2', async () => {
    await compare(
      'conv1d',
      [[2, 9, 3], [3, 3, 2]],
      ([x, w]) => o.conv1d(x, w, { stride: 2, padding: 'same' }),
      ([x, w]) => tf.conv1d(x as tf.Tensor3D, w as tf.Tensor3D, 2, 'same'),
      20,
    );
  });

  for (const fn of ['max', 'avg'] as const) {
    for (const padding of ['valid', 'same'] as const) {
      test(`${fn} pool 2d ${padding} (3x3, stride 2)`, async () => {
        await compare(
          `${fn}pool ${padding}`,
          [[2, 7, 6, 2]],
          ([x]) => o.pool2d(x, fn, { pool: 3, stride: 2, padding }),
          ([x]) => (fn === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, 3, 2, padding),
          30,
          fn === 'avg' && padding === 'same',
        );
      });
    }
  }

  test('softmax cross-entropy on logits (class indices)', async () => {
    const n = 6;
    const c = 5;
    const logits = randomValues(n * c, 40, -3, 3);
    const classes = [0, 4, 2, 2, 1, 3];
    const tfLogits = tf.tensor2d(logits, [n, c]);
    const onehot = tf.oneHot(tf.tensor1d(classes, 'int32'), c);
    const tfLoss = (l: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, l, undefined, undefined, tf.Reduction.MEAN);
    const expected = tfLoss(tfLogits).dataSync();
    const expectedGrad = tf.grad(tfLoss)(tfLogits).dataSync();
    const { value, grads } = tidy(() => {
      const x = tensor(logits, [n, c]);
      const idx = tensor(classes, [n], 'int32');
      return valueAndGrads(() => crossEntropy(x, idx, false), [x]);
    });
    const [v, g] = await readAll([value, grads[0]]);
    check('cross-entropy', v, expected);
    check('cross-entropy gradient', g, expectedGrad);
  });
});
