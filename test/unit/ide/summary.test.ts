// The spec §7 models JSON and the netspec/modelIR answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelIR, modelsJson } from '../../../server/src/ide/summary';
import { check } from './helpers';

const TEXT = 'model A {\n  input x: [4]\n  Dense(3, activation=softmax)\n}\nmodel B {\n  input s: [seq, 8]\n  GlobalAvgPool1D()\n}\ntrain A {\n  epochs = 1\n}\n';

test('models JSON: shapes lead with "batch", symbolic sizes are strings, lines are 0-based', () => {
  const models = modelsJson(check(TEXT));
  assert.deepEqual(models[0], {
    name: 'A',
    params: 15,
    trainableParams: 15,
    inputs: [{ name: 'x', shape: ['batch', 4] }],
    outputs: [{ name: 'output', shape: ['batch', 3] }],
    layers: [{ line: 2, op: 'Dense', outputShape: ['batch', 3], params: 15 }],
  });
  assert.deepEqual(models[1].inputs, [{ name: 's', shape: ['batch', 'seq', 8] }]);
  assert.deepEqual(models[1].outputs, [{ name: 'output', shape: ['batch', 8] }]);
});

test('modelIR: the named model, else the trained one; spans are left out', () => {
  const c = check(TEXT);
  const r = modelIR(c);
  assert.equal(r.ir?.name, 'A');
  assert.equal(r.models.length, 2);
  assert.ok(!('span' in r.models[0]) && !('nameSpan' in r.models[0]));
  assert.equal(modelIR(c, 'A').ir?.name, 'A');
  assert.equal(modelIR(c, 'Nope').ir, null);
  assert.equal(r.ir?.nodes[0].op, 'Dense');
});
