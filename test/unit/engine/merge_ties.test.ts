// Maximum and Minimum where the random cases never go: ties and NaN. On every backend the
// values and the input gradients equal TF.js's exactly: a tie's gradient goes to the earlier
// input (TF.js's greaterEqual / lessEqual rule), and a NaN in either input is the output
// ("NaN always wins", docs/language.md) while neither input gets a gradient through it.

import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import { findForward } from '../../../engine/src/layers';
import type { LayerContext } from '../../../engine/src/layers';
import * as o from '../../../engine/src/ops';
import { tensor, tidy } from '../../../engine/src/tensor';
import { describeBackends, readAll } from './helpers';

const A = [1, 2, NaN, 3, -1, 0, NaN, 4];
const B = [1, 5, 0, NaN, -1, -0, NaN, 4];
const C = [1, -7, 2, 2, -1, 0, 1, 9];
const R = [0.5, -1.5, 2, 0.25, 3, -2, 1, 0.75];
const SHAPE = [2, 4];

function sameNumbers(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  // NaN equals NaN here; 0 and -0 are one value (a gradient's sign of zero is not observable).
  const norm = (v: ArrayLike<number>) => Array.from(v, (x) => (Number.isNaN(x) ? 'NaN' : x === 0 ? 0 : x));
  assert.deepEqual(norm(actual), norm(expected), what);
}

function tfReference(op: 'Maximum' | 'Minimum', inputs: number[][]): { y: Float32Array; grads: Float32Array[] } {
  return tf.tidy(() => {
    const f = op === 'Maximum' ? tf.maximum : tf.minimum;
    const xs = inputs.map((v) => tf.tensor(v, SHAPE));
    const r = tf.tensor(R, SHAPE);
    const forward = (...vs: tf.Tensor[]) => vs.slice(1).reduce((a, b) => f(a, b), vs[0]);
    const grads = tf.grads((...vs: tf.Tensor[]) => tf.sum(tf.mul(forward(...vs), r)))(xs);
    return { y: forward(...xs).dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
  });
}

describeBackends('Maximum and Minimum at ties and NaN', (test) => {
  for (const op of ['Maximum', 'Minimum'] as const) {
    for (const inputs of [[A, B], [A, B, C]]) {
      test(`${op} of ${inputs.length} inputs equals TF.js exactly`, async () => {
        const expected = tfReference(op, inputs);
        const { y, grads } = tidy(() => {
          const xs = inputs.map((v) => tensor(v, SHAPE));
          const ctx: LayerContext = { training: false, seed: 1, step: 0, salt: 0, updates: [] };
          const forward = findForward(op)!;
          const rT = tensor(R, SHAPE);
          return { y: forward(xs, {}, {}, ctx), grads: valueAndGrads(() => o.sum(o.mul(forward(xs, {}, {}, ctx), rT)), xs).grads };
        });
        const [yv, ...gv] = await readAll([y, ...grads]);
        sameNumbers('forward', yv, expected.y);
        gv.forEach((g, i) => sameNumbers(`gradient of input ${i}`, g, expected.grads[i]));
      });
    }
  }
});
