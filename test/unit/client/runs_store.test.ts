// The run record on disk (engine/catalog/run_record.ts written, client/src/runs_store.ts
// read): a run's folder as it grows, the list newest first, epochs with a torn last line,
// rename and delete (only of run folders), the best epoch and the settings summary.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bestEpoch, modelRunsFolder, newRunRecord, RunWriter, runFolderName, runSettingsOf } from '../../../engine/catalog/run_record';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { deleteRun, listRuns, nodeRunFs, readEpochs, renameRun, runsRoot } from '../../../client/src/runs_store';

const dir = mkdtempSync(join(tmpdir(), 'netspec-runs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const train: TrainIR = {
  model: 'Iris', data: { kind: 'csv', path: '/d/iris.csv', target: 'species' }, validation: 0.2, loss: 'cross_entropy', lossWeights: null,
  optimizer: { name: 'adam', args: { lr: 0.02, beta1: 0.9 } }, regularizer: null, epochs: 3, batchSize: 16, metrics: ['accuracy'], seed: 1, earlyStopping: null,
};
const epoch = (n: number, loss: number, val: number) => ({ epoch: n, metrics: { loss, val_loss: val }, lr: 0.02, samplesPerSecond: 100, seconds: 1 });

async function writeRun(root: string, date: Date, epochs: ReturnType<typeof epoch>[], lr = 0.02): Promise<string> {
  const folder = join(modelRunsFolder(root, 'Iris'), runFolderName(date, Math.random().toString(36).slice(2)));
  const errors: string[] = [];
  const w = new RunWriter(nodeRunFs, folder, newRunRecord({ id: folder.split('/').pop()!, model: 'Iris', source: '/d/iris.netspec', tool: 'editor', train: { ...train, optimizer: { name: 'adam', args: { lr } } }, date }), (m) => errors.push(m));
  w.device({ name: 'cpu', detail: 'CPU (WebAssembly SIMD, 2 threads)', place: 'host' });
  for (let s = 1; s <= 5; s++) w.step(1, s, 1 / s);
  for (const e of epochs) w.epoch(e);
  w.weights(new Uint8Array([1, 2, 3]));
  await w.end('finished', null, { classes: [] });
  assert.deepEqual(errors, []);
  return folder;
}

test('a run folder holds run.json, steps, epochs, the report and the weights; the list is newest first', async () => {
  const root = runsRoot('/d/iris.netspec', join(dir, 'a'));
  const older = await writeRun(root, new Date(2026, 0, 1, 10), [epoch(1, 1, 1.2), epoch(2, 0.5, 0.9), epoch(3, 0.4, 1.0)]);
  const newer = await writeRun(root, new Date(2026, 0, 2, 10), [epoch(1, 0.9, 0.8)], 0.1);
  for (const f of ['run.json', 'steps.jsonl', 'epochs.jsonl', 'report.json', 'weights.safetensors']) assert.ok(existsSync(join(older, f)), f);
  assert.equal(readFileSync(join(older, 'steps.jsonl'), 'utf8').trim().split('\n').length, 5);
  const runs = await listRuns(root, 'Iris');
  assert.deepEqual(runs.map((r) => r.folder), [newer, older]);
  const r = runs[1].record;
  assert.equal(r.status, 'finished');
  assert.equal(r.epochsDone, 3);
  assert.equal(r.best?.epoch, 2, 'the lowest val_loss');
  assert.equal(r.device?.place, 'host');
  assert.ok(r.durationMs !== null && r.endedAt !== null);
  assert.equal(runs[0].record.settings.lr, 0.1);
  assert.deepEqual(await listRuns(root, 'Other'), []);
});

test('a torn last line of epochs.jsonl is skipped; rename changes the name; delete removes only run folders', async () => {
  const root = join(dir, 'b');
  const folder = await writeRun(root, new Date(2026, 1, 1), [epoch(1, 1, 1), epoch(2, 0.8, 0.9)]);
  appendFileSync(join(folder, 'epochs.jsonl'), '{"epoch":3,"metr');
  assert.deepEqual((await readEpochs(folder)).map((e) => e.epoch), [1, 2]);
  assert.ok(await renameRun(folder, '  lr 0.02 baseline  '));
  assert.equal((await listRuns(root, 'Iris'))[0].record.name, 'lr 0.02 baseline');
  const stranger = join(root, 'Iris', 'not-a-run');
  mkdirSync(stranger);
  assert.equal(await deleteRun(stranger), false);
  assert.ok(existsSync(stranger));
  assert.ok(await deleteRun(folder));
  assert.equal(existsSync(folder), false);
});

test('runsRoot: beside the model by default, else the setting against the workspace folder', () => {
  assert.equal(runsRoot('/w/m/iris.netspec', ''), '/w/m/netspec-runs');
  assert.equal(runsRoot('/w/m/iris.netspec', 'runs', '/w'), '/w/runs');
  assert.equal(runsRoot('/w/m/iris.netspec', '/abs/runs', '/w'), '/abs/runs');
});

test('bestEpoch uses val_loss when present, loss otherwise; settings keep what people compare', () => {
  assert.equal(bestEpoch([epoch(1, 1, 2), epoch(2, 2, 1)])?.epoch, 2);
  assert.equal(bestEpoch([{ ...epoch(1, 1, 0), metrics: { loss: 1 } }, { ...epoch(2, 0, 0), metrics: { loss: 0.5 } }])?.epoch, 2);
  assert.equal(bestEpoch([]), null);
  const s = runSettingsOf(train);
  assert.deepEqual([s.optimizer, s.lr, s.batchSize, s.seed, s.data, s.validation], ['adam', 0.02, 16, 1, '/d/iris.csv', 0.2]);
  assert.match(runFolderName(new Date(2026, 11, 5, 22, 13, 0), 'a1-b2'), /^20261205-221300-a1b2$/);
});
