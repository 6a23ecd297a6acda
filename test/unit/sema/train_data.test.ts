// Train blocks and data checks: settings and their values, data files written to a temp
// folder (feature count, target column, class count, missing files), the probe's cache by
// modification time, and lowerTrain's plain-JSON settings with paths resolved.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../../server/src/sema/check';
import { NodeDataProbe, type DataProbe } from '../../../server/src/sema/train/data_probe';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import { parse } from '../../../server/src/syntax/parser';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const dir = mkdtempSync(join(tmpdir(), 'netspec-sema-'));
const file = join(dir, 'model.netspec');
writeFileSync(join(dir, 'flowers.csv'), 'a,b,c,d,kind\n1,2,3,4,rose\n1,2,3,4,tulip\n"1",2,3,4,"daisy"\n');
writeFileSync(join(dir, 'numbers.csv'), 'a,b,y\n1,2,0\n3,4,1\n5,6,7\n');

function model(inputs: number, units: number, activation = 'softmax'): string {
  return `model M {\n  input x: [${inputs}]\n  Dense(${units}, activation=${activation})\n}\n`;
}

function check(src: string, probe?: DataProbe) {
  return checkText(src, { path: file, data: probe });
}

test('a data set that fits the model gives no diagnostics', () => {
  const r = check(model(4, 3) + 'train M {\n  data = csv("flowers.csv", target="kind")\n  loss = cross_entropy\n  epochs = 2\n}\n');
  assert.deepEqual(r.diagnostics, []);
});

test('feature count, class count and missing columns are data-mismatch errors on the data setting', () => {
  const src = model(5, 2) + 'train M {\n  data = csv("flowers.csv", target="kind")\n  loss = cross_entropy\n}\n';
  const r = check(src);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['data-mismatch', 'data-mismatch']);
  assert.match(r.diagnostics[0].message, /4 feature columns .* takes 5 values/);
  assert.match(r.diagnostics[1].message, /"kind" has 3 classes, but the output `output` \[batch, 2\] has 2 units/);
  assert.equal(src.slice(r.diagnostics[1].span.start, r.diagnostics[1].span.end), '"kind"');
  const missing = check(model(4, 3) + 'train M {\n  data = csv("flowers.csv", target="species")\n  loss = cross_entropy\n}\n');
  assert.deepEqual(missing.diagnostics.map((d) => d.code), ['data-mismatch']);
  assert.match(missing.diagnostics[0].message, /no column "species"/);
});

test('an integer target is a class index, so its distinct count is not compared with the units', () => {
  const r = check(model(2, 8) + 'train M {\n  data = csv("numbers.csv", target="y")\n  loss = cross_entropy\n}\n');
  assert.deepEqual(r.diagnostics, []);
});

test('a missing data file is a data-error warning', () => {
  const r = check(model(4, 3) + 'train M {\n  data = csv("nope.csv", target="kind")\n}\n');
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity]), [['data-error', 'warning']]);
});

test('settings are checked by name and value', () => {
  const src =
    model(4, 3) +
    'train M {\n  lr = 0.1\n  epochs = 0\n  batch_size = 2.5\n  validation = 1\n  optimizer = adam(lr=-1)\n  loss = crossentropy\n  metrics = [accuracy, auc]\n  seed = -1\n  early_stopping = 3\n  regularizer = l2()\n}\n';
  const r = check(src);
  const shown = r.diagnostics.map((d) => `${d.code} ${src.slice(d.span.start, d.span.end)}`);
  assert.deepEqual(shown, [
    'unknown-argument lr',
    'bad-argument 0',
    'bad-argument 2.5',
    'bad-argument 1',
    'bad-argument -1',
    'bad-argument crossentropy',
    'bad-argument auc',
    'bad-argument -1',
    'missing-argument l2()',
  ]);
  assert.deepEqual(r.diagnostics[5].fix, { kind: 'replace-name', replacement: 'cross_entropy' });
});

test('a custom probe is used instead of the file system', () => {
  const probe: DataProbe = {
    probe: (p) => ({ ok: true, format: 'csv', columns: p.endsWith('x.csv') ? ['f1', 'f2', 'label'] : [], column: () => ({ distinct: 2, numeric: false }) }),
  };
  const r = check(model(2, 2) + 'train M {\n  data = csv("x.csv", target="label")\n  loss = cross_entropy\n}\n', probe);
  assert.deepEqual(r.diagnostics, []);
});

test('the default probe caches by modification time', () => {
  const p = join(dir, 'cache.csv');
  writeFileSync(p, 'a,b\n1,2\n');
  const probe = new NodeDataProbe();
  const first = probe.probe(p);
  assert.ok(first.ok && first.columns.length === 2);
  assert.equal(probe.probe(p), first, 'an unchanged file is served from the cache');
  writeFileSync(p, 'a,b,c\n1,2,3\n');
  utimesSync(p, new Date(), new Date(Date.now() + 5000));
  const second = probe.probe(p);
  assert.ok(second.ok && second.columns.length === 3);
});

test('lowerTrain gives the settings as JSON with defaults and resolved paths', () => {
  const src =
    model(4, 3) +
    'train M {\n  data = csv("flowers.csv", target="kind", features=["a", "b", "c", "d"])\n  validation = 0.25\n  loss = cross_entropy\n  optimizer = sgd(lr=0.1, momentum=0.9)\n  regularizer = l1_l2(l1=0.01)\n  epochs = 7\n  metrics = [accuracy, f1]\n  seed = 42\n  early_stopping = 2\n}\n';
  const decl = parse(src).file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  const ir = lowerTrain(decl, { path: file });
  assert.deepEqual(ir, {
    model: 'M',
    data: { kind: 'csv', path: join(dir, 'flowers.csv'), target: 'kind', features: ['a', 'b', 'c', 'd'] },
    validation: 0.25,
    loss: 'cross_entropy',
    lossWeights: null,
    optimizer: { name: 'sgd', args: { lr: 0.1, momentum: 0.9, nesterov: false } },
    regularizer: { name: 'l1_l2', l1: 0.01, l2: 0 },
    epochs: 7,
    batchSize: 32,
    metrics: ['accuracy', 'f1'],
    seed: 42,
    earlyStopping: 2,
  });
});

test('multi-output losses and loss weights lower to dicts', () => {
  const src = `model M {
  input x: [4]
  output a = x -> Dense(1)
  output b = x -> Dense(3)
}
train M {
  data = npy(features="x.npy", targets="y.npy")
  loss = {a: mse, b: cross_entropy}
  loss_weights = {a: 1, b: 0.5}
}
`;
  const decl = parse(src).file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  const ir = lowerTrain(decl, { path: file });
  assert.deepEqual(ir.loss, { a: 'mse', b: 'cross_entropy' });
  assert.deepEqual(ir.lossWeights, { a: 1, b: 0.5 });
  assert.deepEqual(ir.data, { kind: 'npy', files: { features: join(dir, 'x.npy'), targets: join(dir, 'y.npy') } });
  const r = check(src);
  assert.deepEqual(r.diagnostics.map((d) => d.code), ['data-error', 'data-error']);
});
