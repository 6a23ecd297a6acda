// npy and IDX sources larger than the memory budget (engine/src/data/array_rows.ts): over a
// tiny budget they train from their own files, read by byte range, to the accuracy of the
// same data in memory; the rows read back equal the in-memory rows value for value (f8 and
// i8 npy, IDX bytes scaled by 1/255); a gzipped IDX file is still read whole; under the
// budget nothing changes; and bad files (truncated, unsupported dtype, NaN, labels out of
// range) are still errors that name the file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { DiskRows } from '../../../engine/src/data/disk_rows';
import { loadTrainingData, loadTrainingSources } from '../../../engine/src/data/load';
import { train } from '../../../engine/src/train/run';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const F = 20;
const N = 6000;
const TINY = 0.05 * 1024 * 1024;

setBackend(new CpuBackend());

function npy(descr: string, shape: number[], body: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

function idx(shape: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + body.length);
  out.set([0, 0, 0x08, shape.length]);
  const view = new DataView(out.buffer);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * shape.length);
  return out;
}

/** N samples of F values in [-1, 1); the class is the largest of the first three. */
function samples(): { x: number[]; y: number[] } {
  let s = 99;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < N; i++) {
    const f = Array.from({ length: F }, rand);
    x.push(...f);
    y.push(f[0] > f[1] && f[0] > f[2] ? 0 : f[1] > f[2] ? 1 : 2);
  }
  return { x, y };
}

const dir = mkdtempSync(join(tmpdir(), 'netspec-array-rows-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const { x, y } = samples();
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
writeFileSync(join(dir, 'x.npy'), npy('<f4', [N, F], bytesOf(new Float32Array(x))));
writeFileSync(join(dir, 'y.npy'), npy('<i4', [N], bytesOf(new Int32Array(y))));
writeFileSync(join(dir, 'x8.npy'), npy('<f8', [N, F], bytesOf(new Float64Array(x.map((v) => v * 1e3 + 1e-9)))));
writeFileSync(join(dir, 'y8.npy'), npy('<i8', [N], bytesOf(new BigInt64Array(y.map((v) => BigInt(v))))));
const pixels = new Uint8Array(x.map((v) => Math.round((v + 1) * 127.5)));
writeFileSync(join(dir, 'img-ubyte'), idx([N, F], pixels));
writeFileSync(join(dir, 'lbl-ubyte'), idx([N], new Uint8Array(y)));
writeFileSync(join(dir, 'img-ubyte.gz'), gzipSync(idx([N, F], pixels)));

function setup(data: string, extra = '') {
  const path = join(dir, 'm.netspec');
  const src = `model M {\n  input x: [${F}]\n  Dense(16, activation=relu)\n  Dense(3, activation=softmax)\n}\ntrain M {\n  data = ${data}\n  loss = cross_entropy\n  optimizer = adam(lr=0.01)\n  epochs = 3\n  batch_size = 64\n  metrics = [accuracy]\n  seed = 5\n${extra}}\n`;
  const checked = checkText(src, { path });
  const ir = checked.models[0].ir!;
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return { ir, config: lowerTrain(decl, { path }) };
}

async function sameQuality(data: string): Promise<void> {
  const { ir, config } = setup(data, '  validation = 0.2\n');
  const loaded = await loadTrainingSources(config, ir, nodeFiles, TINY);
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.error));
  assert.ok(loaded.value.train instanceof DiskRows, 'the rows are read from the file');
  assert.ok(loaded.value.validation instanceof DiskRows, 'the validation rows too');
  assert.equal(loaded.value.train.count + loaded.value.validation.count, N);
  const disk = await train(ir, config, loaded.value.train, loaded.value.validation);
  await loaded.value.release();
  const mem = await loadTrainingData(config, ir, nodeFiles);
  assert.ok(mem.ok);
  assert.equal(mem.value.validation!.count, loaded.value.validation.count, 'the same split sizes');
  const inMemory = await train(ir, config, mem.value.train, mem.value.validation);
  assert.ok(disk.ok && inMemory.ok);
  const accDisk = disk.result.epochs[2].metrics.val_accuracy;
  const accMem = inMemory.result.epochs[2].metrics.val_accuracy;
  assert.ok(accMem > 0.8, `in memory reaches ${accMem}`);
  assert.ok(Math.abs(accDisk - accMem) < 0.05, `disk ${accDisk} is within 0.05 of memory ${accMem}`);
}

test('an npy pair over a tiny budget trains from its files to the in-memory accuracy', async () => {
  await sameQuality('npy(features="x.npy", targets="y.npy")');
});

test('an IDX pair over a tiny budget trains from its files to the in-memory accuracy', async () => {
  await sameQuality('idx(images="img-ubyte", labels="lbl-ubyte")');
});

/** Rows `rows` read from disk equal the in-memory rows, inputs and targets. */
async function sameRows(data: string, rows: number[]): Promise<void> {
  const { ir, config } = setup(data);
  const loaded = await loadTrainingSources(config, ir, nodeFiles, TINY);
  assert.ok(loaded.ok && loaded.value.train instanceof DiskRows);
  const batch = await loaded.value.train.batch(rows);
  const mem = await loadTrainingData(config, ir, nodeFiles);
  assert.ok(mem.ok);
  const xs = mem.value.train.inputs.x.data;
  const out = Object.keys(mem.value.train.targets)[0];
  assert.ok(batch.targets[out].data instanceof Int32Array, 'class indices are int32');
  rows.forEach((row, i) => {
    assert.deepEqual([...batch.inputs.x.data.subarray(i * F, (i + 1) * F)], [...xs.subarray(row * F, (row + 1) * F)]);
    assert.equal(batch.targets[out].data[i], mem.value.train.targets[out].data[row]);
    assert.equal(batch.targets[out].data[i], y[row]);
  });
}

test('rows read by range equal the in-memory rows: f8 and i8 npy, IDX bytes scaled to [0, 1]', async () => {
  const rows = [0, N - 1, 1234, 77];
  await sameRows('npy(features="x8.npy", targets="y8.npy")', rows);
  await sameRows('idx(images="img-ubyte", labels="lbl-ubyte")', rows);
  const { ir, config } = setup('idx(images="img-ubyte", labels="lbl-ubyte")');
  const loaded = await loadTrainingSources(config, ir, nodeFiles, TINY);
  assert.ok(loaded.ok && loaded.value.train instanceof DiskRows);
  const b = await loaded.value.train.batch([3]);
  assert.equal(b.inputs.x.data[5], Math.fround(pixels[3 * F + 5] / 255));
});

test('a gzipped IDX file and sources under the budget are read whole, as before', async () => {
  const gz = setup('idx(images="img-ubyte.gz", labels="lbl-ubyte")');
  const a = await loadTrainingSources(gz.config, gz.ir, nodeFiles, TINY);
  assert.ok(a.ok && !(a.value.train instanceof DiskRows) && a.value.train.count === N);
  const small = setup('npy(features="x.npy", targets="y.npy")');
  const b = await loadTrainingSources(small.config, small.ir, nodeFiles, 64 * 1024 * 1024);
  assert.ok(b.ok && !(b.value.train instanceof DiskRows));
});

test('bad files over the budget are still errors naming the file', async () => {
  const good = readNpyBytes();
  const cases: { name: string; bytes: Uint8Array; targets?: string; message: RegExp; file?: string }[] = [
    { name: 'trunc.npy', bytes: good.subarray(0, good.length - 10), message: /truncated/ },
    { name: 'complex.npy', bytes: npy('<c8', [N, F], new Uint8Array(N * F * 8)), message: /dtype <c8 is not supported/ },
    { name: 'nan.npy', bytes: npy('<f4', [N, F], bytesOf(new Float32Array(x.map((v, i) => (i === 4001 * F + 2 ? NaN : v))))), message: /row 4001 holds NaN at value 2/ },
    { name: 'x.npy', bytes: good, targets: 'big.npy', message: /class|units|index/i, file: 'big.npy' },
    { name: 'text.npy', bytes: new TextEncoder().encode('a,b\n1,2\n'.repeat(100)), message: /not a \.npy file/ },
  ];
  writeFileSync(join(dir, 'big.npy'), npy('<i4', [N], bytesOf(new Int32Array(y.map((v, i) => (i === 9 ? 7 : v))))));
  for (const c of cases) {
    if (c.name !== 'x.npy') writeFileSync(join(dir, c.name), c.bytes);
    const { ir, config } = setup(`npy(features="${c.name}", targets="${c.targets ?? 'y.npy'}")`);
    const r = await loadTrainingSources(config, ir, nodeFiles, TINY);
    assert.ok(!r.ok, c.name);
    assert.equal(r.error.file, join(dir, c.file ?? c.name), c.name);
    assert.match(r.error.message, c.message, c.name);
  }
  const idxCase = setup('idx(images="img-ubyte", labels="short-ubyte")');
  writeFileSync(join(dir, 'short-ubyte'), idx([N - 1], new Uint8Array(y.slice(1))));
  const r = await loadTrainingSources(idxCase.config, idxCase.ir, nodeFiles, TINY);
  assert.ok(!r.ok);
  assert.equal(r.error.file, join(dir, 'short-ubyte'));
  assert.match(r.error.message, /5999 labels but img-ubyte has 6000 images/);
});

function readNpyBytes(): Uint8Array {
  return npy('<f4', [N, F], bytesOf(new Float32Array(x)));
}
