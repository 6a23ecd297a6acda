// Predict on a file in the panel, without a browser: when the button is offered (like
// Export: a run that ended with at least one epoch), the table's columns and cells (wrong
// predictions marked, long score lists cut), and the summary line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PredictionReport, RunSnapshot } from '../../../webview/protocol';
import { predictionSummary, predictionTable, predictRequest, shownPrediction } from '../../../webview/src/prediction';

const snapshot = (status: RunSnapshot['status'], epochs: number) => ({ runId: 'r1', model: 'Iris', sourceUri: 'file:///i.netspec', backend: null, steps: [], epochs: Array.from({ length: epochs }, () => ({})), status }) as unknown as RunSnapshot;

test('the Predict button asks for the run shown once it has weights', () => {
  assert.deepEqual(predictRequest(snapshot('finished', 3)), { type: 'request-predict', runId: 'r1' });
  assert.deepEqual(predictRequest(snapshot('stopped', 1)), { type: 'request-predict', runId: 'r1' });
  assert.equal(predictRequest(snapshot('running', 3)), null);
  assert.equal(predictRequest(snapshot('stopped', 0)), null);
  assert.equal(predictRequest(null), null);
});

const report: PredictionReport = {
  model: 'Iris',
  data: 'iris.csv',
  count: 150,
  rows: [
    { index: 0, outputs: { species: { values: [0.98, 0.0123456, 0.0077], class: 'setosa', actual: 'setosa' } } },
    { index: 1, outputs: { species: { values: [0.1, 0.3, 0.6], class: 'virginica', actual: 'versicolor' } } },
  ],
  metrics: { accuracy: 0.96667 },
  classes: [],
};

test('the table: index, predicted, actual, scores; a wrong prediction is marked', () => {
  const t = predictionTable(report);
  assert.deepEqual(t.columns, ['#', 'predicted', 'actual', 'scores']);
  assert.deepEqual(t.rows[0], { cells: ['0', 'setosa', 'setosa', '0.98, 0.0123, 0.0077'], wrong: false });
  assert.equal(t.rows[1].wrong, true);
});

test('a regression without targets: values only, cut after six; several outputs are prefixed', () => {
  const values = { values: [1, 2, 3, 4, 5, 6, 7, 8] };
  const t = predictionTable({ ...report, rows: [{ index: 0, outputs: { a: values, b: { values: [0.5] } } }], metrics: {} });
  assert.deepEqual(t.columns, ['#', 'a values', 'b values']);
  assert.deepEqual(t.rows[0].cells, ['0', '1, 2, 3, 4, 5, 6, … (8)', '0.5']);
});

test('the summary: metrics as training names them, the sample count, or why there are no metrics', () => {
  assert.equal(predictionSummary(report), 'accuracy 96.7% · 150 samples (the first 2 shown)');
  assert.equal(predictionSummary({ ...report, count: 2, metrics: { mse: 0.012345 } }), 'mse 0.01235 · 2 samples');
  assert.equal(predictionSummary({ ...report, count: 2, metrics: {} }), '2 samples · no targets in this file, so no metrics');
});

test('a prediction shows with the run it belongs to, or, from the runs list, with any run', () => {
  const done = { type: 'prediction' as const, runId: 'r1', state: 'failed' as const, message: 'x' };
  assert.equal(shownPrediction(snapshot('finished', 1), done), done);
  assert.equal(shownPrediction({ ...snapshot('running', 1), runId: 'r2' }, done), null, 'an earlier run\'s prediction is stale');
  const picked = { ...done, runId: 'rec-7', runName: 'lr 0.01' };
  assert.equal(shownPrediction({ ...snapshot('running', 1), runId: 'r2' }, picked), picked);
  assert.equal(shownPrediction(null, null), null);
});
