// `netspec train` records each run where the editor's runs list looks (the same format,
// read with the editor's own runs_store.ts): two runs give two folders with their settings,
// epochs and weights; --no-runs records nothing; a run refused for its data leaves no folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { decodeSafetensors } from '../../engine/src/io/safetensors';
import { listRuns, readEpochs } from '../../client/src/runs_store';

const CLI = resolve('dist/cli.js');
const IRIS = resolve('examples/iris/iris.netspec');
const dir = mkdtempSync(join(tmpdir(), 'netspec-runs-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function train(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'train', IRIS, '--backend', 'wasm', '--out', join(dir, 'w.safetensors'), ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

test('two CLI runs are two recorded runs the editor lists, with settings, epochs and weights', async () => {
  const runs = join(dir, 'runs');
  const first = train('--epochs', '2', '--runs', runs);
  assert.match(first.stderr, /run recorded in .*runs[\\/]Iris[\\/]\d{8}-\d{6}-/);
  train('--epochs', '3', '--runs', runs);
  const listed = await listRuns(runs, 'Iris');
  assert.equal(listed.length, 2);
  assert.deepEqual(listed.map((r) => r.record.settings.epochs).sort(), [2, 3]);
  for (const r of listed) {
    assert.equal(r.record.tool, 'cli');
    assert.equal(r.record.status, 'finished');
    assert.equal(r.record.device?.place, 'cli');
    assert.match(r.record.device?.detail ?? '', /WebAssembly SIMD/);
    assert.equal((await readEpochs(r.folder)).length, r.record.settings.epochs);
    assert.ok(r.record.best && r.record.durationMs !== null);
    assert.ok(decodeSafetensors(new Uint8Array(readFileSync(join(r.folder, 'weights.safetensors')))).ok);
  }
});

test('--no-runs records nothing', () => {
  const runs = join(dir, 'none');
  const r = train('--epochs', '1', '--runs', runs, '--no-runs');
  assert.doesNotMatch(r.stderr, /run recorded/);
  assert.equal(existsSync(runs), false);
});
