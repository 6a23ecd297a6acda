// The server's `netspec/modelIR` answer as the Train command reads it: the chosen model's IR,
// its lowered train block with data paths resolved against the model file, and the names of
// the models that have a train block.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { modelIR } from '../../../server/src/ide/summary';
import { checkText } from '../../../server/src/sema/check';
import { dataEntries } from '../../../client/src/data_files';
import { refusal } from '../../../client/src/train_plan';

const IRIS = resolve(__dirname, '..', '..', '..', 'examples', 'iris', 'iris.netspec');

test('the iris example answers with its IR, its train block and an absolute csv path', () => {
  const answer = modelIR(checkText(readFileSync(IRIS, 'utf8'), { path: IRIS }), undefined, IRIS);
  assert.ok(answer.ir, 'the example has no errors');
  assert.equal(answer.ir.name, 'Iris');
  assert.deepEqual(answer.trained, ['Iris']);
  assert.equal(answer.train?.epochs, 60);
  assert.equal(answer.train?.data?.path, join(resolve(IRIS, '..'), 'iris.csv'));
  assert.equal(refusal('Iris', answer), null);
  assert.deepEqual(dataEntries(answer.train!), [{ path: join(resolve(IRIS, '..'), 'iris.csv'), kind: 'file' }]);
});

test('two trained models are both named; a model with an error has no IR and is refused', () => {
  const text = [
    'model A {\n  input x: [4]\n  Dense(2)\n}',
    'model B {\n  input x: [4]\n  Conv2D(2, 3)\n}',
    'train A {\n  data = csv("a.csv", target="y")\n}',
    'train B {\n  data = csv("b.csv", target="y")\n}',
  ].join('\n');
  const checked = checkText(text, { path: '/nowhere/m.netspec' });
  const a = modelIR(checked, undefined, '/nowhere/m.netspec');
  assert.deepEqual(a.trained, ['A', 'B']);
  const b = modelIR(checked, 'B', '/nowhere/m.netspec');
  assert.equal(b.ir, null);
  assert.equal(b.train?.data?.path, '/nowhere/b.csv');
  assert.match(refusal('B', b) ?? '', /has errors/);
});
