// Every catalog layer exported to ONNX and run in onnxruntime-node against the engine's CPU
// forward on the same random weights and inputs: a tiny model per layer configuration
// (the configurations of test/unit/engine/layer_cases.ts, and more), batch size 3 (the
// batch axis is dynamic), then models with several inputs and outputs and symbolic sizes.
// The worst relative difference per layer is printed.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { allLayers } from '../../../engine/catalog';
import { buildOnnxGraph, ONNX_MAPPINGS } from '../../../engine/src/export/onnx/exporter';
import { POINTWISE_CASES } from './onnx_pointwise_cases';
import { compare, engineOutputs, modelFrom, ortOutputs, randomInputs, randomWeights } from './onnx_helpers';

interface Case {
  /** The model body (statements after the inputs). */
  text: string;
  inputs?: string;
  sizes?: Record<string, number>;
}

const one = (input: string, body: string): Case => ({ inputs: `input x: ${input}`, text: body });

const CASES: Case[] = [
  one('[5]', 'Dense(4, activation=gelu)'),
  one('[4, 5]', 'Dense(3, activation=relu)'),
  one('[5]', 'Dense(3, activation=sigmoid, bias=false)'),
  one('[5]', 'Dense(4, activation=softmax)'),
  one('[5]', 'Dense(4, activation=silu)'),
  one('[5]', 'Dense(4, activation=elu)'),
  one('[5]', 'Dense(4, activation=leaky_relu)'),
  one('[5]', 'Dense(4, activation=tanh)'),
  one('[6, 5, 2]', 'Conv2D(3, 3, stride=2, padding=same, activation=tanh)'),
  one('[5, 6, 3]', 'Conv2D(2, (2, 3), activation=relu, bias=false)'),
  one('[7, 6, 2]', 'Conv2D(2, 3, stride=(2, 1), padding=same)'),
  one('[7, 3]', 'Conv1D(2, 3)'),
  one('[8, 3]', 'Conv1D(4, 3, stride=2, padding=same, activation=gelu)'),
  one('[3, 4, 2]', 'Conv2DTranspose(3, 3, stride=2, padding=same, activation=tanh)'),
  one('[3, 3, 2]', 'Conv2DTranspose(2, (3, 2), stride=(2, 3))'),
  one('[3, 3, 2]', 'Conv2DTranspose(2, (4, 2), stride=(2, 3), padding=same, bias=false)'),
  one('[4, 3]', 'Conv1DTranspose(2, 3, stride=2, activation=relu)'),
  one('[4, 3]', 'Conv1DTranspose(2, 1, stride=2, padding=same)'),
  one('[5, 6, 3]', 'DepthwiseConv2D(3, stride=2, padding=same, depth_multiplier=2, activation=relu)'),
  one('[4, 5, 2]', 'DepthwiseConv2D((2, 3), bias=false)'),
  one('[5, 4, 3]', 'SeparableConv2D(4, 3, padding=same, depth_multiplier=2, activation=tanh)'),
  one('[5, 5, 2]', 'SeparableConv2D(2, 2, stride=2, bias=false)'),
  one('[5, 5, 2]', 'MaxPool2D(2, padding=same)'),
  one('[4, 5, 2]', 'MaxPool2D()'),
  one('[7, 6, 2]', 'AvgPool2D(3, stride=2)'),
  one('[5, 5, 2]', 'AvgPool2D(padding=same)'),
  one('[6, 7, 2]', 'AvgPool2D(3, stride=2, padding=same)'),
  one('[7, 3]', 'AvgPool1D(2, stride=2)'),
  one('[7, 3]', 'AvgPool1D(3, stride=2, padding=same)'),
  one('[7, 3]', 'MaxPool1D(2, stride=1, padding=same)'),
  one('[6, 2]', 'MaxPool1D()'),
  one('[3, 4, 2]', 'GlobalAvgPool2D()'),
  one('[3, 4, 2]', 'GlobalMaxPool2D()'),
  one('[5, 3]', 'GlobalAvgPool1D()'),
  one('[5, 3]', 'GlobalMaxPool1D()'),
  one('[3, 2, 2]', 'Flatten()'),
  one('[6]', 'Reshape([3, -1])'),
  one('[3, 4, 2]', 'ZeroPadding2D(((1, 2), (0, 3)))'), one('[4, 3]', 'ZeroPadding1D((2, 0))'), one('[3, 3, 2]', 'ZeroPadding2D()'),
  one('[5, 6, 2]', 'Cropping2D(((1, 0), (2, 1)))'), one('[6, 3]', 'Cropping1D((0, 2))'), one('[5, 5, 2]', 'Cropping2D(1)'),
  { inputs: 'input x: [seq, 3]', text: 'Cropping1D((1, 2))', sizes: { seq: 6 } },
  one('[3, 2, 2]', 'UpSampling2D((2, 3))'), one('[3, 4, 2]', 'UpSampling2D((3, 2), interpolation=bilinear)'), one('[4, 3]', 'UpSampling1D(3)'),
  one('[4]', 'RepeatVector(3)'), one('[2, 3, 4]', 'Permute([3, 1, 2])'), { inputs: 'input x: [seq, 3]', text: 'Permute([2, 1])', sizes: { seq: 5 } },
  one('[2, 6]', 'Reshape([3, 4])'),
  one('[5]', 'Dropout(0.4)'),
  one('[3]', 'BatchNorm()'),
  one('[2, 3]', 'BatchNorm(eps=0.01)'),
  one('[3, 5]', 'LayerNorm()'),
  one('[4]', 'ReLU()'),
  one('[4]', 'Sigmoid()'),
  one('[4]', 'Tanh()'),
  one('[4]', 'GELU()'),
  one('[4]', 'SiLU()'),
  one('[4]', 'ELU()'),
  one('[4]', 'LeakyReLU(alpha=0.2)'),
  one('[3, 4]', 'Softmax(axis=0)'),
  one('[5]', 'Softmax()'),
  one('[5] int', 'Embedding(7, 3)'),
  one('[4, 3]', 'PositionEmbedding(6)'),
  one('[4, 3]', 'SimpleRNN(3, return_sequences=true)'),
  one('[5, 2]', 'SimpleRNN(2)'),
  one('[4, 2]', 'SimpleRNN(3, activation=gelu)'),
  one('[4, 3]', 'LSTM(3)'),
  one('[3, 4]', 'LSTM(2, return_sequences=true)'),
  one('[4, 3]', 'GRU(3, return_sequences=true)'),
  one('[3, 4]', 'GRU(2)'),
  one('[4, 6]', 'MultiHeadAttention(2, key_dim=3)'),
  one('[4, 6]', 'MultiHeadAttention(2, key_dim=3, causal=true)'),
  one('[5, 6]', 'SelfAttention(3)'),
  { inputs: 'input q: [3, 4]\n  input kv: [5, 3]', text: 'output y = (q, kv) -> MultiHeadAttention(2, key_dim=2)' },
  { inputs: 'input a: [3]\n  input b: [3]\n  input c: [3]', text: 'output y = (a, b, c) -> Add()' },
  { inputs: 'input a: [3]\n  input b: [3]', text: 'output y = (a, b) -> Multiply()' },
  { inputs: 'input a: [2, 3]\n  input b: [3, 3]', text: 'output y = (a, b) -> Concat(axis=0)' },
  { inputs: 'input a: [3, 2]\n  input b: [3, 1]', text: 'output y = (a, b) -> Concat()' },
  ...POINTWISE_CASES,
  one('[5, 3]', 'Bidirectional(LSTM(4, return_sequences=true))'),
  { inputs: 'input x: [seq, 3]', text: 'Bidirectional(GRU(3), merge=sum)', sizes: { seq: 5 } },
  one('[6, 2]', 'Bidirectional(SimpleRNN(3, return_sequences=true, activation=relu), merge=mul)'),
  one('[4, 3]', 'Bidirectional(GRU(2, return_sequences=true), merge=ave)'),
];

const worst = new Map<string, number>();
after(() => {
  const rows = [...worst.entries()].sort((a, b) => b[1] - a[1]).map(([op, w]) => `  ${op.padEnd(20)} ${w.toExponential(2)}`);
  console.log(`worst relative difference, onnxruntime vs engine, per layer:\n${rows.join('\n')}`);
});

async function check(text: string, batch: number, sizes: Record<string, number> = {}): Promise<number> {
  const { ir } = modelFrom(text);
  const weights = randomWeights(ir);
  const built = buildOnnxGraph(ir, weights);
  assert.ok(built.ok, built.ok ? '' : built.message);
  const bytes = built.builder.encode(ir.name, false, 'test');
  const feeds = randomInputs(ir, batch, sizes);
  const expected = await engineOutputs(ir, weights, feeds);
  const actual = await ortOutputs(bytes, feeds);
  let w = 0;
  for (const out of ir.outputs) {
    const a = actual[out.name];
    assert.ok(a, `onnx has no output ${out.name}`);
    const r = compare(a.data, expected[out.name]);
    assert.ok(r.ok, `${out.name}: worst relative difference ${r.worstRel}, largest absolute ${r.maxAbs}\n${text}`);
    assert.equal(a.dims[0], batch);
    w = Math.max(w, r.worstRel);
  }
  return w;
}

for (const c of CASES) {
  const op = /(\w+)\(/.exec(c.text)![1];
  test(`ONNX ${c.text}`, async () => {
    const w = await check(`model M {\n  ${c.inputs}\n  ${c.text}\n}\n`, 3, c.sizes);
    const name = op === 'SelfAttention' ? 'MultiHeadAttention' : op;
    worst.set(name, Math.max(worst.get(name) ?? 0, w));
  });
}

test('every catalog layer has an ONNX mapping and a case here', () => {
  const covered = new Set(CASES.map((c) => /(\w+)\(/.exec(c.text)![1]));
  for (const { name } of allLayers()) {
    assert.ok(ONNX_MAPPINGS[name], `no ONNX mapping for ${name}`);
    assert.ok(covered.has(name), `no ONNX test case for ${name}`);
  }
});

test('several inputs and outputs, batch 1 and batch 5', async () => {
  const text = `model Multi {
  input image: [6, 6, 1]
  input extra: [4]
  f = image -> Conv2D(2, 3, activation=relu) -> MaxPool2D() -> Flatten()
  g = extra -> Dense(8, activation=relu)
  both = (f, g) -> Concat()
  output label = both -> Dense(3, activation=softmax)
  output value = both -> Dense(1)
}
`;
  await check(text, 1);
  await check(text, 5);
});

test('symbolic sizes are dynamic axes: a sequence model at two lengths', async () => {
  const text = `model Seq {
  input ids: [seq] int
  e = ids -> Embedding(11, 8) -> PositionEmbedding(16)
  a = e -> MultiHeadAttention(2, causal=true)
  h = (e, a) -> Add() -> LayerNorm()
  r = h -> GRU(4, return_sequences=true) -> LSTM(3, return_sequences=true) -> SimpleRNN(3, return_sequences=true)
  output per_step = r -> Dense(2)
  output pooled = h -> Conv1D(4, 3, padding=same) -> MaxPool1D(2, padding=same) -> GlobalAvgPool1D() -> Dense(2)
}
`;
  await check(text, 2, { seq: 5 });
  await check(text, 3, { seq: 9 });
});

test('symbolic image sizes with same padding', async () => {
  const text = `model Img {
  input x: [h, w, 2]
  Conv2D(3, 3, stride=2, padding=same, activation=elu)
  AvgPool2D(2, padding=same)
  Reshape([-1, 3])
  GlobalMaxPool1D()
}
`;
  await check(text, 2, { h: 7, w: 5 });
  await check(text, 1, { h: 9, w: 12 });
});

test('the input and output declarations carry names, dtypes and dynamic axes', async () => {
  const { ir } = modelFrom('model M {\n  input ids: [seq] int\n  Embedding(5, 2)\n  GlobalAvgPool1D()\n}\n');
  const built = buildOnnxGraph(ir, randomWeights(ir));
  assert.ok(built.ok);
  const g = built.builder.graph('M', false);
  const input = g.input![0];
  assert.equal(input.name, 'ids');
  assert.equal(input.type!.tensorType!.elemType, 7); // INT64
  assert.deepEqual(input.type!.tensorType!.shape!.dim!.map((d) => d.dimParam ?? d.dimValue), ['batch', 'seq']);
  const output = g.output![0];
  assert.equal(output.name, 'output');
  assert.deepEqual(output.type!.tensorType!.shape!.dim!.map((d) => d.dimParam ?? d.dimValue), ['batch', 2]);
});
