// Document symbols, folding ranges and code lenses.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeLenses } from '../../../server/src/ide/code_lens';
import { foldingRanges } from '../../../server/src/ide/folding';
import { documentSymbols } from '../../../server/src/ide/symbols';
import { MNIST, check } from './helpers';

test('document symbols: models with statements, train blocks with settings', () => {
  const syms = documentSymbols(check(MNIST), MNIST);
  assert.deepEqual(syms.map((s) => [s.name, s.kind]), [['Mnist', 'model'], ['train Mnist', 'train']]);
  assert.deepEqual(syms[0].children.map((s) => [s.name, s.kind, s.detail]), [
    ['image', 'input', 'input [batch, 28, 28, 1]'],
    ['conv', 'tensor', '[batch, 26, 26, 32]'],
    ['features', 'tensor', '[batch, 5408]'],
    ['hidden', 'tensor', '[batch, 64]'],
    ['Dense', 'layer', '[batch, 10]'],
  ]);
  assert.deepEqual(syms[1].children.map((s) => s.name), ['data', 'loss', 'optimizer', 'epochs']);
});

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

test('folding: declarations and repeat bodies keep their closing line; comment runs fold', () => {
  const text = '# one\n# two\n# three\nmodel M {\n  input x: [4]\n  repeat 2 {\n    Dense(4)\n  }\n}\n';
  const folds = foldingRanges(check(text), text).map((f) => [lineOf(text, f.start), lineOf(text, f.end), f.kind]);
  assert.deepEqual(folds, [
    [0, 2, 'comment'],
    [3, 7, 'region'],
    [5, 6, 'region'],
  ]);
});

test('code lenses: model size and a Train command with the model name', () => {
  const lenses = codeLenses(check(MNIST), 'file:///m.netspec');
  assert.equal(lenses.length, 2);
  assert.match(lenses[0].title, /^347,146 params · [\d.]+ [KMG] FLOPs$/);
  assert.deepEqual(lenses[1], {
    span: lenses[1].span,
    title: '▶ Train',
    command: { command: 'netspec.train', arguments: [{ uri: 'file:///m.netspec', model: 'Mnist' }] },
  });
  assert.equal(MNIST.slice(lenses[1].span.start, lenses[1].span.end), 'Mnist');
});
