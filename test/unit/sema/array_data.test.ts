// The editor's checks of npy, idx and images sources, on real files written here: a
// header that does not fit the model is a data-mismatch on the data line's path, with the
// message `netspec train` gives when it loads the same files (compared directly), and files
// that fit give no diagnostics. Only headers are read: a file whose values are cut off
// still checks by its header.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import jpeg from 'jpeg-js';
import { checkText } from '../../../server/src/sema/check';
import { NodeDataProbe } from '../../../server/src/sema/train/data_probe';
import { imageSize } from '../../../engine/src/data/image_size';
import { loadTrainingData } from '../../../engine/src/data/load';
import { nodeFiles } from '../../../cli/src/data/node_files';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const dir = mkdtempSync(join(tmpdir(), 'netspec-array-data-'));
const file = join(dir, 'model.netspec');

/** A float32 .npy file of `shape` (values 0, 1, 2, ...). */
function npy(name: string, shape: number[], dtype = '<f4'): void {
  const header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const padded = header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11) + '\n';
  const count = shape.reduce((a, b) => a * b, 1);
  const values = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) values.writeFloatLE(i % 2, i * 4);
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  pre.writeUInt16LE(padded.length, 8);
  writeFileSync(join(dir, name), Buffer.concat([pre, Buffer.from(padded, 'latin1'), values]));
}

/** An unsigned-byte IDX file of `shape` (zeros), gzipped when the name ends in .gz. */
function idx(name: string, shape: number[]): void {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = 0x08;
  head[3] = shape.length;
  shape.forEach((n, i) => head.writeUInt32BE(n, 4 + 4 * i));
  const bytes = Buffer.concat([head, Buffer.alloc(shape.reduce((a, b) => a * b, 1))]);
  writeFileSync(join(dir, name), name.endsWith('.gz') ? gzipSync(bytes) : bytes);
}

function png(path: string, width: number, height: number): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), PNG.sync.write(new PNG({ width, height })));
}

function source(input: string, units: number, data: string, loss = 'cross_entropy'): string {
  return `model M {\n  input x: ${input}\n  Flatten()\n  Dense(${units}, activation=softmax)\n}\ntrain M {\n  data = ${data}\n  loss = ${loss}\n}\n`;
}

function check(src: string) {
  const r = checkText(src, { path: file, data: new NodeDataProbe() });
  return r.diagnostics.map((d) => ({ code: d.code, message: d.message, text: src.slice(d.span.start, d.span.end) }));
}

/** What `netspec train`'s loader says about the same source, or null when it loads. */
async function trainSays(src: string): Promise<string | null> {
  const checked = checkText(src, { path: file });
  const ir = checked.models[0]?.ir;
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train');
  assert.ok(ir && decl);
  const r = await loadTrainingData(lowerTrain(decl, { path: file }), ir, nodeFiles);
  return r.ok ? null : r.error.message;
}

npy('x.npy', [6, 2, 2]);
npy('y.npy', [6]);
npy('y5.npy', [5]);
npy('y2.npy', [6, 2]);
idx('images-idx3-ubyte', [4, 3, 3]);
idx('labels-idx1-ubyte.gz', [4]);
png('pics/cat/a.png', 4, 3);
png('pics/cat/b.png', 4, 3);
png('pics/dog/a.png', 4, 3);

test('array and image sources that fit the model give no diagnostics', () => {
  assert.deepEqual(check(source('[2, 2]', 3, 'npy(features="x.npy", targets="y.npy")')), []);
  assert.deepEqual(check(source('[3, 3]', 10, 'idx(images="images-idx3-ubyte", labels="labels-idx1-ubyte.gz")')), []);
  assert.deepEqual(check(source('[3, 4, 1]', 2, 'images("pics")')), []);
});

test('an npy features array whose samples do not fill the input is a data-mismatch on its path, as training reports it', async () => {
  const src = source('[5]', 3, 'npy(features="x.npy", targets="y.npy")');
  const d = check(src);
  assert.deepEqual(d.map((x) => [x.code, x.text]), [['data-mismatch', '"x.npy"']]);
  assert.equal(d[0].message, 'x.npy has shape [6, 2, 2]: 4 values per row, but input x is [batch, 5] (5 values)');
  assert.equal(await trainSays(src), d[0].message);
});

test('an npy targets array with another sample count or width is a data-mismatch on its path', async () => {
  const count = source('[2, 2]', 3, 'npy(features="x.npy", targets="y5.npy")');
  const d = check(count);
  assert.deepEqual(d.map((x) => [x.code, x.text]), [['data-mismatch', '"y5.npy"']]);
  assert.equal(d[0].message, 'y5.npy has 5 rows but x.npy has 6 rows; the two files must hold the same samples in the same order');
  assert.equal(await trainSays(count), d[0].message);
  const width = source('[2, 2]', 3, 'npy(features="x.npy", targets="y2.npy")');
  const w = check(width);
  assert.deepEqual(w.map((x) => x.text), ['"y2.npy"']);
  assert.match(w[0].message, /y2\.npy has shape \[6, 2\]: 2 values per sample, but output output \[batch, 3\] under cross_entropy takes 1 class index per sample/);
  assert.equal(await trainSays(width), w[0].message);
});

test('an npy dtype the engine cannot read is reported from the header', () => {
  npy('x16.npy', [6, 4], '<f2');
  const d = check(source('[4]', 3, 'npy(features="x16.npy", targets="y.npy")'));
  assert.deepEqual(d.map((x) => [x.code, x.text]), [['data-mismatch', '"x16.npy"']]);
  assert.match(d[0].message, /dtype <f2 is not supported/);
});

test('idx images of the wrong size, and swapped idx files, are data-mismatches; a gzipped header is read', async () => {
  const size = source('[28, 28]', 10, 'idx(images="images-idx3-ubyte", labels="labels-idx1-ubyte.gz")');
  const d = check(size);
  assert.deepEqual(d.map((x) => [x.code, x.text]), [['data-mismatch', '"images-idx3-ubyte"']]);
  assert.equal(d[0].message, 'images-idx3-ubyte has shape [4, 3, 3]: 9 values per image, but input x is [batch, 28, 28] (784 values)');
  assert.equal(await trainSays(size), d[0].message);
  const swapped = check(source('[3, 3]', 10, 'idx(images="labels-idx1-ubyte.gz", labels="images-idx3-ubyte")'));
  assert.deepEqual(swapped.map((x) => [x.code, x.text]), [['data-mismatch', '"labels-idx1-ubyte.gz"']]);
  assert.match(swapped[0].message, /looks like an IDX labels file .* check that images= and labels= are not swapped/);
});

test('only the header of an array file is read: values cut off do not matter to the editor', () => {
  const full = Buffer.alloc(4 + 12 + 1000 * 9);
  full[2] = 0x08;
  full[3] = 3;
  [1000, 3, 3].forEach((n, i) => full.writeUInt32BE(n, 4 + 4 * i));
  writeFileSync(join(dir, 'cut-idx3-ubyte'), full.subarray(0, 100));
  const d = check(source('[2, 2]', 10, 'idx(images="cut-idx3-ubyte", labels="labels-idx1-ubyte.gz")'));
  assert.deepEqual(d.map((x) => x.message), [
    'cut-idx3-ubyte has shape [1000, 3, 3]: 9 values per image, but input x is [batch, 2, 2] (4 values)',
    'labels-idx1-ubyte.gz has 4 labels but cut-idx3-ubyte has 1000 images; the two files must hold the same samples in the same order',
  ]);
});

test('an image folder with more classes than units, or images of another size, is a data-mismatch on the folder', async () => {
  png('pics3/ant/a.png', 4, 3);
  png('pics3/bee/a.png', 4, 3);
  png('pics3/cow/a.png', 4, 3);
  const classes = source('[3, 4, 1]', 2, 'images("pics3")');
  const d = check(classes);
  assert.deepEqual(d.map((x) => [x.code, x.text]), [['data-mismatch', '"pics3"']]);
  assert.match(d[0].message, /has 3 classes \(ant, bee, cow\) but output output is \[batch, 2\] with 2 units/);
  assert.equal(await trainSays(classes), d[0].message);
  const size = source('[4, 4, 3]', 2, 'images("pics")');
  const s = check(size);
  assert.deepEqual(s.map((x) => [x.code, x.text]), [['data-mismatch', '"pics"']]);
  assert.equal(s[0].message, 'cat/a.png is 3x4 (height x width), but input x is [batch, 4, 4, 3]: 4x4; resize the images (they are not resized here)');
  assert.equal(await trainSays(size), s[0].message);
  const rank = check(source('[12]', 2, 'images("pics")'));
  assert.match(rank[0].message, /images\(\.\.\.\) needs an input \[height, width, channels\]/);
});

test('a folder without class folders or images is a data-error warning', () => {
  mkdirSync(join(dir, 'flat'), { recursive: true });
  mkdirSync(join(dir, 'empty/cls'), { recursive: true });
  assert.deepEqual(check(source('[3, 4, 1]', 2, 'images("flat")')).map((x) => [x.code, x.text]), [['data-error', '"flat"']]);
  assert.deepEqual(check(source('[3, 4, 1]', 2, 'images("empty")')).map((x) => [x.code, x.message]), [['data-error', 'the class folders hold no .png, .jpg or .jpeg files']]);
});

test('imageSize reads the size from a PNG and a JPEG header', () => {
  assert.deepEqual(imageSize(PNG.sync.write(new PNG({ width: 7, height: 5 }))), { width: 7, height: 5 });
  const rgba = Buffer.alloc(9 * 6 * 4, 128);
  assert.deepEqual(imageSize(jpeg.encode({ data: rgba, width: 9, height: 6 }, 80).data), { width: 9, height: 6 });
  assert.equal(imageSize(Buffer.from('not an image')), null);
});
