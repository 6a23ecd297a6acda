// The streaming CSV reader (engine/src/data/csv_stream_load.ts) against the whole-file reader
// it stands in for: the same Dataset for the examples and for awkward files (quotes, CRLF,
// a byte order mark, a quoted newline) whatever the chunk size, the same located error for
// every kind of fault, and a heap that does not grow with the file's text.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainDataSource } from '../../../engine/catalog/train_ir';
import { memoryFiles, type DataFiles } from '../../../engine/src/data/files';
import { loadDataset } from '../../../engine/src/data/load';
import type { LoadOptions } from '../../../engine/src/data/load_options';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { TrainDecl } from '../../../server/src/syntax/ast';

const gunzip = (b: Uint8Array) => b;

/** The same bytes, whole (no stream) and streamed in chunks of `chunk` bytes. */
function filesFor(path: string, bytes: Uint8Array, chunk: number): { whole: DataFiles; streamed: DataFiles } {
  const whole = memoryFiles(new Map([[path, bytes]]), gunzip);
  const streamed: DataFiles = {
    ...whole,
    async *stream(p: string) {
      assert.equal(p, path);
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
    probe: async (p, role) => {
      const r = await whole.read(p, role);
      return r.ok ? { ok: true, value: true } : r;
    },
  };
  return { whole, streamed };
}

/** The model and lowered train block of `src` (its data path is `/d/data.csv`). */
function setup(src: string): { ir: ModelIR; source: TrainDataSource; config: LoadOptions['config'] } {
  const checked = checkText(src, { path: '/d/m.netspec' });
  const ir = checked.models[0].ir!;
  assert.ok(ir, 'the model checks');
  const decl = checked.file.decls.find((d): d is TrainDecl => d.kind === 'Train')!;
  const config = lowerTrain(decl, { path: '/d/m.netspec' });
  return { ir, source: config.data!, config };
}

async function both(src: string, text: string | Uint8Array, chunk: number, labels?: LoadOptions['labels']) {
  const { ir, source, config } = setup(src);
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const { whole, streamed } = filesFor(source.path!, bytes, chunk);
  const options = (files: DataFiles): LoadOptions => ({ config, targets: 'required', files, labels });
  return { whole: await loadDataset(source, ir, options(whole)), streamed: await loadDataset(source, ir, options(streamed)) };
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v, (_k, x) => (ArrayBuffer.isView(x) ? { [x.constructor.name]: [...(x as Float32Array)] } : x)));

const MODEL = (inputs: string, body: string, train: string) => `model M {\n  input x: ${inputs}\n${body}\n}\ntrain M {\n  data = csv("data.csv"${train})\n}\n`;

test('the examples stream into the same Dataset, whatever the chunk size', async () => {
  const iris = readFileSync(resolve('examples/iris/iris.csv'));
  const irisSrc = MODEL('[4]', '  Dense(3)', ', target="species")\n  loss = cross_entropy');
  for (const chunk of [1, 7, 64, 1 << 20]) {
    const r = await both(irisSrc, iris, chunk);
    assert.ok(r.whole.ok && r.streamed.ok);
    assert.deepEqual(plain(r.streamed.value), plain(r.whole.value), `iris, chunk ${chunk}`);
    assert.equal(r.streamed.value.count, 150);
  }
  const penguins = readFileSync(resolve('examples/penguins/penguins.csv'));
  const multi = `model M {\n  input x: [7]\n  output species = x -> Dense(3)\n  output body_mass_kg = x -> Dense(1)\n}\ntrain M {\n  data = csv("data.csv", target={species: "species", body_mass_kg: "body_mass_kg"})\n  loss = {species: cross_entropy, body_mass_kg: mse}\n}\n`;
  const r = await both(multi, penguins, 333);
  assert.ok(r.whole.ok && r.streamed.ok);
  assert.deepEqual(plain(r.streamed.value), plain(r.whole.value));
  assert.deepEqual(r.streamed.value.labels, { species: ['Adelie', 'Chinstrap', 'Gentoo'], body_mass_kg: null });
});

test('quotes, CRLF, a byte order mark, a quoted newline, int inputs and binary text labels read alike', async () => {
  const text = '\ufeffa,"b",label\r\n1,"2",yes\r\n"3","4\n",no\r\n\r\n5,6,"yes"\n7,"8""",no';
  // "4\n" and "8\"" are not numbers: the features are refused alike, at the same place.
  const bad = await both(MODEL('[2] int', '  Embedding(10, 2)\n  Flatten()\n  Dense(1, activation=sigmoid)', ', target="label")\n  loss = binary_cross_entropy'), text, 3);
  assert.ok(!bad.whole.ok && !bad.streamed.ok);
  assert.deepEqual(bad.streamed.error, bad.whole.error);
  const good = '\ufeffa,"b",label\r\n1,"2",yes\r\n"3","4",no\r\n\r\n5,6,"yes"\n7,"8",no';
  for (const chunk of [1, 2, 5, 100]) {
    const r = await both(MODEL('[2] int', '  Embedding(10, 2)\n  Flatten()\n  Dense(1, activation=sigmoid)', ', target="label")\n  loss = binary_cross_entropy'), good, chunk);
    assert.ok(r.whole.ok && r.streamed.ok, JSON.stringify(r));
    assert.deepEqual(plain(r.streamed.value), plain(r.whole.value));
    assert.deepEqual([...r.streamed.value.inputs.x.data], [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.ok(r.streamed.value.inputs.x.data instanceof Int32Array);
    assert.deepEqual([...r.streamed.value.targets.output.data], [1, 0, 1, 0]);
  }
});

test('every fault is the same located error streamed or whole', async () => {
  const cls = MODEL('[2]', '  Dense(3)', ', target="y")\n  loss = cross_entropy');
  const reg = MODEL('[2]', '  Dense(1)', ', target="y")\n  loss = mse');
  const cases: [string, string, RegExp][] = [
    [cls, 'a,b,y\n1,2,0\n3,4\n', /row has 2 fields but the header has 3/],
    [cls, 'a,b,y\n1,2,0\n3,x,1\n', /column "b" holds "x", which is not a number/],
    [cls, 'a,b,y\n1,,0\n', /column "b" is empty/],
    [cls, 'a,b,y\n1,Infinity,0\n', /NaN and infinite values cannot be trained on/],
    [cls, 'a,b,y\n1,"2\n', /a quoted field is never closed/],
    [cls, 'a,b,y\n1,"2"x,0\n', /unexpected character "x" after a closing quote/],
    [cls, ' \n\n', /the file is empty/],
    [cls, 'a,b,y\n', /a header row but no data rows/],
    [cls, 'a,a,y\n1,2,0\n', /names column "a" twice/],
    [cls, 'a,,y\n1,2,0\n', /empty column name/],
    [cls, 'a,b,y\n1,2,0\n1,2,3\n', /is class 3, but output output is \[batch, 3\] with 3 classes/],
    [cls, 'a,b,y\n1,2,0\n1,2,1.5\n', /a class target must be a label or an integer class index/],
    [cls, 'a,b,y\n1,2,p\n1,2,q\n1,2,r\n1,2,s\n', /has 4 classes \(p, q, r, s\) but output output is \[batch, 3\]/],
    [reg, 'a,b,y\n1,2,0.5\n1,2,big\n', /holds "big", but output output is trained with mse, which needs numbers/],
    [reg, 'a,b,z\n1,2,0.5\n', /has no target column "y"/],
    [reg, 'a,y\n1,0.5\n', /has 1 feature columns .* but input x is \[batch, 2\]/],
  ];
  for (const [src, text, message] of cases) {
    for (const chunk of [1, 4, 1000]) {
      const r = await both(src, text, chunk);
      assert.ok(!r.whole.ok && !r.streamed.ok, `${JSON.stringify(text)} fails both ways`);
      assert.match(r.streamed.error.message, message);
      assert.deepEqual(r.streamed.error, r.whole.error, `${JSON.stringify(text)}, chunk ${chunk}`);
    }
  }
  // Validation data: a label the training data does not have, located at its line.
  const r = await both(cls, 'a,b,y\n1,2,p\n1,2,zebra\n', 5, { output: ['p', 'q'] });
  assert.ok(!r.whole.ok && !r.streamed.ok);
  assert.deepEqual(r.streamed.error, r.whole.error);
  assert.equal(r.streamed.error.line, 3);
});

/** Peak heap growth while `rows` rows of 10 features stream through the loader. */
async function streamedPeak(rows: number): Promise<{ peak: number; text: number }> {
  const cols = 10;
  const lines = [Array.from({ length: cols }, (_v, j) => `f${j}`).join(',') + ',y'];
  for (let i = 0; i < rows; i++) {
    const f = Array.from({ length: cols }, (_v, j) => ((i * 31 + j * 17) % 1000) / 7).map((v) => v.toFixed(6));
    lines.push(`${f.join(',')},${i % 3 === 0 ? 'alpha' : i % 3 === 1 ? 'beta' : 'gamma'}`);
  }
  const bytes = new TextEncoder().encode(lines.join('\n') + '\n');
  lines.length = 0;
  const { ir, source, config } = setup(MODEL(`[${cols}]`, '  Dense(3)', ', target="y")\n  loss = cross_entropy'));
  const base = memoryFiles(new Map([[source.path!, bytes]]), gunzip);
  let peak = 0;
  const start = process.memoryUsage().heapUsed;
  const files: DataFiles = {
    ...base,
    read: () => {
      throw new Error('the streaming reader never reads the whole file');
    },
    async *stream() {
      for (let i = 0; i < bytes.length; i += 1 << 16) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - start);
        yield bytes.subarray(i, i + (1 << 16));
      }
    },
    probe: async () => ({ ok: true, value: true }),
  };
  const r = await loadDataset(source, ir, { config, targets: 'required', files });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  assert.equal(r.value.count, rows);
  assert.deepEqual(r.value.labels, { output: ['alpha', 'beta', 'gamma'] });
  assert.equal(r.value.inputs.x.data.length, rows * cols);
  return { peak, text: bytes.length };
}

test('streaming a large CSV keeps the heap bounded, far below the size of its text', async () => {
  // The typed arrays live outside the heap; what the heap holds is one chunk's records and
  // garbage not yet collected, which does not grow with the file.
  const small = await streamedPeak(50_000);
  const large = await streamedPeak(400_000);
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  assert.ok(large.peak < small.peak + 10e6, `peak heap growth ${mb(large.peak)} for ${mb(large.text)} of text vs ${mb(small.peak)} for ${mb(small.text)}`);
  assert.ok(large.peak < large.text / 2, `peak heap growth ${mb(large.peak)} for ${mb(large.text)} of text`);
});
