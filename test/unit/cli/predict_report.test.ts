// `netspec predict --report`'s object from predictions worked out by hand: a classifier
// with string labels (predicted and actual class, accuracy, confusion matrix) beside a
// regression output (mse and mae, names prefixed by output), the row limit, and a file
// without targets (no metrics, no classes, no `actual`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelIR } from '../../../engine/catalog/ir';
import { predictionReport, REPORT_ROWS } from '../../../cli/src/predict_report';

const ir = { name: 'Two', inputs: [], nodes: [], outputs: [{ name: 'kind' }, { name: 'size' }] } as unknown as ModelIR;
const f = (xs: number[][]) => xs.map((r) => Float32Array.from(r));
const outputs = {
  kind: { sampleShape: [2], rows: f([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]]) },
  size: { sampleShape: [1], rows: f([[1], [2], [3], [4]]) },
};
const base = { model: 'Two', data: 'd.csv', ir, outputs, count: 4, classifiers: new Set(['kind']), labels: { kind: ['cat', 'dog'], size: null } };

test('a labelled file: classes by label, accuracy from the confusion matrix, mse and mae of the regression', () => {
  const targets = { kind: { data: Int32Array.from([0, 1, 1, 1]), sampleShape: [] }, size: { data: Float32Array.from([1, 2, 5, 4]), sampleShape: [1] } };
  const r = predictionReport({ ...base, targets });
  assert.deepEqual(r.rows[2].outputs.kind, { values: [0.6, 0.4], class: 'cat', actual: 'dog' });
  assert.deepEqual(r.rows[2].outputs.size, { values: [3] });
  // Predicted cat, dog, cat, dog against cat, dog, dog, dog: 3 of 4 right.
  assert.deepEqual(r.classes[0].confusion, [[1, 0], [1, 2]]);
  assert.deepEqual(r.classes[0].labels, ['cat', 'dog']);
  // One error of 2 over 4 samples: mse 4/4, mae 2/4.
  assert.deepEqual(r.metrics, { kind_accuracy: 0.75, size_mse: 1, size_mae: 0.5 });
});

test('a file without targets: predictions only', () => {
  const r = predictionReport(base);
  assert.deepEqual(r.metrics, {});
  assert.deepEqual(r.classes, []);
  assert.equal(r.rows[1].outputs.kind.class, 'dog');
  assert.equal(r.rows[1].outputs.kind.actual, undefined);
});

test('only the first rows are listed; the count is the file\'s', () => {
  const many = Array.from({ length: 50 }, (_, i) => [i % 2, 1 - (i % 2)]);
  const r = predictionReport({ ...base, ir: { ...ir, outputs: [{ name: 'kind' }] } as ModelIR, outputs: { kind: { sampleShape: [2], rows: f(many) } }, count: 50 });
  assert.equal(r.count, 50);
  assert.equal(r.rows.length, REPORT_ROWS);
  assert.equal(r.rows[REPORT_ROWS - 1].index, REPORT_ROWS - 1);
});
