// The client's side of Predict on a file, without a child: the CLI's argument list and
// how its answer reads (the report, the `error:` lines with the file they name, or an
// unexpected answer said as such).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePredictResult, predictArgv } from '../../../client/src/predict_plan';

test('the CLI is asked for a report on the run\'s model, weights and data', () => {
  assert.deepEqual(predictArgv({ cli: '/x/cli.js', modelFile: '/m/iris.netspec', model: 'Iris', weights: '/w/Iris.safetensors', data: '/d/iris.csv' }), [
    '/x/cli.js', 'predict', '/m/iris.netspec', '--model', 'Iris', '--weights', '/w/Iris.safetensors', '--data', '/d/iris.csv', '--report',
  ]);
});

test('exit 0: the report on the last line', () => {
  const report = { model: 'Iris', data: 'd.csv', count: 1, rows: [], metrics: {}, classes: [] };
  assert.deepEqual(parsePredictResult(0, `noise\n${JSON.stringify(report)}\n`, ''), { ok: true, report });
  const odd = parsePredictResult(0, '{"index": 0}\n', '');
  assert.equal(odd.ok, false);
  assert.match(!odd.ok ? odd.message : '', /unexpected/);
});

test('a failure: the error lines, keeping the file they name', () => {
  const r = parsePredictResult(2, '', 'w.safetensors: error: cannot read the weights file (ENOENT)\n');
  assert.deepEqual(r, { ok: false, message: 'w.safetensors: cannot read the weights file (ENOENT)' });
  const usage = parsePredictResult(2, '', 'netspec predict: error: the data has 3 columns\nusage: ...\n');
  assert.deepEqual(usage, { ok: false, message: 'the data has 3 columns' });
  assert.deepEqual(parsePredictResult(1, '', ''), { ok: false, message: 'exit status 1' });
});
