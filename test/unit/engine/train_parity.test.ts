// Training parity with an independent oracle: TensorFlow.js (its Keras-style layers, its
// autograd and its optimizers, on its own cpu backend) trains the same small models from
// the same initial weights on the same fixed batches as the engine, and every step's loss
// and the final weights must agree within a relative error of 1e-4. The engine side runs
// the training loop's own step (BatchRunner: forward in training mode, the objective, the
// gradients, the optimizer) over batches in a fixed order, so nothing is shuffled; one case
// also goes through the public `train` with full-batch epochs, where shuffling cannot change
// the batch. Two models: Dense(16, relu) -> Dense(3), and Conv2D(4, 3, relu) -> MaxPool2D
// -> Flatten -> Dense(3), both with cross-entropy on logits; Adam and SGD with momentum.
//
// Keras and tfjs place Adam's epsilon differently: Keras 3 divides by sqrt(v) + eps with the
// bias correction folded into the step size, tfjs by sqrt(v_hat) + eps with v_hat =
// v / (1 - beta2^t). The two agree exactly when tfjs's epsilon at step t is
// eps / sqrt(1 - beta2^t), so the oracle sets it before each step; a constant 1e-7 would
// differ by up to a whole learning rate on weights whose gradients are near 1e-6.

import assert from 'node:assert/strict';
import { before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { Model } from '../../../engine/src/model';
import { Optimizer } from '../../../engine/src/optimizers';
import { objectiveOf } from '../../../engine/src/train/objective';
import { BatchRunner } from '../../../engine/src/train/pass';
import { train } from '../../../engine/src/train/run';
import type { Dataset } from '../../../engine/src/data/dataset';
import type { NamedArray } from '../../../engine/src/train/types';
import { downloadWeights } from '../../../engine/src/train/weights';
import { buildIR, config } from '../train/helpers';
import { describeBackends, lcg, randomValues, relError } from './helpers';

/**
 * The stated tolerance, relative 1e-4: each step's loss within |ours - tfjs| / max(|tfjs|, 1e-3),
 * each final weight within it relative to the weight's scale (weightError says which).
 */
const TOL = 1e-4;
const STEPS = 20;
const BATCH = 8;
const BATCHES = 4;
const SEED = 11;
const CLASSES = 3;
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

const adam = (lr: number): TrainIR['optimizer'] => ({ name: 'adam', args: { lr, beta1: BETA1, beta2: BETA2, epsilon: EPSILON } });
const momentum = (lr: number, m: number): TrainIR['optimizer'] => ({ name: 'sgd', args: { lr, momentum: m } });

interface Case {
  name: string;
  ir: ModelIR;
  sampleShape: number[];
  /** The same layers in tfjs, Keras names as in the IR (weights are set afterwards). */
  tfLayers: () => tf.layers.Layer[];
}

const MLP: Case = {
  name: 'Dense(16, relu) -> Dense(3)',
  sampleShape: [5],
  ir: buildIR(
    [{ name: 'x', shape: [5] }],
    [
      { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
      { id: 'dense_1', op: 'Dense', args: { units: CLASSES }, inputs: ['dense'] },
    ],
    [{ name: 'y', tensor: 'dense_1' }],
  ),
  tfLayers: () => [
    tf.layers.dense({ name: 'dense', units: 16, activation: 'relu', inputShape: [5] }),
    tf.layers.dense({ name: 'dense_1', units: CLASSES }),
  ],
};

const CNN: Case = {
  name: 'Conv2D(4, 3, relu) -> MaxPool2D -> Flatten -> Dense(3)',
  sampleShape: [6, 6, 2],
  ir: buildIR(
    [{ name: 'x', shape: [6, 6, 2] }],
    [
      { id: 'conv2d', op: 'Conv2D', args: { filters: 4, kernel: 3, activation: 'relu' }, inputs: ['x'] },
      { id: 'max_pool2d', op: 'MaxPool2D', args: { pool: 2 }, inputs: ['conv2d'] },
      { id: 'flatten', op: 'Flatten', inputs: ['max_pool2d'] },
      { id: 'dense', op: 'Dense', args: { units: CLASSES }, inputs: ['flatten'] },
    ],
    [{ name: 'y', tensor: 'dense' }],
  ),
  tfLayers: () => [
    tf.layers.conv2d({ name: 'conv2d', filters: 4, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
    tf.layers.maxPooling2d({ name: 'max_pool2d', poolSize: 2 }),
    tf.layers.flatten({ name: 'flatten' }),
    tf.layers.dense({ name: 'dense', units: CLASSES }),
  ],
};

/** `count` samples: inputs uniform in [-1, 1), class indices uniform over CLASSES. */
function dataset(sampleShape: number[], count: number, seed: number): Dataset {
  const size = sampleShape.reduce((p, d) => p * d, 1);
  const r = lcg(seed + 1);
  const y = Int32Array.from({ length: count }, () => Math.floor(r() * CLASSES));
  return { count, inputs: { x: { data: Float32Array.from(randomValues(count * size, seed)), sampleShape } }, targets: { y: { data: y, sampleShape: [] } } };
}

/** The rows of batch k: a fixed, contiguous slice (no shuffling). */
function rowsOf(k: number, batch: number): Int32Array {
  return Int32Array.from({ length: batch }, (_v, i) => k * batch + i);
}

/** The engine's initial weights for `ir` under `seed`, exactly as `train` builds them. */
async function initialWeights(ir: ModelIR, seed: number): Promise<NamedArray[]> {
  const built = Model.build(ir, seed);
  assert.ok(built.ok);
  try {
    return await downloadWeights(built.model);
  } finally {
    built.model.dispose();
  }
}

/** The engine: the loop's training step over the batches in order, one loss per step. */
async function trainOurs(c: Case, data: Dataset, settings: TrainIR): Promise<{ losses: number[]; weights: NamedArray[] }> {
  const built = Model.build(c.ir, SEED);
  assert.ok(built.ok);
  const model = built.model;
  const objective = objectiveOf(c.ir, settings);
  assert.ok(objective.ok);
  const optimizer = new Optimizer(settings.optimizer);
  const runner = new BatchRunner(model, objective.outputs, null, optimizer, false);
  const losses: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      const rows = rowsOf(step % BATCHES, BATCH);
      const inputs = runner.inputsOf(data, rows);
      try {
        const r = await runner.trainStep(data, rows, inputs, step);
        assert.ok(r.ok, r.ok ? '' : r.message);
        losses.push(r.values.total);
      } finally {
        for (const t of Object.values(inputs)) t.dispose();
      }
    }
    return { losses, weights: await downloadWeights(model) };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** The tfjs optimizer of the train settings (Keras formulas; see the note on Adam's epsilon). */
function tfOptimizer(settings: TrainIR): { optimizer: tf.Optimizer; beforeStep: (t: number) => void } {
  const { name, args } = settings.optimizer;
  const lr = args.lr as number;
  if (name === 'sgd') return { optimizer: tf.train.momentum(lr, (args.momentum as number) ?? 0, args.nesterov === true), beforeStep: () => {} };
  assert.equal(name, 'adam');
  const optimizer = tf.train.adam(lr, BETA1, BETA2, EPSILON);
  const beforeStep = (t: number) => {
    (optimizer as unknown as { epsilon: number }).epsilon = EPSILON / Math.sqrt(1 - Math.pow(BETA2, t));
  };
  return { optimizer, beforeStep };
}

/**
 * The oracle: a tfjs Sequential model of the same layers with our initial weights, trained
 * with trainOnBatch on the same batches (`batches` gives each step's rows).
 */
async function trainTf(c: Case, data: Dataset, settings: TrainIR, init: NamedArray[], batches: (step: number) => Int32Array): Promise<{ losses: number[]; weights: Map<string, Float32Array> }> {
  const model = tf.sequential({ layers: c.tfLayers() });
  for (const layer of model.layers) {
    const ours = layer.weights.map((w) => {
      const key = w.originalName;
      const found = init.find((a) => a.name === key);
      assert.ok(found, `the engine has no weight ${key}`);
      assert.deepEqual(found.shape, w.shape, `shape of ${key}`);
      return tf.tensor(found.data, found.shape);
    });
    layer.setWeights(ours);
    tf.dispose(ours);
  }
  assert.equal(model.getWeights().length, init.length, 'tfjs and the engine have the same number of weights');
  const { optimizer, beforeStep } = tfOptimizer(settings);
  model.compile({ optimizer, loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const x = data.inputs.x;
  const size = x.sampleShape.reduce((p, d) => p * d, 1);
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const rows = batches(step);
    const xs = new Float32Array(rows.length * size);
    rows.forEach((row, i) => xs.set(x.data.subarray(row * size, (row + 1) * size), i * size));
    const labels = Array.from(rows, (row) => data.targets.y.data[row]);
    const xt = tf.tensor(xs, [rows.length, ...x.sampleShape]);
    const yt = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASSES).toFloat();
    beforeStep(step + 1);
    const loss = await model.trainOnBatch(xt, yt);
    losses.push(Array.isArray(loss) ? loss[0] : loss);
    tf.dispose([xt, yt]);
  }
  const weights = new Map<string, Float32Array>();
  for (const layer of model.layers) {
    for (const w of layer.weights) weights.set(w.originalName, w.read().dataSync() as Float32Array);
  }
  model.dispose();
  optimizer.dispose();
  return { losses, weights };
}

/**
 * The final weights' error: max |ours - tfjs| / max(|tfjs|, |initial|, floor), relative to
 * the weight's scale along its path. Adam moves every weight by about lr per step whatever
 * its gradient, so each step leaves float32 rounding of about 1e-7 absolute in every weight,
 * ~2e-6 after 20 steps, even in a weight that ends (or starts, like a bias) near zero; for
 * Adam the floor is therefore the distance the run can carry a weight, STEPS * lr. SGD's
 * rounding stays relative to the gradient, so its floor is 1e-3, as for the losses. (Adam
 * with tfjs's constant epsilon instead of Keras's fails this by 1.6-7x, so it still has teeth.)
 */
function weightError(actual: ArrayLike<number>, expected: ArrayLike<number>, initial: ArrayLike<number>, floor: number): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), Math.abs(initial[i]), floor));
  }
  return worst;
}

/** Asserts the per-step losses and the final weights agree within TOL, and that training moved them. */
function assertParity(ours: { losses: number[]; weights: NamedArray[] }, oracle: { losses: number[]; weights: Map<string, Float32Array> }, init: NamedArray[], settings: TrainIR): void {
  const { name, args } = settings.optimizer;
  const floor = name === 'adam' ? STEPS * (args.lr as number) : 1e-3;
  assert.equal(ours.losses.length, STEPS);
  assert.equal(oracle.losses.length, STEPS);
  for (let s = 0; s < STEPS; s++) {
    const e = relError([ours.losses[s]], [oracle.losses[s]]);
    assert.ok(e <= TOL, `step ${s + 1}: loss ${ours.losses[s]} vs tfjs ${oracle.losses[s]} (relative error ${e} > ${TOL})`);
  }
  // The run must have learned something, else agreeing weights would prove little.
  assert.ok(ours.losses[STEPS - 1] < ours.losses[0], `the loss fell over ${STEPS} steps (${ours.losses[0]} -> ${ours.losses[STEPS - 1]})`);
  for (const w of ours.weights) {
    const expected = oracle.weights.get(w.name);
    assert.ok(expected, `tfjs has no weight ${w.name}`);
    const start = init.find((a) => a.name === w.name)!;
    const e = weightError(w.data, expected, start.data, floor);
    assert.ok(e <= TOL, `final ${w.name}: relative error ${e} > ${TOL}`);
    assert.ok(relError(w.data, start.data) > 1e-3, `${w.name} changed during training`);
  }
}

describeBackends('training parity with TensorFlow.js', (test) => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const runs: { c: Case; opt: TrainIR['optimizer'] }[] = [
    { c: MLP, opt: adam(0.01) },
    { c: MLP, opt: momentum(0.05, 0.9) },
    { c: CNN, opt: adam(0.01) },
    { c: CNN, opt: momentum(0.05, 0.9) },
  ];
  for (const { c, opt } of runs) {
    test(`${c.name}, ${opt.name}${opt.name === 'sgd' ? ' with momentum' : ''}: ${STEPS} steps on fixed batches`, async () => {
      const data = dataset(c.sampleShape, BATCH * BATCHES, 3);
      const settings = config({ optimizer: opt, batchSize: BATCH, seed: SEED });
      const init = await initialWeights(c.ir, SEED);
      const ours = await trainOurs(c, data, settings);
      const oracle = await trainTf(c, data, settings, init, (step) => rowsOf(step % BATCHES, BATCH));
      assertParity(ours, oracle, init, settings);
    });
  }

  test(`the public train loop, full-batch epochs (${STEPS} steps): ${CNN.name}, adam with default settings`, async () => {
    const count = 24;
    const data = dataset(CNN.sampleShape, count, 5);
    // The spec's defaults (beta1 0.9, beta2 0.999, epsilon 1e-7) come from the engine here.
    const settings = config({ optimizer: { name: 'adam', args: { lr: 0.01 } }, batchSize: count, epochs: STEPS, seed: SEED });
    const init = await initialWeights(CNN.ir, SEED);
    const losses: number[] = [];
    const outcome = await train(CNN.ir, settings, data, null, { onStep: (e) => losses.push(e.loss) });
    assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
    const all = Int32Array.from({ length: count }, (_v, i) => i);
    const oracle = await trainTf(CNN, data, settings, init, () => all);
    assertParity({ losses, weights: outcome.result.weights }, oracle, init, settings);
  });
});
