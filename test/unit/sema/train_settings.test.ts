// The train settings added to spec §5: `schedule = NAME(...)` lowers to TrainIR.schedule
// with the catalog's defaults filled in, and `metrics` lowers to a list or to a dict by
// output; the checker accepts well-formed ones without a diagnostic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import { parse } from '../../../server/src/syntax/parser';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const MULTI = `model M {
  input x: [7]
  trunk = x -> Dense(8, activation=relu)
  output species = trunk -> Dense(3, activation=softmax)
  output mass = trunk -> Dense(1)
}
`;

function lower(src: string) {
  const decl = parse(src).file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return lowerTrain(decl, { path: '/tmp/m.netspec' });
}

test('schedule lowers with its defaults; without one there is no schedule', () => {
  const train = (setting: string) => lower(`${MULTI}train M {\n  loss = {species: cross_entropy, mass: mse}\n  ${setting}\n}\n`);
  assert.deepEqual(train('schedule = cosine(decay_steps=1000)').schedule, { name: 'cosine', args: { decay_steps: 1000, alpha: 0 } });
  assert.deepEqual(train('schedule = exponential(0.96, 100)').schedule, { name: 'exponential', args: { decay_rate: 0.96, decay_steps: 100 } });
  assert.deepEqual(train('schedule = reduce_on_plateau(factor=0.5, patience=3)').schedule, {
    name: 'reduce_on_plateau',
    args: { factor: 0.5, patience: 3, min_delta: 1e-4, min_lr: 0 },
  });
  assert.deepEqual(train('schedule = step(every=2, factor=0.5)').schedule, { name: 'step', args: { every: 2, factor: 0.5 } });
  assert.deepEqual(train('schedule = constant').schedule, { name: 'constant', args: {} });
  assert.equal(train('epochs = 3').schedule, undefined);
});

test('metrics lower to a list, or to a dict by output', () => {
  const list = lower(`${MULTI}train M {\n  metrics = [accuracy, mae]\n}\n`);
  assert.deepEqual(list.metrics, ['accuracy', 'mae']);
  const dict = lower(`${MULTI}train M {\n  metrics = {species: [accuracy, f1], mass: mae}\n}\n`);
  assert.deepEqual(dict.metrics, { species: ['accuracy', 'f1'], mass: ['mae'] });
});

test('well-formed schedules and metric dicts check without diagnostics', () => {
  const src = `${MULTI}train M {
  loss = {species: cross_entropy, mass: mse}
  optimizer = sgd(lr=0.1)
  schedule = step(every=5, factor=0.5)
  metrics = {species: [accuracy, precision, recall, f1], mass: [mae, mse]}
}
`;
  assert.deepEqual(checkText(src, { path: '/tmp/m.netspec' }).diagnostics, []);
  // A list on a model with a class output reaches it, so accuracy is no warning either.
  const list = src.replace(/metrics = .*/, 'metrics = [accuracy, mae]');
  assert.deepEqual(checkText(list, { path: '/tmp/m.netspec' }).diagnostics, []);
});

test('a classification metric in a list for a regression-only model is a warning, not an error', () => {
  const src = 'model R {\n  input x: [3]\n  Dense(1)\n}\ntrain R {\n  loss = mae\n  metrics = [f1, mse]\n}\n';
  const d = checkText(src, { path: '/tmp/r.netspec' }).diagnostics;
  assert.deepEqual(d.map((x) => [x.code, x.severity, src.slice(x.span.start, x.span.end)]), [['bad-argument', 'warning', 'f1']]);
  assert.match(d[0].message, /class outputs only.*trained with mae/);
});

test('hover and completion know the schedules and their arguments', async () => {
  const { namedArgs, settingValues, trainFunction, SETTINGS } = await import('../../../engine/catalog/train/index');
  assert.ok(SETTINGS.some((s) => s.name === 'schedule'));
  assert.deepEqual(settingValues('schedule').entries.map((e) => e.name), ['constant', 'exponential', 'cosine', 'step', 'reduce_on_plateau']);
  assert.deepEqual(namedArgs(trainFunction('reduce_on_plateau')!), ['factor', 'patience', 'min_delta', 'min_lr']);
  assert.match(trainFunction('cosine')!.doc, /CosineDecay/);
});
