// Export then import: a Netspec model written to TF.js by the exporter
// (engine/src/export/tfjs) and imported back is the same model: it checks with no
// diagnostics, has the same parameters and output names, and on the imported weights the
// engine gives the same outputs as the original on its own. Covers every example (through
// the TF.js exporter where TF.js can hold it, and through the Keras exporter's graph, which
// has GRU, MultiHeadAttention and PositionEmbedding) and graphs of the layers the examples
// do not use.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { ModelIR } from '../../../engine/catalog/ir';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { findExporter } from '../../../engine/src/export/formats';
import { kerasGraph, type KerasValue } from '../../../engine/src/export/keras/topology';
import { importKeras } from '../../../engine/src/import/keras';
import type { Json } from '../../../engine/src/import/keras/graph';
import { Model } from '../../../engine/src/model';
import { setBackend } from '../../../engine/src/tensor';
import { downloadWeights, loadWeights } from '../../../engine/src/train/weights';
import type { NamedArray } from '../../../engine/src/train/types';
import { checkText } from '../../../server/src/sema/check';
import { randomValues } from '../engine/helpers';
import { assertClose, checkImported, engineOutputs, type FeedSpec } from './keras_import_helpers';

const TFJS_MISSING = new Set(['MultiHeadAttention', 'PositionEmbedding', 'GRU']);

/** Random inputs for an IR (ids below 9 for int inputs). */
function feedsFor(ir: ModelIR, seed: number): FeedSpec[] {
  return ir.inputs.map((input, k) => {
    const shape = [2, ...input.shape.map((d) => (typeof d === 'number' ? d : 4))];
    const n = shape.reduce((p, d) => p * d, 1);
    if (input.dtype === 'int32') return { shape, dtype: 'int32', data: randomValues(n, seed + k, 0, 9).map(Math.floor) };
    return { shape, dtype: 'float32', data: randomValues(n, seed + k, -1.5, 1.5) };
  });
}

/** Random weights for `ir` (positive moving variances), under the engine's names. */
async function randomWeights(ir: ModelIR, seed: number): Promise<NamedArray[]> {
  const built = Model.build(ir, seed);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  const weights = (await downloadWeights(built.model)).map((a, k) => {
    const variance = a.name.endsWith('/moving_variance');
    return { ...a, data: Float32Array.from(randomValues(a.data.length, seed + k, variance ? 0.5 : -0.8, variance ? 2 : 0.8)) };
  });
  assert.ok(loadWeights(built.model, weights).ok);
  built.model.dispose();
  return weights;
}

/** The TF.js exporter's model.json and weights.bin. */
async function tfjsExport(ir: ModelIR, weights: NamedArray[]): Promise<{ json: Json; bin: Uint8Array }> {
  const exported = await findExporter('tfjs')!.run({ model: ir, train: null, weights, trained: true, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
  assert.ok(exported.ok, exported.ok ? '' : exported.error.message);
  const json = JSON.parse(exported.files.find((f) => f.path === 'model.json')!.data as string) as Json;
  return { json, bin: exported.files.find((f) => f.path === 'weights.bin')!.data as Uint8Array };
}

function plain(v: KerasValue): Json {
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    assert.ok(!('py' in v), 'no Python values in the graph');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x as KerasValue)]));
  }
  return v;
}

/**
 * The Keras 3 graph the Keras exporter builds (which has GRU with reset_after=True,
 * MultiHeadAttention and PositionEmbedding, unlike TF.js), as a Keras 2 style functional
 * config with `use_causal_mask` as a call keyword, and its weights as a TF.js manifest.
 */
function kerasTargetExport(ir: ModelIR, weights: NamedArray[]): { json: Json; bin: Uint8Array } {
  const built = kerasGraph(ir, 'keras');
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  const g = built.graph;
  const byName = new Map(weights.map((w) => [w.name, w]));
  const specs: Json[] = [];
  const data: number[] = [];
  const layers: Json[] = g.inputs.map((i) => ({ class_name: 'InputLayer', name: i.name, config: { batch_shape: [null, ...i.shape], dtype: i.dtype, name: i.name }, inbound_nodes: [] }));
  for (const l of g.layers) {
    layers.push({ class_name: l.className, name: l.name, config: { name: l.name, ...(plain(l.config) as Record<string, Json>) }, inbound_nodes: [l.inbound.map((src, k) => [src, 0, 0, k === 0 ? plain(l.callKwargs) : {}])] });
    for (const w of l.weights) {
      const a = byName.get(w.engine)!;
      specs.push({ name: w.keras, shape: a.shape, dtype: 'float32' });
      // A loop, not push(...a.data): an argument list of a large table (an Embedding of 160,000 values) overflows the stack.
      for (const v of a.data) data.push(v);
    }
  }
  const json = {
    format: 'layers-model',
    modelTopology: { class_name: 'Functional', config: { name: g.name, layers, input_layers: g.inputs.map((i) => [i.name, 0, 0]), output_layers: g.outputs.map((o) => [o.layer, 0, 0]) } },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
    userDefinedMetadata: { netspec: { outputs: g.outputs.map((o) => ({ name: o.name, layer: o.layer })) } },
  };
  return { json: json as Json, bin: new Uint8Array(Float32Array.from(data).buffer) };
}

async function roundTrip(ir: ModelIR, seed: number, target: 'tfjs' | 'keras' = 'tfjs'): Promise<string> {
  const weights = await randomWeights(ir, seed);
  const { json: modelJson, bin } = target === 'tfjs' ? await tfjsExport(ir, weights) : kerasTargetExport(ir, weights);
  const result = importKeras({ json: modelJson, shards: new Map([['weights.bin', bin]]), fileName: 'model.json' });
  assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
  const imported = result.value;
  const back = checkImported(imported.text);
  assert.equal(back.params, ir.params, 'parameter count');
  assert.deepEqual(back.outputs.map((o) => o.name), ir.outputs.map((o) => o.name), 'output names');

  const feeds = feedsFor(ir, seed + 100);
  const original = await engineOutputs(ir, { ...imported, weights }, feeds);
  assertClose(await engineOutputs(back, imported, feeds), original);
  return imported.text;
}

describe('keras import: export to TF.js and back', () => {
  before(() => setBackend(new CpuBackend()));

  const examples = readdirSync('examples').flatMap((d) => {
    try {
      return readdirSync(join('examples', d)).filter((f) => f.endsWith('.netspec')).map((f) => join('examples', d, f));
    } catch {
      return [];
    }
  });
  for (const file of examples) {
    test(`example ${file}`, async (t) => {
      const checked = checkText(readFileSync(file, 'utf8'), { path: file });
      for (const m of checked.models) {
        assert.ok(m.ir);
        const tfjs = !m.ir.nodes.some((n) => TFJS_MISSING.has(n.op));
        if (tfjs) await roundTrip(m.ir, 17);
        else t.diagnostic(`${m.name}: TF.js cannot hold it; through the Keras exporter's graph only`);
        await roundTrip(m.ir, 19, 'keras');
      }
    });
  }

  test('GRU, causal self-attention and cross-attention through the Keras exporter\'s graph', async () => {
    const src = `model Attend {
  input ids: [6] int
  input memory: [4, 5]
  seq = ids -> Embedding(9, 8) -> PositionEmbedding(6) -> GRU(8, return_sequences=true)
  self = seq -> MultiHeadAttention(2, causal=true)
  mixed = (self, memory) -> MultiHeadAttention(4, key_dim=3)
  output y = (seq, mixed) -> Add() -> LayerNorm() -> GlobalAvgPool1D() -> Dense(2)
}
`;
    const checked = checkText(src, { path: '/tmp/attend.netspec' });
    assert.deepEqual(checked.diagnostics, []);
    const text = await roundTrip(checked.models[0].ir!, 29, 'keras');
    assert.match(text, /MultiHeadAttention\(2, key_dim=4, causal=true\)/);
    assert.match(text, /\(multi_head_attention, memory\) -> MultiHeadAttention\(4, key_dim=3\)/);
  });

  test('two inputs, Embedding, LSTM, Conv1D, pooling, Concat on the time axis, leaky_relu, two outputs', async () => {
    const src = `model Mixed {
  input ids: [6] int
  input signal: [6, 3]
  words = ids -> Embedding(9, 4)
  conv = signal -> Conv1D(4, 3, padding=same, activation=leaky_relu)
  both = (words, conv) -> Concat(axis=0)
  seq = both -> LSTM(5, return_sequences=true) -> LayerNorm()
  output pooled = seq -> GlobalMaxPool1D() -> Dense(2, activation=softmax)
  output each = seq -> AvgPool1D(2) -> Flatten() -> Dense(3, activation=silu)
}
`;
    const checked = checkText(src, { path: '/tmp/mixed.netspec' });
    assert.deepEqual(checked.diagnostics, []);
    const text = await roundTrip(checked.models[0].ir!, 23);
    // The exporter's separate LeakyReLU layer (slope 0.01) imports as a LeakyReLU call.
    assert.match(text, /Conv1D\(4, 3, padding=same\) ->\n\s+LeakyReLU\(\)/);
    // A chain's result is named after its last layer (the exporter's node ids here).
    assert.match(text, /layer_norm = \(embedding, conv1d_leaky_relu\) -> Concat\(axis=0\) ->\n\s+LSTM\(5, return_sequences=true\) ->\n\s+LayerNorm\(\)/);
  });

  test('padding and cropping, 1D and 2D, through both Keras targets (TF.js runs the 1D ones as 2D between Reshapes)', async () => {
    const src = `model Edges {
  input x: [4, 5, 2]
  input s: [6, 3]
  output img = x -> ZeroPadding2D(((1, 2), (0, 3))) -> Cropping2D((1, 2)) -> ZeroPadding2D()
  output seq = s -> ZeroPadding1D((2, 0)) -> Cropping1D((1, 3)) -> ZeroPadding1D()
}
`;
    const checked = checkText(src, { path: '/tmp/edges.netspec' });
    assert.deepEqual(checked.diagnostics, []);
    const keras = await roundTrip(checked.models[0].ir!, 37, 'keras');
    assert.match(keras, /ZeroPadding1D\(\(2, 0\)\) ->\n\s+Cropping1D\(\(1, 3\)\) ->\n\s+ZeroPadding1D\(\)/);
    assert.match(keras, /ZeroPadding2D\(\(\(1, 2\), \(0, 3\)\)\) ->\n\s+Cropping2D\(\(1, 2\)\) ->\n\s+ZeroPadding2D\(\)/);
    const tfjs = await roundTrip(checked.models[0].ir!, 38);
    assert.match(tfjs, /ZeroPadding2D\(\(\(2, 0\), \(0, 0\)\)\)/);
  });

  test('up-sampling through the Keras target: bilinear and 1D come back as written', async () => {
    const src = `model Up {
  input x: [3, 2, 2]
  input s: [4, 3]
  output img = x -> UpSampling2D((2, 3)) -> UpSampling2D(3, interpolation=bilinear)
  output seq = s -> UpSampling1D(3)
}
`;
    const checked = checkText(src, { path: '/tmp/up.netspec' });
    assert.deepEqual(checked.diagnostics, []);
    const keras = await roundTrip(checked.models[0].ir!, 39, 'keras');
    assert.match(keras, /UpSampling2D\(\(2, 3\)\) ->\n\s+UpSampling2D\(3, interpolation=bilinear\)/);
    assert.match(keras, /UpSampling1D\(3\)/);
  });

  test('Conv1DTranspose, Conv2DTranspose and depth multipliers through the Keras graph (TF.js has no Conv1DTranspose)', async () => {
    const src = `model Up {
  input signal: [5, 3]
  input image: [3, 2, 2]
  output wave = signal -> Conv1DTranspose(4, 3, stride=2, activation=tanh) -> Conv1DTranspose(2, 1, stride=3, padding=same, bias=false)
  output picture = image -> Conv2DTranspose(3, (3, 2), stride=(2, 3), padding=same)
  output separable = image -> SeparableConv2D(4, 2, padding=same, depth_multiplier=3) -> DepthwiseConv2D(1, depth_multiplier=2, bias=false)
}
`;
    const checked = checkText(src, { path: '/tmp/up.netspec' });
    assert.deepEqual(checked.diagnostics, []);
    const text = await roundTrip(checked.models[0].ir!, 31, 'keras');
    assert.match(text, /Conv1DTranspose\(4, 3, stride=2, activation=tanh\) ->\n\s+Conv1DTranspose\(2, 1, stride=3, padding=same, bias=false\)/);
    assert.match(text, /Conv2DTranspose\(3, \(3, 2\), stride=\(2, 3\), padding=same\)/);
    assert.match(text, /SeparableConv2D\(4, 2, padding=same, depth_multiplier=3\) ->\n\s+DepthwiseConv2D\(1, depth_multiplier=2, bias=false\)/);
  });
});
