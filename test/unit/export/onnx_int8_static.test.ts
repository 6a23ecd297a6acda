// Static int8 (calibrated QDQ activations): what onnxruntime computes with model.int8.onnx
// agrees with the engine's simulation (dequantized weights, fake-quantized activations).

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { test } from 'node:test';
import onnxproto from 'onnx-proto';
import { buildOnnxGraph, onnxExporter } from '../../../engine/src/export/onnx/exporter';
import { activationQuant, calibrate, fakeQuantize, roundHalfEven } from '../../../engine/src/export/onnx/calibrate';
import { predictInt8 } from '../../../engine/src/export/onnx/int8_report';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import type { Dataset } from '../../../engine/src/data/dataset';
import { modelFrom, ortOutputs, randomInputs, randomWeights, type Feed } from './onnx_helpers';

const MODEL = `model Q {
  input ids: [6] int
  input img: [6, 6, 2]
  e = ids -> Embedding(9, 8) -> PositionEmbedding(6)
  a = e -> MultiHeadAttention(2)
  r = a -> LSTM(3, return_sequences=true) -> Conv1D(3, 2)
  c = img -> Conv2D(4, 3, activation=relu) -> Conv2D(3, 2, padding=same) -> GlobalAvgPool2D()
  output seq = r -> Flatten() -> Dense(5, activation=gelu) -> Dense(2)
  output image = c -> BatchNorm() -> Dense(3, activation=softmax)
}
`;

function dataset(feeds: Record<string, Feed>, count: number): Dataset {
  return { count, inputs: Object.fromEntries(Object.entries(feeds).map(([k, f]) => [k, { data: f.data, sampleShape: f.shape.slice(1) }])), targets: {} };
}

test('QuantizeLinear / DequantizeLinear as ONNX defines them (uint8, ties to even, saturating)', () => {
  const p = activationQuant(-1, 3);
  assert.equal(p.scale, Math.fround(4 / 255));
  assert.equal(p.zeroPoint, roundHalfEven(1 / p.scale));
  assert.equal(activationQuant(0.5, 2).zeroPoint, 0); // the range always holds 0
  assert.equal(roundHalfEven(2.5), 2);
  assert.equal(roundHalfEven(3.5), 4);
  assert.equal(roundHalfEven(-2.5), -2);
  const q = { scale: 0.5, zeroPoint: 10, min: 0, max: 0 };
  assert.deepEqual(Array.from(fakeQuantize([0.25, 0.75, -100, 1000, 1], q)), [0, 1, -5, 122.5, 1]);
});

test('static int8: onnxruntime on model.int8.onnx agrees with the engine simulation', async () => {
  setBackend(new CpuBackend());
  const { ir } = modelFrom(MODEL);
  const weights = randomWeights(ir, 5);
  const built = buildOnnxGraph(ir, weights);
  assert.ok(built.ok);
  const calib = randomInputs(ir, 64, {}, 7, 9);
  const c = await calibrate(ir, weights, dataset(calib, 64));
  assert.ok(c.ok);
  const convs = ir.nodes.filter((n) => /^Conv[12]D$/.test(n.op)).map((n) => `${n.id}:output`);
  assert.deepEqual([...c.quants.keys()].sort(), [...ir.nodes.filter((n) => /^(Dense|Conv1D|Conv2D)$/.test(n.op)).map((n) => n.id), ...convs].sort());
  const int8 = built.builder.encode(ir.name, true, 'test', {}, c.quants);
  const graph = onnxproto.onnx.ModelProto.decode(int8).graph as onnxproto.onnx.GraphProto;
  assert.equal(graph.node.filter((n) => n.opType === 'QuantizeLinear').length, c.quants.size);
  // The float model has no QDQ and no trace of the activation names.
  const floatGraph = onnxproto.onnx.ModelProto.decode(built.builder.encode(ir.name, false, 'test', {}, c.quants)).graph as onnxproto.onnx.GraphProto;
  assert.ok(!floatGraph.node.some((n) => n.opType === 'QuantizeLinear' || (n.input ?? []).some((i) => i.endsWith('_dequantized'))));
  const n = 16;
  const feeds = randomInputs(ir, n, {}, 4, 9);
  const sim = await predictInt8(ir, weights, dataset(feeds, n), c.quants);
  assert.ok(sim.ok);
  for (const level of ['basic', 'all'] as const) {
    const ort = await ortOutputs(int8, feeds, level);
    for (const out of ir.outputs) {
      const expected = sim.outputs[out.name].rows.flatMap((r) => Array.from(r));
      const actual = ort[out.name].data;
      let maxAbs = 0;
      let scaleOf = 0;
      for (let i = 0; i < expected.length; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(actual[i] - expected[i]));
        scaleOf = Math.max(scaleOf, Math.abs(expected[i]));
      }
      console.log(`static int8 ${out.name} (${level}): largest |onnxruntime - simulation| ${maxAbs.toExponential(2)} (largest |y| ${scaleOf.toFixed(3)})`);
      // 'basic' runs QuantizeLinear, DequantizeLinear and the float operators as written:
      // float32 rounding only. 'all' fuses (QGemm, MatMulNBits for the weight-only attention
      // and LSTM kernels), whose own rounding may move a requantized value by one step.
      assert.ok(maxAbs <= (level === 'basic' ? 1e-5 : 1e-2), `${out.name} (${level}): ${maxAbs}`);
    }
  }
});

test('without training data, or with nothing to quantize statically, int8 is weight-only and says why', async () => {
  setBackend(new CpuBackend());
  const mlp = modelFrom('model M {\n  input x: [4]\n  Dense(3)\n}\n');
  const none = await onnxExporter.run(
    { model: mlp.ir, train: null, weights: randomWeights(mlp.ir), trained: false, metadata: {}, modelFile: '/tmp/m.netspec' },
    { quantize: 'int8' },
  );
  assert.ok(none.ok);
  assert.equal(none.report?.int8Mode, 'weight-only');
  assert.ok(none.notes.some((n) => /weight-only \(activations stay float\): no training data/.test(n)), none.notes.join('; '));
  const graph = onnxproto.onnx.ModelProto.decode(none.files[1].data as Uint8Array).graph as onnxproto.onnx.GraphProto;
  assert.ok(!graph.node.some((n) => n.opType === 'QuantizeLinear'));
  const rnn = modelFrom('model R {\n  input x: [5, 2]\n  LSTM(3)\n}\n');
  const feeds = randomInputs(rnn.ir, 4);
  const seq = await onnxExporter.run(
    { model: rnn.ir, train: null, weights: randomWeights(rnn.ir), trained: false, metadata: {}, modelFile: '/tmp/r.netspec' },
    { quantize: 'int8', validation: async () => ({ ok: true, data: dataset(feeds, 4), what: 'the validation data', calibration: dataset(feeds, 4) }) },
  );
  assert.ok(seq.ok);
  assert.equal(seq.report?.int8Mode, 'weight-only');
  assert.ok(seq.notes.some((n) => /no Dense or convolution/.test(n)), seq.notes.join('; '));
});

test('onnxruntime turns the QDQ groups into integer kernels (QLinearConv, QGemm) and agrees with the simulation', async () => {
  setBackend(new CpuBackend());
  const { ir } = modelFrom('model C {\n  input img: [8, 8, 2]\n  Conv2D(4, 3, activation=relu)\n  Conv2D(3, 3, padding=same)\n  Flatten()\n  Dense(6, activation=relu)\n  Dense(3)\n}\n');
  const weights = randomWeights(ir, 2);
  const built = buildOnnxGraph(ir, weights);
  assert.ok(built.ok);
  const c = await calibrate(ir, weights, dataset(randomInputs(ir, 64, {}, 8), 64));
  assert.ok(c.ok);
  const int8 = built.builder.encode(ir.name, true, 'test', {}, c.quants);
  const dir = mkdtempSync(join(tmpdir(), 'netspec-int8-'));
  try {
    const path = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(int8, { graphOptimizationLevel: 'extended', optimizedModelFilePath: path, intraOpNumThreads: 1 });
    await session.release();
    const ops = (onnxproto.onnx.ModelProto.decode(readFileSync(path)).graph as onnxproto.onnx.GraphProto).node.map((n) => n.opType);
    console.log(`optimized int8 graph: ${ops.join(', ')}`);
    assert.equal(ops.filter((o) => o === 'QLinearConv').length, 2);
    assert.ok(ops.includes('QGemm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const feeds = randomInputs(ir, 16, {}, 9);
  const sim = await predictInt8(ir, weights, dataset(feeds, 16), c.quants);
  assert.ok(sim.ok);
  const q = c.quants.get(ir.nodes.at(-1)!.id)!;
  for (const level of ['basic', 'all'] as const) {
    const out = (await ortOutputs(int8, feeds, level)).output.data;
    const expected = sim.outputs.output.rows.flatMap((r) => Array.from(r));
    const maxAbs = Math.max(...expected.map((v, i) => Math.abs(out[i] - v)));
    console.log(`conv + dense int8 (${level}): largest |onnxruntime - simulation| ${maxAbs.toExponential(2)} (last input step ${q.scale.toExponential(2)})`);
    assert.ok(maxAbs <= (level === 'basic' ? 1e-5 : 1e-2), `${level}: ${maxAbs}`);
  }
});
