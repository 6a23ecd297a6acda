// Data edge cases that used to be misreported or read silently wrong, each driven through
// `netspec train` (dist/cli.js, built by `npm run build`) on the CPU: the exit status must
// be 2, stderr must give the message at its place (`file:line:col: error[code]: ...` where
// there is a line), and no weights file may be written. Files are made in a temporary
// folder that is also the working directory, so paths print as given. The loader's own
// checks for the editor's path (whole files in memory, no checker in front) are driven
// directly through loadDataset.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { gunzipSync } from 'node:zlib';
import { formatDataError } from '../../engine/src/data/data_error';
import { memoryFiles } from '../../engine/src/data/files';
import { loadDataset } from '../../engine/src/data/load';
import { nodeFiles } from '../../cli/src/data/node_files';
import { checkText } from '../../server/src/sema/check';
import { lowerTrain } from '../../server/src/sema/train/lower';
import type { TrainDecl } from '../../server/src/syntax/ast';

const CLI = resolve('dist/cli.js');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-data-edges-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A two-feature classifier over `data`, with `units` classes. */
const MODEL = (data: string, units = 2, input = '[2]', pre = '') =>
  `model M {\n  input x: ${input}\n${pre}  Dense(${units})\n}\n\ntrain M {\n  data = ${data}\n  loss = cross_entropy\n  epochs = 1\n}\n`;

let serial = 0;

/** Writes `files` into a fresh folder, trains `m.netspec` there, and asserts exit 2 and no weights. */
function trainFails(files: Record<string, string | Buffer>): string {
  const here = join(dir, `case${++serial}`);
  mkdirSync(here);
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(join(here, name, '..'), { recursive: true });
    writeFileSync(join(here, name), body);
  }
  const before = readdirSync(here, { recursive: true }).sort();
  const r = spawnSync(process.execPath, [CLI, 'train', 'm.netspec', '--backend', 'cpu', '--out', 'w.safetensors'], { cwd: here, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'nothing on stdout');
  assert.equal(existsSync(join(here, 'w.safetensors')), false, 'no weights file');
  assert.equal(existsSync(join(here, 'M.safetensors')), false, 'no default weights file');
  assert.deepEqual(readdirSync(here, { recursive: true }).sort(), before, 'no file written');
  return r.stderr;
}

/** The line of stderr that reports the error (the CLI prints one). */
function errorLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => / error(\[|:)/.test(l));
  assert.equal(lines.length, 1, `one error line in: ${stderr}`);
  return lines[0];
}

describe('CSV rows and columns', () => {
  test('a row with too many fields is reported at its line before any class count', () => {
    // The extra field shifts "7" into the target column: a third class against 2 units.
    const err = trainFails({ 'm.netspec': MODEL('csv("d.csv", target="y")'), 'd.csv': 'a,b,y\n1,2,p\n3,4,q\n5,6,7,q\n' });
    assert.match(errorLine(err), /^d\.csv:4:1: error\[data-error\]: row has 4 fields but the header has 3 \(a, b, y\); every row needs one value per column$/);
    assert.doesNotMatch(err, /classes/);
  });

  test('a target list naming one column twice is reported on that name', () => {
    const err = trainFails({ 'm.netspec': MODEL('csv("d.csv", target=["y", "y"])'), 'd.csv': 'a,b,y\n1,2,p\n3,4,q\n' });
    assert.match(errorLine(err), /^m\.netspec:7:36: error\[data-mismatch\]: target lists the column "y" twice; name each target column once/);
  });

  test('a header naming the target column twice is reported as a duplicate at the header', () => {
    // Both "y" columns left the features, so this used to be a feature count (1 for an input of 2).
    const err = trainFails({ 'm.netspec': MODEL('csv("d.csv", target="y")'), 'd.csv': 'a,y,y\n1,2,p\n3,4,q\n' });
    assert.match(errorLine(err), /^d\.csv:1: error\[data-error\]: the header names column "y" twice$/);
    assert.doesNotMatch(err, /feature columns/);
  });
});

describe('CSV numbers', () => {
  const cases: [string, string, RegExp][] = [
    ['1e39 (finite in float64, infinite in float32)', '1e39', /column "b" is 1e39, which is out of float32 range/],
    ['-1e39', '-1e39', /column "b" is -1e39, which is out of float32 range/],
    ['hexadecimal', '0x10', /column "b" holds "0x10", which is not a decimal number; write numbers in decimal/],
    ['binary', '0b1', /column "b" holds "0b1", which is not a decimal number/],
    ['octal', '0o7', /column "b" holds "0o7", which is not a decimal number/],
    ['Infinity', 'Infinity', /column "b" is Infinity; NaN and infinite values cannot be trained on/],
    ['white space only', '   ', /column "b" is empty; a feature needs a number/],
  ];
  for (const [name, cell, message] of cases) {
    test(`${name} is refused at its line and column`, () => {
      const err = trainFails({ 'm.netspec': MODEL('csv("d.csv", target="y")'), 'd.csv': `a,b,y\n1,2,p\n3,${cell},q\n` });
      const line = errorLine(err);
      assert.match(line, /^d\.csv:3:2: error\[data-error\]: /);
      assert.match(line, message);
    });
  }

  test('ordinary decimal forms still read as numbers', async () => {
    writeFileSync(join(dir, 'decimal.csv'), 'a,b,y\n+1.5,.5,p\n1e-3,-2.,q\n3.0E2,-0,p\n');
    const { ir, config } = setup(MODEL('csv("decimal.csv", target="y")'));
    const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
    assert.ok(r.ok, r.ok ? '' : formatDataError(r.error));
    assert.deepEqual(Array.from(r.value.inputs.x.data), [1.5, 0.5, Math.fround(1e-3), -2, 300, -0]);
  });
});

describe('text encoding', () => {
  test('an invalid UTF-8 label is reported with its line, not read as a new class', () => {
    const csv = Buffer.concat([Buffer.from('a,b,y\n1,2,p\n3,4,q\n5,6,'), Buffer.from([0xff]), Buffer.from('q\n')]);
    const err = trainFails({ 'm.netspec': MODEL('csv("d.csv", target="y")'), 'd.csv': csv });
    assert.match(errorLine(err), /^d\.csv:4: error\[data-error\]: the file is not valid UTF-8: line 4 holds the byte 0xFF/);
    assert.doesNotMatch(err, /classes/);
  });

  test('the whole-file reader (the editor\'s path) reports it too, for CSV and JSON', async () => {
    const bad = Buffer.concat([Buffer.from('a,b,y\n1,2,p\n3,4,'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);
    const json = Buffer.concat([Buffer.from('[\n{"a": 1, "b": 2, "y": "p"},\n{"a": 3, "b": 4, "y": "'), Buffer.from([0xe2, 0x82]), Buffer.from('"}\n]\n')]);
    const files = memoryFiles(new Map([['/m/d.csv', new Uint8Array(bad)], ['/m/d.json', new Uint8Array(json)]]), (b) => b);
    for (const [source, line] of [['csv("d.csv", target="y")', 3], ['json("d.json", target="y")', 3]] as const) {
      const { ir, config } = setup(MODEL(source), '/m/m.netspec');
      const r = await loadDataset(config.data!, ir, { config, targets: 'required', files });
      assert.ok(!r.ok, source);
      assert.equal(r.error.line, line, source);
      assert.match(r.error.message, /the file is not valid UTF-8: line 3 holds the byte 0x/);
    }
  });
});

/** An IDX file of one-byte elements of `type` (0x08 unsigned, 0x09 signed). */
function idx(shape: number[], values: number[], type = 0x08): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head.writeUInt32BE((type << 8) | shape.length, 0);
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(values.map((v) => v & 0xff))]);
}

describe('IDX files', () => {
  const FLAT = '  Flatten()\n';

  test('signed-byte images are scaled by 128 into [-1, 1), unsigned ones by 255', async () => {
    const pixels = [-128, -1, 0, 127, 5, -5, 64, -64];
    writeFileSync(join(dir, 'signed-idx3-ubyte'), idx([2, 2, 2], pixels, 0x09));
    writeFileSync(join(dir, 'unsigned-idx3-ubyte'), idx([2, 2, 2], [0, 255, 51, 102, 1, 2, 3, 4]));
    writeFileSync(join(dir, 'labels-idx1-ubyte'), idx([2], [0, 1]));
    const expected = { signed: pixels.map((v) => Math.fround(v / 128)), unsigned: [0, 255, 51, 102, 1, 2, 3, 4].map((v) => Math.fround(v / 255)) };
    for (const kind of ['signed', 'unsigned'] as const) {
      const { ir, config } = setup(MODEL(`idx(images="${kind}-idx3-ubyte", labels="labels-idx1-ubyte")`, 2, '[2, 2]', FLAT));
      const r = await loadDataset(config.data!, ir, { config, targets: 'required', files: nodeFiles });
      assert.ok(r.ok, r.ok ? '' : formatDataError(r.error));
      assert.deepEqual(Array.from(r.value.inputs.x.data), expected[kind], kind);
    }
  });

  test('a labels file given as images is said to look like a labels file', () => {
    const err = trainFails({
      'm.netspec': MODEL('idx(images="labels-idx1-ubyte", labels="labels-idx1-ubyte")', 2, '[2, 2]', FLAT),
      'labels-idx1-ubyte': idx([4], [0, 1, 0, 1]),
    });
    assert.match(errorLine(err), /^m\.netspec:8:21: error\[data-mismatch\]: this looks like an IDX labels file \(rank 1: one value for each of 4 samples\), but idx\(images=\.\.\.\) expects an images file/);
    assert.doesNotMatch(err, /truncated/);
  });
});

describe('images', () => {
  test('a corrupt PNG is reported in our words, naming the file, without the decoder\'s internals', () => {
    const good = new PNG({ width: 2, height: 2 });
    good.data.fill(200);
    const bytes = PNG.sync.write(good);
    const err = trainFails({
      'm.netspec': MODEL('images("pics")', 2, '[2, 2, 1]', '  Flatten()\n'),
      'pics/cat/ok.png': bytes,
      'pics/dog/cut.png': bytes.subarray(0, 40),
    });
    assert.match(errorLine(err), /^pics\/dog\/cut\.png: error\[data-error\]: the PNG image cannot be decoded: the file ends before its image data does \(it is truncated\); re-save or re-export it as PNG or JPEG$/);
    assert.doesNotMatch(err, /waitng|read requests|stream/);
  });
});

/** The IR and lowered train block of a one-model source. */
function setup(source: string, path = join(dir, 'm.netspec')) {
  const checked = checkText(source, { path });
  const ir = checked.models[0].ir;
  assert.ok(ir, 'the model checks');
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  return { ir, config: lowerTrain(decl, { path }) };
}

describe('the loader itself (no checker in front)', () => {
  test('a target list naming one column twice', async () => {
    writeFileSync(join(dir, 'twice.csv'), 'a,b,y\n1,2,p\n3,4,q\n');
    const { ir, config } = setup(MODEL('csv("twice.csv", target=["y", "y"])'));
    for (const files of [nodeFiles, memoryFiles(new Map([[join(dir, 'twice.csv'), new Uint8Array(Buffer.from('a,b,y\n1,2,p\n3,4,q\n'))]]), gunzipSync)]) {
      const r = await loadDataset(config.data!, ir, { config, targets: 'required', files });
      assert.ok(!r.ok);
      assert.equal(r.error.code, 'data-mismatch');
      assert.match(r.error.message, /target lists the column "y" twice/);
    }
  });
});
