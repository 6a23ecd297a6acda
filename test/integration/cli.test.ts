// Runs the bundled `netspec` command (dist/cli.js, built by `npm run build`) as a user
// would, on temporary files, and checks spec §7's contract: exit statuses, the 1-based
// text form, and the JSON form with 0-based positions and "batch"-first shapes.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';

const CLI = resolve('dist/cli.js');

const MNIST = `# The Keras MNIST convnet example: 34,826 parameters.
model mnist {
  input image: [28, 28, 1]
  Conv2D(32, 3, activation=relu)
  MaxPool2D(2)
  Conv2D(64, 3, activation=relu)
  MaxPool2D(2)
  Flatten()
  Dropout(0.5)
  Dense(10, activation=softmax)
}
`;

// Conv2D on a rank-1 input: a rank-mismatch at line 4, column 5 (1-based).
const SHAPE_ERROR = `model bad {
  input x: [784]
  h = x -> Dense(64)
    Conv2D(8, 3)
}
`;

// \`a\` is computed and never used: one warning, no error.
const WARNING_ONLY = `model m {
  input x: [4]
  a = x -> Dense(3)
  output b = x -> Dense(2)
}
`;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

let dir = '';

function run(args: string[]): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

describe('netspec check', () => {
  before(() => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`);
    dir = mkdtempSync(join(tmpdir(), 'netspec-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid model exits 0 and prints nothing', () => {
    const r = run(['check', write('mnist.netspec', MNIST)]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '');
  });

  test('a shape error exits 1 with a 1-based path:line:col: error[code] line', () => {
    const r = run(['check', write('bad.netspec', SHAPE_ERROR)]);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stdout);
    assert.match(lines[0], /^bad\.netspec:4:5: error\[rank-mismatch\]: \S.*$/);
    assert.match(lines[0], /Conv2D/);
    assert.match(lines[0], /\[batch, 64\]|\[64\]/, 'the message writes out the shape found');
    // The summary goes to stderr, not stdout.
    assert.match(r.stderr, /^bad\.netspec: 1 error, 0 warnings$/m);
  });

  test('--json reports parameters, batch-first shapes and 0-based positions', () => {
    const r = run(['check', '--json', write('mnist.netspec', MNIST), write('bad.netspec', SHAPE_ERROR)]);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.files.length, 2);
    const [good, bad] = out.files;
    assert.equal(good.path, 'mnist.netspec');
    assert.deepEqual(good.diagnostics, []);
    assert.equal(good.models.length, 1);
    const m = good.models[0];
    assert.equal(m.name, 'mnist');
    assert.equal(m.params, 34826);
    assert.equal(m.trainableParams, 34826);
    assert.deepEqual(m.inputs, [{ name: 'image', shape: ['batch', 28, 28, 1] }]);
    assert.deepEqual(m.outputs.map((o: { shape: unknown }) => o.shape), [['batch', 10]]);
    assert.deepEqual(
      m.layers.map((l: { op: string; line: number }) => [l.op, l.line]),
      [['Conv2D', 3], ['MaxPool2D', 4], ['Conv2D', 5], ['MaxPool2D', 6], ['Flatten', 7], ['Dropout', 8], ['Dense', 9]],
    );
    assert.deepEqual(m.layers[0].outputShape, ['batch', 26, 26, 32]);
    assert.equal(m.layers[0].params, 320);
    assert.deepEqual(m.layers[4].outputShape, ['batch', 1600]);
    assert.equal(m.layers[6].params, 16010);

    assert.equal(bad.path, 'bad.netspec');
    assert.equal(bad.diagnostics.length, 1);
    const d = bad.diagnostics[0];
    assert.equal(d.code, 'rank-mismatch');
    assert.equal(d.severity, 'error');
    assert.deepEqual(d.range.start, { line: 3, character: 4 });
    assert.equal(d.range.end.line, 3);
    assert.ok(d.range.end.character > 4);
    assert.equal(typeof d.message, 'string');
  });

  test('symbolic sizes are strings in JSON shapes', () => {
    const src = 'model seqm {\n  input ids: [seq] int\n  Embedding(100, 8)\n}\n';
    const r = run(['check', '--json', write('seq.netspec', src)]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const m = JSON.parse(r.stdout).files[0].models[0];
    assert.deepEqual(m.outputs[0].shape, ['batch', 'seq', 8]);
    assert.equal(m.params, 800);
  });

  test('two files at once: each diagnostic names its file; errors anywhere exit 1', () => {
    const r = run(['check', write('mnist.netspec', MNIST), write('bad.netspec', SHAPE_ERROR), write('w.netspec', WARNING_ONLY)]);
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(lines[0], /^bad\.netspec:4:5: error\[rank-mismatch\]/);
    assert.match(lines[1], /^w\.netspec:3:3: warning\[unused\]: /);
  });

  test('a missing file prints an error line, exits 2, and the other files are still checked', () => {
    const r = run(['check', 'nope.netspec', write('bad.netspec', SHAPE_ERROR)]);
    assert.equal(r.status, 2);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'nope.netspec: error: cannot read file (ENOENT)');
    assert.match(lines[1], /^bad\.netspec:4:5: error\[rank-mismatch\]/);
    const j = run(['check', '--json', 'nope.netspec']);
    assert.equal(j.status, 2);
    assert.deepEqual(JSON.parse(j.stdout), {
      files: [{ path: 'nope.netspec', diagnostics: [], models: [], error: 'cannot read file (ENOENT)' }],
    });
  });

  test('a file with only warnings exits 0 and still prints the warning', () => {
    const r = run(['check', write('w.netspec', WARNING_ONLY)]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout.trimEnd(), /^w\.netspec:3:3: warning\[unused\]: \S[^\n]*$/);
    const j = JSON.parse(run(['check', '--json', 'w.netspec']).stdout);
    assert.equal(j.files[0].diagnostics[0].severity, 'warning');
    assert.equal(j.files[0].diagnostics[0].code, 'unused');
    assert.deepEqual(j.files[0].diagnostics[0].range.start, { line: 2, character: 2 });
  });

  test('usage: --help, --version, no files, unknown command and unknown option', () => {
    const help = run(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /netspec check FILE/);
    assert.match(help.stdout, /netspec train FILE/);
    assert.match(help.stdout, /netspec predict FILE/);
    const version = run(['--version']);
    assert.equal(version.status, 0);
    assert.equal(version.stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
    assert.equal(run(['check']).status, 2);
    const unknown = run(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
    assert.match(unknown.stderr, /usage: netspec/);
    assert.equal(run(['check', '--bogus', 'x.netspec']).status, 2);
  });
});
