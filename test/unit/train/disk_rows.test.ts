// Training on rows kept on disk (engine/src/data/disk_rows.ts): a generated CSV of 50k rows
// with a 1 MB budget trains, through the CLI's row store, to the accuracy band of the same
// data in memory while the heap stays far below the data's size; a large budget gives the
// in-memory run bit for bit; the block shuffle is a deterministic permutation; the temporary
// file is gone after success, after a data error (still located by line and column), and
// after Ctrl-C in `netspec train`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { DiskRows } from '../../../engine/src/data/disk_rows';
import { loadTrainingData, loadTrainingSources } from '../../../engine/src/data/load';
import { Rng } from '../../../engine/src/rng';
import { train } from '../../../engine/src/train/run';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const FEATURES = 150;
const ROWS = 50_000;
const MB = 1024 * 1024;

/** Three classes decided by the first three features; the rest are noise. */
function writeCsv(path: string, rows: number, badLine?: number): void {
  const lines = [[...Array.from({ length: FEATURES }, (_v, j) => `f${j}`), 'y'].join(',')];
  let s = 12345;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < rows; i++) {
    const f = Array.from({ length: FEATURES }, rand);
    const y = f[0] > f[1] && f[0] > f[2] ? 'a' : f[1] > f[2] ? 'b' : 'c';
    const cells = f.map((v) => v.toFixed(3));
    if (badLine === i + 2) cells[4] = 'oops';
    lines.push(`${cells.join(',')},${y}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

function setup(dir: string, extra = '') {
  const path = join(dir, 'm.netspec');
  const src = `model M {\n  input x: [${FEATURES}]\n  Dense(16, activation=relu)\n  Dense(3, activation=softmax)\n}\ntrain M {\n  data = csv("data.csv", target="y")\n  loss = cross_entropy\n  optimizer = adam(lr=0.01)\n  epochs = 2\n  batch_size = 128\n  metrics = [accuracy]\n  seed = 3\n${extra}}\n`;
  writeFileSync(path, src);
  const checked = checkText(src, { path });
  const ir = checked.models[0].ir!;
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return { ir, config: lowerTrain(decl, { path }), path };
}

/** Runs `fn` with os.tmpdir() pointing at a fresh folder, and returns that folder. */
async function withTmp<T>(fn: (tmp: string) => Promise<T>): Promise<{ tmp: string; value: T }> {
  const tmp = mkdtempSync(join(tmpdir(), 'netspec-disk-test-'));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    return { tmp, value: await fn(tmp) };
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

setBackend(new CpuBackend());

// A full collection before each sample, so the heap measured is what is live, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** The row folders in `tmp` (tsx keeps a cache folder of its own there). */
const rowDirs = (tmp: string) => readdirSync(tmp).filter((d) => d.startsWith('netspec-rows-'));

const dir = mkdtempSync(join(tmpdir(), 'netspec-disk-data-'));
writeCsv(join(dir, 'data.csv'), ROWS);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

test('a 1 MB budget trains from disk to the in-memory accuracy band, with a small heap, and removes its file', async () => {
  const { ir, config } = setup(dir, '  validation = 0.2\n');
  const dataBytes = ROWS * (FEATURES + 1) * 4;
  gc();
  const base = process.memoryUsage();
  let peak = 0;
  let steps = 0;
  const sample = () => {
    if (steps++ % 25 !== 0) return;
    gc();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed - base.heapUsed + (m.arrayBuffers - base.arrayBuffers));
  };
  const { tmp, value: disk } = await withTmp(async (t) => {
    const loaded = await loadTrainingSources(config, ir, nodeFiles, 1 * MB);
    assert.ok(loaded.ok, 'the data loads');
    assert.ok(loaded.value.train instanceof DiskRows, 'the rows went to disk');
    assert.equal(loaded.value.train.count + loaded.value.validation!.count, ROWS);
    assert.equal(rowDirs(t).length, 1, 'one row folder while training');
    const out = await train(ir, config, loaded.value.train, loaded.value.validation, { onStep: sample });
    sample();
    await loaded.value.release();
    return out;
  });
  assert.deepEqual(rowDirs(tmp), [], 'the row file is deleted after success');
  assert.ok(disk.ok, 'the disk run trains');
  // Reported either way: the margin is what tells whether this bound is comfortable.
  console.log(`disk rows: heap growth ${(peak / MB).toFixed(1)} MB for ${(dataBytes / MB).toFixed(1)} MB of data`);
  assert.ok(peak < dataBytes / 2, `heap growth ${(peak / MB).toFixed(1)} MB stays far below the data's ${(dataBytes / MB).toFixed(1)} MB`);

  const mem = await loadTrainingData(config, ir, nodeFiles);
  assert.ok(mem.ok);
  const inMemory = await train(ir, config, mem.value.train, mem.value.validation);
  assert.ok(inMemory.ok);
  const accDisk = disk.result.epochs[1].metrics.val_accuracy;
  const accMem = inMemory.result.epochs[1].metrics.val_accuracy;
  assert.ok(accMem > 0.85, `in memory reaches ${accMem}`);
  assert.ok(Math.abs(accDisk - accMem) < 0.04, `disk ${accDisk} is within 0.04 of memory ${accMem}`);
});

test('a budget large enough gives the in-memory run bit for bit', async () => {
  const { ir, config } = setup(dir, '  validation = 0.1\n');
  const small = { ...config, epochs: 1 };
  const sources = await loadTrainingSources(small, ir, nodeFiles, 1024 * MB);
  const mem = await loadTrainingData(small, ir, nodeFiles);
  assert.ok(sources.ok && mem.ok);
  assert.ok(!(sources.value.train instanceof DiskRows));
  const lossesOf = async (t: Parameters<typeof train>[2], v: Parameters<typeof train>[3]) => {
    const losses: number[] = [];
    const r = await train(ir, small, t, v, { onStep: (e) => losses.push(e.loss) });
    assert.ok(r.ok);
    return { losses, metrics: r.result.epochs[0].metrics };
  };
  assert.deepEqual(await lossesOf(sources.value.train, sources.value.validation), await lossesOf(mem.value.train, mem.value.validation));
});

test('the block shuffle is a seeded permutation that keeps each window of blocks together', async () => {
  const { ir, config } = setup(dir);
  const { value } = await withTmp(async () => {
    const loaded = await loadTrainingSources(config, ir, nodeFiles, 1 * MB);
    assert.ok(loaded.ok && loaded.value.train instanceof DiskRows);
    const d = loaded.value.train;
    const all = (rng: Rng) => d.epochOrder(rng).next(ROWS + 1);
    const a = all(new Rng(7, 1));
    const b = all(new Rng(7, 1));
    const c = all(new Rng(8, 1));
    // Rows read back equal the rows asked for: row i's batch equals the in-memory row i.
    const batch = await d.batch([0, ROWS - 1, 12345]);
    await loaded.value.release();
    return { a, b, c, batch, blockRows: d.blockRows };
  });
  assert.deepEqual(value.a, value.b, 'same seed, same order');
  assert.notDeepEqual(value.a, value.c, 'another seed, another order');
  assert.deepEqual([...value.a].sort((x, y) => x - y), Array.from({ length: ROWS }, (_v, i) => i), 'every row once');
  const window = value.blockRows * 4;
  const blocks = new Set(Array.from(value.a.subarray(0, window), (r) => Math.floor(r / value.blockRows)));
  assert.ok(blocks.size <= 4, 'the first window draws from 4 blocks');
  const mem = await loadTrainingData(config, ir, nodeFiles);
  assert.ok(mem.ok);
  const x = mem.value.train.inputs.x.data;
  for (const [i, row] of [0, ROWS - 1, 12345].entries()) {
    assert.deepEqual([...value.batch.inputs.x.data.subarray(i * FEATURES, (i + 1) * FEATURES)], [...x.subarray(row * FEATURES, (row + 1) * FEATURES)]);
    const out: string = Object.keys(mem.value.train.targets)[0];
    assert.equal(value.batch.targets[out].data[i], mem.value.train.targets[out].data[row]);
  }
});

test('a data error in the second pass is located and leaves no file behind', async () => {
  const bad = mkdtempSync(join(tmpdir(), 'netspec-disk-bad-'));
  try {
    writeCsv(join(bad, 'data.csv'), 20_000, 19_000);
    const { ir, config } = setup(bad);
    const { tmp, value } = await withTmp(() => loadTrainingSources(config, ir, nodeFiles, 0.1 * MB));
    assert.ok(!value.ok);
    assert.equal(value.error.line, 19_000);
    assert.equal(value.error.column, 5);
    assert.match(value.error.message, /oops/);
    assert.deepEqual(rowDirs(tmp), []);
  } finally {
    rmSync(bad, { recursive: true, force: true });
  }
});

test('Ctrl-C in netspec train removes the row file', async () => {
  const { path } = setup(dir, '  validation = 0.2\n');
  const tmp = mkdtempSync(join(tmpdir(), 'netspec-disk-sigint-'));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve('cli/src/main.ts'), 'train', path, '--backend', 'cpu', '--epochs', '50', '--out', join(dir, 'w.safetensors')], {
      env: { ...process.env, TMPDIR: tmp, NETSPEC_DATA_BUDGET_MB: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // Wait until the rows are on disk and training has begun, then interrupt.
    const rowsFile = () => rowDirs(tmp).some((d) => existsSync(join(tmp, d, 'rows.bin')));
    for (let i = 0; i < 600 && !(rowsFile() && /epoch|step|\d+\/\d+/i.test(stderr)); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(rowsFile(), `the row file exists while training (${stderr})`);
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.deepEqual(rowDirs(tmp), [], 'the row folder is removed after Ctrl-C');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
