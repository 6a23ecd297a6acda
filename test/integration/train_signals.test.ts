// How `netspec train` (dist/cli.js, built by `npm run build`) ends when it is stopped or
// cannot write: SIGTERM and SIGHUP, as editors, CI and closed terminals send them, stop a
// run that trains from rows on disk after the current step, keep the last finished epoch's
// checkpoint, remove the temporary rows folder and exit 143 and 129; a SIGTERM while the data
// loads removes the rows folder too. An output that cannot be written is exit 2 with the path
// and the reason and no temporary file; a temporary weights file that a killed run left is
// removed and reported by the next run.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';

const CLI = resolve('dist/cli.js');
const IRIS = resolve('examples/iris/iris.netspec');
const FEATURES = 20;

const dir = mkdtempSync(join(tmpdir(), 'netspec-signals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Two classes decided by the first two features, `rows` rows. */
function writeCsv(path: string, rows: number): void {
  const lines = [[...Array.from({ length: FEATURES }, (_v, j) => `f${j}`), 'y'].join(',')];
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  for (let i = 0; i < rows; i++) {
    const f = Array.from({ length: FEATURES }, rand);
    lines.push(`${f.map((v) => v.toFixed(3)).join(',')},${f[0] > f[1] ? 'up' : 'down'}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

writeCsv(join(dir, 'data.csv'), 40_000);
writeFileSync(
  join(dir, 'm.netspec'),
  `model M {\n  input x: [${FEATURES}]\n  Dense(32, activation=relu)\n  Dense(2, activation=softmax)\n}\ntrain M {\n  data = csv("data.csv", target="y")\n  loss = cross_entropy\n  optimizer = adam(lr=0.01)\n  epochs = 200\n  batch_size = 32\n  validation = 0.1\n  seed = 3\n}\n`,
);

const rowDirs = (tmp: string) => readdirSync(tmp).filter((d) => d.startsWith('netspec-rows-'));
const rowsOnDisk = (tmp: string) => rowDirs(tmp).some((d) => existsSync(join(tmp, d, 'rows.bin')));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `netspec train m.netspec` with a 1 MB data budget and `tmp` as the temp folder. */
function start(tmp: string, out: string): Running {
  const child = spawn(process.execPath, [CLI, 'train', 'm.netspec', '--backend', 'cpu', '--json', '--out', out], {
    cwd: dir,
    env: { ...process.env, TMPDIR: tmp, NETSPEC_DATA_BUDGET_MB: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return { stdout: () => stdout, stderr: () => stderr, exited: new Promise((r) => child.on('exit', (code) => r(code))), kill: (s) => child.kill(s) };
}

async function waitFor(what: string, ok: () => boolean, run: Running): Promise<void> {
  for (let i = 0; i < 1200 && !ok(); i++) await sleep(50);
  assert.ok(ok(), `${what} (stderr: ${run.stderr()})`);
}

/** The epoch recorded in a safetensors file's metadata. */
function savedEpoch(path: string): string {
  const bytes = readFileSync(path);
  const n = Number(bytes.readBigUInt64LE(0));
  return (JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as { __metadata__: { epoch: string } }).__metadata__.epoch;
}

for (const [signal, status] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  test(`${signal} stops training from disk rows after the step, keeps the checkpoint, removes the rows and exits ${status}`, async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'netspec-signals-rows-'));
    const outDir = mkdtempSync(join(dir, 'out-'));
    const out = join(outDir, 'w.safetensors');
    try {
      const run = start(tmp, out);
      await waitFor('an epoch finished', () => run.stdout().includes('\n'), run);
      assert.ok(rowsOnDisk(tmp), 'training reads rows from disk');
      run.kill(signal);
      const code = await run.exited;
      assert.equal(code, status, run.stderr());
      assert.match(run.stderr(), new RegExp(`${signal} received; stopping after this step`));
      const epochs = run.stdout().trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
      const last = epochs.at(-1)!;
      assert.ok(last < 200, 'it stopped early');
      assert.match(run.stderr(), new RegExp(`stopped by ${signal}; the checkpoint of epoch ${last} is in `));
      assert.equal(savedEpoch(out), String(last), 'the file is the last finished epoch');
      assert.deepEqual(rowDirs(tmp), [], 'the rows folder is removed');
      assert.deepEqual(readdirSync(outDir), ['w.safetensors'], 'no temporary weights file');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test('SIGTERM while the rows are being written removes the rows folder and exits 143', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'netspec-signals-load-'));
  try {
    const run = start(tmp, join(dir, 'load.safetensors'));
    await waitFor('the rows file exists', () => rowsOnDisk(tmp), run);
    run.kill('SIGTERM');
    assert.equal(await run.exited, 143, run.stderr());
    assert.deepEqual(rowDirs(tmp), [], 'the rows folder is removed');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('an output folder that does not exist is exit 2 before training, naming the path and the reason', () => {
  const out = join(dir, 'missing', 'w.safetensors');
  const r = spawnSync(process.execPath, [CLI, 'train', IRIS, '--backend', 'cpu', '--epochs', '1', '--out', out], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /cannot write the weights to .*missing[\\/]w\.safetensors \(ENOENT\)/);
  assert.doesNotMatch(r.stderr, /epoch 1\/1/, 'it fails before training, not after an epoch');
  assert.equal(existsSync(join(dir, 'missing')), false);
});

test('a temporary weights file that a killed run left is removed and reported by the next run', () => {
  const outDir = mkdtempSync(join(dir, 'stale-'));
  // The id of a process that has exited, as a SIGKILLed writer's would be.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const stale = `w.safetensors.${gone.stdout}-0123abcd.tmp`;
  writeFileSync(join(outDir, stale), 'half a file');
  const r = spawnSync(process.execPath, [CLI, 'train', IRIS, '--backend', 'cpu', '--epochs', '1', '--out', join(outDir, 'w.safetensors')], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`removed 1 temporary weights file left by stopped runs \\(${stale.replace(/\./g, '\\.')}\\)`));
  assert.deepEqual(readdirSync(outDir), ['w.safetensors']);
});
