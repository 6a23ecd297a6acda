// The training loop on the WebGPU backend, which reads the device every 50 steps (or 0.5 s)
// rather than every step: the same epochs, step losses and weights as the same loop reading
// every step on the same adapter (the losses and metrics are summed on the host in step
// order either way, so no tolerance is needed), and a loss that turns NaN between reads
// names the same epoch, step and layer.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { loopSettings, train } from '../../../engine/src/train/run';
import type { StepEvent, TrainOutcome } from '../../../engine/src/train/types';
import { blobs, buildIR, config } from '../train/helpers';
import { gpuOrSkip } from './harness';

async function run(readEvery: number | null, go: (steps: StepEvent[]) => Promise<TrainOutcome>): Promise<{ r: TrainOutcome; steps: StepEvent[] }> {
  const saved = { ...loopSettings };
  Object.assign(loopSettings, { readEvery, readEveryMs: 1e9 });
  try {
    const steps: StepEvent[] = [];
    return { r: await go(steps), steps };
  } finally {
    Object.assign(loopSettings, saved);
  }
}

describe('the training loop on webgpu', () => {
  after(() => setBackend(new CpuBackend()));

  it('reads every 50 steps by default and matches reading every step', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    setBackend(gpu);
    const ir = buildIR(
      [{ name: 'x', shape: [4] }],
      [
        { id: 'dense', op: 'Dense', args: { units: 16, activation: 'relu' }, inputs: ['x'] },
        { id: 'dropout', op: 'Dropout', args: { rate: 0.2 }, inputs: ['dense'] },
        { id: 'dense_1', op: 'Dense', args: { units: 3 }, inputs: ['dropout'] },
      ],
      [{ name: 'y', tensor: 'dense_1' }],
    );
    const go = (steps: StepEvent[]) =>
      train(ir, config({ epochs: 2, batchSize: 4, metrics: ['accuracy'] }), blobs(240, 3), blobs(20, 4), { onStep: (e) => steps.push(e) });
    const before = gpu.stats.submits;
    const deferred = await run(null, go);
    const deferredSubmits = gpu.stats.submits - before;
    const sync = await run(1, go);
    assert.ok(sync.r.ok && deferred.r.ok);
    if (!sync.r.ok || !deferred.r.ok) return;
    assert.equal(sync.steps.length, 120);
    assert.deepEqual(deferred.r.result.epochs.map((e) => e.metrics), sync.r.result.epochs.map((e) => e.metrics));
    assert.deepEqual(deferred.steps.map((e) => [e.epoch, e.step, e.loss]), sync.steps.map((e) => [e.epoch, e.step, e.loss]));
    assert.deepEqual(deferred.r.result.weights, sync.r.result.weights);
    console.log(`${deferredSubmits} queue submissions for 120 steps`);
    assert.ok(deferredSubmits < 120 * 2, `${deferredSubmits} submissions for 120 steps`);
  });

  it('names the step and layer of a NaN loss found at a read', async (t) => {
    const gpu = await gpuOrSkip(t);
    if (!gpu) return;
    setBackend(gpu);
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
    const deferred = await run(null, go);
    const sync = await run(1, go);
    assert.ok(!sync.r.ok && !deferred.r.ok);
    if (sync.r.ok || deferred.r.ok) return;
    assert.equal(deferred.r.error.code, 'nan-loss');
    assert.equal(deferred.r.error.node, 'square');
    assert.equal(deferred.r.error.message, sync.r.error.message);
    assert.match(deferred.r.error.message, /^the loss became (NaN|infinite) at epoch 1, step \d+; the first non-finite output is square \(line 4\)/);
  });
});
