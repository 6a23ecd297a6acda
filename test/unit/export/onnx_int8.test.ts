// int8 export: the int8 model runs in onnxruntime and computes exactly what the engine
// computes with the dequantized weights (every quantized weight layout: Dense, convolutions,
// recurrent kernels with reordered gates, attention, embeddings); it is under 35% of the
// float model for a Dense-heavy model; and on MNIST (an MLP trained one epoch on 2000
// images, activations calibrated on 512 training images) the accuracy change on the
// example's 2000 validation images is printed and small, and onnxruntime's logits stay
// within a stated bound of the engine's QDQ simulation (onnx_int8_static.test.ts checks the
// simulation against onnxruntime on every statically quantized layout).

import assert from 'node:assert/strict';
import onnxproto from 'onnx-proto';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { loadTrainingData } from '../../../engine/src/data/load';
import { buildOnnxGraph, onnxExporter } from '../../../engine/src/export/onnx/exporter';
import { dequantizedWeights, quantizeChannels, quantPlan } from '../../../engine/src/export/onnx/quantize';
import type { ActivationQuant } from '../../../engine/src/export/onnx/calibrate';
import { predictInt8 } from '../../../engine/src/export/onnx/int8_report';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { NamedArray } from '../../../engine/src/train/types';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { train } from '../../../engine/src/train/run';
import { setBackend } from '../../../engine/src/tensor';
import type { Dataset } from '../../../engine/src/data/dataset';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { compare, engineOutputs, modelFrom, ortOutputs, randomInputs, randomWeights } from './onnx_helpers';

const QUANTIZED_LAYERS = `model Q {
  input ids: [6] int
  input img: [6, 6, 2]
  e = ids -> Embedding(9, 8) -> PositionEmbedding(6)
  a = e -> MultiHeadAttention(2)
  r = a -> LSTM(3, return_sequences=true) -> GRU(3, return_sequences=true) -> SimpleRNN(4, return_sequences=true) -> Bidirectional(LSTM(2, return_sequences=true)) -> Conv1D(3, 2)
  c = img -> Conv2D(4, 3, activation=relu) -> GlobalAvgPool2D()
  output seq = r -> Flatten() -> Dense(2)
  output image = c -> BatchNorm() -> Dense(3, activation=softmax)
}
`;

test('a wrapped layer\'s weights (Bidirectional\'s forward_lstm/...) are quantized as the layer\'s own', () => {
  for (const local of ['kernel', 'recurrent_kernel', 'bias']) {
    assert.deepEqual(quantPlan(`backward_lstm/${local}`, [2, 8]), quantPlan(local, [2, 8]), local);
  }
});

test('quantization is symmetric per channel and round-trips within half a step', () => {
  const data = Float32Array.from([0.5, -2, 0.25, 1, 0, 0]);
  const q = quantizeChannels(data, { channels: 'last', count: 2 });
  assert.deepEqual(Array.from(q.scale), [Math.fround(0.5 / 127), Math.fround(2 / 127)]);
  assert.deepEqual(Array.from(q.q), [127, -127, 64, 64, 0, 0]);
  for (let i = 0; i < data.length; i++) assert.ok(Math.abs(q.dequantized[i] - data[i]) <= q.scale[i % 2] / 2 + 1e-9);
  const rows = quantizeChannels(Float32Array.from([0, 0, 1, -3]), { channels: 'first', count: 2 });
  assert.deepEqual(Array.from(rows.scale), [1, Math.fround(3 / 127)]);
});

test('the int8 model in onnxruntime equals the engine with dequantized weights (every quantized layout)', async () => {
  const { ir } = modelFrom(QUANTIZED_LAYERS);
  const weights = randomWeights(ir, 5);
  const built = buildOnnxGraph(ir, weights);
  assert.ok(built.ok);
  const int8 = built.builder.encode(ir.name, true, 'test');
  const feeds = randomInputs(ir, 3, {}, 4, 9);
  const expected = await engineOutputs(ir, dequantizedWeights(ir, weights), feeds);
  // At 'basic', onnxruntime runs DequantizeLinear and then the float operators, as written.
  const actual = await ortOutputs(int8, feeds, 'basic');
  const floatOut = await engineOutputs(ir, weights, feeds);
  // At its default level ('all') it fuses DequantizeLinear + MatMul into MatMulNBits, whose
  // own arithmetic differs a little; the difference is printed, not asserted.
  const fused = await ortOutputs(int8, feeds, 'all');
  for (const out of ir.outputs) {
    const r = compare(actual[out.name].data, expected[out.name]);
    assert.ok(r.ok, `${out.name}: worst relative difference ${r.worstRel}`);
    // ...and differs from the float model, so the quantized weights are in use.
    assert.ok(compare(actual[out.name].data, floatOut[out.name]).maxAbs > 0);
    const f = compare(fused[out.name].data, expected[out.name]);
    console.log(`int8 ${out.name}: onnxruntime 'basic' vs engine (dequantized) worst relative ${r.worstRel.toExponential(2)}; 'all' (MatMulNBits) largest absolute ${f.maxAbs.toExponential(2)}`);
  }
});

test('a Dense-heavy model: model.int8.onnx is under 35% of model.onnx', async () => {
  const { ir, train: config } = modelFrom('model Mlp {\n  input image: [28, 28]\n  Flatten()\n  Dense(128, activation=relu)\n  Dense(64, activation=relu)\n  Dense(10)\n}\n');
  const outcome = await onnxExporter.run(
    { model: ir, train: config, weights: randomWeights(ir), trained: false, metadata: {}, modelFile: '/tmp/mlp.netspec' },
    { quantize: 'int8' },
  );
  assert.ok(outcome.ok);
  const [float, int8] = outcome.files.map((f) => f.data.length);
  console.log(`MNIST MLP: model.onnx ${float} bytes, model.int8.onnx ${int8} bytes (${((100 * int8) / float).toFixed(1)}%)`);
  assert.ok(int8 < 0.35 * float, `${int8} vs ${float}`);
  assert.equal(outcome.report?.int8Bytes, int8);
  assert.ok(outcome.notes.some((n) => /not measured/.test(n)));
  const session = await ortOutputs(outcome.files[1].data as Uint8Array, randomInputs(ir, 2));
  assert.deepEqual(session.output.dims, [2, 10]);
});

/**
 * How far onnxruntime's logits are from the simulation, and the tolerance: where ties of
 * QuantizeLinear's rounding (or float32 rounding just below one) land differently, an input
 * of the last Dense moves by one quantization step, so a logit moves by at most that step
 * times the largest column sum of |w| (plus float32 rounding of the sum).
 */
function int8Difference(actual: Float32Array, rows: Float32Array[], ir: ModelIR, weights: readonly NamedArray[], quants: Map<string, ActivationQuant>) {
  const last = ir.nodes.filter((n) => n.op === 'Dense').at(-1)!;
  const kernel = dequantizedWeights(ir, weights).find((w) => w.name === `${last.id}/kernel`)!;
  const [fanIn, units] = kernel.shape;
  let colSum = 0;
  for (let u = 0; u < units; u++) {
    let sum = 0;
    for (let i = 0; i < fanIn; i++) sum += Math.abs(kernel.data[i * units + u]);
    colSum = Math.max(colSum, sum);
  }
  let maxAbs = 0;
  let argmaxDiffers = 0;
  let rowsDiffer = 0;
  rows.forEach((row, i) => {
    const a = actual.subarray(i * row.length, (i + 1) * row.length);
    let rowMax = 0;
    row.forEach((v, j) => (rowMax = Math.max(rowMax, Math.abs(a[j] - v))));
    maxAbs = Math.max(maxAbs, rowMax);
    if (rowMax > 1e-4) rowsDiffer++;
    if (a.indexOf(Math.max(...a)) !== row.indexOf(Math.max(...row))) argmaxDiffers++;
  });
  return { maxAbs, argmaxDiffers, rowsDiffer, tolerance: quants.get(last.id)!.scale * colSum + 1e-4 };
}

/** Samples [from, from + n) of `d`. */
function rows(d: Dataset, from: number, n: number): Dataset {
  const pick = (sets: Dataset['inputs']) =>
    Object.fromEntries(Object.entries(sets).map(([k, s]) => {
      const per = s.sampleShape.reduce((a, b) => a * b, 1);
      return [k, { ...s, data: s.data.subarray(from * per, (from + n) * per) }];
    }));
  return { ...d, count: n, inputs: pick(d.inputs), targets: pick(d.targets) };
}

test('MNIST MLP: the accuracy change of int8 on validation images is small', async () => {
  const file = resolve('examples/mnist/mnist_mlp.netspec');
  const { readFile } = await import('node:fs/promises');
  const { ir, train: config } = modelFrom(await readFile(file, 'utf8'), file);
  assert.ok(config);
  const loaded = await loadTrainingData(config, ir, nodeFiles);
  assert.ok(loaded.ok);
  setBackend(new CpuBackend());
  const trained = await train(ir, { ...config, epochs: 1 }, rows(loaded.value.train, 0, 2000), null);
  assert.ok(trained.ok);
  const validation = loaded.value.validation!; // the example's t10k file: 2000 images
  const outcome = await onnxExporter.run(
    { model: ir, train: config, weights: trained.result.weights, trained: true, metadata: {}, modelFile: file },
    { quantize: 'int8', validation: async () => ({ ok: true, data: validation, what: 'the validation data', calibration: loaded.value.train }) },
  );
  assert.ok(outcome.ok);
  for (const n of outcome.notes) console.log(`MNIST MLP: ${n}`);
  assert.equal(outcome.report?.int8Mode, 'static');
  const calibration = outcome.report?.int8Calibration as { rows: number; activations: Record<string, ActivationQuant> };
  assert.equal(calibration.rows, 512);
  assert.equal(Object.keys(calibration.activations).length, 3);
  const v = outcome.report?.int8Validation as { outputs: Record<string, { floatAccuracy: number; int8Accuracy: number; accuracyChange: number }> };
  const out = v.outputs.output;
  assert.ok(out.floatAccuracy > 0.7, `float accuracy ${out.floatAccuracy}`);
  assert.ok(Math.abs(out.accuracyChange) <= 0.02, `accuracy change ${out.accuracyChange}`);
  // The int8 file itself in onnxruntime (default level, MatMulNBits) on the same images.
  const images = validation.inputs.image;
  const r = await ortOutputs(outcome.files[1].data as Uint8Array, { image: { data: images.data, shape: [validation.count, 28, 28] } });
  const labels = validation.targets.output.data;
  let right = 0;
  for (let i = 0; i < validation.count; i++) {
    const row = r.output.data.subarray(i * 10, i * 10 + 10);
    if (row.indexOf(Math.max(...row)) === labels[i]) right++;
  }
  const ortAccuracy = right / validation.count;
  console.log(`MNIST MLP: model.int8.onnx in onnxruntime: accuracy ${ortAccuracy.toFixed(4)} (float in the engine ${out.floatAccuracy.toFixed(4)}, int8 simulated ${out.int8Accuracy.toFixed(4)})`);
  assert.ok(Math.abs(ortAccuracy - out.floatAccuracy) <= 0.02);
  // onnxruntime (default level: QGemm integer kernels) against the engine's simulation.
  const quants = new Map(Object.entries(calibration.activations));
  const sim = await predictInt8(ir, trained.result.weights, validation, quants);
  assert.ok(sim.ok);
  const d = int8Difference(r.output.data, sim.outputs.output.rows, ir, trained.result.weights, quants);
  console.log(`MNIST MLP: |onnxruntime - simulation| largest ${d.maxAbs.toExponential(2)} (tolerance ${d.tolerance.toExponential(2)}: one step of the last quantized input times the largest column sum |w|); ${d.rowsDiffer} of ${validation.count} images differ by over 1e-4; argmax differs on ${d.argmaxDiffers}`);
  assert.ok(d.maxAbs <= d.tolerance, `${d.maxAbs} > ${d.tolerance}`);
});

test('the int8 file: int8 kernels and tables with per-channel scales behind DequantizeLinear; biases and norms float', () => {
  const { ir } = modelFrom(QUANTIZED_LAYERS);
  const built = buildOnnxGraph(ir, randomWeights(ir));
  assert.ok(built.ok);
  const model = onnxproto.onnx.ModelProto.decode(built.builder.encode(ir.name, true, 'test'));
  const { INT8, FLOAT } = onnxproto.onnx.TensorProto.DataType;
  const graph = model.graph as onnxproto.onnx.GraphProto;
  const inits = new Map((graph.initializer as onnxproto.onnx.TensorProto[]).map((t) => [t.name, t]));
  const dq = (graph.node as onnxproto.onnx.NodeProto[]).filter((n) => n.opType === 'DequantizeLinear');
  const quantized = ir.nodes.flatMap((n) => n.weights.filter((w) => /kernel$|embeddings/.test(w.name)).map((w) => `${n.id}/${w.name}`));
  assert.deepEqual(dq.map((n) => n.output[0]).sort(), quantized.sort());
  for (const n of dq) {
    const [q, scale, zero] = n.input.map((i) => inits.get(i)!);
    const axis = Number((n.attribute as onnxproto.onnx.AttributeProto[]).find((a) => a.name === 'axis')!.i);
    assert.equal(q.dataType, INT8);
    assert.equal(zero.dataType, INT8);
    assert.equal(scale.dataType, FLOAT);
    assert.equal(Number(scale.dims[0]), Number(q.dims[axis]), `${n.output[0]}: one scale per channel on axis ${axis}`);
  }
  for (const name of ['batch_norm/beta', 'batch_norm/moving_mean', 'batch_norm/scale', 'lstm/B', 'gru/B', 'dense/bias', 'multi_head_attention/query/bias']) {
    assert.equal(inits.get(name)?.dataType, FLOAT, `${name} in ${[...inits.keys()].join(', ')}`);
  }
  assert.deepEqual(model.opsetImport.map((o) => [o.domain, Number(o.version)]), [['', 17]]);
});
