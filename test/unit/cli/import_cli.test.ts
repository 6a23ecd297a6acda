// `netspec import` through the command line (runCli, in process) on files in a temporary
// folder: a TF.js model.json + weights.bin saved there imports to a .netspec file that
// `netspec check --json` counts as TF.js does, and `netspec predict --json` on the written
// weights gives TF.js's predictions; a .keras archive's config.json imports without weights;
// a model with a layer Netspec lacks is exit 2 with the layer named and nothing written.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { runCli } from '../../../cli/src/cli';
import type { CliIO } from '../../../cli/src/io';
import { decodeSafetensors } from '../../../engine/src/io/safetensors';
import { relError } from '../engine/helpers';
import { randomizeWeights, saveTfjs, tfjsOutputs } from '../import/keras_import_helpers';

let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-import-cli-'));
  await tf.setBackend('cpu');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += t), err: (t) => (err += t), readText: async (p) => readFileSync(p, 'utf8'), cwd: dir };
  const status = await runCli(args, io);
  return { status, out, err };
}

/** Writes a TF.js model as tf.io's file handlers do: model.json and the weights.bin it names. */
async function writeTfjs(model: tf.LayersModel, folder: string): Promise<void> {
  const saved = await saveTfjs(model);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  writeFileSync(join(folder, 'model.json'), JSON.stringify(saved.json));
  writeFileSync(join(folder, 'weights.bin'), saved.shards.get('weights.bin')!);
}

/** A zip archive of deflated entries, as Keras writes a .keras file. */
function zip(entries: Record<string, string>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const raw = Buffer.from(text);
    const data = deflateRawSync(raw);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(n.length, 26);
    const dirEntry = Buffer.alloc(46);
    dirEntry.writeUInt32LE(0x02014b50, 0);
    dirEntry.writeUInt16LE(8, 10);
    dirEntry.writeUInt32LE(data.length, 20);
    dirEntry.writeUInt32LE(raw.length, 24);
    dirEntry.writeUInt16LE(n.length, 28);
    dirEntry.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(dirEntry, n);
    offset += 30 + n.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dirBytes, end]));
}

describe('netspec import', () => {
  test('a TF.js model.json + weights.bin: check counts its parameters, predict gives its outputs', async () => {
    const m = tf.sequential({ name: 'scorer' });
    m.add(tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.dense({ units: 2 }));
    randomizeWeights(m, 31);
    await writeTfjs(m, join(dir, 'tfjs'));

    const r = await run(['import', 'tfjs/model.json', '--out', 'scorer.netspec', '--json']);
    assert.equal(r.status, 0, r.err);
    const report = JSON.parse(r.out) as { model: string; weights: string; params: number; outputs: string[] };
    assert.equal(report.model, 'Scorer');
    assert.equal(report.params, m.countParams());
    assert.equal(report.weights, join(dir, 'Scorer.safetensors'));
    const decoded = decodeSafetensors(new Uint8Array(readFileSync(report.weights)));
    assert.ok(decoded.ok);
    assert.equal(decoded.metadata.model, 'Scorer');

    const checked = await run(['check', '--json', 'scorer.netspec']);
    assert.equal(checked.status, 0, checked.out);
    const file = (JSON.parse(checked.out) as { files: { diagnostics: unknown[]; models: { params: number }[] }[] }).files[0];
    assert.deepEqual(file.diagnostics, []);
    assert.equal(file.models[0].params, m.countParams());

    const rows = [[0.5, -1, 2, 0.25], [-0.75, 0.1, 0.3, -2], [1.5, 1.2, -0.4, 0.9]];
    writeFileSync(join(dir, 'rows.csv'), `a,b,c,d\n${rows.map((row) => row.join(',')).join('\n')}\n`);
    const predicted = await run(['predict', 'scorer.netspec', '--weights', 'Scorer.safetensors', '--data', 'rows.csv', '--json']);
    assert.equal(predicted.status, 0, predicted.err);
    const ours = predicted.out.trim().split('\n').flatMap((line) => (JSON.parse(line) as { outputs: { output: number[] } }).outputs.output);
    const theirs = tfjsOutputs(m, [{ shape: [3, 4], dtype: 'float32', data: rows.flat() }])[0];
    assert.ok(relError(ours, theirs.data, 1e-2) <= 1e-5, `${ours} vs ${Array.from(theirs.data)}`);
  });

  test('a .keras archive: its config.json imports, and the note says the HDF5 weights are not read', async () => {
    const config = {
      class_name: 'Sequential',
      config: { name: 'tiny', layers: [{ class_name: 'InputLayer', config: { batch_shape: [null, 3], dtype: 'float32', name: 'x' } }, { class_name: 'Dense', config: { name: 'd', units: 2, activation: 'sigmoid' } }] },
    };
    writeFileSync(join(dir, 'tiny.keras'), zip({ 'metadata.json': '{"keras_version": "3.5.0"}', 'config.json': JSON.stringify(config), 'model.weights.h5': 'HDF5' }));
    const r = await run(['import', 'tiny.keras']);
    assert.equal(r.status, 0, r.err);
    assert.match(r.out, /^imported Tiny \(1 Keras layers, 8 parameters\) to tiny\.netspec \(the file has no weights\)/);
    assert.match(r.err, /model\.weights\.h5, HDF5\) are not imported/);
    assert.match(readFileSync(join(dir, 'tiny.netspec'), 'utf8'), /model Tiny \{\n {2}input x: \[3\]\n {2}Dense\(2, activation=sigmoid\)\n\}/);
  });

  test('a layer Netspec lacks: exit 2, the layer named by its Keras name, nothing written', async () => {
    const m = tf.sequential({ name: 'odd' });
    m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
    m.add(tf.layers.gaussianNoise({ stddev: 0.1, name: 'again' }));
    await writeTfjs(m, join(dir, 'odd'));
    const r = await run(['import', 'odd/model.json']);
    assert.equal(r.status, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /^odd\/model\.json: error: GaussianNoise layer 'again': Netspec has no such layer\nnetspec import: nothing written \(1 problem\(s\)\)\n$/);
    assert.deepEqual(readdirSync(join(dir, 'odd')).sort(), ['model.json', 'weights.bin']);
    assert.equal(existsSync(join(dir, 'Odd.safetensors')), false);
  });

  test('a missing weights file named by the manifest is exit 2', async () => {
    const m = tf.sequential({ name: 'lost' });
    m.add(tf.layers.dense({ units: 2, inputShape: [3] }));
    await writeTfjs(m, join(dir, 'lost'));
    rmSync(join(dir, 'lost', 'weights.bin'));
    const r = await run(['import', 'lost/model.json']);
    assert.equal(r.status, 2);
    assert.match(r.err, /cannot read the weights file weights\.bin that the manifest names \(ENOENT\)/);
  });
});
