// `netspec export --format onnx` from the bundle (dist/cli.js, built by `npm run build`) as a
// user runs it: iris trained for 2 epochs on the CPU, exported, and model.onnx run in
// onnxruntime on iris.csv gives what `netspec predict --json` prints; --quantize int8 adds
// model.int8.onnx and reports sizes and the accuracy change; bad input (weights of another
// model, a missing weights file, an unwritable folder) exits 2 with a clear message and
// writes nothing. Also the error value for a layer ONNX cannot express.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import type { ModelIR } from '../../engine/catalog/ir';
import { onnxExporter } from '../../engine/src/export/onnx/exporter';
import { encodeSafetensors } from '../../engine/src/io/safetensors';
import { compare, modelFrom, ortOutputs, randomWeights } from '../unit/export/onnx_helpers';

const CLI = resolve('dist/cli.js');
let dir = '';

function netspec(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-onnx-'));
  for (const f of ['iris.netspec', 'iris.csv']) copyFileSync(resolve('examples/iris', f), join(dir, f));
  const trained = netspec(['train', 'iris.netspec', '--epochs', '2', '--backend', 'cpu', '--out', 'w.safetensors']);
  assert.equal(trained.status, 0, trained.stderr);
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('export then onnxruntime on iris.csv equals netspec predict --json', async () => {
  const r = netspec(['export', 'iris.netspec', '--format', 'onnx', '--weights', 'w.safetensors', '--out', 'out', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { files: string[]; trained: boolean; opset: number };
  assert.deepEqual(report.files, ['model.onnx']);
  assert.equal(report.trained, true);
  assert.equal(report.opset, 17);
  assert.deepEqual(readdirSync(join(dir, 'out')), ['model.onnx']);

  const p = netspec(['predict', 'iris.netspec', '--weights', 'w.safetensors', '--data', 'iris.csv', '--json']);
  assert.equal(p.status, 0, p.stderr);
  const predicted = p.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { outputs: { output: number[] } }).outputs.output);
  const rows = readFileSync(join(dir, 'iris.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
  const onnx = await ortOutputs(new Uint8Array(readFileSync(join(dir, 'out/model.onnx'))), { x: { data: Float32Array.from(rows.flat()), shape: [rows.length, 4] } });
  assert.deepEqual(onnx.output.dims, [150, 3]);
  // predict prints 7 significant digits.
  const c = compare(onnx.output.data, predicted.flat());
  console.log(`iris through the CLI: worst relative difference onnxruntime vs netspec predict ${c.worstRel.toExponential(2)}`);
  assert.ok(c.ok);
});

test('--quantize int8 writes model.int8.onnx and reports sizes and the accuracy change', async () => {
  const r = netspec(['export', 'iris.netspec', '--format', 'onnx', '--weights', 'w.safetensors', '--out', 'q', '--quantize', 'int8', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    files: string[]; onnxBytes: number; int8Bytes: number; notes: string[]; int8Mode: string;
    int8Calibration: { data: string; rows: number; activations: Record<string, { scale: number; zeroPoint: number }> };
    int8Validation: { samples: number; outputs: { output: { floatAccuracy: number; int8Accuracy: number; accuracyChange: number } } };
  };
  assert.deepEqual(report.files, ['model.onnx', 'model.int8.onnx']);
  assert.equal(report.int8Bytes, readFileSync(join(dir, 'q/model.int8.onnx')).length);
  assert.equal(report.onnxBytes, readFileSync(join(dir, 'q/model.onnx')).length);
  const acc = report.int8Validation.outputs.output;
  console.log(`iris int8 (2 epochs): ${report.notes.join('; ')}`);
  assert.equal(report.int8Validation.samples, 30);
  // Static int8: the inputs of iris's two Dense layers calibrated on its 120 training rows.
  assert.equal(report.int8Mode, 'static');
  assert.equal(report.int8Calibration.rows, 120);
  assert.deepEqual(Object.keys(report.int8Calibration.activations).length, 2);
  assert.ok(Math.abs(acc.accuracyChange) <= 0.02, JSON.stringify(acc));
  const text = netspec(['export', 'iris.netspec', '--format', 'onnx', '--weights', 'w.safetensors', '--out', 'q', '--quantize', 'int8']);
  assert.equal(text.status, 0);
  assert.match(text.stderr, /note: model\.int8\.onnx is \d+ bytes/);
  assert.match(text.stderr, /note: int8 activations: the inputs of 2 Dense\/convolution layer\(s\) quantized to uint8 \(per tensor\), calibrated on 120 rows of the training data/);
  assert.match(text.stderr, /note: int8 on the validation data \(30 samples\), output output: accuracy/);
  const run = await ortOutputs(new Uint8Array(readFileSync(join(dir, 'q/model.int8.onnx'))), { x: { data: Float32Array.from([5.1, 3.5, 1.4, 0.2]), shape: [1, 4] } });
  assert.deepEqual(run.output.dims, [1, 3]);
});

test('weights of another model: exit 2, the message names the weights, nothing written', () => {
  const { ir } = modelFrom('model Other {\n  input x: [4]\n  Dense(5)\n}\n');
  writeFileSync(join(dir, 'other.safetensors'), encodeSafetensors(randomWeights(ir)));
  const r = netspec(['export', 'iris.netspec', '--format', 'onnx', '--model', 'Iris', '--weights', 'other.safetensors', '--out', 'bad1']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /other\.safetensors: error: weight dense\/kernel has shape \[4, 5\] in the file, but the model needs \[4, 16\]/);
  assert.equal(existsSync(join(dir, 'bad1')), false);
});

test('a missing weights file: exit 2, nothing written', () => {
  const r = netspec(['export', 'iris.netspec', '--format', 'onnx', '--weights', 'nope.safetensors', '--out', 'bad2']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /nope\.safetensors: error: cannot read the weights file \(ENOENT\)/);
  assert.equal(existsSync(join(dir, 'bad2')), false);
});

test('an unwritable out folder: exit 2, nothing written', () => {
  writeFileSync(join(dir, 'afile'), 'x');
  const r = netspec(['export', 'iris.netspec', '--format', 'onnx', '--out', 'afile/sub']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /netspec export: error: cannot create a folder in .*afile/);
  mkdirSync(join(dir, 'locked'));
  chmodSync(join(dir, 'locked'), 0o500);
  try {
    const locked = netspec(['export', 'iris.netspec', '--format', 'onnx', '--out', 'locked/out']);
    // root may write anywhere; everyone else gets exit 2 and an untouched folder.
    if (process.getuid?.() !== 0) {
      assert.equal(locked.status, 2);
      assert.deepEqual(readdirSync(join(dir, 'locked')), []);
    }
  } finally {
    chmodSync(join(dir, 'locked'), 0o700);
  }
});

test('a layer ONNX cannot express is an error value naming the layer, the format and the line', async () => {
  const { ir } = modelFrom('model M {\n  input x: [4]\n  Dense(3)\n}\n');
  const odd: ModelIR = { ...ir, nodes: [{ ...ir.nodes[0], op: 'Wavelet', line: 2 }] };
  const outcome = await onnxExporter.run({ model: odd, train: null, weights: randomWeights(ir), trained: false, metadata: {}, modelFile: '/m.netspec' }, { quantize: null });
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.match(outcome.error.message, /the layer Wavelet \(dense\) cannot be expressed in ONNX/);
  assert.equal(outcome.error.node, 'dense');
  assert.equal(outcome.error.line, 2);
});
