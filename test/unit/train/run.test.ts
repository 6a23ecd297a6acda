// The training loop end to end on the CPU backend: a small MLP learns a synthetic
// three-class problem; the same seed replays the same run bit for bit and another seed does
// not; early stopping hands back the best epoch's weights; shouldStop keeps the last
// finished epoch; the buffer pool stays flat over an epoch; schedules reach the optimizer;
// several outputs get Keras-style metric names.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { memory, setBackend } from '../../../engine/src/tensor';
import { predict } from '../../../engine/src/train/predict';
import { train } from '../../../engine/src/train/run';
import type { Dataset } from '../../../engine/src/data/dataset';
import type { NamedArray, TrainOutcome } from '../../../engine/src/train/types';
import { blobs, buildIR, config, mlp } from './helpers';

function ok(r: TrainOutcome) {
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return r.result;
}

/** Mean cross-entropy in float64 of prediction rows against class targets. */
function crossEntropy(rows: Float32Array[], targets: ArrayLike<number>, probabilities: boolean): number {
  let total = 0;
  rows.forEach((row, i) => {
    const t = targets[i];
    if (probabilities) total -= Math.log(Math.min(Math.max(row[t] / row.reduce((s, v) => s + v, 0), 1e-7), 1 - 1e-7));
    else {
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
      total -= row[t] - lse;
    }
  });
  return total / rows.length;
}

/** Targets drawn at random: nothing to learn, so a big model overfits and val_loss rises. */
function noise(count: number, seed: number): Dataset {
  const d = blobs(count, seed);
  let s = seed * 7919 + 1;
  const y = d.targets.y.data as Int32Array;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    y[i] = (s >>> 16) % 3;
  }
  return d;
}

describe('train', () => {
  before(() => setBackend(new CpuBackend()));

  it('learns a separable three-class problem to high accuracy', async () => {
    const r = ok(await train(mlp(3), config({ epochs: 15, metrics: ['accuracy', 'f1'] }), blobs(300, 1), blobs(90, 2)));
    const last = r.epochs.at(-1)!;
    assert.equal(r.epochs.length, 15);
    assert.equal(r.stopped, 'completed');
    assert.ok(last.metrics.accuracy > 0.9, `accuracy ${last.metrics.accuracy}`);
    assert.ok(last.metrics.val_accuracy > 0.9, `val_accuracy ${last.metrics.val_accuracy}`);
    assert.ok(last.metrics.val_f1 > 0.9, `val_f1 ${last.metrics.val_f1}`);
    assert.ok(last.metrics.loss < r.epochs[0].metrics.loss / 2);
    assert.deepEqual(r.weights.map((w) => w.name), ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    // The returned weights are the model's: predicting with them reproduces val_accuracy.
    const val = blobs(90, 2);
    const p = await predict(mlp(3), r.weights, val, 32);
    assert.ok(p.ok);
    const hits = p.outputs.y.rows.filter((row, i) => row.indexOf(Math.max(...row)) === val.targets.y.data[i]).length;
    assert.equal(hits / 90, last.metrics.val_accuracy);
  });

  it('replays the same losses bit for bit with the same seed, and not with another', async () => {
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
        { id: 'dropout', op: 'Dropout', args: { rate: 0.3 }, inputs: ['dense'] },
        { id: 'dense_1', op: 'Dense', args: { units: 3 }, inputs: ['dropout'] },
      ],
      [{ name: 'y', tensor: 'dense_1' }],
    );
    const run = async (seed: number) => {
      const losses: number[] = [];
      const r = ok(await train(ir, config({ epochs: 3, batchSize: 20, seed }), blobs(90, 3), null, { onStep: (e) => losses.push(e.loss) }));
      return { losses, weights: r.weights };
    };
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    assert.equal(a.losses.length, 3 * 5, 'five steps per epoch, the last one partial');
    assert.deepEqual(a.losses, b.losses);
    assert.deepEqual(a.weights, b.weights);
    assert.notDeepEqual(a.losses, c.losses);
  });

  it('restores the best epoch on early stopping', async () => {
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'dense', op: 'Dense', args: { units: 64, activation: 'relu' }, inputs: ['x'] },
        { id: 'dense_1', op: 'Dense', args: { units: 3 }, inputs: ['dense'] },
      ],
      [{ name: 'y', tensor: 'dense_1' }],
    );
    const val = noise(60, 12);
    const r = ok(await train(ir, config({ epochs: 40, earlyStopping: 2, optimizer: { name: 'adam', args: { lr: 0.05 } } }), noise(30, 11), val));
    assert.equal(r.stopped, 'early-stopping');
    const losses = r.epochs.map((e) => e.metrics.val_loss);
    const best = losses.indexOf(Math.min(...losses)) + 1;
    assert.equal(r.bestEpoch, best);
    assert.equal(r.epochs.length, best + 2, 'stopped after two epochs without improvement');
    assert.deepEqual(r.epochs.map((e) => e.best), losses.map((v, i) => v < Math.min(Infinity, ...losses.slice(0, i))));
    const p = await predict(ir, r.weights, val);
    assert.ok(p.ok);
    const loss = crossEntropy(p.outputs.y.rows, val.targets.y.data, false);
    assert.ok(Math.abs(loss - losses[best - 1]) < 1e-5, `returned weights give ${loss}, best val_loss ${losses[best - 1]}`);
    assert.ok(Math.abs(loss - losses.at(-1)!) > 1e-3, 'the last epoch was worse, so restoring mattered');
  });

  it('stops when asked and keeps the last finished epoch', async () => {
    let steps = 0;
    let epoch2: NamedArray[] = [];
    let epochsSeen = 0;
    const r = ok(
      await train(mlp(3), config({ epochs: 5, batchSize: 10 }), blobs(50, 4), null, {
        onStep: () => steps++,
        onEpoch: async (e, weights) => {
          epochsSeen = e.epoch;
          if (e.epoch === 2) epoch2 = await weights();
        },
        shouldStop: () => epochsSeen === 2 && steps >= 13,
      }),
    );
    assert.equal(r.stopped, 'cancelled');
    assert.equal(r.epochs.length, 2);
    assert.equal(steps, 13, 'the step running when shouldStop turned true finished; no more began');
    assert.equal(epoch2.length, 4);
    assert.deepEqual(r.weights, epoch2);
  });

  it('keeps device memory flat from one epoch to the next and frees it all at the end', async () => {
    const before = memory().liveBytes;
    const seen: { allocated: number; live: number }[] = [];
    ok(
      await train(mlp(3), config({ epochs: 4, batchSize: 16, metrics: ['accuracy'], regularizer: { name: 'l2', l1: 0, l2: 1e-3 } }), blobs(100, 5), blobs(30, 6), {
        onEpoch: () => void seen.push({ allocated: memory().allocatedBytes, live: memory().liveBytes }),
      }),
    );
    assert.equal(seen.length, 4);
    for (let i = 2; i < 4; i++) assert.deepEqual(seen[i], seen[1], `epoch ${i + 1} vs epoch 2`);
    assert.equal(memory().liveBytes, before, 'no tensor outlives the run');
  });

  it('writes the schedule\'s rate into the optimizer', async () => {
    const schedule = { name: 'step' as const, args: { every: 1, factor: 0.5 } };
    const r = ok(await train(mlp(3), config({ epochs: 3, schedule }), blobs(30, 7), null));
    assert.deepEqual(r.epochs.map((e) => e.lr), [0.01, 0.005, 0.0025]);
    // A rate that drops to ~0 after the first epoch freezes the weights from then on.
    const weights: NamedArray[][] = [];
    const frozen = { name: 'step' as const, args: { every: 1, factor: 1e-30 } };
    ok(await train(mlp(3), config({ epochs: 3, schedule: frozen, optimizer: { name: 'sgd', args: { lr: 0.1 } } }), blobs(30, 7), null, {
      onEpoch: async (_e, w) => void weights.push(await w()),
    }));
    assert.deepEqual(weights[1], weights[0], 'epoch 2 ran at lr 1e-31');
    assert.deepEqual(weights[2], weights[1], 'epoch 3 ran at lr 1e-62');
  });

  it('reads a softmax output as probabilities and any other output as logits', async () => {
    // One full batch with a learning rate too small to matter: the loss is the initial one.
    const data = blobs(24, 8);
    for (const softmax of [true, false]) {
      const ir = mlp(3, softmax);
      const r = ok(await train(ir, config({ epochs: 1, batchSize: 24, optimizer: { name: 'sgd', args: { lr: 1e-30 } } }), data, null));
      const p = await predict(ir, r.weights, data);
      assert.ok(p.ok);
      const expected = crossEntropy(p.outputs.y.rows, data.targets.y.data, softmax);
      assert.ok(Math.abs(r.epochs[0].metrics.loss - expected) < 1e-5, `softmax ${softmax}: ${r.epochs[0].metrics.loss} vs ${expected}`);
    }
  });

  it('names the losses and metrics of several outputs after the outputs', async () => {
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'h', op: 'Dense', args: { units: 8, activation: 'relu' }, inputs: ['x'] },
        { id: 'c', op: 'Dense', args: { units: 3 }, inputs: ['h'] },
        { id: 'r', op: 'Dense', args: { units: 1 }, inputs: ['h'] },
      ],
      [{ name: 'kind', tensor: 'c' }, { name: 'size', tensor: 'r' }],
    );
    const add = (d: Dataset): Dataset => {
      const x = d.inputs.x.data;
      const size = Float32Array.from({ length: d.count }, (_v, i) => x[i * 4] + x[i * 4 + 1]);
      return { ...d, targets: { kind: d.targets.y, size: { data: size, sampleShape: [1] } } };
    };
    const r = ok(
      await train(ir, config({ epochs: 2, loss: { kind: 'cross_entropy', size: 'mse' }, lossWeights: { size: 0.5 }, metrics: ['accuracy', 'mae'] }), add(blobs(40, 9)), add(blobs(20, 10))),
    );
    const m = r.epochs[1].metrics;
    // The list applies accuracy to the class output only (no size_accuracy), mae to both.
    const names = ['loss', 'kind_loss', 'size_loss', 'kind_accuracy', 'kind_mae', 'size_mae'];
    assert.deepEqual(Object.keys(m).sort(), [...names, ...names.map((n) => `val_${n}`)].sort());
    assert.ok(Math.abs(m.loss - (m.kind_loss + 0.5 * m.size_loss)) < 1e-5);
    assert.ok(Math.abs(m.val_loss - (m.val_kind_loss + 0.5 * m.val_size_loss)) < 1e-5);
    // A dict names each output's metrics; a key that is not an output is a build error.
    const d = ok(await train(ir, config({ epochs: 1, loss: { kind: 'cross_entropy', size: 'mse' }, metrics: { size: ['mse'] } }), add(blobs(40, 9)), null));
    assert.deepEqual(Object.keys(d.epochs[0].metrics).sort(), ['kind_loss', 'loss', 'size_loss', 'size_mse']);
    const bad = await train(ir, config({ epochs: 1, loss: { kind: 'cross_entropy', size: 'mse' }, metrics: { sise: ['mse'] } }), add(blobs(40, 9)), null);
    assert.ok(!bad.ok && bad.error.code === 'build-error' && /sise/.test(bad.error.message));
  });
});
