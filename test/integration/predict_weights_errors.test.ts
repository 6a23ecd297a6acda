// Bad weights files given to `netspec predict` (dist/cli.js, built by `npm run build`): a
// NaN or infinite weight, a corrupt file, and `labels` metadata that does not fit the model
// must each exit 2 with a message that names the weights file and says what is wrong, and
// print no prediction. Before, a NaN kernel printed the same plausible class for every
// sample (relu turned NaN into 0) and bad labels were ignored. One model is trained once
// here; the bad files are that file's tensors and metadata, altered and re-encoded.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeSafetensors, encodeSafetensors } from '../../engine/src/io/safetensors';
import type { NamedArray } from '../../engine/src/train/types';

const CLI = resolve('dist/cli.js');
const MODEL = 'model M {\n  input x: [2]\n  Dense(2, activation=relu)\n  Dense(2)\n}\n\ntrain M {\n  data = csv("d.csv", target="y")\n  loss = cross_entropy\n  epochs = 1\n}\n';

let dir: string;
let arrays: NamedArray[];
let metadata: Record<string, string>;

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'netspec-predict-weights-'));
  writeFileSync(join(dir, 'm.netspec'), MODEL);
  writeFileSync(join(dir, 'd.csv'), 'a,b,y\n1,2,p\n3,4,q\n-1,0.5,p\n');
  const r = run(['train', 'm.netspec', '--backend', 'cpu', '--out', 'good.safetensors']);
  assert.equal(r.status, 0, r.stderr);
  const decoded = decodeSafetensors(new Uint8Array(readFileSync(join(dir, 'good.safetensors'))));
  assert.ok(decoded.ok);
  arrays = decoded.arrays;
  metadata = decoded.metadata;
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Predicts with the weights file `name`, asserting exit 2, no output and no file written; returns stderr. */
function predictFails(name: string, data = 'd.csv'): string {
  const files = readdirSync(dir).sort();
  const r = run(['predict', 'm.netspec', '--weights', name, '--data', data, '--json']);
  assert.equal(r.status, 2, `exit status (stderr: ${r.stderr})`);
  assert.equal(r.stdout, '', 'no predictions printed');
  assert.deepEqual(readdirSync(dir).sort(), files, 'no file written');
  return r.stderr;
}

/** The trained weights with `edit` applied to a copy, written as `name`. */
function altered(name: string, edit: (a: NamedArray[]) => void, meta: Record<string, string> = metadata): string {
  const copy = arrays.map((a) => ({ ...a, shape: [...a.shape], data: Float32Array.from(a.data) }));
  edit(copy);
  writeFileSync(join(dir, name), encodeSafetensors(copy, meta));
  return name;
}

describe('non-finite weights', () => {
  test('the trained weights predict (the baseline the bad files are made from)', () => {
    const r = run(['predict', 'm.netspec', '--weights', 'good.safetensors', '--data', 'd.csv', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 3);
  });

  test('a NaN in a kernel is refused, naming the weight and the element', () => {
    const name = altered('nan.safetensors', (a) => {
      const kernel = a.find((w) => w.name === 'dense/kernel')!;
      kernel.data[3] = NaN;
    });
    const err = predictFails(name);
    assert.match(err, /^nan\.safetensors: error: weight dense\/kernel holds NaN at element 3 \(index \[1, 1\] of shape \[2, 2\]\); the weights are corrupt or come from a run that diverged/m);
  });

  test('an infinite bias is refused, naming the weight and the element', () => {
    const name = altered('inf.safetensors', (a) => {
      a.find((w) => w.name === 'dense_1/bias')!.data[1] = -Infinity;
    });
    assert.match(predictFails(name), /^inf\.safetensors: error: weight dense_1\/bias holds -Infinity at element 1;/m);
  });

  test('a truncated (corrupt) weights file is not a safetensors file', () => {
    const bytes = readFileSync(join(dir, 'good.safetensors'));
    writeFileSync(join(dir, 'cut.safetensors'), bytes.subarray(0, bytes.length - 5));
    assert.match(predictFails('cut.safetensors'), /^cut\.safetensors: error: not a safetensors file: /m);
  });
});

describe('labels metadata', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"output": ["p", "q"', /the "labels" metadata is not JSON \(it reads "\{\\"output\\": \[\\"p\\", \\"q\\""\)/],
    ['a list', '["p", "q"]', /the "labels" metadata is a list, but should be an object that maps each output to its list of labels/],
    ['an unknown output', '{"scores": ["p", "q"]}', /the "labels" metadata names output "scores", which model M does not have \(its outputs: output\)/],
    ['labels that are not strings', '{"output": [1, 2]}', /the "labels" metadata for output output should be a list of label strings or null, but is \[1,2\]/],
    ['a repeated label', '{"output": ["p", "p"]}', /the "labels" metadata for output output lists the label "p" twice/],
    ['more labels than classes', '{"output": ["p", "q", "r"]}', /the "labels" metadata for output output lists 3 labels \(p, q, r\), but the output has 2 classes/],
  ];
  for (const [what, labels, message] of cases) {
    test(`${what} is refused, naming the weights file`, () => {
      const name = altered(`labels-${what.replace(/\W+/g, '-')}.safetensors`, () => {}, { ...metadata, labels });
      const err = predictFails(name);
      assert.match(err, new RegExp(`^${name.replace(/\./g, '\\.')}: error: `, 'm'));
      assert.match(err, message);
    });
  }
});

test('predict --data with an IDX labels file says it looks like a labels file', () => {
  writeFileSync(join(dir, 'labels-idx1-ubyte'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 2, 0, 1]));
  assert.match(predictFails('good.safetensors', 'labels-idx1-ubyte'), /^labels-idx1-ubyte: error\[data-mismatch\]: this looks like an IDX labels file \(rank 1/m);
});
