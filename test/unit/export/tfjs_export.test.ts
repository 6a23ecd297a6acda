// The TF.js Layers export, read back by TensorFlow.js itself: for every catalog layer TF.js
// has (a fixed one-layer model, random valid configurations, and a few graphs: fused
// activations TF.js spells differently, several inputs and outputs, block-inlined names)
// and for every example model, `tf.loadLayersModel` reads model.json + weights.bin through
// an in-memory IOHandler (the same JSON path as the http and file loaders), predicts the
// engine's forward (CPU, inference) on random weights and inputs within 1e-4 relative, and
// counts the same parameters. Layers TF.js 4.22 lacks are error values naming the node.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { allLayers } from '../../../engine/catalog';
import type { ModelIR } from '../../../engine/catalog/ir';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { findExporter } from '../../../engine/src/export/formats';
import type { ExportSource } from '../../../engine/src/export/types';
import { Model } from '../../../engine/src/model';
import { setBackend, tensor, type Tensor } from '../../../engine/src/tensor';
import { downloadWeights, loadWeights } from '../../../engine/src/train/weights';
import type { NamedArray } from '../../../engine/src/train/types';
import { checkText } from '../../../server/src/sema/check';
import { inferNode, modelIR, oneLayerIR, randomSample, SAMPLES } from '../engine/catalog_ir';
import { lcg, randomValues, readAll, relError, sizeOf } from '../engine/helpers';
import { memoryHandler } from './tfjs_io';

const TOL = 1e-4;
const TFJS_MISSING = new Set(['MultiHeadAttention', 'PositionEmbedding', 'GRU', 'Conv1DTranspose']);

/** The worst relative difference seen over the whole file, printed at the end. */
let worst = 0;

/** Random weights (positive variances) loaded into a built model; returns them by name. */
async function randomWeights(model: Model, seed: number): Promise<NamedArray[]> {
  const arrays = (await downloadWeights(model)).map((a, k) => {
    const variance = a.name.endsWith('/moving_variance');
    return { ...a, data: Float32Array.from(randomValues(a.data.length, seed + k, variance ? 0.5 : -0.8, variance ? 2 : 0.8)) };
  });
  const loaded = loadWeights(model, arrays);
  assert.ok(loaded.ok, loaded.ok ? '' : loaded.message);
  return arrays;
}

/** Random batched inputs of the model (ids below the vocabulary for int inputs). */
function randomInputs(ir: ModelIR, batch: number, seed: number): { shape: number[]; dtype: 'float32' | 'int32'; data: number[] }[] {
  return ir.inputs.map((input, k) => {
    const shape = [batch, ...input.shape.map((d) => (typeof d === 'number' ? d : 3))];
    if (input.dtype === 'int32') {
      const reader = ir.nodes.find((n) => n.inputs.includes(input.name) && n.op === 'Embedding');
      const vocab = typeof reader?.args.vocab === 'number' ? reader.args.vocab : 2;
      return { shape, dtype: 'int32', data: randomValues(sizeOf(shape), seed + k, 0, vocab).map(Math.floor) };
    }
    return { shape, dtype: 'float32', data: randomValues(sizeOf(shape), seed + k, -1.5, 1.5) };
  });
}

/**
 * Exports `ir` with random weights, loads it with tf.loadLayersModel, and compares its
 * prediction with the engine's forward and its parameter count with the IR's.
 */
async function roundTrip(ir: ModelIR, seed: number): Promise<number> {
  const built = Model.build(ir, seed);
  assert.ok(built.ok, built.ok ? '' : built.error.message);
  const model = built.model;
  const weights = await randomWeights(model, seed * 7 + 1);
  const source: ExportSource = { model: ir, train: null, weights, trained: true, metadata: { labels: '["a","b"]' }, modelFile: '/tmp/m.netspec' };
  const outcome = await findExporter('tfjs')!.run(source, { quantize: null });
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  assert.deepEqual(outcome.files.map((f) => f.path), ['model.json', 'weights.bin']);

  const xs = randomInputs(ir, 2, seed + 100);
  const feeds: Record<string, Tensor> = {};
  ir.inputs.forEach((input, k) => (feeds[input.name] = tensor(xs[k].data, xs[k].shape, xs[k].dtype)));
  const fwd = model.forward(feeds, { training: false });
  assert.ok(fwd.ok, fwd.ok ? '' : fwd.error.message);
  const ours = await readAll(ir.outputs.map((o) => fwd.outputs[o.name]));
  const ourShapes = ir.outputs.map((o) => [...fwd.outputs[o.name].shape]);
  for (const t of Object.values(feeds)) t.dispose();
  model.dispose();

  const loaded = await tf.loadLayersModel(memoryHandler(outcome.files));
  assert.equal(loaded.countParams(), ir.params, 'parameter count');
  const meta = (loaded.getUserDefinedMetadata() as { netspec: { model: string; outputs: { name: string }[]; metadata: Record<string, string> } }).netspec;
  assert.equal(meta.model, ir.name);
  assert.deepEqual(meta.outputs.map((o) => o.name), ir.outputs.map((o) => o.name));
  assert.deepEqual(meta.metadata, { labels: '["a","b"]' });
  const tfXs = xs.map((x) => tf.tensor(x.data, x.shape, x.dtype));
  const pred = loaded.predict(tfXs.length === 1 ? tfXs[0] : tfXs);
  const preds = Array.isArray(pred) ? pred : [pred];
  assert.equal(preds.length, ir.outputs.length, 'output count');
  let e = 0;
  preds.forEach((p, i) => {
    assert.deepEqual(p.shape, ourShapes[i], `output ${ir.outputs[i].name} shape`);
    const d = relError(p.dataSync(), ours[i], 1e-2);
    assert.ok(d <= TOL, `output ${ir.outputs[i].name}: relative difference ${d} > ${TOL}`);
    e = Math.max(e, d);
  });
  tf.dispose([...tfXs, ...preds]);
  loaded.dispose();
  worst = Math.max(worst, e);
  return e;
}

/** A model of several nodes, each given as [id, op, args, input ids]. */
function graphIR(name: string, inputs: { name: string; shape: number[]; dtype?: 'float32' | 'int32' }[], nodes: [string, string, Record<string, unknown>, string[]][], outputs: string[]): ModelIR {
  const shapes = new Map<string, { shape: number[]; dtype: 'float32' | 'int32' }>(inputs.map((i) => [i.name, { shape: i.shape, dtype: i.dtype ?? 'float32' }]));
  const irNodes = nodes.map(([id, op, args, ins]) => {
    const node = inferNode(id, op, args as never, ins.map((i) => ({ id: i, ...shapes.get(i)! })));
    if (typeof node === 'string') throw new Error(node);
    shapes.set(id, { shape: node.shape as number[], dtype: node.dtype });
    return node;
  });
  const ir = modelIR(name, inputs.map((i) => ({ name: i.name, shape: i.shape, dtype: i.dtype ?? 'float32' })), irNodes, outputs[0]);
  ir.outputs = outputs.map((t, i) => ({ name: i === 0 ? 'y' : `y${i}`, tensor: t }));
  return ir;
}

describe('tfjs export', () => {
  before(async () => {
    setBackend(new CpuBackend());
    await tf.setBackend('cpu');
  });

  const supported = allLayers().map((l) => l.name).filter((n) => !TFJS_MISSING.has(n));

  for (const op of supported) {
    test(`${op}: loadLayersModel predicts the engine's forward`, async () => {
      await roundTrip(oneLayerIR(op, SAMPLES[op]), 11);
      const r = lcg(op.length * 977 + 5);
      for (let k = 0; k < 3; k++) {
        const sample = randomSample(op, r);
        if (op === 'SimpleRNN' && sample.args.activation === 'leaky_relu') {
          const ir = oneLayerIR(op, sample);
          const outcome = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
          assert.ok(!outcome.ok && /no leaky_relu activation inside a SimpleRNN/.test(outcome.error.message));
          continue;
        }
        if (op === 'UpSampling2D' && sample.args.interpolation === 'bilinear') continue; // refused: see the bilinear test

        const wrapped = op === 'Bidirectional' ? (sample.args.layer as { op: string; args: Record<string, unknown> }) : null;
        if (wrapped && (wrapped.op === 'GRU' || wrapped.args.activation === 'leaky_relu')) {
          const ir = oneLayerIR(op, sample);
          const outcome = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
          assert.ok(!outcome.ok && /^Bidirectional \(layer\) cannot be exported to tfjs/.test(outcome.error.message) && /(GRU|leaky_relu)/.test(outcome.error.message), outcome.ok ? 'exported' : outcome.error.message);
          continue;
        }
        try {
          await roundTrip(oneLayerIR(op, sample), 20 + k);
        } catch (e) {
          throw new Error(`${op} ${JSON.stringify(sample)}: ${(e as Error).message}`);
        }
      }
    });
  }

  test('every activation argument, fused in Dense and Conv1D (leaky_relu becomes its own layer)', async () => {
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'silu', 'elu', 'leaky_relu']) {
      const ir = graphIR(`Act_${activation}`, [{ name: 'x', shape: [5, 3] }], [
        ['conv1d', 'Conv1D', { filters: 4, kernel: 2, activation }, ['x']],
        ['dense', 'Dense', { units: 3, activation }, ['conv1d']],
      ], ['dense']);
      await roundTrip(ir, 31);
    }
  });

  test('every activation as an Activation layer (leaky_relu becomes a LeakyReLU layer of slope 0.01)', async () => {
    for (const activation of ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'silu', 'elu', 'leaky_relu']) {
      await roundTrip(graphIR(`Layer_${activation}`, [{ name: 'x', shape: [5, 3] }], [['act', 'Activation', { activation }, ['x']]], ['act']), 33);
    }
  });

  test('Subtract (TF.js 4.22 has no such layer) is Add of the first input and the second negated by Rescaling', async () => {
    const ir = graphIR('Diff', [{ name: 'a', shape: [3, 2] }, { name: 'b', shape: [3, 2] }], [
      ['diff', 'Subtract', {}, ['a', 'b']],
      ['back', 'Subtract', {}, ['b', 'diff']],
    ], ['back']);
    await roundTrip(ir, 35);
    const exported = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/d.netspec' }, { quantize: null });
    assert.ok(exported.ok);
    const layers = JSON.parse(exported.files[0].data as string).modelTopology.config.layers as { name: string; class_name: string; config: { scale?: number }; inbound_nodes: [string, number, number, unknown][][] }[];
    const wiring = layers.map((l) => [l.name, l.class_name, l.inbound_nodes[0]?.map((i) => i[0]) ?? []]);
    assert.deepEqual(wiring, [
      ['a', 'InputLayer', []], ['b', 'InputLayer', []],
      ['diff_negated', 'Rescaling', ['b']], ['diff', 'Add', ['a', 'diff_negated']],
      ['back_negated', 'Rescaling', ['diff']], ['back', 'Add', ['b', 'back_negated']],
    ]);
    assert.equal(layers[2].config.scale, -1);
  });

  test('several inputs and outputs, int ids, merges and block-inlined names with "/"', async () => {
    const ir = graphIR('Graph', [{ name: 'ids', shape: [4], dtype: 'int32' }, { name: 'feat', shape: [4, 3] }], [
      ['enc/embedding', 'Embedding', { vocab: 9, dim: 3 }, ['ids']],
      ['enc/add', 'Add', {}, ['enc/embedding', 'feat']],
      ['enc_add', 'Multiply', {}, ['enc/add', 'feat']],
      ['lstm', 'LSTM', { units: 5, return_sequences: true }, ['enc_add']],
      ['concat', 'Concat', { axis: 0 }, ['lstm', 'lstm']],
      ['layer_norm', 'LayerNorm', {}, ['concat']],
      ['flatten', 'Flatten', {}, ['layer_norm']],
      ['dense', 'Dense', { units: 2, activation: 'leaky_relu' }, ['flatten']],
      ['dense_leaky_relu', 'Dense', { units: 3, activation: 'softmax' }, ['dense']],
      ['softmax', 'Softmax', { axis: 0 }, ['layer_norm']],
      ['one', 'Flatten', {}, ['dense']],
    ], ['dense_leaky_relu', 'softmax', 'one']);
    await roundTrip(ir, 41);
    const exported = await findExporter('tfjs')!.run({ model: ir, train: null, weights: (await freshWeights(ir)), trained: false, metadata: {}, modelFile: '/tmp/g.netspec' }, { quantize: null });
    assert.ok(exported.ok);
    const names = (JSON.parse(exported.files[0].data as string).modelTopology.config.layers as { name: string }[]).map((l) => l.name);
    assert.deepEqual(names, ['ids', 'feat', 'enc_embedding', 'enc_add_1', 'enc_add', 'lstm', 'concat', 'layer_norm', 'flatten', 'dense', 'dense_leaky_relu_1', 'dense_leaky_relu', 'softmax_to_last', 'softmax', 'softmax_from_last', 'one']);
    assert.match(exported.notes.join('\n'), /enc\/embedding is enc_embedding/);
  });

  test('symbolic sizes: null in batch_input_shape, any length at predict time', async () => {
    const src = 'model Sym {\n  input x: [seq, 4]\n  Conv1D(3, 2, padding=same)\n  LSTM(5, return_sequences=true)\n  GlobalMaxPool1D()\n  Dense(2)\n}\n';
    const ir = checkText(src, { path: '/tmp/sym.netspec' }).models[0].ir;
    assert.ok(ir);
    await roundTrip(ir, 61);
    const exported = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/sym.netspec' }, { quantize: null });
    assert.ok(exported.ok);
    assert.deepEqual(JSON.parse(exported.files[0].data as string).modelTopology.config.layers[0].config.batch_input_shape, [null, null, 4]);
  });

  test('Bidirectional around a GRU: an error value naming the layer, its node and line, and why', async () => {
    const ir = oneLayerIR('Bidirectional', { args: { layer: { op: 'GRU', args: { units: 2, return_sequences: false } }, merge: 'sum' }, inputs: [{ shape: [3, 2] }] });
    ir.nodes[0].line = 4;
    const outcome = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.error.line, 4);
    assert.match(outcome.error.message, /^Bidirectional \(layer\) cannot be exported to tfjs \(TensorFlow\.js Layers\): it wraps a GRU, and TensorFlow\.js 4\.22's GRU does not support reset_after=True/);
  });

  test('Bidirectional around SimpleRNN and LSTM, every merge mode: loadLayersModel predicts the engine\'s forward', async () => {
    for (const [op, merge, sequences] of [['SimpleRNN', 'sum', true], ['LSTM', 'mul', false], ['LSTM', 'ave', true], ['SimpleRNN', 'concat', false]] as const) {
      await roundTrip(oneLayerIR('Bidirectional', { args: { layer: { op, args: { units: 3, return_sequences: sequences } }, merge }, inputs: [{ shape: [4, 2] }] }), 71);
    }
  });

  for (const op of TFJS_MISSING) {
    test(`${op}: an error value naming the layer, its node and line, and the format`, async () => {
      const ir = oneLayerIR(op, SAMPLES[op]);
      ir.nodes[0].line = 6;
      const outcome = await findExporter('tfjs')!.run({ model: ir, train: null, weights: await freshWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.error.node, 'layer');
      assert.equal(outcome.error.line, 6);
      assert.match(outcome.error.message, new RegExp(`^${op} \\(layer\\) cannot be exported to tfjs \\(TensorFlow\\.js Layers\\): TensorFlow\\.js 4\\.22`));
    });
  }

  test('UpSampling2D bilinear: refused (TF.js aligns pixels otherwise), naming the layer, its line and the format', async () => {
    const ir = oneLayerIR('UpSampling2D', { args: { size: [2, 2], interpolation: 'bilinear' }, inputs: [{ shape: [3, 3, 1] }] });
    ir.nodes[0].line = 4;
    const outcome = await findExporter('tfjs')!.run({ model: ir, train: null, weights: [], trained: false, metadata: {}, modelFile: '/tmp/m.netspec' }, { quantize: null });
    assert.ok(!outcome.ok);
    if (outcome.ok) return;
    assert.equal(outcome.error.line, 4);
    assert.match(outcome.error.message, /^UpSampling2D \(layer\) cannot be exported to tfjs \(TensorFlow\.js Layers\): TensorFlow\.js's bilinear UpSampling2D has no half-pixel centres/);
  });

  const exampleFiles = readdirSync('examples').flatMap((d) => {
    try {
      return readdirSync(join('examples', d)).filter((f) => f.endsWith('.netspec')).map((f) => join('examples', d, f));
    } catch {
      return [];
    }
  });
  for (const file of exampleFiles) {
    test(`example ${file}`, async () => {
      const checked = checkText(readFileSync(file, 'utf8'), { path: file });
      for (const m of checked.models) {
        assert.ok(m.ir, `${m.name} has an IR`);
        const missing = m.ir.nodes.find((n) => TFJS_MISSING.has(n.op));
        if (missing) {
          const outcome = await findExporter('tfjs')!.run({ model: m.ir, train: null, weights: await freshWeights(m.ir), trained: false, metadata: {}, modelFile: file }, { quantize: null });
          assert.equal(outcome.ok, false);
          if (!outcome.ok) assert.equal(outcome.error.node, missing.id);
        } else {
          await roundTrip(m.ir, 51);
        }
      }
    });
  }

  test('worst relative difference', () => {
    console.log(`tfjs export: worst relative difference vs the engine ${worst.toExponential(2)}`);
    assert.ok(worst <= TOL);
  });
});

async function freshWeights(ir: ModelIR): Promise<NamedArray[]> {
  const built = Model.build(ir, 1);
  assert.ok(built.ok);
  const w = await downloadWeights(built.model);
  built.model.dispose();
  return w;
}
