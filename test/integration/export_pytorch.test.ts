// The PyTorch export (`netspec export --format pytorch`), run from the bundle (dist/cli.js)
// against the PyTorch that scripts/torch_setup.sh installs into .cache/torch-venv:
// - predict.py prints what `netspec predict --json` prints (same keys and order, values
//   within 1e-4) for tiny models that together use every catalog layer (random weights,
//   BatchNorm statistics included), for every example (fresh random weights, a few rows),
//   and for iris after `netspec train --epochs 2`;
//   train.py's conversion back to netspec's layouts round-trips every weight exactly;
// - data.py (plain python3) holds out the rows netspec holds out and shuffles as it does;
// - train.py as one process prints `netspec train --json`'s numbers (iris and
//   test/fixtures/export_pytorch/settings.netspec: every optimizer, regularizers, schedules,
//   multi-output losses and metrics, early stopping), also after resuming from a checkpoint;
// - train.py under `torchrun --nproc_per_node 2` (gloo, CPU) trains iris and the MNIST
//   MLP: the loss falls and rank 0 writes the checkpoint and the final weights, which
//   `netspec predict` reads back; killing a worker mid-run makes torchrun restart the
//   workers, and they resume after the checkpoint's epoch;
// - two `torchrun --nnodes 2` launches on 127.0.0.1 form one job of two processes;
// - a layer PyTorch cannot express is an error naming it and its line.
// Without torch the Python checks are skipped with a loud message, and every generated file
// is still compiled with `python3 -m py_compile`.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import type { ModelIR } from '../../engine/catalog/ir';
import type { NamedArray } from '../../engine/src/train/types';
import { decodeSafetensors, encodeSafetensors } from '../../engine/src/io/safetensors';
import { PYTORCH_EXPORTER } from '../../engine/src/export/pytorch';
import { checkText } from '../../server/src/sema/check';
import { shuffledOrder } from '../../engine/src/data/dataset';
import { Rng } from '../../engine/src/rng';

const CLI = resolve('dist/cli.js');
const FIXTURE = resolve('test/fixtures/export_pytorch/layers.netspec');
const EXAMPLES = resolve('examples');
const VENV_PY = resolve('.cache/torch-venv/bin/python');
const TORCHRUN = resolve('.cache/torch-venv/bin/torchrun');
const ENV = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', PYTHONDONTWRITEBYTECODE: '1' };
const TOLERANCE = 1e-4;

function torchPython(): string | null {
  if (!existsSync(VENV_PY)) return null;
  const r = spawnSync(VENV_PY, ['-c', 'import torch'], { env: ENV, encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? VENV_PY : null;
}

const PY = torchPython();
if (!PY) {
  const bar = '!'.repeat(78);
  console.error(`\n${bar}\n!!! PyTorch is NOT available (${VENV_PY} cannot import torch).\n!!! Run scripts/torch_setup.sh (needs a torch wheel in $PIP_FIND_LINKS).\n!!! The PyTorch export's parity and torchrun tests are SKIPPED; only py_compile runs.\n${bar}\n`);
}
const skipNoTorch = PY ? false : 'torch is not installed (scripts/torch_setup.sh)';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function netspec(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** python(), without blocking the event loop (for tests that run beside torchrun jobs). */
function pythonAsync(args: string[], cwd: string, input?: string): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(PY!, args, { cwd, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (status) => done({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

function python(args: string[], cwd: string, input?: string): Run {
  const r = spawnSync(PY!, args, { cwd, env: ENV, encoding: 'utf8', timeout: 300_000, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A little seeded generator, so every run tests the same numbers. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function npy(descr: '<f4' | '<i4', shape: number[], values: ArrayLike<number>): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = descr === '<f4' ? Buffer.from(new Float32Array(Array.from(values)).buffer) : Buffer.from(new Int32Array(Array.from(values)).buffer);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

function irOf(file: string, model: string): ModelIR {
  const checked = checkText(readFileSync(file, 'utf8'), { path: file });
  const m = checked.models.find((x) => x.name === model);
  assert.ok(m?.ir, `${file} has a checked model ${model}`);
  return m.ir;
}

/** Random weights for every weight of the model, in netspec's names (variances positive). */
function randomWeights(ir: ModelIR, seed: number, labels?: Record<string, string[] | null>): Buffer {
  const rand = lcg(seed);
  const arrays = ir.nodes.flatMap((n) =>
    n.weights.map((w) => {
      const size = w.shape.reduce((a, b) => a * b, 1);
      const variance = w.name === 'moving_variance';
      const data = Float32Array.from({ length: size }, () => (variance ? 0.5 + rand() : (rand() - 0.5) * 1.2));
      return { name: `${n.id}/${w.name}`, shape: w.shape, data };
    }),
  );
  const metadata: Record<string, string> = { format: 'netspec', model: ir.name };
  if (labels) metadata.labels = JSON.stringify(labels);
  return Buffer.from(encodeSafetensors(arrays, metadata));
}

/** Random features for `count` samples of the model's inputs (ids below `vocab` for int inputs). */
function randomFeatures(ir: ModelIR, count: number, seed: number, vocab = 11): { width: number; values: number[]; int: boolean } {
  const rand = lcg(seed);
  const width = ir.inputs.reduce((a, i) => a + (i.shape as number[]).reduce((x, y) => x * y, 1), 0);
  const int = ir.inputs.every((i) => i.dtype === 'int32');
  const values = Array.from({ length: count * width }, () => (int ? Math.floor(rand() * vocab) : (rand() - 0.5) * 3));
  return { width, values, int };
}

type Line = { index: number; outputs: Record<string, number[]>; class?: unknown };

/** Asserts predict.py's lines equal netspec predict's; returns the largest difference. */
function comparePredictions(label: string, expected: string, actual: string): number {
  const e = expected.trim().split('\n').map((l) => JSON.parse(l) as Line);
  const a = actual.trim().split('\n').map((l) => JSON.parse(l) as Line);
  assert.equal(a.length, e.length, `${label}: one line per sample`);
  let worst = 0;
  for (let i = 0; i < e.length; i++) {
    assert.deepEqual(Object.keys(a[i]), Object.keys(e[i]), `${label}: line ${i} has netspec's keys in its order`);
    assert.equal(a[i].index, e[i].index);
    assert.deepEqual(Object.keys(a[i].outputs), Object.keys(e[i].outputs), `${label}: outputs in order`);
    for (const [name, values] of Object.entries(e[i].outputs)) {
      const got = a[i].outputs[name];
      assert.equal(got.length, values.length, `${label}: ${name} has ${values.length} values`);
      values.forEach((v, j) => {
        const d = Math.abs(got[j] - v) / Math.max(1, Math.abs(v));
        worst = Math.max(worst, d);
        assert.ok(d <= TOLERANCE, `${label}: sample ${i}, ${name}[${j}]: predict.py ${got[j]} vs netspec ${v}`);
      });
    }
    if (e[i].class !== undefined && JSON.stringify(a[i].class) !== JSON.stringify(e[i].class)) {
      // A class may differ only where two scores tie within the tolerance.
      const [name] = Object.keys(e[i].outputs);
      const sorted = [...e[i].outputs[name]].sort((x, y) => y - x);
      assert.ok(sorted[0] - sorted[1] <= TOLERANCE, `${label}: sample ${i}: class ${JSON.stringify(a[i].class)} vs ${JSON.stringify(e[i].class)}`);
    }
  }
  return worst;
}

let dir: string;
const exported: string[] = [];

before(() => {
  assert.ok(existsSync(CLI), 'dist/cli.js exists (npm run build)');
  dir = mkdtempSync(join(tmpdir(), 'netspec-export-pt-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function exportModel(file: string, out: string, extra: string[] = []): void {
  const r = netspec(['export', file, '--format', 'pytorch', '--out', out, '--json', ...extra]);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { files: string[] };
  assert.deepEqual([...report.files].sort(), ['README.md', 'data.py', 'model.py', 'netspec.json', 'predict.py', 'train.py', 'weights.safetensors']);
  exported.push(out);
}

/** Runs predict.py's main over many export folders in one Python process (torch imports once). */
function predictMany(jobs: { folder: string; data: string; roundtrip?: string }[]): string[] {
  const script = `
import contextlib, io, json, os, sys
jobs = json.loads(sys.stdin.read())
out = []
for job in jobs:
    for m in ("model", "data", "predict", "train"):
        sys.modules.pop(m, None)
    sys.path.insert(0, job["folder"])
    import predict
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = predict.main(["--data", job["data"], "--json"])
    if job.get("roundtrip"):
        # The module's state back in netspec's names and layouts, as train.py writes it.
        import model, train
        with open(os.path.join(job["folder"], "netspec.json")) as f:
            config = json.load(f)
        model.save_safetensors(job["roundtrip"], train.engine_weights(model.build_model(), config), {"format": "netspec"})
    sys.path.remove(job["folder"])
    out.append(buf.getvalue() if rc == 0 else "exit %s" % rc)
print(json.dumps(out))
`;
  const r = python(['-c', script], dir, JSON.stringify(jobs));
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

describe('netspec export --format pytorch: predict.py equals netspec predict', () => {
  const cases: { label: string; folder: string; data: string; expected: string; weights?: string }[] = [];

  before(() => {
    // The layer models: random weights and random features as .npy files.
    const work = join(dir, 'layers');
    mkdirSync(work);
    const model = join(work, 'layers.netspec');
    copyFileSync(FIXTURE, model);
    const idsIr = irOf(model, 'Ids');
    const ids = randomFeatures(idsIr, 12, 3);
    writeFileSync(join(work, 'ids.npy'), npy('<i4', [12, ids.width], ids.values));
    writeFileSync(join(work, 'ids_y.npy'), npy('<i4', [12], Array.from({ length: 12 }, (_, i) => i % 4)));
    ['Img', 'Seq', 'Ids', 'Edges', 'Bidi'].forEach((name, k) => {
      const ir = irOf(model, name);
      const weights = join(work, `${name}.safetensors`);
      writeFileSync(weights, randomWeights(ir, 100 + k));
      const data = join(work, `${name}_x.npy`);
      const f = name === 'Ids' ? ids : randomFeatures(ir, 9, 200 + k);
      writeFileSync(data, npy(f.int ? '<i4' : '<f4', [f.values.length / f.width, f.width], f.values));
      const expected = netspec(['predict', model, '--model', name, '--weights', weights, '--data', data, '--json']);
      assert.equal(expected.status, 0, expected.stderr);
      const folder = join(work, `${name}-pytorch`);
      exportModel(model, folder, ['--model', name, '--weights', weights]);
      cases.push({ label: `layers ${name}`, folder, data, expected: expected.stdout, weights });
    });

    // Iris after two epochs of netspec train (string labels), on every row.
    const irisWeights = join(dir, 'Iris.safetensors');
    const irisFile = join(EXAMPLES, 'iris/iris.netspec');
    const trained = netspec(['train', irisFile, '--epochs', '2', '--backend', 'cpu', '--out', irisWeights]);
    assert.equal(trained.status, 0, trained.stderr);
    const irisCsv = join(EXAMPLES, 'iris/iris.csv');
    const irisExpected = netspec(['predict', irisFile, '--weights', irisWeights, '--data', irisCsv, '--json']);
    assert.equal(irisExpected.status, 0, irisExpected.stderr);
    assert.match(irisExpected.stdout.split('\n')[0], /"class":"(setosa|versicolor|virginica)"/);
    const irisFolder = join(dir, 'iris-trained-pytorch');
    exportModel(irisFile, irisFolder, ['--weights', irisWeights]);
    cases.push({ label: 'example Iris (netspec train --epochs 2)', folder: irisFolder, data: irisCsv, expected: irisExpected.stdout });

    // The examples: random weights, the first rows of their data.
    const few = join(dir, 'few');
    mkdirSync(few);
    const csvHead = (src: string, rows: number) => {
      const out = join(few, src.split('/').pop()!);
      writeFileSync(out, readFileSync(src, 'utf8').split('\n').slice(0, rows + 1).join('\n') + '\n');
      return out;
    };
    const idxHead = (src: string, count: number) => {
      const raw = gunzipSync(readFileSync(src));
      const out = join(few, 'few-images-idx3-ubyte');
      const head = Buffer.from(raw.subarray(0, 16));
      head.writeUInt32BE(count, 4);
      writeFileSync(out, Buffer.concat([head, raw.subarray(16, 16 + count * 28 * 28)]));
      return out;
    };
    const mnist = idxHead(join(EXAMPLES, 'mnist/t10k-images-idx3-ubyte.gz'), 6);
    const examples: { file: string; model?: string; data: string; labels?: Record<string, string[] | null> }[] = [
      { file: 'penguins/penguins.netspec', data: csvHead(join(EXAMPLES, 'penguins/penguins.csv'), 8), labels: { output: ['Adelie', 'Chinstrap', 'Gentoo'] } },
      { file: 'penguins/penguins_multitask.netspec', data: join(few, 'penguins.csv') },
      { file: 'cars/cars.netspec', data: csvHead(join(EXAMPLES, 'cars/cars.csv'), 8) },
      { file: 'weather/weather.netspec', data: csvHead(join(EXAMPLES, 'weather/seattle_weather.csv'), 8) },
      { file: 'mnist/mnist_mlp.netspec', data: mnist },
      { file: 'mnist/mnist_cnn.netspec', data: mnist },
      { file: 'mnist/mnist_transformer.netspec', data: mnist },
    ];
    // A JSON records file read with the penguins train block's target (skipped) and features.
    const csvLines = readFileSync(join(few, 'penguins.csv'), 'utf8').trim().split('\n');
    const header = csvLines[0].split(',');
    const records = csvLines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], Number.isNaN(Number(v)) ? v : Number(v)])));
    writeFileSync(join(few, 'penguins.json'), JSON.stringify(records));
    examples.push({ file: 'penguins/penguins.netspec', data: join(few, 'penguins.json'), labels: { output: ['Adelie', 'Chinstrap', 'Gentoo'] } });
    examples.forEach((ex, k) => {
      const file = join(EXAMPLES, ex.file);
      const checked = checkText(readFileSync(file, 'utf8'), { path: file });
      const ir = checked.models[checked.models.length - 1].ir!;
      const weights = join(few, `${ir.name}-${k}.safetensors`);
      writeFileSync(weights, randomWeights(ir, 300 + k, ex.labels));
      const expected = netspec(['predict', file, '--weights', weights, '--data', ex.data, '--json']);
      assert.equal(expected.status, 0, expected.stderr);
      const folder = join(few, `${ir.name}-${k}-pytorch`);
      exportModel(file, folder, ['--weights', weights]);
      cases.push({ label: `example ${ir.name}${ex.data.endsWith('.json') ? ' (json)' : ''}`, folder, data: ex.data, expected: expected.stdout, weights });
    });
  });

  test('every generated Python file compiles (python3 -m py_compile)', () => {
    const files = exported.flatMap((f) => readdirSync(f).filter((n) => n.endsWith('.py')).map((n) => join(f, n)));
    assert.equal(files.length, 4 * exported.length, 'model.py, data.py, train.py and predict.py in every folder');
    const r = spawnSync('python3', ['-m', 'py_compile', ...files], { encoding: 'utf8', env: ENV });
    assert.equal(r.status, 0, r.stderr);
  });

  const numpy = spawnSync('python3', ['-c', 'import numpy'], { env: ENV }).status === 0;
  test('data.py (plain python3, numpy only): the engine\'s validation split and epoch order, sorted labels', { skip: numpy ? false : 'python3 has no numpy' }, () => {
    const folder = cases.find((c) => c.label.startsWith('example Iris'))!.folder;
    const script = `
import json, sys
sys.path.insert(0, sys.argv[1])
import data
with open(sys.argv[1] + "/netspec.json") as f:
    config = json.load(f)
train, val = data.load_training(config)
print(json.dumps({"train": train.count, "val": val.count, "labels": train.labels, "val_first": val.inputs["x"][:3].tolist(), "order": list(next(iter(data.EngineBatches(train.count, 200, 1))))}))
`;
    const r = spawnSync('python3', ['-c', script, folder], { encoding: 'utf8', env: ENV });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { train: number; val: number; labels: Record<string, string[]>; val_first: number[][]; order: number[] };
    assert.equal(got.train, 120);
    assert.equal(got.val, 30);
    assert.deepEqual(got.labels, { output: ['setosa', 'versicolor', 'virginica'] });
    // The engine's split: a Fisher-Yates shuffle from Rng(seed, 0x5e1a); the first 30 rows are held out.
    const rows = readFileSync(join(EXAMPLES, 'iris/iris.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
    const held = shuffledOrder(150, new Rng(1, 0x5e1a)).slice(0, 3);
    got.val_first.forEach((v, i) => v.forEach((x, j) => assert.ok(Math.abs(x - rows[held[i]][j]) < 1e-6, `held-out row ${i} is iris row ${held[i]}`)));
    // Epoch 1's order is the engine's shuffle from Rng(seed, 0x5348).
    assert.deepEqual(got.order, Array.from(shuffledOrder(120, new Rng(1, 0x5348))));
  });

  test('the weights file holds the module state_dict names, the README and netspec.json describe the model', () => {
    const folder = cases.find((c) => c.label === 'layers Seq')!.folder;
    const bytes = readFileSync(join(folder, 'weights.safetensors'));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape: number[] }>;
    assert.deepEqual(header['lstm.weight_ih_l0'].shape, [16, 3], 'LSTM kernel [3, 16] transposed');
    assert.deepEqual(header['gru.bias_ih_l0'].shape, [9]);
    assert.deepEqual(header['conv1d.weight'].shape, [5, 4, 3], 'Conv1D kernel [3, 4, 5] as [out, in, k]');
    assert.deepEqual(header['multi_head_attention.query.weight'].shape, [4, 4]);
    assert.deepEqual(header['conv1d_transpose.weight'].shape, [4, 3, 3], 'Conv1DTranspose kernel [3, 3, 4] as [in, out, k]');
    const config = JSON.parse(readFileSync(join(folder, 'netspec.json'), 'utf8')) as { inputs: { name: string }[]; outputs: { name: string }[] };
    assert.deepEqual(config.inputs.map((i) => i.name), ['s', 't']);
    assert.deepEqual(config.outputs.map((o) => o.name), ['rec', 'att', 'mul', 'conv', 'act', 'tab', 'pw', 'sub']);
    const py = readFileSync(join(folder, 'model.py'), 'utf8');
    assert.match(py, /self\.lstm = LSTM\(input_size=3, units=4, return_sequences=False\)/);
    assert.match(py, /self\.conv1d = Conv1D\(in_channels=4, out_channels=5, kernel_size=3, stride=1, padding="same"/);
    assert.match(readFileSync(join(folder, 'README.md'), 'utf8'), /torchrun --nproc_per_node/);
  });

  test('Bidirectional is two modules of its wrapped layer; each direction\'s weights convert as that layer\'s', () => {
    const folder = cases.find((c) => c.label === 'layers Bidi')!.folder;
    const bytes = readFileSync(join(folder, 'weights.safetensors'));
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8')) as Record<string, { shape: number[] }>;
    assert.deepEqual(header['bidirectional.forward_layer.weight_ih_l0'].shape, [12, 4], 'forward_lstm/kernel [4, 12] transposed');
    assert.deepEqual(header['bidirectional.backward_layer.weight_hh_l0'].shape, [12, 3]);
    assert.deepEqual(header['bidirectional_1.backward_layer.bias_hh_l0'].shape, [6], 'backward_gru/bias row 2');
    const py = readFileSync(join(folder, 'model.py'), 'utf8');
    assert.match(py, /self\.bidirectional = Bidirectional\(LSTM\(input_size=4, units=3, return_sequences=True\), LSTM\(input_size=4, units=3, return_sequences=True\), merge="concat", return_sequences=True\)/);
  });

  test('predict.py prints netspec predict\'s lines for every layer and example', { skip: skipNoTorch }, () => {
    const got = predictMany(cases.map((c) => ({ folder: c.folder, data: c.data, roundtrip: c.weights ? `${c.folder}.roundtrip.safetensors` : undefined })));
    let worst = 0;
    for (const [k, c] of cases.entries()) {
      const d = comparePredictions(c.label, c.expected, got[k]);
      console.log(`  ${c.label}: largest difference ${d.toExponential(2)}`);
      worst = Math.max(worst, d);
      if (!c.weights) continue;
      // train.py's conversion back to netspec's layouts gives the original weights, bit for bit.
      const original = decodeSafetensors(new Uint8Array(readFileSync(c.weights)));
      const back = decodeSafetensors(new Uint8Array(readFileSync(`${c.folder}.roundtrip.safetensors`)));
      assert.ok(original.ok && back.ok);
      if (!original.ok || !back.ok) continue;
      assert.deepEqual(back.arrays.map((a) => a.name).sort(), original.arrays.map((a) => a.name).sort(), `${c.label}: every netspec weight comes back`);
      for (const a of original.arrays) {
        const b: NamedArray = back.arrays.find((x) => x.name === a.name)!;
        assert.deepEqual(b.shape, a.shape, `${c.label}: ${a.name}'s shape`);
        assert.ok(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength).equals(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)), `${c.label}: ${a.name} round-trips exactly`);
      }
    }
    console.log(`  worst difference over ${cases.length} models: ${worst.toExponential(2)}`);
  });
});

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

interface Launched {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  done: Promise<number | null>;
}

function launch(args: string[], cwd: string): Launched {
  const child = spawn(TORCHRUN, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  const l: Launched = { child, stdout: '', stderr: '', done: Promise.resolve(null) };
  child.stdout!.on('data', (b: Buffer) => (l.stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (l.stderr += b.toString()));
  // A guard against a hung job: torchrun stops its workers on SIGTERM.
  const guard = setTimeout(() => child.kill('SIGTERM'), 300_000);
  l.done = new Promise((done) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      done(code);
    }),
  );
  return l;
}

function epochLines(text: string): { epoch: number; loss: number; [k: string]: number }[] {
  return text.split('\n').filter((l) => l.startsWith('{"epoch"')).map((l) => JSON.parse(l) as { epoch: number; loss: number });
}

/** The pids of `parent`'s children (from /proc; only our own processes). */
function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent) out.push(Number(name));
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

describe('train.py under torchrun (gloo on the CPU)', { skip: skipNoTorch, concurrency: true }, () => {
  let iris: string;
  let mnist: string;
  let single: { file: string; model: string; epochs: number; folder: string; expected: ReturnType<typeof epochLines>; ck: string }[];

  before(() => {
    iris = join(dir, 'iris-pytorch');
    exportModel(join(EXAMPLES, 'iris/iris.netspec'), iris, ['--weights', join(dir, 'Iris.safetensors')]);
    mnist = join(dir, 'mnist-pytorch');
    exportModel(join(EXAMPLES, 'mnist/mnist_mlp.netspec'), mnist);
    // netspec train's epochs and fresh exports for the one-process comparison.
    const settings = resolve('test/fixtures/export_pytorch/settings.netspec');
    single = [
      { file: join(EXAMPLES, 'iris/iris.netspec'), model: 'Iris', epochs: 3 },
      { file: settings, model: 'CarsReg', epochs: 3 },
      { file: settings, model: 'Multi', epochs: 3 },
      { file: settings, model: 'Sgd', epochs: 3 },
    ].map((j) => {
      const expected = netspec(['train', j.file, '--model', j.model, '--epochs', String(j.epochs), '--json', '--backend', 'cpu', '--out', join(dir, `${j.model}-netspec.safetensors`)]);
      assert.equal(expected.status, 0, expected.stderr);
      const folder = join(dir, `${j.model}-fresh-pytorch`);
      exportModel(j.file, folder, ['--model', j.model]);
      return { ...j, folder, expected: epochLines(expected.stdout), ck: join(dir, `ck-single-${j.model}`) };
    });
  });

  test('one process: train.py prints netspec train\'s numbers epoch by epoch (losses, optimizers, regularizers, schedules, metrics), also when resumed', async () => {
    const jobs = single;
    const script = `
import contextlib, io, json, sys
jobs = json.loads(sys.stdin.read())
out = {}
for job in jobs:
    for m in ("model", "data", "train"):
        sys.modules.pop(m, None)
    sys.path.insert(0, job["folder"])
    import train
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = train.main(["--epochs", str(job["epochs"]), "--json", "--checkpoint-dir", job["ck"]])
    sys.path.remove(job["folder"])
    out[job["model"]] = buf.getvalue() if rc == 0 else "exit %s" % rc
    if job["model"] == "Iris":
        # Stopped after epoch 2, then launched again for 3 epochs: it resumes from last.pt.
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            train.main(["--epochs", str(job["epochs"] - 1), "--json", "--checkpoint-dir", job["ck"] + "-resume"])
            rc = train.main(["--epochs", str(job["epochs"]), "--json", "--checkpoint-dir", job["ck"] + "-resume"])
        out["resumed"] = buf.getvalue() if rc == 0 else "exit %s" % rc
print(json.dumps(out))
`;
    const r = await pythonAsync(['-c', script], dir, JSON.stringify(jobs.map((j) => ({ folder: j.folder, epochs: j.epochs, ck: j.ck, model: j.model }))));
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<string, string>;
    let worst = 0;
    for (const j of jobs) {
      assert.match(got[j.model], /1 process\(es\) on cpu/);
      const lines = epochLines(got[j.model]);
      assert.equal(lines.length, j.expected.length, `${j.model}: one line per epoch`);
      j.expected.forEach((e, i) => {
        const keys = Object.keys(e).filter((k) => k !== 'samples_per_s');
        assert.deepEqual(Object.keys(lines[i]).filter((k) => k !== 'samples_per_s'), keys, `${j.model}: netspec train's keys in its order`);
        for (const k of keys) {
          const d = Math.abs(lines[i][k] - e[k]) / Math.max(1, Math.abs(e[k]));
          worst = Math.max(worst, d);
          assert.ok(d <= TOLERANCE, `${j.model} epoch ${e.epoch} ${k}: train.py ${lines[i][k]} vs netspec train ${e[k]}`);
        }
      });
      console.log(`  one process ${j.model}: losses ${lines.map((e) => e.loss.toFixed(4)).join(', ')} (netspec ${j.expected.map((e) => e.loss.toFixed(4)).join(', ')})`);
    }
    console.log(`  one process vs netspec train: largest relative difference ${worst.toExponential(2)}`);
    // A run resumed from its epoch-2 checkpoint gives netspec's epoch 3 (optimizer state, moving statistics and the epoch order all restored).
    const iris = jobs.find((j) => j.model === 'Iris')!;
    assert.match(got.resumed, /resuming from .*last\.pt: epoch 2 of 3 done, continuing at epoch 3/);
    const resumed = epochLines(got.resumed);
    assert.deepEqual(resumed.map((e) => e.epoch), [1, 2, 3]);
    for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      assert.ok(Math.abs(resumed[2][k] - iris.expected[2][k]) <= TOLERANCE * Math.max(1, Math.abs(iris.expected[2][k])), `resumed epoch 3 ${k}: ${resumed[2][k]} vs netspec ${iris.expected[2][k]}`);
    }
  });

  test('torchrun --nproc_per_node 2 trains iris; a killed worker is restarted and resumes after the checkpoint; netspec reads the weights back', async () => {
    const ck = join(dir, 'ck-iris');
    const epochs = 15;
    const run = launch(['--nproc_per_node', '2', '--max-restarts', '3', '--monitor-interval', '0.2', '--master-port', String(await freePort()), 'train.py', '--epochs', String(epochs), '--json', '--dist-timeout', '90', '--checkpoint-dir', ck], iris);
    // Wait for the first epoch's line (printed after rank 0 wrote last.pt), then kill one worker.
    const deadline = Date.now() + 240_000;
    while (epochLines(run.stdout).length === 0 && Date.now() < deadline && run.child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    const workers = childrenOf(run.child.pid!);
    assert.ok(workers.length >= 1, 'torchrun has worker processes');
    const seen = epochLines(run.stdout).map((e) => e.epoch);
    process.kill(workers[workers.length - 1], 'SIGKILL');
    const code = await run.done;
    assert.equal(code, 0, run.stderr.slice(-3000));
    assert.match(run.stdout, /2 process\(es\) on cpu, batch 16 \(8 per process\)/);
    const resumed = new RegExp(`resuming from .*last\\.pt: epoch (\\d+) of ${epochs} done, continuing at epoch (\\d+)`).exec(run.stdout);
    assert.ok(resumed, `the restarted workers resume from the checkpoint:\n${run.stdout}`);
    const done = Number(resumed[1]);
    const printedBefore = epochLines(run.stdout.slice(0, resumed.index)).map((e) => e.epoch);
    // The checkpoint holds the last epoch that finished before the kill: the last one printed
    // (or the next, when the kill fell between writing last.pt and printing its line).
    assert.ok(done >= Math.max(...printedBefore) && done <= Math.max(...printedBefore) + 1, `checkpoint epoch ${done} after printed epochs ${printedBefore.join(', ')}`);
    assert.equal(Number(resumed[2]), done + 1);
    const afterResume = epochLines(run.stdout.slice(resumed.index)).map((e) => e.epoch);
    assert.deepEqual(afterResume, Array.from({ length: epochs - done }, (_, i) => done + 1 + i), 'the resumed run goes on from the checkpoint to the last epoch');
    const all = epochLines(run.stdout);
    console.log(`  iris: killed a worker after epoch(s) ${seen.join(', ')}; checkpoint epoch ${done}; resumed at epoch ${resumed[2]}; losses ${all.filter((e) => e.epoch === 1 || e.epoch % 5 === 0).map((e) => `${e.epoch}:${e.loss.toFixed(4)}`).join(', ')}; final val_accuracy ${all[all.length - 1].val_accuracy}`);
    assert.ok(all[all.length - 1].loss < all[0].loss, 'the loss falls');
    for (const f of ['last.pt', 'weights.safetensors', 'Iris.safetensors']) assert.ok(existsSync(join(ck, f)), `rank 0 wrote ${f}`);
    const back = netspec(['predict', join(EXAMPLES, 'iris/iris.netspec'), '--weights', join(ck, 'Iris.safetensors'), '--data', join(EXAMPLES, 'iris/iris.csv'), '--json']);
    assert.equal(back.status, 0, back.stderr);
    const mine = python(['predict.py', '--data', join(EXAMPLES, 'iris/iris.csv'), '--json', '--weights', join(ck, 'weights.safetensors')], iris);
    assert.equal(mine.status, 0, mine.stderr);
    const worst = comparePredictions('iris trained by torchrun', back.stdout, mine.stdout);
    console.log(`  iris trained by torchrun: \`python predict.py\` vs netspec predict on its weights: largest difference ${worst.toExponential(2)}`);
  });

  test('torchrun --nproc_per_node 2 trains the MNIST MLP: the loss falls and rank 0 checkpoints', async () => {
    const ck = join(dir, 'ck-mnist');
    const run = launch(['--nproc_per_node', '2', '--master-port', String(await freePort()), 'train.py', '--epochs', '2', '--limit', '2000', '--json', '--dist-timeout', '120', '--checkpoint-dir', ck], mnist);
    const code = await run.done;
    assert.equal(code, 0, run.stderr.slice(-3000));
    assert.match(run.stdout, /training MnistMlp on 2000 sample\(s\), validating on 500, 2 process\(es\) on cpu, batch 64 \(32 per process\)/);
    const all = epochLines(run.stdout);
    assert.deepEqual(all.map((e) => e.epoch), [1, 2]);
    console.log(`  mnist: losses ${all.map((e) => e.loss.toFixed(4)).join(', ')}; val_accuracy ${all.map((e) => e.val_accuracy).join(', ')}`);
    assert.ok(all[1].loss < all[0].loss, 'the loss falls');
    assert.ok(existsSync(join(ck, 'last.pt')) && existsSync(join(ck, 'MnistMlp.safetensors')));
  });

  test('two torchrun --nnodes 2 launches on 127.0.0.1 form one job', async () => {
    const port = String(await freePort());
    const ck = [join(dir, 'ck-node0'), join(dir, 'ck-node1')];
    const nodes = [0, 1].map((r) =>
      launch(['--nnodes', '2', '--node_rank', String(r), '--nproc_per_node', '1', '--rdzv-endpoint', `127.0.0.1:${port}`, 'train.py', '--epochs', '2', '--json', '--dist-timeout', '120', '--checkpoint-dir', ck[r]], iris),
    );
    const codes = await Promise.all(nodes.map((n) => n.done));
    assert.deepEqual(codes, [0, 0], nodes.map((n) => n.stderr.slice(-2000)).join('\n----\n'));
    assert.match(nodes[0].stdout, /2 process\(es\) on cpu/, 'rank 0 sees a world of two processes');
    assert.deepEqual(epochLines(nodes[0].stdout).map((e) => e.epoch), [1, 2]);
    assert.equal(epochLines(nodes[1].stdout).length, 0, 'only rank 0 logs');
    assert.ok(existsSync(join(ck[0], 'last.pt')) && !existsSync(join(ck[1], 'last.pt')), 'only rank 0 writes checkpoints');
    console.log(`  two nodes: losses ${epochLines(nodes[0].stdout).map((e) => e.loss.toFixed(4)).join(', ')}`);
  });
});

describe('a layer PyTorch cannot express', () => {
  test('is an error naming the node and its line, with no files', async () => {
    const file = join(EXAMPLES, 'iris/iris.netspec');
    const ir = structuredClone(irOf(file, 'Iris'));
    ir.nodes[1] = { ...ir.nodes[1], op: 'Dense3D' };
    const outcome = await PYTORCH_EXPORTER.run({ model: ir, train: null, weights: [], trained: false, metadata: {}, modelFile: file }, { quantize: null });
    assert.equal(outcome.ok, false);
    if (!outcome.ok) {
      assert.equal(outcome.error.node, ir.nodes[1].id);
      assert.equal(outcome.error.line, ir.nodes[1].line);
      assert.match(outcome.error.message, /Dense3D has no PyTorch mapping/);
    }
  });
});
