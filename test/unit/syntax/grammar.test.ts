// Sanity checks for the TextMate grammar and the language configuration: both are valid
// JSON, every regular expression compiles, the layer pattern names every layer of spec §4
// (and every name the catalog accepts), and the indentation rules fire where they should.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layerNames } from '../../../engine/catalog/index';

const root = process.cwd();
const grammar = JSON.parse(readFileSync(join(root, 'syntaxes', 'netspec.tmLanguage.json'), 'utf8'));
const config = JSON.parse(readFileSync(join(root, 'language-configuration.json'), 'utf8'));

/** Every layer in the table of spec §4, written out so a removal from the grammar is caught. */
const SPEC_LAYERS = [
  'Dense', 'Conv2D', 'Conv1D', 'MaxPool2D', 'AvgPool2D', 'MaxPool1D', 'AvgPool1D', 'GlobalAvgPool2D',
  'GlobalMaxPool2D', 'GlobalAvgPool1D', 'GlobalMaxPool1D', 'Flatten', 'Reshape', 'Dropout', 'BatchNorm',
  'LayerNorm', 'ReLU', 'Sigmoid', 'Tanh', 'GELU', 'SiLU', 'ELU', 'LeakyReLU', 'Softmax', 'Embedding',
  'PositionEmbedding', 'SimpleRNN', 'LSTM', 'GRU', 'MultiHeadAttention', 'SelfAttention', 'Add', 'Multiply',
  'Concat',
  'ZeroPadding2D', 'ZeroPadding1D', 'Cropping2D', 'Cropping1D', 'UpSampling2D', 'UpSampling1D',
  'RepeatVector', 'Permute',
  'Conv2DTranspose', 'Conv1DTranspose', 'DepthwiseConv2D', 'SeparableConv2D',
];

/** Collects every `match`, `begin` and `end` string in the grammar. */
function regexes(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) regexes(n, out);
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'match' || k === 'begin' || k === 'end') && typeof v === 'string') out.push(v);
      else regexes(v, out);
    }
  }
  return out;
}

test('the grammar is for source.netspec and every pattern compiles', () => {
  assert.equal(grammar.scopeName, 'source.netspec');
  const all = regexes(grammar);
  assert.ok(all.length > 15);
  for (const r of all) assert.doesNotThrow(() => new RegExp(r), r);
});

test('every include points at a repository entry', () => {
  const text = JSON.stringify(grammar);
  for (const m of text.matchAll(/"include":"#([^"]+)"/g)) {
    assert.ok(m[1] in grammar.repository, `missing repository entry ${m[1]}`);
  }
});

test('the layer pattern names every layer of spec §4 and of the catalog, and nothing longer', () => {
  const layer = new RegExp(`^(?:${grammar.repository.layer.match})$`);
  for (const name of [...SPEC_LAYERS, ...layerNames()]) assert.match(name, layer, name);
  assert.doesNotMatch('Denser', layer);
  assert.doesNotMatch('dense', layer);
  assert.equal(grammar.repository.layer.name, 'support.class.layer.netspec');
});

test('keywords, numbers, strings and comments are recognised', () => {
  const r = grammar.repository;
  const keywordText = JSON.stringify(r.keyword);
  for (const kw of ['model', 'block', 'train', 'input', 'output', 'repeat', 'int', 'float', 'true', 'false']) {
    assert.ok(keywordText.includes(kw), kw);
  }
  const number = new RegExp(`^(?:${r.number.match})$`);
  for (const n of ['12', '0.5', '.5', '1e-3', '3.0e2']) assert.match(n, number, n);
  assert.match('# note', new RegExp(r.comment.match));
  assert.equal(r.string.begin, '"');
  assert.match('\\"', new RegExp(r.string.patterns[0].match));
  assert.match('->', new RegExp(r.operator.patterns[0].match));
  const decl = new RegExp(r.declaration.patterns[0].match);
  assert.equal('model Mnist {'.match(decl)?.[2], 'Mnist');
  const activations = new RegExp(`^(?:${r.constant.match})$`);
  for (const a of ['relu', 'softmax', 'leaky_relu', 'same', 'valid', 'nearest', 'bilinear', 'cross_entropy']) assert.match(a, activations, a);
});

test('the language configuration: comments, brackets, pairs and indentation', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const opens = config.autoClosingPairs.map((p: { open: string }) => p.open);
  for (const o of ['{', '[', '(', '"']) assert.ok(opens.includes(o), o);
  const surround = config.surroundingPairs.map((p: string[]) => p[0]);
  for (const o of ['{', '[', '(', '"']) assert.ok(surround.includes(o), o);
  const inc = new RegExp(config.indentationRules.increaseIndentPattern);
  const dec = new RegExp(config.indentationRules.decreaseIndentPattern);
  assert.match('model Mnist {', inc);
  assert.match('  repeat 2 {  # body', inc);
  assert.match('  data = csv(', inc);
  assert.doesNotMatch('  Dense(3)', inc);
  assert.doesNotMatch('  # a comment {', inc);
  assert.match('  }', dec);
  assert.doesNotMatch('  Dense(3)', dec);
});
