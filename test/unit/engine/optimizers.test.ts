// Optimizer steps against TensorFlow.js optimizers (SGD, momentum, Nesterov, RMSprop share
// Keras 3's formulas) and against Keras 3's Adam and AdamW written out by hand in float64.
// Each runs several steps on a fixed sequence of gradients.

import { before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Optimizer } from '../../../engine/src/optimizers';
import type { OptimizerConfig } from '../../../engine/src/optimizers';
import type { TypedArray } from '../../../engine/src/backend';
import { memory, tensor, tidy } from '../../../engine/src/tensor';
import { assertClose, describeBackends, randomValues, readAll } from './helpers';

const N = 6;
const STEPS = 5;
const w0 = randomValues(N, 7);
const gradSeq = Array.from({ length: STEPS }, (_v, t) => randomValues(N, 100 + t, -2, 2));

async function runEngine(config: OptimizerConfig): Promise<TypedArray> {
  const w = tensor(w0, [N]);
  const opt = new Optimizer(config);
  for (const g of gradSeq) tidy(() => opt.step([w], [tensor(g, [N])]));
  opt.dispose();
  return (await readAll([w]))[0];
}

function runTf(make: () => tf.Optimizer): Float32Array {
  const w = tf.variable(tf.tensor1d(w0));
  const opt = make();
  for (const g of gradSeq) opt.applyGradients({ [w.name]: tf.tensor1d(g) });
  return w.dataSync() as Float32Array;
}

/** Keras 3 Adam (and AdamW, with decay applied to the variable first) in float64. */
function kerasAdam(lr: number, b1: number, b2: number, eps: number, decay: number): number[] {
  const w = [...w0];
  const m = new Array(N).fill(0);
  const v = new Array(N).fill(0);
  gradSeq.forEach((g, step) => {
    const t = step + 1;
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    for (let i = 0; i < N; i++) {
      w[i] -= w[i] * decay * lr;
      m[i] += (g[i] - m[i]) * (1 - b1);
      v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
      w[i] -= (alpha * m[i]) / (Math.sqrt(v[i]) + eps);
    }
  });
  return w;
}

describeBackends('optimizers', (test) => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  test('SGD matches tfjs sgd', async () => {
    assertClose(await runEngine({ name: 'sgd', args: { lr: 0.1 } }), runTf(() => tf.train.sgd(0.1)), 1e-6, 1e-5, 'sgd');
  });

  test('SGD with momentum matches tfjs momentum', async () => {
    assertClose(await runEngine({ name: 'sgd', args: { lr: 0.05, momentum: 0.9 } }), runTf(() => tf.train.momentum(0.05, 0.9)), 1e-6, 1e-5, 'momentum');
  });

  test('SGD with Nesterov momentum matches tfjs momentum(useNesterov)', async () => {
    assertClose(
      await runEngine({ name: 'sgd', args: { lr: 0.05, momentum: 0.9, nesterov: true } }),
      runTf(() => tf.train.momentum(0.05, 0.9, true)),
      1e-6,
      1e-5,
      'nesterov',
    );
  });

  test('RMSprop matches tfjs rmsprop with Keras epsilon 1e-7', async () => {
    assertClose(await runEngine({ name: 'rmsprop', args: { lr: 0.01 } }), runTf(() => tf.train.rmsprop(0.01, 0.9, 0, 1e-7)), 1e-6, 1e-5, 'rmsprop');
  });

  test('Adam follows the Keras 3 update with defaults (epsilon 1e-7)', async () => {
    assertClose(await runEngine({ name: 'adam', args: { lr: 0.01 } }), kerasAdam(0.01, 0.9, 0.999, 1e-7, 0), 1e-6, 1e-5, 'adam');
  });

  test('AdamW decays the weights then takes the Adam step (weight_decay 0.01)', async () => {
    const engine = await runEngine({ name: 'adamw', args: { lr: 0.1 } });
    assertClose(engine, kerasAdam(0.1, 0.9, 0.999, 1e-7, 0.01), 1e-6, 1e-5, 'adamw');
    // The decay must matter: the result differs from plain Adam.
    assert.ok(Math.abs(engine[0] - (await runEngine({ name: 'adam', args: { lr: 0.1 } }))[0]) > 1e-5);
  });

  test('a step runs at the learning rate it is given, and the configured rate stays as it was', async () => {
    const w = tensor(w0, [N]);
    const opt = new Optimizer({ name: 'sgd', args: { lr: 0.1 } });
    tidy(() => opt.step([w], [tensor(gradSeq[0], [N])], 0.5));
    const expected = w0.map((x, i) => x - 0.5 * gradSeq[0][i]);
    assertClose((await readAll([w]))[0], expected, 1e-6, 1e-5, 'sgd at lr 0.5');
    assert.equal(opt.lr, 0.1);
    opt.dispose();
    w.dispose();
  });

  test('arguments the config leaves out take the train catalog defaults', async () => {
    // rmsprop's rho defaults to 0.9 in the catalog; an explicit 0.9 must give the same weights.
    assert.deepEqual(await runEngine({ name: 'rmsprop', args: { lr: 0.01 } }), await runEngine({ name: 'rmsprop', args: { lr: 0.01, rho: 0.9 } }));
    assert.throws(() => new Optimizer({ name: 'adam', args: { lr: 0 } }), /optimizer adam's `lr` must be greater than 0/);
  });

  test('optimizer steps allocate nothing new after the first', async () => {
    const w = tensor(w0, [N]);
    const opt = new Optimizer({ name: 'adam', args: { lr: 0.01 } });
    tidy(() => opt.step([w], [tensor(gradSeq[0], [N])]));
    const after1 = memory().allocatedBytes;
    for (let i = 0; i < 20; i++) tidy(() => opt.step([w], [tensor(gradSeq[i % STEPS], [N])]));
    assert.equal(memory().allocatedBytes, after1);
    opt.dispose();
    w.dispose();
  });
});
