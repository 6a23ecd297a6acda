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

test('code lenses: a model with an error shows a lower bound and the line of the error, not a total', () => {
  const text = 'model M {\n  input x: [8]\n  Dense(4)\n  Conv2D(2, 3)\n  Dense(100)\n}\n';
  const [lens] = codeLenses(check(text), 'file:///m.netspec', text);
  assert.equal(lens.title, '≥ 36 params (incomplete: error on line 4)');
  assert.equal(codeLenses(check(text), 'file:///m.netspec')[0].title, lens.title, 'the text is rebuilt from the tokens when left out');
});

test('code lenses: an error inside a used block is placed at the call in the model', () => {
  const text = 'block B(n) {\n  input h: [n]\n  Conv2D(2, 3)\n}\nmodel M {\n  input x: [8]\n  Dense(4)\n  B(n=4)\n}\n';
  const lenses = codeLenses(check(text), 'file:///m.netspec', text);
  assert.equal(lenses.length, 1);
  assert.equal(lenses[0].title, '≥ 36 params (incomplete: error on line 8)');
});
