// Bad training data, one test per kind of fault: `netspec train` (dist/cli.js) must exit 2,
// say what is wrong and where (file, and line:column where there is one), and write no
// weights. CSV fixtures live in test/fixtures/train; binary files (npy, IDX, PNG) are made
// here in a temporary folder. The loader's own count and class checks, which the checker
// usually reports first, are also driven directly through loadDataset.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { formatDataError } from '../../engine/src/data/data_error';
import { loadDataset, loadTrainingData } from '../../engine/src/data/load';
import { nodeFiles } from '../../cli/src/data/node_files';
import { checkText } from '../../server/src/sema/check';
import { lowerTrain } from '../../server/src/sema/train/lower';
import type { TrainDecl } from '../../server/src/syntax/ast';

const CLI = resolve('dist/cli.js');
const FIXTURES = 'test/fixtures/train';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-train-errors-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Trains `file` and asserts exit 2, the message, and that no weights were written. */
function expectDataError(file: string, message: RegExp): string {
  const out = join(dir, `${Math.random().toString(36).slice(2)}.safetensors`);
  const r = spawnSync(process.execPath, [CLI, 'train', file, '--backend', 'cpu', '--out', out], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.match(r.stderr, message);
  assert.equal(existsSync(out), false, 'no weights file');
  assert.equal(existsSync(`${out}.tmp`), false, 'no partial weights file');
  assert.equal(r.stdout, '', 'nothing on stdout');
  return r.stderr;
}

const MODEL = (input: string, units: number, data: string, loss = 'cross_entropy') =>
  `model M {\n  input x: ${input}\n  Dense(${units})\n}\n\ntrain M {\n  data = ${data}\n  loss = ${loss}\n  epochs = 1\n}\n`;

describe('bad CSV data', () => {
  test('a missing file names the path and says how paths resolve', () => {
    expectDataError(`${FIXTURES}/missing_file.netspec`, /test\/fixtures\/train\/no_such_file\.csv: error\[data-error\]: the CSV file does not exist; check the path \(relative paths are resolved against the model file's folder\)/);
  });

  test('an empty file', () => {
    expectDataError(`${FIXTURES}/empty_file.netspec`, /test\/fixtures\/train\/empty\.csv: error\[data-error\]: the CSV file is empty \(0 bytes\)/);
  });

  test('a ragged row is located at its line', () => {
    expectDataError(`${FIXTURES}/ragged_row.netspec`, /ragged\.csv:3:1: error\[data-error\]: row has 3 fields but the header has 4 \(a, b, c, label\)/);
  });

  test('a non-numeric feature is located at its line and column', () => {
    expectDataError(`${FIXTURES}/non_numeric.netspec`, /non_numeric\.csv:3:2: error\[data-error\]: column "b" holds "five", which is not a number/);
  });

  test('NaN is refused where it stands', () => {
    expectDataError(`${FIXTURES}/nan_value.netspec`, /nan\.csv:3:2: error\[data-error\]: column "b" is NaN; NaN and infinite values cannot be trained on/);
  });

  test('an infinite value is refused where it stands', () => {
    expectDataError(`${FIXTURES}/inf_value.netspec`, /inf\.csv:3:2: error\[data-error\]: column "b" is Infinity/);
  });

  test('a missing target column is reported on the data setting', () => {
    expectDataError(`${FIXTURES}/missing_target.netspec`, /missing_target\.netspec:8:33: error\[data-mismatch\]: the data has no column "species"; its columns are a, b, c, label/);
  });

  test('more classes than output units names both numbers', () => {
    expectDataError(`${FIXTURES}/class_count.netspec`, /class_count\.netspec:8:\d+: error\[data-mismatch\]: the target "label" has 3 classes, but the output `output` \[batch, 2\] has 2 units/);
  });

  test('a feature count that does not fill the input names both numbers', () => {
    expectDataError(`${FIXTURES}/feature_count.netspec`, /feature_count\.netspec:8:\d+: error\[data-mismatch\]: the data has 3 feature columns .* the input x \[batch, 5\] takes 5 values per sample/);
  });
});

/** A .npy file (version 1) of float64 or another dtype, C order. */
function npy(descr: string, shape: number[], values: number[], itemSize: number): Buffer {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = dict + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(values.length * itemSize);
  values.forEach((v, i) => (itemSize === 8 ? body.writeDoubleLE(v, i * 8) : body.writeUInt8(v, i)));
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}

/** An IDX file of unsigned bytes. */
function idx(shape: number[], values: number[]): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head.writeUInt32BE(0x00000800 | shape.length, 0);
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(values)]);
}

describe('bad array and image data', () => {
  test('an npy file of an unsupported dtype', () => {
    writeFileSync(join(dir, 'strings.npy'), npy('<U3', [2], [], 12));
    writeFileSync(join(dir, 'y.npy'), npy('<f8', [2], [0, 1], 8));
    writeFileSync(join(dir, 'dtype.netspec'), MODEL('[3]', 2, 'npy(features="strings.npy", targets="y.npy")'));
    expectDataError(join(dir, 'dtype.netspec'), /dtype\.netspec:7:23: error\[data-mismatch\]: dtype <U3 is not supported; save the array as float32 or int32/);
  });

  test('an npy file of the wrong shape names both sizes', () => {
    writeFileSync(join(dir, 'x4.npy'), npy('<f8', [2, 4], [1, 2, 3, 4, 5, 6, 7, 8], 8));
    writeFileSync(join(dir, 'y.npy'), npy('<f8', [2], [0, 1], 8));
    writeFileSync(join(dir, 'shape.netspec'), MODEL('[3]', 2, 'npy(features="x4.npy", targets="y.npy")'));
    expectDataError(join(dir, 'shape.netspec'), /shape\.netspec:7:23: error\[data-mismatch\]: x4\.npy has shape \[2, 4\]: 4 values per row, but input x is \[batch, 3\] \(3 values\)/);
  });

  test('IDX images and labels of different counts', () => {
    writeFileSync(join(dir, 'images-idx3-ubyte'), idx([3, 2, 2], new Array(12).fill(7)));
    writeFileSync(join(dir, 'labels-idx1-ubyte'), idx([2], [0, 1]));
    writeFileSync(join(dir, 'idx.netspec'), MODEL('[2, 2]', 2, 'idx(images="images-idx3-ubyte", labels="labels-idx1-ubyte")').replace('Dense(2)', 'Flatten()\n  Dense(2)'));
    expectDataError(join(dir, 'idx.netspec'), /idx\.netspec:8:49: error\[data-mismatch\]: labels-idx1-ubyte has 2 labels but images-idx3-ubyte has 3 images; the two files must hold the same samples/);
  });

  test('an image of the wrong size names the file and both sizes', () => {
    const png = new PNG({ width: 3, height: 3 });
    png.data.fill(255);
    for (const cls of ['cat', 'dog']) mkdirSync(join(dir, 'pics', cls), { recursive: true });
    writeFileSync(join(dir, 'pics', 'cat', 'big.png'), PNG.sync.write(png));
    const small = new PNG({ width: 2, height: 2 });
    small.data.fill(0);
    writeFileSync(join(dir, 'pics', 'dog', 'ok.png'), PNG.sync.write(small));
    writeFileSync(join(dir, 'images.netspec'), MODEL('[2, 2, 1]', 2, 'images("pics")').replace('Dense(2)', 'Flatten()\n  Dense(2)'));
    expectDataError(join(dir, 'images.netspec'), /images\.netspec:8:17: error\[data-mismatch\]: cat\/big\.png is 3x3 \(height x width\), but input x is \[batch, 2, 2, 1\]: 2x2/);
  });
});

/** The IR and lowered train block of a one-model source, for the loader's own checks. */
function setup(source: string, path: string) {
  const checked = checkText(source, { path });
  const ir = checked.models[0].ir;
  assert.ok(ir, 'the model checks');
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return { ir, config: lowerTrain(decl, { path }) };
}

describe('the loader itself', () => {
  const iris = resolve('examples/iris/iris.csv');

  test('a feature count that does not fit: "iris.csv has 4 feature columns but input x is [batch, 5]"', async () => {
    const { ir, config } = setup(MODEL('[5]', 3, `csv("${iris}", target="species")`), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.line, 1, 'reported at the header row');
    assert.match(formatDataError(r.error), /iris\.csv:1: error\[data-mismatch\]: iris\.csv has 4 feature columns \(every column but "species"\) but input x is \[batch, 5\]/);
  });

  test('more string classes than units', async () => {
    const { ir, config } = setup(MODEL('[4]', 2, `csv("${iris}", target="species")`), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(!r.ok);
    assert.match(r.error.message, /iris\.csv's target "species" has 3 classes \(setosa, versicolor, virginica\) but output output is \[batch, 2\] with 2 units/);
  });

  test('an integer class index beyond the units is located', async () => {
    writeFileSync(join(dir, 'ints.csv'), 'a,label\n1,0\n2,5\n');
    const { ir, config } = setup(MODEL('[1]', 2, `csv("ints.csv", target="label")`), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(!r.ok);
    assert.equal(r.error.line, 3);
    assert.equal(r.error.column, 2);
    assert.match(r.error.message, /column "label" is class 5, but output output is \[batch, 2\] with 2 classes \(0 to 1\)/);
  });

  test('a missing target column lists the columns', async () => {
    const { ir, config } = setup(MODEL('[4]', 3, `csv("${iris}", target="kind")`), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(!r.ok);
    assert.match(r.error.message, /iris\.csv has no target column "kind"; its columns are: sepal_length, sepal_width, petal_length, petal_width, species/);
  });

  test('text targets under mse say to use cross_entropy', async () => {
    const { ir, config } = setup(MODEL('[4]', 1, `csv("${iris}", target="species")`, 'mse'), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(!r.ok);
    assert.equal(r.error.line, 2);
    assert.match(r.error.message, /holds "setosa", but output output is trained with mse, which needs numbers/);
  });

  test('validation data maps labels onto the training labels and refuses unknown ones', async () => {
    writeFileSync(join(dir, 'train.csv'), 'a,kind\n1,b\n2,c\n3,a\n');
    writeFileSync(join(dir, 'val_ok.csv'), 'a,kind\n1,c\n');
    writeFileSync(join(dir, 'val_bad.csv'), 'a,kind\n1,c\n2,zebra\n');
    const source = (v: string) => MODEL('[1]', 3, `csv("train.csv", target="kind")`).replace('epochs = 1', `validation = csv("${v}", target="kind")`);
    const ok = setup(source('val_ok.csv'), join(dir, 'm.netspec'));
    const loaded = await loadTrainingData(ok.config, ok.ir, nodeFiles);
    assert.ok(loaded.ok);
    assert.deepEqual(loaded.value.train.labels, { output: ['a', 'b', 'c'] });
    assert.deepEqual([...loaded.value.validation!.targets.output.data], [2], '"c" is index 2 in both sets');
    const bad = setup(source('val_bad.csv'), join(dir, 'm.netspec'));
    const failed = await loadTrainingData(bad.config, bad.ir, nodeFiles);
    assert.ok(!failed.ok);
    assert.equal(failed.error.line, 3);
    assert.match(failed.error.message, /holds the label "zebra", which the training data does not have \(its labels: a, b, c\)/);
  });

  test('IDX pixel bytes are scaled to [0, 1] and fill the input row-major', async () => {
    writeFileSync(join(dir, 'px-idx3-ubyte'), idx([1, 2, 2], [0, 51, 102, 255]));
    writeFileSync(join(dir, 'lb-idx1-ubyte'), idx([1], [1]));
    const { ir, config } = setup(MODEL('[2, 2]', 2, 'idx(images="px-idx3-ubyte", labels="lb-idx1-ubyte")').replace('Dense(2)', 'Flatten()\n  Dense(2)'), join(dir, 'm.netspec'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(r.ok);
    assert.deepEqual(r.value.inputs.x.data, Float32Array.from([0, 0.2, 0.4, 1]));
    assert.deepEqual(r.value.inputs.x.sampleShape, [2, 2]);
    assert.deepEqual([...r.value.targets.output.data], [1]);
    assert.ok(r.value.targets.output.data instanceof Int32Array);
  });
});
