// Re-run: a recorded run's settings (run.json, as runSettingsOf writes them) put back over
// the current train block, field by field; what cannot be put back is a problem, not a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newRunRecord, runSettingsOf, type RunSettings } from '../../../engine/catalog/run_record';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { parseCall, parseRerun, settingsToTrainOverrides } from '../../../client/src/rerun_plan';
import { parseTrainArgs } from '../../../client/src/train_plan';

/** The train block as it is now. */
const NOW: TrainIR = {
  model: 'Iris',
  data: { kind: 'csv', path: '/ws/iris_v2.csv', target: 'species' },
  validation: 0.1,
  loss: 'mse',
  lossWeights: null,
  optimizer: { name: 'sgd', args: { lr: 0.1, momentum: 0.5, nesterov: true } },
  regularizer: null,
  epochs: 5,
  batchSize: 64,
  metrics: ['accuracy'],
  seed: 7,
  earlyStopping: 3,
  schedule: null,
};

/** The train block the recorded run trained with: every recorded field differs from NOW. */
const THEN: TrainIR = {
  ...NOW,
  data: { kind: 'csv', path: '/ws/iris.csv', target: 'species' },
  validation: { kind: 'csv', path: '/ws/iris_val.csv', target: 'species' },
  loss: 'cross_entropy',
  optimizer: { name: 'adam', args: { lr: 0.02, beta1: 0.8, beta2: 0.99 } },
  regularizer: { name: 'l1_l2', l1: 0.001, l2: 0.0001 },
  epochs: 60,
  batchSize: 16,
  seed: null,
  earlyStopping: null,
  schedule: { name: 'step', args: { every: 10, factor: 0.5 } },
};

function rerun(settings: Partial<RunSettings> | null, current: TrainIR): TrainIR {
  const out = settingsToTrainOverrides(settings, current);
  assert.ok('train' in out, `expected a train block, got ${JSON.stringify(out)}`);
  return out.train;
}

test('every recorded setting comes back over the current block; what run.json does not keep stays as now', () => {
  const withValidationSource: TrainIR = { ...NOW, validation: { kind: 'csv', path: '/ws/other_val.csv', target: 'species' } };
  const got = rerun(runSettingsOf(THEN), withValidationSource);
  assert.equal(got.epochs, 60);
  assert.equal(got.batchSize, 16);
  assert.deepEqual(got.optimizer, { name: 'adam', args: { lr: 0.02, beta1: 0.8, beta2: 0.99 } }, 'the recorded arguments, none of the current optimizer’s');
  assert.equal(got.loss, 'cross_entropy');
  assert.deepEqual(got.validation, { kind: 'csv', path: '/ws/iris_val.csv', target: 'species' });
  assert.equal(got.seed, null);
  assert.equal(got.earlyStopping, null);
  assert.deepEqual(got.schedule, { name: 'step', args: { every: 10, factor: 0.5 } });
  assert.deepEqual(got.regularizer, { name: 'l1_l2', l1: 0.001, l2: 0.0001 });
  assert.deepEqual(got.data, { kind: 'csv', path: '/ws/iris.csv', target: 'species' }, 'the file the run read, the current target');
  assert.deepEqual(got.metrics, ['accuracy']);
  assert.equal(got.model, 'Iris');
  // The whole round trip: the re-run's settings are the recorded run's.
  assert.deepEqual(runSettingsOf(got), runSettingsOf(THEN));
  assert.equal(NOW.optimizer.args.momentum, 0.5, 'the current block is not changed');
});

test('recorded nulls and numbers replace the current values; a per-output loss is copied', () => {
  const then: TrainIR = { ...NOW, validation: null, seed: 3, earlyStopping: 8, schedule: null, regularizer: null, loss: { a: 'mse', b: 'cross_entropy' } };
  const now: TrainIR = { ...NOW, regularizer: { name: 'l2', l1: 0, l2: 0.1 }, schedule: { name: 'cosine', args: { min_lr: 0 } } };
  const got = rerun(runSettingsOf(then), now);
  assert.equal(got.validation, null);
  assert.equal(got.seed, 3);
  assert.equal(got.earlyStopping, 8);
  assert.equal(got.schedule, null);
  assert.equal(got.regularizer, null);
  assert.deepEqual(got.loss, { a: 'mse', b: 'cross_entropy' });
  assert.equal(rerun(runSettingsOf({ ...NOW, validation: 0.25 }), now).validation, 0.25);
});

test('a record without lr beside its optimizer arguments, and an older record missing fields, keep what they can', () => {
  const got = rerun({ optimizer: 'rmsprop', lr: 0.005, optimizerArgs: { rho: 0.8 } }, NOW);
  assert.deepEqual(got.optimizer, { name: 'rmsprop', args: { rho: 0.8, lr: 0.005 } });
  assert.equal(got.epochs, NOW.epochs, 'absent fields keep the block’s values');
  assert.deepEqual(got.data, NOW.data);
  assert.deepEqual(rerun(null, NOW), NOW, 'no settings at all: the block as it is');
});

test('files of an npy or idx source come back by their argument names', () => {
  const now: TrainIR = { ...NOW, data: { kind: 'npy', files: { features: '/ws/x2.npy', targets: '/ws/y2.npy' } } };
  const then: TrainIR = { ...NOW, data: { kind: 'npy', files: { features: '/ws/x.npy', targets: '/ws/y.npy' } } };
  assert.deepEqual(rerun(runSettingsOf(then), now).data, { kind: 'npy', files: { features: '/ws/x.npy', targets: '/ws/y.npy' } });
});

test('settings the block cannot take now are problems, said plainly', () => {
  const problem = (s: Partial<RunSettings>, current = NOW) => {
    const out = settingsToTrainOverrides(s, current);
    assert.ok('problem' in out, `expected a problem for ${JSON.stringify(s)}`);
    return out.problem;
  };
  assert.match(problem({ validation: '/ws/val.csv' }), /validated on \/ws\/val\.csv, which the train block no longer names/);
  assert.match(problem({ data: '/ws/x.npy, /ws/y.npy' }, { ...NOW, data: { kind: 'idx', files: { images: '/a' } } }), /idx source now names 1 file/);
  assert.match(problem({ data: '/ws/iris.csv' }, { ...NOW, data: null }), /names no data/);
  assert.match(problem({ schedule: 'step every 10' }), /schedule step every 10 cannot be read back/);
  assert.match(problem({ regularizer: 'l2(x=1)' }), /regularizer l2\(x=1\) cannot be read back/);
});

test('schedule and regularizer text reads back as runSettingsOf writes it', () => {
  assert.deepEqual(parseCall('exponential(rate=0.9, min_lr=0.0001)'), { name: 'exponential', args: { rate: 0.9, min_lr: 0.0001 } });
  assert.deepEqual(parseCall('constant()'), { name: 'constant', args: {} });
  assert.equal(parseCall('step(every=ten)'), null);
});

test('the Train command’s argument carries a Re-run request; the new record says which run it re-ran', () => {
  const settings = runSettingsOf(THEN);
  const args = parseTrainArgs({ uri: 'file:///ws/iris.netspec', model: 'Iris', rerun: { id: '20261205-101010-abc', name: 'baseline', settings } });
  assert.deepEqual(args.rerun, { id: '20261205-101010-abc', name: 'baseline', settings });
  assert.equal(parseTrainArgs({ uri: 'file:///ws/iris.netspec', rerun: { id: 'x' } }).rerun, undefined, 'no settings: not a re-run');
  assert.equal(parseRerun({ id: 'x', settings: {} })?.name, 'x', 'a nameless run is called by its id');
  const date = new Date('2026-12-05T10:00:00Z');
  assert.equal(newRunRecord({ id: 'b', model: 'Iris', source: '/ws/iris.netspec', tool: 'editor', train: THEN, date, rerunOf: 'a' }).rerunOf, 'a');
  assert.ok(!('rerunOf' in newRunRecord({ id: 'b', model: 'Iris', source: '/ws/iris.netspec', tool: 'editor', train: THEN, date })), 'absent for a plain run');
});
