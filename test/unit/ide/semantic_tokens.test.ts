// Semantic tokens: each token's type from the symbol table or its neighbours.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEMANTIC_TOKEN_TYPES, semanticTokens } from '../../../server/src/ide/semantic_tokens';
import { check } from './helpers';

test('tokens are typed as keyword, function, class, variable, parameter, number, string, comment, enumMember, property', () => {
  const text = [
    '# a block',
    'block B(n) {',
    '  input x: [n]',
    '  output y = x -> Dense(n, activation=relu)',
    '}',
    'model M {',
    '  input a: [4]',
    '  h = a -> B(8) -> Conv1D(2, 1, padding=same)',
    '}',
    'train M {',
    '  data = csv("d.csv", target="t")',
    '}',
    '',
  ].join('\n');
  const got = semanticTokens(check(text)).map((t) => [text.slice(t.start, t.start + t.length), SEMANTIC_TOKEN_TYPES[t.type]]);
  const want: [string, string][] = [
    ['# a block', 'comment'],
    ['block', 'keyword'],
    ['B', 'class'],
    ['n', 'parameter'],
    ['input', 'keyword'],
    ['x', 'variable'],
    ['n', 'parameter'],
    ['output', 'keyword'],
    ['y', 'variable'],
    ['x', 'variable'],
    ['Dense', 'function'],
    ['n', 'parameter'],
    ['activation', 'property'],
    ['relu', 'enumMember'],
    ['model', 'keyword'],
    ['M', 'class'],
    ['input', 'keyword'],
    ['a', 'variable'],
    ['4', 'number'],
    ['h', 'variable'],
    ['a', 'variable'],
    ['B', 'class'],
    ['8', 'number'],
    ['Conv1D', 'function'],
    ['2', 'number'],
    ['1', 'number'],
    ['padding', 'property'],
    ['same', 'enumMember'],
    ['train', 'keyword'],
    ['M', 'class'],
    ['data', 'property'],
    ['csv', 'function'],
    ['"d.csv"', 'string'],
    ['target', 'property'],
    ['"t"', 'string'],
  ];
  assert.deepEqual(got, want);
});

test("UpSampling2D's interpolation values are enum members", () => {
  const text = 'model M {\n  input a: [4, 4, 1]\n  UpSampling2D(2, interpolation=bilinear)\n}\n';
  const got = semanticTokens(check(text)).map((t) => [text.slice(t.start, t.start + t.length), SEMANTIC_TOKEN_TYPES[t.type]]);
  assert.deepEqual(got.slice(-2), [['interpolation', 'property'], ['bilinear', 'enumMember']]);
});
