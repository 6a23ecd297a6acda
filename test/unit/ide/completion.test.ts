// Completion: layers and blocks after `->` and at a statement start (with keywords),
// argument names not yet given, enum values after `activation=` / `padding=`, tensors at a
// SOURCE position, and settings with their values inside a train block.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../../server/src/ide/completion';
import { check, cursors } from './helpers';

function labelsAt(marked: string): string[] {
  const { text, at } = cursors(marked);
  return complete(check(text), text, at[0]).map((c) => c.label);
}

function itemAt(marked: string, label: string) {
  const { text, at } = cursors(marked);
  return complete(check(text), text, at[0]).find((c) => c.label === label);
}

test('argument names inside a call leave out those already given', () => {
  const l = labelsAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(32, 3, |)\n}\n');
  assert.deepEqual(l, ['stride', 'padding', 'activation', 'bias']);
  const k = labelsAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(32, |, padding=same)\n}\n');
  assert.deepEqual(k, ['kernel', 'stride', 'activation', 'bias']);
});

test('enum values follow activation= and padding=', () => {
  const act = labelsAt('model M {\n  input x: [4]\n  Dense(10, activation=|)\n}\n');
  assert.deepEqual(act, ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'silu', 'elu', 'leaky_relu']);
  const pad = labelsAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(8, 3, padding=sa|)\n}\n');
  assert.deepEqual(pad, ['valid', 'same']);
});

test('layer names with snippets of their required arguments after ->', () => {
  const marked = 'model M {\n  input x: [4]\n  h = x -> |\n}\n';
  const dense = itemAt(marked, 'Dense')!;
  assert.equal(dense.insertText, 'Dense(${1:units})');
  assert.equal(dense.snippet, true);
  assert.match(dense.documentation!, /\[\.\.\., F\]|units/);
  const conv = itemAt(marked, 'Conv2D')!;
  assert.equal(conv.insertText, 'Conv2D(${1:filters}, ${2:kernel})');
  assert.equal(itemAt(marked, 'Flatten')!.insertText, 'Flatten()');
  assert.ok(itemAt(marked, 'SelfAttention'), 'aliases are offered');
  assert.equal(itemAt(marked, 'input'), undefined, 'no keywords mid-chain');
});

test('a statement start offers keywords, layers, blocks and the tensors a chain may start from', () => {
  const l = labelsAt('block B(n) {\n  input x: [n]\n  output y = x -> Dense(n)\n}\nmodel M {\n  input x: [4]\n  |\n}\n');
  for (const want of ['input', 'output', 'repeat', 'Dense', 'B', 'x']) assert.ok(l.includes(want), want);
  const b = itemAt('block B(n, m=2) {\n  input x: [n]\n  output y = x -> Dense(n)\n}\nmodel M {\n  input x: [4]\n  |\n}\n', 'B')!;
  assert.equal(b.insertText, 'B(${1:n})');
  assert.equal(b.kind, 'block');
});

test('a SOURCE position offers the tensors defined before it, then layers on the current tensor', () => {
  const marked = 'model M {\n  input x: [4]\n  a = x -> Dense(4)\n  b = |\n  c = x -> Dense(2)\n}\nmodel N {\n  input z: [2]\n}\n';
  const l = labelsAt(marked);
  assert.deepEqual(l.slice(0, 2).sort(), ['a', 'x'], 'tensors come first');
  assert.ok(!l.includes('c') && !l.includes('z'), 'only tensors defined before, in this model');
  // `b = Flatten()` applies Flatten to the current tensor a ([batch, 4]); the item says so.
  const flatten = itemAt(marked, 'Flatten')!;
  assert.equal(flatten.kind, 'layer');
  assert.match(flatten.detail ?? '', /→ \[batch, 4\]/);
  const tuple = labelsAt('model M {\n  input x: [4]\n  a = x -> Dense(4)\n  s = (a, |) -> Add()\n}\n');
  assert.deepEqual(tuple.sort(), ['a', 'x']);
});

test('top level offers declaration keywords; `train` offers models', () => {
  assert.deepEqual(labelsAt('|'), ['model', 'block', 'train']);
  assert.deepEqual(labelsAt('model A {\n  input x: [1]\n}\ntrain |'), ['A']);
});

test('a train block offers settings not yet given, then each setting\'s values', () => {
  const head = 'model A {\n  input x: [4]\n  Dense(3)\n}\n';
  const settings = labelsAt(head + 'train A {\n  epochs = 3\n  |\n}\n');
  assert.ok(settings.includes('loss') && settings.includes('optimizer') && settings.includes('data'));
  assert.ok(!settings.includes('epochs'));
  assert.deepEqual(labelsAt(head + 'train A {\n  loss = |\n}\n'), ['mse', 'mae', 'binary_cross_entropy', 'cross_entropy']);
  const opt = itemAt(head + 'train A {\n  optimizer = |\n}\n', 'adam')!;
  assert.equal(opt.insertText, 'adam(lr=${1:0.001})');
  assert.ok(labelsAt(head + 'train A {\n  metrics = [|]\n}\n').includes('accuracy'));
});

test('inside a loss dictionary the keys are the model\'s outputs', () => {
  const head = 'model A {\n  input x: [4]\n  output p = x -> Dense(3)\n  output q = x -> Dense(1)\n}\n';
  assert.deepEqual(labelsAt(head + 'train A {\n  loss = {|}\n}\n'), ['p', 'q']);
  assert.deepEqual(labelsAt(head + 'train A {\n  loss = {p: |}\n}\n'), ['mse', 'mae', 'binary_cross_entropy', 'cross_entropy']);
});

function layerItemsAt(marked: string) {
  const { text, at } = cursors(marked);
  return complete(check(text), text, at[0]).filter((c) => c.kind === 'layer');
}

test('layer items show their parameters and the output shape at a statement start', () => {
  const items = layerItemsAt('model M {\n  input x: [28, 28, 1]\n  Conv2D(8, 3)\n  |\n}\n');
  const by = (l: string) => items.find((c) => c.label === l)!;
  assert.equal(by('Dense').labelDetail, '(units, activation=linear, bias=true)');
  assert.equal(by('Flatten').labelDescription, '→ [batch, 5408]');
  assert.equal(by('Flatten').detail, 'Flatten() → [batch, 5408]');
  assert.match(by('Flatten').documentation!, /^Here: `\[batch, 26, 26, 8\]` → `\[batch, 5408\]`\./);
  assert.equal(by('MaxPool2D').labelDescription, '→ [batch, 13, 13, 8]');
  assert.equal(by('Dense').labelDescription, '→ [batch, 26, 26, units]', 'a size given by a required argument is named');
  assert.equal(by('Conv2D').labelDescription, '→ [batch, ?, ?, filters]');
  assert.match(by('Conv2D').documentation!, /`\?`: depends on the arguments/);
  assert.equal(by('LSTM').labelDescription, '✗ needs [time, features]');
  assert.match(by('LSTM').documentation!, /^Does not apply here to `\[batch, 26, 26, 8\]`: LSTM expects/);
  assert.equal(by('Add').labelDescription, '✗ takes (a, b, ...)');
  assert.equal(by('Reshape').labelDescription, undefined, 'a required list: no preview');
});

test('layers that apply to the current tensor sort before those that do not', () => {
  const items = layerItemsAt('model M {\n  input x: [20, 64]\n  |\n}\n');
  const order = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((c) => c.label);
  const firstMiss = order.findIndex((l) => items.find((c) => c.label === l)!.labelDescription?.startsWith('✗'));
  assert.ok(firstMiss > 0);
  for (const l of order.slice(0, firstMiss)) assert.ok(!items.find((c) => c.label === l)!.labelDescription?.startsWith('✗'), l);
  for (const l of ['LSTM', 'Conv1D', 'MultiHeadAttention', 'Dense', 'PositionEmbedding']) assert.ok(order.indexOf(l) < firstMiss, l);
  for (const l of ['Conv2D', 'MaxPool2D', 'Embedding', 'Concat']) assert.ok(order.indexOf(l) >= firstMiss, l);
  const lstm = items.find((c) => c.label === 'LSTM')!;
  assert.equal(lstm.labelDescription, '→ [batch, units]');
});

test('the current tensor: after ->, after a binding, inside repeat, int ids, and unknown after an error', () => {
  const desc = (marked: string, label: string) => layerItemsAt(marked).find((c) => c.label === label)!.labelDescription;
  assert.equal(desc('model M {\n  input x: [28, 28, 1]\n  h = x -> Flatten() -> |\n}\n', 'Dense'), '→ [batch, units]');
  assert.equal(desc('model M {\n  input x: [28, 28, 1]\n  h = x -> |\n}\n', 'Flatten'), '→ [batch, 784]');
  assert.equal(desc('model M {\n  input a: [4]\n  input b: [6, 2]\n  h = a -> Dense(3)\n  |\n}\n', 'ReLU'), '→ [batch, 3]');
  assert.equal(desc('model M {\n  input a: [4]\n  input b: [6, 2]\n  |\n}\n', 'ReLU'), '→ [batch, 4]', 'the first input is the current tensor');
  assert.equal(desc('model M {\n  input x: [10, 16]\n  repeat 2 {\n    Dense(16)\n    |\n  }\n}\n', 'GlobalAvgPool1D'), '→ [batch, 16]');
  assert.equal(desc('model M {\n  input x: [10, 16]\n  repeat 2 {\n    |\n  }\n}\n', 'Flatten'), '→ [batch, 160]');
  assert.equal(desc('model M {\n  input ids: [seq] int\n  |\n}\n', 'Embedding'), '→ [batch, seq, dim]');
  assert.equal(desc('model M {\n  input ids: [seq] int\n  |\n}\n', 'Dense'), '✗ needs a float input');
  assert.equal(desc('model M {\n  input x: [4]\n  Conv2D(8, 3)\n  |\n}\n', 'Dense'), undefined, 'unknown after an error: no preview');
  assert.equal(desc('model M {\n  input x: [4, 4]\n  Den|\n}\n', 'Dense'), '→ [batch, 4, units]', 'while a name is being typed');
  assert.equal(desc('model M {\n  input x: [4, 4]\n  h = x -> Den|\n}\n', 'Flatten'), '→ [batch, 16]');
  assert.equal(desc('block B(n) {\n  input h: [n]\n  |\n}\nmodel M {\n  input x: [4]\n  B(n=4)\n}\n', 'Dense'), '→ [batch, units]', 'inside a used block');
  assert.equal(desc('block B(n) {\n  input h: [n]\n  |\n}\n', 'Dense'), undefined, 'a symbolic size in a block is bound by its uses: no verdict');
  assert.equal(desc('model M {\n  input x: [n]\n  |\n}\n', 'Dense'), '✗ needs known sizes', 'in a model it is an error');
});
