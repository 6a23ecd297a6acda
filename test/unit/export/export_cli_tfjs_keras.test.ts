// `netspec export --format tfjs|keras` through the command (runExport, in process): a layer
// the format cannot express is exit 2 with the message at the layer's line and nothing
// written; a trained export writes the format's files, and the weights in them are the
// weights file's.

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runExport } from '../../../cli/src/export';
import type { CliIO } from '../../../cli/src/io';
import { decodeSafetensors, encodeSafetensors } from '../../../engine/src/io/safetensors';
import { memoryHandler } from './tfjs_io';

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-export-cli-'));
  await tf.setBackend('cpu');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), readText: async (p) => readFileSync(p, 'utf8'), cwd: dir };
  const status = await runExport(args, io);
  return { status, out, err };
}

const SEQ = `model Seq {
  input x: [5, 3]
  GRU(4)
  Dense(2)
}
`;

const MLP = `model Mlp {
  input x: [4]
  BatchNorm()
  Dense(3, activation=leaky_relu)
  Dense(2, activation=softmax)
}
`;

describe('netspec export --format tfjs|keras', () => {
  test('tfjs: a GRU is exit 2, the message names the layer, its line and the format, and nothing is written', async () => {
    writeFileSync(join(dir, 'seq.netspec'), SEQ);
    const r = await run(['seq.netspec', '--format', 'tfjs', '--out', 'seq-out']);
    assert.equal(r.status, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^seq\.netspec:3:1: error: GRU \(gru\) cannot be exported to tfjs \(TensorFlow\.js Layers\): TensorFlow\.js 4\.22's GRU does not support reset_after=True/);
    assert.equal(existsSync(join(dir, 'seq-out')), false);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('seq-out') || f.startsWith('.seq-out')), []);
  });

  test('keras: the same model exports (Keras 3 has GRU with reset_after=True)', async () => {
    const r = await run(['seq.netspec', '--format', 'keras', '--json']);
    assert.equal(r.status, 0, r.err);
    const report = JSON.parse(r.out);
    assert.deepEqual(report.files, ['model_keras.py', 'weights.safetensors']);
    assert.equal(report.trained, false);
    assert.match(readFileSync(join(dir, 'Seq-keras', 'model_keras.py'), 'utf8'), /keras\.layers\.GRU\(units=4, return_sequences=False, activation="tanh", recurrent_activation="sigmoid", reset_after=True, use_bias=True, name="gru"\)\(x\)/);
  });

  test('tfjs and keras with --weights: the exported weights are the weights file\'s', async () => {
    writeFileSync(join(dir, 'mlp.netspec'), MLP);
    const shapes: [string, number[]][] = [
      ['batch_norm/gamma', [4]], ['batch_norm/beta', [4]], ['batch_norm/moving_mean', [4]], ['batch_norm/moving_variance', [4]],
      ['dense/kernel', [4, 3]], ['dense/bias', [3]], ['dense_1/kernel', [3, 2]], ['dense_1/bias', [2]],
    ];
    let v = 0;
    const arrays = shapes.map(([name, shape]) => ({ name, shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 0.5 + 0.01 * v++) }));
    writeFileSync(join(dir, 'Mlp.safetensors'), encodeSafetensors(arrays, { model: 'Mlp', labels: '["a","b"]' }));

    const t = await run(['mlp.netspec', '--format', 'tfjs', '--weights', 'Mlp.safetensors', '--json']);
    assert.equal(t.status, 0, t.err);
    assert.deepEqual(JSON.parse(t.out).files, ['model.json', 'weights.bin']);
    const folder = join(dir, 'Mlp-tfjs');
    const files = ['model.json', 'weights.bin'].map((p) => ({ path: p, data: p.endsWith('.json') ? readFileSync(join(folder, p), 'utf8') : new Uint8Array(readFileSync(join(folder, p))) }));
    const model = await tf.loadLayersModel(memoryHandler(files));
    assert.deepEqual(model.layers.map((l) => l.name), ['x', 'batch_norm', 'dense', 'dense_leaky_relu', 'dense_1']);
    const byName = new Map(model.weights.map((w) => [w.originalName, w.read().dataSync()]));
    for (const a of arrays) assert.deepEqual([...byName.get(a.name)!], [...a.data], a.name);
    model.dispose();

    const k = await run(['mlp.netspec', '--format', 'keras', '--weights', 'Mlp.safetensors', '--out', 'keras-out']);
    assert.equal(k.status, 0, k.err);
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'keras-out', 'weights.safetensors'))));
    assert.ok(decoded.ok);
    assert.deepEqual(decoded.arrays.map((a) => [a.name, [...a.data]]), arrays.map((a) => [a.name, [...a.data]]));
    assert.equal(decoded.metadata.labels, '["a","b"]');
  });
});
