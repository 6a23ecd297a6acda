// The training loop end to end on the CPU backend: a small MLP learns a synthetic
// three-class problem; the same seed replays the same run bit for bit and another seed does
// not; early stopping hands back the best epoch's weights; shouldStop keeps the last
// finished epoch; the buffer pool stays flat over an epoch; bad settings and data are errors.

import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { memory, setBackend } from '../../../engine/src/tensor';
import { train } from '../../../engine/src/train/run';
import { predict } from '../../../engine/src/train/predict';
import type { EpochEvent, NamedArray } from '../../../engine/src/train/types';
import { blobs, config, mlp } from './helpers';

describe('train', () => {
  before(() => setBackend(new CpuBackend()));

  it('learns a separable three-class problem to high accuracy', async () => {
    const r = await train(mlp(3), config({ epochs: 15, metrics: ['accuracy', 'f1'] }), blobs(300, 1), blobs(90, 2));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
    const last = r.result.epochs.at(-1)!;
    assert.equal(r.result.epochs.length, 15);
    assert.equal(r.result.stopped, 'completed');
    assert.ok(last.metrics.accuracy > 0.9, `accuracy ${last.metrics.accuracy}`);
    assert.ok(last.metrics.val_accuracy > 0.9, `val_accuracy ${last.metrics.val_accuracy}`);
    assert.ok(last.metrics.val_f1 > 0.9, `val_f1 ${last.metrics.val_f1}`);
    assert.ok(last.metrics.loss < r.result.epochs[0].metrics.loss / 2);
    assert.deepEqual(r.result.weights.map((w) => w.name), ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
  });
});
