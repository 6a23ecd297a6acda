// Text as word ids (engine/src/data/text.ts): the split into words, the vocabulary's order
// and size, padding, unknown words and truncation; then a csv source with text= read into
// a Dataset whose validation data uses the training vocabulary.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildVocabulary, checkTextInput, PAD_ID, tokenize, UNKNOWN_ID, WordIds } from '../../../engine/src/data/text';
import { loadTrainingData } from '../../../engine/src/data/load';
import { splitValidation } from '../../../engine/src/data/dataset';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

test('words are lowercased runs of letters and digits; punctuation and white space only separate them', () => {
  assert.deepEqual(tokenize('Hello, WORLD!  Win $1000 now...'), ['hello', 'world', 'win', '1000', 'now']);
  assert.deepEqual(tokenize("Don't e-mail me"), ['don', 't', 'e', 'mail', 'me']);
  assert.deepEqual(tokenize('Café AU lait\tnaïve'), ['café', 'au', 'lait', 'naïve']);
  assert.deepEqual(tokenize(' ,.;!? '), []);
});

test('the vocabulary is most frequent first, ties in code-point order, cut to vocab - 2 words', () => {
  const texts = ['b a c', 'a b', 'a d', 'c'];
  // a: 3; b: 2; c: 2; d: 1 — b before c by code point.
  assert.deepEqual(buildVocabulary(texts, 100), ['a', 'b', 'c', 'd']);
  assert.deepEqual(buildVocabulary(texts, 4), ['a', 'b'], 'ids 0 and 1 are padding and unknown, so vocab=4 keeps two words');
  assert.deepEqual(buildVocabulary(['The the THE cat'], 10), ['the', 'cat'], 'counted after lowercasing');
});

test('a text becomes its first `length` ids, unknown words 1, padded with 0 at the end', () => {
  const ids = new WordIds(['free', 'money', 'now'], 4);
  assert.deepEqual([...ids.encode(['Free money!'])], [2, 3, PAD_ID, PAD_ID]);
  assert.deepEqual([...ids.encode(['free lunch now'])], [2, UNKNOWN_ID, 4, PAD_ID]);
  assert.deepEqual([...ids.encode(['now now money free free'])], [4, 4, 3, 2], 'cut to length, keeping the start');
  assert.deepEqual([...ids.encode(['', 'money'])], [0, 0, 0, 0, 3, 0, 0, 0]);
});

test('a text column needs one input [length] int', () => {
  const text = { column: 'message', vocab: 100, length: 8 };
  assert.ok(checkTextInput([{ name: 'ids', shape: [8], dtype: 'int32' }], text, 'f.csv').ok);
  const float = checkTextInput([{ name: 'ids', shape: [8], dtype: 'float32' }], text, 'f.csv');
  assert.ok(!float.ok && float.error.code === 'data-mismatch');
  assert.match(float.error.message, /text="message" gives 8 word ids per sample \(length=8\), so the model needs one input \[8\] int, but input ids is \[batch, 8\]/);
  const long = checkTextInput([{ name: 'ids', shape: [10], dtype: 'int32' }], text, 'f.csv');
  assert.ok(!long.ok);
  assert.match(long.error.message, /but input ids is \[batch, 10\] int; declare `input ids: \[8\] int`/);
});

test('a csv text source trains on ids from its own vocabulary, and validation data is read with it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-text-'));
  writeFileSync(join(dir, 'train.csv'), 'message,label\n"Win money, win!",spam\nlunch at noon,ham\n"win a prize",spam\n');
  writeFileSync(join(dir, 'valid.csv'), 'label,message\nham,noon prize party\nspam,WIN\n');
  const file = join(dir, 'm.netspec');
  const src = 'model M {\n  input ids: [3] int\n  Embedding(10, 4)\n  GlobalAvgPool1D()\n  Dense(2, activation=softmax)\n}\ntrain M {\n  data = csv("train.csv", target="label", text="message", vocab=10, length=3)\n  validation = csv("valid.csv", target="label", text="message", vocab=10, length=3)\n  loss = cross_entropy\n}\n';
  const checked = checkText(src, { path: file });
  assert.deepEqual(checked.diagnostics, []);
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train');
  assert.ok(decl && checked.models[0].ir);
  const config = lowerTrain(decl, { path: file });
  assert.deepEqual(config.data?.text, { column: 'message', vocab: 10, length: 3 });
  const r = await loadTrainingData(config, checked.models[0].ir, nodeFiles);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  const { train, validation } = r.value;
  // win: 3, then a, at, lunch, money, noon, prize (1 each, in code-point order).
  assert.deepEqual(train.vocab, ['win', 'a', 'at', 'lunch', 'money', 'noon', 'prize']);
  assert.deepEqual([...train.inputs.ids.data], [2, 6, 2, 5, 4, 7, 2, 3, 8]);
  assert.deepEqual(train.inputs.ids.sampleShape, [3]);
  assert.ok(train.inputs.ids.data instanceof Int32Array);
  assert.deepEqual([...train.targets.output.data], [1, 0, 1]);
  assert.deepEqual([...validation!.inputs.ids.data], [7, 8, UNKNOWN_ID, 2, PAD_ID, PAD_ID], '"party" is not in the training vocabulary');
});

test('a validation fraction keeps the vocabulary on both sides (train saves it from the training side)', () => {
  const data = { count: 4, inputs: { ids: { data: new Int32Array([2, 3, 4, 5]), sampleShape: [1] } }, targets: {}, labels: {}, vocab: ['a', 'b', 'c', 'd'] };
  const split = splitValidation(data, 0.5, 1);
  assert.ok(split);
  assert.deepEqual(split.train.vocab, data.vocab);
  assert.deepEqual(split.validation.vocab, data.vocab);
});

test('a json source reads a text key the same way; a missing or numeric value is text too', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-text-json-'));
  writeFileSync(join(dir, 'd.json'), JSON.stringify([{ body: 'Good day', y: 'a' }, { body: 42, y: 'b' }, { y: 'a' }, { body: null, y: 'b' }]));
  const file = join(dir, 'm.netspec');
  const src = 'model M {\n  input ids: [2] int\n  Embedding(10, 2)\n  GlobalAvgPool1D()\n  Dense(2, activation=softmax)\n}\ntrain M {\n  data = json("d.json", target="y", text="body", vocab=10, length=2)\n  loss = cross_entropy\n}\n';
  const checked = checkText(src, { path: file });
  assert.deepEqual(checked.diagnostics, []);
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train');
  assert.ok(decl && checked.models[0].ir);
  const r = await loadTrainingData(lowerTrain(decl, { path: file }), checked.models[0].ir, nodeFiles);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  // 42, day, good: one each, in code-point order.
  assert.deepEqual(r.value.train.vocab, ['42', 'day', 'good']);
  assert.deepEqual([...r.value.train.inputs.ids.data], [4, 3, 2, 0, 0, 0, 0, 0]);
});

test('training refuses an Embedding on the text input smaller than vocab= (its ids would look up zeros)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netspec-text-table-'));
  writeFileSync(join(dir, 'd.csv'), 'm,y\nhello there,a\ngood day,b\n');
  const file = join(dir, 'm.netspec');
  const src = 'model M {\n  input ids: [4] int\n  Embedding(8, 2)\n  GlobalAvgPool1D()\n  Dense(2, activation=softmax)\n}\ntrain M {\n  data = csv("d.csv", target="y", text="m", vocab=10, length=4)\n  loss = cross_entropy\n}\n';
  const checked = checkText(src, { path: file });
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train');
  assert.ok(decl && checked.models[0].ir);
  const r = await loadTrainingData(lowerTrain(decl, { path: file }), checked.models[0].ir, nodeFiles);
  assert.ok(!r.ok);
  assert.equal(r.error.code, 'data-mismatch');
  assert.equal(r.error.message, 'text="m" gives ids up to 9 (vocab=10), but the Embedding on line 3 takes ids 0 to 7; make it Embedding(10, ...) or give vocab=8');
  assert.deepEqual(checked.diagnostics.map((d) => d.message), [r.error.message], 'the editor says the same');
});
