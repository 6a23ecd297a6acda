// A stopped run's notification counts finished epochs and the steps of the one it was in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stoppedProgress } from '../../../client/src/run_summary';

test('a run stopped mid-epoch says how far it got, not "after 0 epoch(s)"', () => {
  assert.equal(stoppedProgress(0, { epoch: 1, step: 300, stepsPerEpoch: 938 }), 'in epoch 1, after 300 of 938 steps');
  assert.equal(stoppedProgress(2, { epoch: 3, step: 40, stepsPerEpoch: 938 }), 'after 2 epochs and 40 of 938 steps of epoch 3');
  assert.equal(stoppedProgress(1, { epoch: 1, step: 938, stepsPerEpoch: 938 }), 'after 1 epoch');
  assert.equal(stoppedProgress(3, undefined), 'after 3 epochs');
  assert.equal(stoppedProgress(0, undefined), 'before its first step');
});
