// Losses against Keras' formulas written in float64 (value and finite-difference gradient),
// including the clipping of probabilities at epsilon 1e-7, and the L1/L2 penalty.

import assert from 'node:assert/strict';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { binaryCrossEntropy, crossEntropy, meanAbsoluteError, meanSquaredError, regularization } from '../../../engine/src/losses';
import { tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import { assertClose, describeBackends, finiteDifference, randomValues, readAll } from './helpers';

const EPS = 1e-7;
const clipP = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);

async function checkLoss(
  engine: (y: Tensor) => Tensor,
  reference: (y: number[]) => number,
  y: number[],
  shape: number[],
): Promise<void> {
  const { value, grads } = tidy(() => {
    const yt = tensor(y, shape);
    return valueAndGrads(() => engine(yt), [yt]);
  });
  const [v, g] = await readAll([value, grads[0]]);
  assertClose(v, [reference(y)], 1e-6, 1e-5, 'loss value');
  assertClose(g, finiteDifference(reference, y, 1e-6), 1e-4, 1e-3, 'loss gradient');
}

describeBackends('losses', (test) => {
  const y = randomValues(12, 3, 0.05, 0.95);
  const t = randomValues(12, 4);

  test('mse is the mean of squared differences', async () => {
    await checkLoss((yt) => meanSquaredError(yt, tensor(t, [4, 3])), (v) => v.reduce((s, q, i) => s + (q - t[i]) ** 2, 0) / 12, y, [4, 3]);
  });

  test('mae is the mean of absolute differences', async () => {
    await checkLoss((yt) => meanAbsoluteError(yt, tensor(t, [4, 3])), (v) => v.reduce((s, q, i) => s + Math.abs(q - t[i]), 0) / 12, y, [4, 3]);
  });

  test('binary cross-entropy on probabilities', async () => {
    const labels = t.map((v) => (v > 0 ? 1 : 0));
    const ref = (v: number[]) => -v.reduce((s, p, i) => s + labels[i] * Math.log(clipP(p)) + (1 - labels[i]) * Math.log(1 - clipP(p)), 0) / 12;
    await checkLoss((yt) => binaryCrossEntropy(yt, tensor(labels, [12, 1])), ref, y, [12, 1]);
  });

  test('binary cross-entropy clips saturated probabilities like Keras', async () => {
    const v = (await readAll([tidy(() => binaryCrossEntropy(tensor([0, 1], [2, 1]), tensor([1, 0], [2, 1])))]))[0][0];
    // Each term is -log(eps) with eps = 1e-7 (in float32, 1 - (1 - eps) is not exactly eps).
    assert.ok(Math.abs(v - -Math.log(EPS)) < 0.1, `got ${v}`);
    assert.ok(Number.isFinite(v));
  });

  test('cross-entropy on logits is -mean(log_softmax[class]) via log-sum-exp', async () => {
    const classes = [2, 0, 1, 2];
    const logits = randomValues(12, 5, -40, 40);
    const ref = (v: number[]) => {
      let s = 0;
      for (let r = 0; r < 4; r++) {
        const row = v.slice(r * 3, r * 3 + 3);
        const m = Math.max(...row);
        const lse = m + Math.log(row.reduce((a, q) => a + Math.exp(q - m), 0));
        s += lse - row[classes[r]];
      }
      return s / 4;
    };
    await checkLoss((yt) => crossEntropy(yt, tensor(classes, [4], 'int32'), false), ref, logits, [4, 3]);
  });

  test('cross-entropy on softmax probabilities renormalises and clips like Keras', async () => {
    const classes = [1, 0, 2, 1];
    const ref = (v: number[]) => {
      let s = 0;
      for (let r = 0; r < 4; r++) {
        const row = v.slice(r * 3, r * 3 + 3);
        const z = row.reduce((a, q) => a + q, 0);
        s -= Math.log(clipP(row[classes[r]] / z));
      }
      return s / 4;
    };
    await checkLoss((yt) => crossEntropy(yt, tensor(classes, [4], 'int32'), true), ref, y, [4, 3]);
  });

  test('L1/L2 regularization is l1*sum|w| + l2*sum(w^2)', async () => {
    const w = randomValues(6, 9);
    const ref = (v: number[]) => v.reduce((s, q) => s + 0.01 * Math.abs(q) + 0.001 * q * q, 0);
    await checkLoss((wt) => regularization([wt], { l1: 0.01, l2: 0.001 })!, ref, w, [2, 3]);
    assert.equal(regularization([], { l1: 0, l2: 0.1 }), null);
  });
});
