// Runs `netspec train` and `netspec predict` from the bundle (dist/cli.js, built by
// `npm run build`) as a user would, on the CPU backend: the iris example reaches its
// accuracy, the --json lines have spec §7's shape, the weights are valid safetensors with
// the model name and labels, the same seed gives the same losses, predict prints labels or
// class indices, a small MNIST MLP passes 93% held-out accuracy, and Ctrl-C keeps the last
// finished epoch's checkpoint.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Progress } from '../../cli/src/progress';

const CLI = resolve('dist/cli.js');
const IRIS = resolve('examples/iris/iris.netspec');
const MNIST_SMALL = resolve('test/fixtures/train/mnist_small.netspec');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function netspec(args: string[], cwd = process.cwd()): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

interface Safetensors {
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
}

/** Parses a safetensors file independently of the engine and checks its layout. */
function readSafetensors(path: string): Safetensors {
  const bytes = readFileSync(path);
  assert.ok(bytes.length >= 8, 'the file holds at least the header length');
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  delete header.__metadata__;
  const tensors = header as Safetensors['tensors'];
  const spans = Object.values(tensors).map((t) => t.data_offsets).sort((a, b) => a[0] - b[0]);
  let at = 0;
  for (const [name, t] of Object.entries(tensors)) {
    assert.equal(t.dtype, 'F32', `${name} is float32`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    assert.equal(t.data_offsets[1] - t.data_offsets[0], count * 4, `${name}'s byte range fits its shape`);
  }
  for (const [b, e] of spans) {
    assert.equal(b, at, 'tensors are contiguous');
    at = e;
  }
  assert.equal(8 + n + at, bytes.length, 'the data section ends the file');
  return { metadata, tensors };
}

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-train-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('netspec train on iris (cpu)', () => {
  let run: Run;
  let weights: string;
  before(() => {
    weights = join(dir, 'iris.safetensors');
    run = netspec(['train', IRIS, '--backend', 'cpu', '--json', '--out', weights]);
  });

  test('exits 0 and prints one JSON object per epoch with spec §7 keys', () => {
    assert.equal(run.status, 0, run.stderr);
    const lines = jsonLines(run.stdout);
    assert.equal(lines.length, 60, 'the train block asks for 60 epochs');
    lines.forEach((l, i) => {
      assert.equal(l.epoch, i + 1);
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'samples_per_s']) {
        assert.equal(typeof l[key], 'number', `${key} in epoch ${i + 1}`);
        assert.ok(Number.isFinite(l[key] as number), `${key} is finite`);
      }
      assert.ok((l.samples_per_s as number) > 0);
    });
  });

  test('reaches a validation accuracy of at least 0.93', () => {
    const last = jsonLines(run.stdout).at(-1)!;
    assert.ok((last.val_accuracy as number) >= 0.93, `val_accuracy ${last.val_accuracy}`);
    assert.ok((last.loss as number) < (jsonLines(run.stdout)[0].loss as number), 'the loss went down');
  });

  test('writes valid safetensors with the model name and labels, and no .tmp file', () => {
    const st = readSafetensors(weights);
    assert.equal(st.metadata.model, 'Iris');
    assert.deepEqual(JSON.parse(st.metadata.labels), { output: ['setosa', 'versicolor', 'virginica'] });
    const kernels = Object.entries(st.tensors).filter(([name]) => name.endsWith('/kernel'));
    assert.deepEqual(kernels.map(([, t]) => t.shape).sort(), [[16, 3], [4, 16]]);
    assert.equal(existsSync(`${weights}.tmp`), false);
  });

  test('progress goes to stderr as one line per epoch when stderr is not a terminal', () => {
    const epochLines = run.stderr.split('\n').filter((l) => /^epoch \d+\/60 /.test(l));
    assert.equal(epochLines.length, 60);
    assert.doesNotMatch(run.stderr, /\r/);
    assert.match(run.stderr, /weights in .*iris\.safetensors/);
  });

  test('predict prints one object per sample with outputs and the class label', () => {
    const r = netspec(['predict', IRIS, '--weights', weights, '--data', resolve('examples/iris/iris.csv'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const lines = jsonLines(r.stdout);
    assert.equal(lines.length, 150);
    const species = readFileSync('examples/iris/iris.csv', 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    let right = 0;
    lines.forEach((l, i) => {
      assert.deepEqual(Object.keys(l), ['index', 'outputs', 'class']);
      assert.equal(l.index, i);
      const probs = (l.outputs as Record<string, number[]>).output;
      assert.equal(probs.length, 3);
      assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4, 'softmax outputs sum to 1');
      assert.ok(['setosa', 'versicolor', 'virginica'].includes(l.class as string));
      assert.equal(l.class, ['setosa', 'versicolor', 'virginica'][probs.indexOf(Math.max(...probs))]);
      if (l.class === species[i]) right++;
    });
    assert.ok(right / 150 >= 0.9, `training-set accuracy from predict: ${right / 150}`);
  });
});

test('two cpu runs with the same seed print identical losses', () => {
  const a = netspec(['train', IRIS, '--backend', 'cpu', '--json', '--epochs', '5', '--out', join(dir, 'a.safetensors')]);
  const b = netspec(['train', IRIS, '--backend', 'cpu', '--json', '--epochs', '5', '--out', join(dir, 'b.safetensors')]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  const losses = (r: Run) => jsonLines(r.stdout).map((l) => [l.loss, l.val_loss, l.accuracy]);
  assert.equal(jsonLines(a.stdout).length, 5, '--epochs overrides the train block');
  assert.deepEqual(losses(a), losses(b));
  assert.deepEqual(readFileSync(join(dir, 'a.safetensors')), readFileSync(join(dir, 'b.safetensors')));
});

test('a tiny NETSPEC_DATA_BUDGET_MB trains iris from rows on disk and removes the temporary file', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'netspec-budget-'));
  try {
    const out = join(dir, 'disk.safetensors');
    const r = spawnSync(process.execPath, [CLI, 'train', IRIS, '--backend', 'cpu', '--json', '--out', out], {
      encoding: 'utf8', timeout: 300_000, env: { ...process.env, TMPDIR: tmp, NETSPEC_DATA_BUDGET_MB: '0.001' },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /training from rows read from disk/);
    const last = jsonLines(r.stdout).at(-1)!;
    // 30 validation rows: one row is 0.033. From disk the split holds out other rows than in
    // memory (picked block by block); with seed 1 they reach 25/30, as the in-memory split
    // does with seed 2, so the bar is that of a model that learned, not the in-memory 0.93.
    assert.ok((last.val_accuracy as number) >= 0.8, `val_accuracy ${last.val_accuracy} from disk`);
    assert.deepEqual(JSON.parse(readSafetensors(out).metadata.labels), { output: ['setosa', 'versicolor', 'virginica'] });
    assert.deepEqual(readdirSync(tmp).filter((d) => d.startsWith('netspec-rows-')), [], 'the row folder is gone');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('predict gives the class index when the training targets were integers', () => {
  const rows = ['a,b,label'];
  for (let i = 0; i < 40; i++) rows.push(`${i % 2 === 0 ? 1 : -1},${(i % 5) / 5},${i % 2}`);
  writeFileSync(join(dir, 'ints.csv'), rows.join('\n') + '\n');
  writeFileSync(
    join(dir, 'ints.netspec'),
    `model Sign {\n  input x: [2]\n  Dense(2)\n}\n\ntrain Sign {\n  data = csv("ints.csv", target="label")\n  loss = cross_entropy\n  optimizer = adam(lr=0.1)\n  epochs = 20\n  batch_size = 8\n  seed = 1\n}\n`,
  );
  const t = netspec(['train', 'ints.netspec', '--backend', 'cpu'], dir);
  assert.equal(t.status, 0, t.stderr);
  assert.ok(existsSync(join(dir, 'Sign.safetensors')), 'the default weights file is MODEL.safetensors beside the model file');
  const p = netspec(['predict', 'ints.netspec', '--weights', 'Sign.safetensors', '--data', 'ints.csv', '--json'], dir);
  assert.equal(p.status, 0, p.stderr);
  const lines = jsonLines(p.stdout);
  assert.equal(lines.length, 40);
  for (const l of lines) {
    assert.equal(typeof l.class, 'number');
    assert.equal(l.class, (l.index as number) % 2, 'the sign of a is learned');
  }
});

test('a small MNIST MLP reaches 93% held-out accuracy in a few epochs', (t) => {
  const started = Date.now();
  const r = netspec(['train', MNIST_SMALL, '--backend', 'cpu', '--json', '--out', join(dir, 'mnist.safetensors')]);
  t.diagnostic(`mnist_small: ${((Date.now() - started) / 1000).toFixed(1)}s`);
  assert.equal(r.status, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  assert.equal(lines.length, 3);
  const last = lines.at(-1)!;
  assert.ok((last.val_accuracy as number) >= 0.93, `val_accuracy on the t10k files: ${last.val_accuracy}`);
  const st = readSafetensors(join(dir, 'mnist.safetensors'));
  assert.equal(st.metadata.model, 'MnistMlp');
  assert.deepEqual(JSON.parse(st.metadata.labels), { output: null }, 'IDX labels are class indices, not strings');
});

test('Ctrl-C stops after the current step, keeps the last epoch checkpoint and exits 130', async () => {
  const out = join(dir, 'interrupted.safetensors');
  const child = spawn(process.execPath, [CLI, 'train', MNIST_SMALL, '--backend', 'cpu', '--json', '--epochs', '20', '--out', out]);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = new Promise<void>((done) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('\n')) done();
    });
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await firstLine;
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 130, stderr);
  const epochs = jsonLines(stdout).map((l) => l.epoch as number);
  const lastEpoch = epochs.at(-1)!;
  assert.ok(lastEpoch < 20, 'it stopped early');
  assert.match(stderr, new RegExp(`checkpoint of epoch ${lastEpoch} is in .*interrupted\\.safetensors`));
  const st = readSafetensors(out);
  assert.equal(st.metadata.epoch, String(lastEpoch), 'the file is the last finished epoch');
  assert.equal(existsSync(`${out}.tmp`), false);
});

test('predict refuses weights saved from another model, and a missing --data, with exit 2', () => {
  const other = join(dir, 'other.netspec');
  writeFileSync(other, IRIS_TEXT().replace('Dense(16, activation=relu)', 'Dense(8, activation=relu)').replaceAll('"iris.csv"', JSON.stringify(resolve('examples/iris/iris.csv'))));
  const w = join(dir, 'iris_for_other.safetensors');
  const t = netspec(['train', IRIS, '--backend', 'cpu', '--epochs', '1', '--out', w]);
  assert.equal(t.status, 0, t.stderr);
  const r = netspec(['predict', other, '--weights', w, '--data', resolve('examples/iris/iris.csv')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /weight dense\/kernel has shape \[4, 16\] in the file, but the model needs \[4, 8\]/);
  const u = netspec(['predict', IRIS, '--weights', w]);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /--data SOURCE_FILE is required/);
});

function IRIS_TEXT(): string {
  return readFileSync(IRIS, 'utf8');
}

test('the progress bar redraws one line on a terminal and gives way to the epoch line', () => {
  let text = '';
  let now = 0;
  const p = new Progress(2, { tty: true, columns: 100, write: (s) => (text += s), now: () => now });
  for (let step = 1; step <= 4; step++) {
    now += 200;
    p.step({ kind: 'step', epoch: 1, step, stepsPerEpoch: 4, loss: 0.5, samplesPerSecond: 1000 });
  }
  const draws = text.split('\r').filter((s) => s.startsWith('epoch'));
  assert.equal(draws.length, 4, 'one redraw per step when steps are 200 ms apart');
  assert.match(draws[1].trimEnd(), /^epoch 1\/2 \[#+-+\] 2\/4 loss 0\.5 1000 samples\/s ETA 0:01$/);
  assert.match(draws[3], /\[#+\] 4\/4/);
  assert.ok(!text.includes('\n'), 'no newline while the bar runs');
  p.epoch({ kind: 'epoch', epoch: 1, metrics: { loss: 0.5, val_loss: 0.25 }, samplesPerSecond: 1000, seconds: 0.8, best: true, lr: 0.001 });
  assert.ok(text.endsWith('epoch 1/2  loss 0.5  val_loss 0.25  lr 0.001  1000 samples/s  0.8s\n'));
  let plain = '';
  const q = new Progress(2, { tty: false, write: (s) => (plain += s) });
  q.step({ kind: 'step', epoch: 1, step: 1, stepsPerEpoch: 4, loss: 0.5, samplesPerSecond: 1000 });
  assert.equal(plain, '', 'no bar when stderr is not a terminal');
});

/** A two-feature, two-class CSV of `n` rows (the class is the sign of a), for small runs. */
function signCsv(path: string, n: number): void {
  const rows = ['a,b,label'];
  for (let i = 0; i < n; i++) rows.push(`${i % 2 === 0 ? 1 : -1},${(i % 5) / 5},${i % 2 === 0 ? 'pos' : 'neg'}`);
  writeFileSync(path, rows.join('\n') + '\n');
}

test('schedule = step(...) and exponential(...) decay the lr that --json and the progress lines show', () => {
  signCsv(join(dir, 'sched.csv'), 40);
  const block = (schedule: string) =>
    `model S {\n  input x: [2]\n  Dense(2)\n}\n\ntrain S {\n  data = csv("sched.csv", target="label")\n  loss = cross_entropy\n  optimizer = sgd(lr=0.1)\n  schedule = ${schedule}\n  epochs = 4\n  batch_size = 10\n  seed = 1\n}\n`;
  writeFileSync(join(dir, 'step.netspec'), block('step(every=1, factor=0.5)'));
  const r = netspec(['train', 'step.netspec', '--backend', 'cpu', '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const lrs = jsonLines(r.stdout).map((l) => l.lr as number);
  const close = (a: number, e: number) => assert.ok(Math.abs(a - e) < 1e-9, `${a} vs ${e}`);
  [0.1, 0.05, 0.025, 0.0125].forEach((e, i) => close(lrs[i], e));
  assert.match(r.stderr, /^epoch 2\/4 .* lr 0\.05 /m);
  // exponential decays per optimizer step: 4 steps per epoch, the event shows the last step's rate.
  writeFileSync(join(dir, 'exp.netspec'), block('exponential(decay_rate=0.5, decay_steps=8)'));
  const x = netspec(['train', 'exp.netspec', '--backend', 'cpu', '--json'], dir);
  assert.equal(x.status, 0, x.stderr);
  jsonLines(x.stdout).forEach((l, i) => close(l.lr as number, 0.1 * Math.pow(0.5, (4 * (i + 1) - 1) / 8)));
});

test('a bad schedule is a checker error: exit 1 with the argument named', () => {
  writeFileSync(join(dir, 'bad_sched.netspec'), 'model S {\n  input x: [2]\n  Dense(2)\n}\n\ntrain S {\n  data = csv("sched.csv", target="label")\n  loss = cross_entropy\n  schedule = cosine(decay_step=10)\n}\n');
  const r = netspec(['train', 'bad_sched.netspec', '--backend', 'cpu'], dir);
  assert.equal(r.status, 1);
  assert.match(r.stderr + r.stdout, /unknown-argument.*decay_step.*did you mean `decay_steps`/);
});

test('penguins multi-task: a metric list gives accuracy to the class head only, mae to both', () => {
  const r = netspec(['train', resolve('examples/penguins/penguins_multitask.netspec'), '--backend', 'cpu', '--json', '--epochs', '2', '--out', join(dir, 'pm.safetensors')]);
  assert.equal(r.status, 0, r.stderr);
  const last = jsonLines(r.stdout).at(-1)!;
  for (const key of ['species_accuracy', 'species_mae', 'body_mass_kg_mae', 'val_species_accuracy', 'val_body_mass_kg_mae']) {
    assert.equal(typeof last[key], 'number', key);
  }
  assert.ok(!('body_mass_kg_accuracy' in last) && !('val_body_mass_kg_accuracy' in last), Object.keys(last).join(' '));
  // A dict names them per output.
  const src = readFileSync(resolve('examples/penguins/penguins_multitask.netspec'), 'utf8').replace(/metrics\s*=.*\n/, 'metrics = {species: [f1], body_mass_kg: [mse]}\n');
  writeFileSync(join(dir, 'penguins.csv'), readFileSync(resolve('examples/penguins/penguins.csv')));
  writeFileSync(join(dir, 'pm.netspec'), src);
  const d = netspec(['train', 'pm.netspec', '--backend', 'cpu', '--json', '--epochs', '1'], dir);
  assert.equal(d.status, 0, d.stderr);
  const keys = Object.keys(jsonLines(d.stdout)[0]).filter((k) => !/loss$|^epoch$|^lr$|^samples_per_s$/.test(k)).sort();
  assert.deepEqual(keys, ['body_mass_kg_mse', 'species_f1', 'val_body_mass_kg_mse', 'val_species_f1']);
});
