// The loop that reads the device only every N steps (the WebGPU loop, run here on the CPU
// by setting `loopSettings.readEvery`): the same epochs, step events and weights as the loop
// that reads every step, bit for bit on the CPU; and a loss that turns NaN between two reads
// names the same epoch, step and layer, with the weights of the last finished epoch.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { loopSettings, train } from '../../../engine/src/train/run';
import type { StepEvent, TrainOutcome } from '../../../engine/src/train/types';
import { blobs, buildIR, config, mlp } from './helpers';

function dropoutModel() {
  return buildIR(
    [{ name: 'x', shape: [4] }],
    [
      { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
      { id: 'bn', op: 'BatchNorm', inputs: ['dense'] },
      { id: 'dropout', op: 'Dropout', args: { rate: 0.3 }, inputs: ['bn'] },
      { id: 'dense_1', op: 'Dense', args: { units: 3 }, inputs: ['dropout'] },
    ],
    [{ name: 'y', tensor: 'dense_1' }],
  );
}

async function run(readEvery: number | null, go: (steps: StepEvent[]) => Promise<TrainOutcome>): Promise<{ r: TrainOutcome; steps: StepEvent[] }> {
  const saved = { ...loopSettings };
  loopSettings.readEvery = readEvery;
  loopSettings.readEveryMs = 1e9;
  try {
    const steps: StepEvent[] = [];
    return { r: await go(steps), steps };
  } finally {
    Object.assign(loopSettings, saved);
  }
}

describe('the loop that reads every N steps', () => {
  before(() => setBackend(new CpuBackend()));
  after(() => Object.assign(loopSettings, { readEvery: null, readEveryMs: 500 }));

  for (const [name, optimizer] of [
    ['adam', { name: 'adam', args: { lr: 0.01 } }],
    ['sgd with momentum', { name: 'sgd', args: { lr: 0.05, momentum: 0.9 } }],
    ['rmsprop', { name: 'rmsprop', args: { lr: 0.005 } }],
  ] as const) {
    it(`gives the same epochs, step losses and weights as reading every step (${name})`, async () => {
      const go = (steps: StepEvent[]) =>
        train(dropoutModel(), config({ epochs: 3, batchSize: 16, metrics: ['accuracy', 'f1', 'mae'], optimizer }), blobs(150, 3), blobs(40, 4), {
          onStep: (e) => steps.push(e),
        });
      const sync = await run(1, go);
      const deferred = await run(4, go);
      assert.ok(sync.r.ok && deferred.r.ok);
      if (!sync.r.ok || !deferred.r.ok) return;
      assert.deepEqual(deferred.r.result.epochs.map((e) => e.metrics), sync.r.result.epochs.map((e) => e.metrics));
      assert.deepEqual(
        deferred.steps.map((e) => [e.epoch, e.step, e.stepsPerEpoch, e.loss]),
        sync.steps.map((e) => [e.epoch, e.step, e.stepsPerEpoch, e.loss]),
      );
      assert.equal(sync.steps.length, 30);
      assert.deepEqual(deferred.r.result.weights, sync.r.result.weights);
    });
  }

  it('delivers the step events in batches, in order, at each read', async () => {
    const batches: number[][] = [];
    let open: number[] = [];
    await run(4, async (steps) => {
      const r = await train(mlp(3), config({ epochs: 1, batchSize: 10 }), blobs(100, 1), null, {
        onStep: (e) => {
          steps.push(e);
          open.push(e.step);
        },
        beforeStep: () => {
          if (open.length) batches.push(open);
          open = [];
        },
      });
      if (open.length) batches.push(open);
      return r;
    });
    // 10 steps read after steps 4, 8 and at the epoch's end.
    assert.deepEqual(batches, [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]);
  });

  it('names the same step and layer when the loss turns NaN between reads', async () => {
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'dense', op: 'Dense', args: { units: 8, activation: 'relu' }, inputs: ['x'], line: 2 },
        { id: 'square', op: 'Multiply', inputs: ['dense', 'dense'], line: 3 },
        { id: 'out', op: 'Dense', args: { units: 3 }, inputs: ['square'], line: 4 },
      ],
      [{ name: 'y', tensor: 'out' }],
    );
    const data = blobs(48, 1);
    data.inputs.x.data.fill(1e20, 20 * 4, 21 * 4);
    const go = (steps: StepEvent[]) => train(ir, config({ epochs: 3, batchSize: 8 }), data, null, { onStep: (e) => steps.push(e) });
    const sync = await run(1, go);
    const deferred = await run(5, go);
    assert.equal(sync.r.ok, false);
    assert.equal(deferred.r.ok, false);
    if (sync.r.ok || deferred.r.ok) return;
    assert.equal(deferred.r.error.code, 'nan-loss');
    assert.equal(deferred.r.error.node, 'square');
    assert.equal(deferred.r.error.message, sync.r.error.message);
    assert.deepEqual([deferred.r.error.epoch, deferred.r.error.step], [sync.r.error.epoch, sync.r.error.step]);
    assert.deepEqual(deferred.r.partial?.weights, sync.r.partial?.weights);
    assert.ok(deferred.steps.length <= sync.steps.length, 'no step after the failing one is reported');
  });

  it('stops at a step boundary with every step run so far reported', async () => {
    let n = 0;
    const { r, steps } = await run(4, (steps) =>
      train(mlp(3), config({ epochs: 2, batchSize: 10 }), blobs(100, 1), null, {
        onStep: (e) => steps.push(e),
        shouldStop: () => ++n > 7,
      }),
    );
    assert.ok(r.ok);
    assert.deepEqual(steps.map((e) => e.step), [1, 2, 3, 4, 5, 6, 7]);
  });
});
