// The catalog's front door: every spec §4 layer is listed once, aliases resolve, the
// activation enumeration matches the spec, every ArgSpec is well formed, and the
// "did you mean" helper finds near misses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACTIVATIONS, allLayers, findLayer, layerNames, suggestName, editDistance } from '../../../engine/catalog/index';

const SPEC_LAYERS = [
  'Dense', 'Conv2D', 'Conv1D', 'MaxPool2D', 'AvgPool2D', 'MaxPool1D', 'AvgPool1D', 'GlobalAvgPool2D', 'GlobalMaxPool2D',
  'GlobalAvgPool1D', 'GlobalMaxPool1D', 'Flatten', 'Reshape', 'Dropout', 'BatchNorm', 'LayerNorm', 'ReLU', 'Sigmoid',
  'Tanh', 'GELU', 'SiLU', 'ELU', 'LeakyReLU', 'Softmax', 'Embedding', 'PositionEmbedding', 'SimpleRNN', 'LSTM', 'GRU',
  'MultiHeadAttention', 'Add', 'Multiply', 'Concat',
  'Subtract', 'Average', 'Maximum', 'Minimum', 'Rescaling', 'Activation',
  'ZeroPadding2D', 'ZeroPadding1D', 'Cropping2D', 'Cropping1D', 'UpSampling2D', 'UpSampling1D',
  'RepeatVector', 'Permute',
  'Bidirectional',
  'Conv2DTranspose', 'Conv1DTranspose', 'DepthwiseConv2D', 'SeparableConv2D',
];

test('every layer of spec §4 is in the catalog exactly once', () => {
  const names = allLayers().map((l) => l.name);
  assert.deepEqual([...names].sort(), [...SPEC_LAYERS].sort());
  for (const n of SPEC_LAYERS) assert.equal(findLayer(n)?.name, n);
  assert.deepEqual([...layerNames()].sort(), [...SPEC_LAYERS, 'SelfAttention'].sort());
});

test('aliases resolve and names are case-sensitive', () => {
  assert.equal(findLayer('SelfAttention'), findLayer('MultiHeadAttention'));
  assert.equal(findLayer('dense'), undefined);
  assert.equal(findLayer('Nope'), undefined);
});

test('the activation enumeration is the spec list', () => {
  assert.deepEqual([...ACTIVATIONS], ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'silu', 'elu', 'leaky_relu']);
  assert.deepEqual(findLayer('Dense')?.args.find((a) => a.name === 'activation')?.values, ACTIVATIONS);
  assert.equal(findLayer('SimpleRNN')?.args.find((a) => a.name === 'activation')?.default, 'tanh');
});

test('argument specs: positional order, defaults and computed defaults', () => {
  assert.deepEqual(findLayer('Conv2D')?.args.map((a) => a.name), ['filters', 'kernel', 'stride', 'padding', 'activation', 'bias']);
  assert.deepEqual(findLayer('Dense')?.args.map((a) => a.name), ['units', 'activation', 'bias']);
  const stride = findLayer('MaxPool2D')?.args.find((a) => a.name === 'stride');
  assert.equal(stride?.default, undefined);
  assert.equal(stride?.defaultText, 'pool');
  assert.equal(findLayer('MultiHeadAttention')?.args.find((a) => a.name === 'key_dim')?.defaultText, 'D/heads');
  assert.equal(findLayer('LeakyReLU')?.args[0].default, 0.01);
  assert.equal(findLayer('BatchNorm')?.args.find((a) => a.name === 'momentum')?.default, 0.99);
  assert.equal(findLayer('Conv1D')?.args.find((a) => a.name === 'kernel')?.type, 'int');
  assert.equal(findLayer('Conv2D')?.args.find((a) => a.name === 'kernel')?.type, 'size2');
  assert.equal(findLayer('Reshape')?.args[0].type, 'ints');
  for (const layer of allLayers()) {
    assert.ok(layer.summary.length > 0 && layer.inputDoc.length > 0 && layer.paramsDoc.length > 0, layer.name);
    for (const a of layer.args) {
      assert.ok(a.doc.length > 0, `${layer.name}.${a.name} has a doc`);
      // A required argument has no default; an optional one has a literal or a computed default.
      if (a.required) assert.equal(a.default, undefined, `${layer.name}.${a.name}`);
      else assert.ok(a.default !== undefined || a.defaultText !== undefined, `${layer.name}.${a.name}`);
      if (a.type === 'enum') assert.ok(a.values && a.values.length > 0 && (a.default === undefined || a.values.includes(a.default as string)));
    }
  }
});

test('suggestName finds near misses case-insensitively and within max(2, len/3)', () => {
  const names = layerNames();
  assert.equal(suggestName('Dens', names), 'Dense');
  assert.equal(suggestName('conv2d', names), 'Conv2D');
  assert.equal(suggestName('LTSM', names), 'LSTM');
  assert.equal(suggestName('MaxPooling2D', names), 'MaxPool2D');
  assert.equal(suggestName('Transformer', names), undefined);
  assert.equal(suggestName('', names), undefined);
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(suggestName('relu', ACTIVATIONS), undefined);
  assert.equal(suggestName('rleu', ACTIVATIONS), 'relu');
});
