// Predict on a file, the real path (dist/cli.js, built by `npm run build`): iris is trained
// once with `netspec train`, then the client's runPredictCli (what the panel's Predict
// button runs) predicts with those weights on the labelled CSV — rows with their predicted
// and actual species, accuracy equal to the confusion matrix's diagonal — and on the same
// features without the species column (predictions, no metrics), and reports a missing
// weights file and a cancellation as such.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { runPredictCli, type PredictRequest } from '../../client/src/predict_plan';

const CLI = resolve('dist/cli.js');
let dir: string;
let request: PredictRequest;
const options = () => ({ execPath: process.execPath, env: process.env, cwd: dir });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-predict-report-'));
  cpSync(resolve('examples/iris'), dir, { recursive: true });
  const weights = join(dir, 'iris.safetensors');
  const r = spawnSync(process.execPath, [CLI, 'train', join(dir, 'iris.netspec'), '--epochs', '30', '--backend', 'wasm', '--out', weights], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  request = { cli: CLI, modelFile: join(dir, 'iris.netspec'), model: 'Iris', weights, data: join(dir, 'iris.csv') };
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a labelled file: the first rows with predicted and actual class, accuracy and the confusion matrix', async () => {
  const r = await runPredictCli(request, options());
  assert.ok(r.ok, r.ok ? '' : r.message);
  const report = r.report;
  assert.equal(report.model, 'Iris');
  assert.equal(report.count, 150);
  assert.equal(report.rows.length, 20);
  const first = report.rows[0].outputs.output;
  assert.equal(first.actual, 'setosa', 'the first row of iris.csv is a setosa');
  assert.equal(first.values.length, 3);
  assert.ok(['setosa', 'versicolor', 'virginica'].includes(first.class!));
  assert.equal(report.classes.length, 1);
  const c = report.classes[0];
  assert.deepEqual(c.labels, ['setosa', 'versicolor', 'virginica']);
  const total = c.confusion.flat().reduce((a, b) => a + b, 0);
  assert.equal(total, 150);
  const diagonal = c.confusion.reduce((a, row, i) => a + row[i], 0);
  assert.equal(report.metrics.accuracy, Number((diagonal / 150).toPrecision(5)));
  assert.ok(report.metrics.accuracy > 0.5, `accuracy ${report.metrics.accuracy} after 30 epochs`);
  console.log(`[predict --report] iris accuracy ${report.metrics.accuracy}, confusion ${JSON.stringify(c.confusion)}`);
});

test('a file without the targets: predictions, no metrics, no confusion matrix', async () => {
  const features = readFileSync(join(dir, 'iris.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, 4).join(','));
  writeFileSync(join(dir, 'features.csv'), features.join('\n') + '\n');
  const r = await runPredictCli({ ...request, data: join(dir, 'features.csv') }, options());
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.equal(r.report.count, 150);
  assert.deepEqual(r.report.metrics, {});
  assert.deepEqual(r.report.classes, []);
  assert.equal(r.report.rows[0].outputs.output.actual, undefined);
  assert.ok(r.report.rows[0].outputs.output.class);
});

test('a missing weights file is the CLI\'s error; an aborted request is a cancellation', async () => {
  const r = await runPredictCli({ ...request, weights: join(dir, 'nothing.safetensors') }, options());
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.message, /nothing\.safetensors/);
  const abort = new AbortController();
  const pending = runPredictCli(request, { ...options(), signal: abort.signal });
  abort.abort();
  const c = await pending;
  assert.equal(c.ok, false);
  assert.equal(!c.ok && c.cancelled, true);
});
