// Learning-rate schedules against their formulas at chosen points, their argument checks,
// and the memory estimate of a known MLP (weights, gradients, optimizer slots, activations)
// including symbolic sizes resolved from the data's sample shapes.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkFits, estimateTrainingMemory } from '../../../engine/src/train/memory_estimate';
import { evalDim } from '../../../engine/catalog/shape';
import { makeSchedule } from '../../../engine/src/train/schedule';
import type { Schedule } from '../../../engine/src/train/schedule';
import { buildIR, config, mlp } from './helpers';

const close = (a: number, e: number, what = '') => assert.ok(Math.abs(a - e) <= 1e-12 * Math.max(1, Math.abs(e)), `${what}: ${a} vs ${e}`);

function schedule(name: string, args: Record<string, number>, lr = 0.1): Schedule {
  const r = makeSchedule(lr, { name: name as 'constant', args });
  assert.ok(r.ok, !r.ok ? r.message : '');
  return r.schedule;
}

describe('schedules', () => {
  it('constant (also the default without a schedule)', () => {
    const r = makeSchedule(0.1, null);
    assert.ok(r.ok);
    assert.equal(r.schedule(9, 1000, [1, 2, 3]), 0.1);
    assert.equal(schedule('constant', {})(3, 5, []), 0.1);
  });

  it('exponential: lr · rate^(step / decay_steps)', () => {
    const s = schedule('exponential', { decay_rate: 0.5, decay_steps: 10 });
    close(s(0, 0, []), 0.1);
    close(s(0, 10, []), 0.05);
    close(s(3, 25, []), 0.1 * Math.pow(0.5, 2.5));
  });

  it('cosine: from lr down to lr · alpha over decay_steps, then flat', () => {
    const s = schedule('cosine', { decay_steps: 100 });
    close(s(0, 0, []), 0.1);
    close(s(0, 50, []), 0.05);
    close(s(0, 100, []), 0);
    close(s(0, 500, []), 0);
    const a = schedule('cosine', { decay_steps: 100, alpha: 0.2 });
    close(a(0, 100, []), 0.02);
    close(a(0, 50, []), 0.1 * (0.8 * 0.5 + 0.2));
  });

  it('step: the rate drops by factor every `every` epochs', () => {
    const s = schedule('step', { every: 3, factor: 0.5 });
    assert.deepEqual([0, 1, 2, 3, 5, 6, 9].map((e) => s(e, 0, [])), [0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('reduce_on_plateau: factor after patience epochs without improvement', () => {
    const s = schedule('reduce_on_plateau', { factor: 0.5, patience: 2 });
    close(s(0, 0, []), 0.1);
    close(s(0, 0, [1, 0.9, 0.8]), 0.1, 'improving');
    close(s(0, 0, [1, 0.9, 0.95]), 0.1, 'one bad epoch');
    close(s(0, 0, [1, 0.9, 0.95, 0.9]), 0.05, 'two bad epochs (0.9 is no improvement on 0.9)');
    close(s(0, 0, [1, 0.9, 0.95, 0.9, 0.91, 0.92]), 0.025, 'the wait restarts after a reduction');
    close(s(0, 0, [1, 0.9, 0.95, 0.9, 0.5, 0.6]), 0.05, 'improvement resets the wait');
    const d = schedule('reduce_on_plateau', {});
    close(d(0, 0, [1, ...new Array(10).fill(2)]), 0.1 * 0.1, 'defaults: factor 0.1, patience 10');
    close(d(0, 0, [1, ...new Array(9).fill(2)]), 0.1);
  });

  it('rejects bad arguments with a message', () => {
    const bad = (name: string, args: Record<string, number>, re: RegExp) => {
      const r = makeSchedule(0.1, { name: name as 'constant', args });
      assert.ok(!r.ok && re.test(r.message), JSON.stringify(r));
    };
    bad('exponential', { decay_steps: 10 }, /decay_rate/);
    bad('exponential', { decay_rate: 0.5, decay_steps: 0 }, /decay_steps/);
    bad('cosine', {}, /decay_steps/);
    bad('cosine', { decay_steps: 10, alpha: 2 }, /alpha/);
    bad('step', { every: 1.5, factor: 0.5 }, /every/);
    bad('reduce_on_plateau', { factor: 1 }, /factor/);
    bad('warmup', {}, /unknown schedule/);
  });
});

describe('memory estimate', () => {
  it('counts a known MLP: 131 weights, 19 activations per sample', () => {
    // Dense(4→16): 64 + 16 weights; Dense(16→3): 48 + 3; outputs 16 + 3 values per sample.
    const e = estimateTrainingMemory(mlp(3), config({ batchSize: 16 }));
    assert.deepEqual(e, { weights: 524, gradients: 524, optimizer: 1048, activations: 19 * 16 * 4 * 2, total: 524 + 524 + 1048 + 2432, unresolved: [] });
    const opt = (name: 'sgd' | 'rmsprop', args: Record<string, number>) =>
      estimateTrainingMemory(mlp(3), config({ optimizer: { name, args } })).optimizer;
    assert.equal(opt('sgd', { lr: 0.1 }), 0);
    assert.equal(opt('sgd', { lr: 0.1, momentum: 0.9 }), 524);
    assert.equal(opt('rmsprop', { lr: 0.1 }), 524);
  });

  it('counts non-trainable weights but gives them no gradient or optimizer state', () => {
    const ir = buildIR([{ name: 'x', shape: [4] }], [{ id: 'bn', op: 'BatchNorm', inputs: ['x'] }], [{ name: 'y', tensor: 'bn' }]);
    const e = estimateTrainingMemory(ir, config({ batchSize: 1 }));
    assert.equal(e.weights, 16 * 4);
    assert.equal(e.gradients, 8 * 4);
    assert.equal(e.optimizer, 16 * 4);
  });

  it('resolves symbolic sizes from the data and reports those it cannot', () => {
    const ir = buildIR([{ name: 'x', shape: ['seq', 8] }], [{ id: 'd', op: 'Dense', args: { units: 4 }, inputs: ['x'] }], [{ name: 'y', tensor: 'd' }]);
    const e = estimateTrainingMemory(ir, config({ batchSize: 2 }), { x: [10, 8] });
    assert.equal(e.activations, 10 * 4 * 2 * 4 * 2);
    assert.deepEqual(e.unresolved, []);
    assert.deepEqual(estimateTrainingMemory(ir, config({ batchSize: 2 })).unresolved, ['seq']);
    const h = new Map([['h', 8]]);
    assert.equal(evalDim('ceil(h/3)', h), 3);
    assert.equal(evalDim('floor((h-3)/2)+1', h), 3);
    assert.equal(evalDim('h*2-1', h), 15);
    assert.equal(evalDim('q+1', h), null);
    assert.equal(evalDim('h+', h), null);
  });

  it('says how much is needed and how much there is, in MB', () => {
    const MB = 1024 * 1024;
    const e = { weights: 1 * MB, gradients: 1 * MB, optimizer: 2 * MB, activations: 96 * MB, total: 100 * MB };
    assert.equal(checkFits(e, 100 * MB), null);
    const err = checkFits(e, 64 * MB);
    assert.equal(err?.code, 'out-of-memory');
    assert.match(err!.message, /needs about 100\.0 MB .*activations 96\.0 MB.*but only 64\.0 MB is available; try a smaller batch_size/);
  });
});
