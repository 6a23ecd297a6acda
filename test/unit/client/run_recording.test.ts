// An editor run's record from the messages its router sees: device, every step (those that
// rode along in `earlier` too), epochs, weights, the class report and the outcome.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { RunRecording } from '../../../client/src/run_recording';
import { nodeRunFs } from '../../../client/src/runs_store';
import type { RunOutcome } from '../../../client/src/run_session';

const dir = mkdtempSync(join(tmpdir(), 'netspec-recording-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the router\'s messages become the run folder', async () => {
  const train = { epochs: 2, batchSize: 8, optimizer: { name: 'sgd', args: { lr: 0.1 } }, loss: 'mse', validation: null, seed: null, earlyStopping: null, regularizer: null, data: null } as unknown as TrainIR;
  const folder = join(dir, 'Iris', 'r1');
  const errors: string[] = [];
  const rec = RunRecording.start({ fs: nodeRunFs, folder, id: 'r1', model: 'Iris', source: '/m.netspec', train, onError: (m) => errors.push(m) });
  rec.observe({ type: 'backend', runId: 'r1', info: { name: 'webgpu', detail: 'nvidia', place: 'host' } });
  rec.observe({ type: 'step', runId: 'r1', event: { kind: 'step', epoch: 1, step: 3, stepsPerEpoch: 3, loss: 0.5, samplesPerSecond: 1 }, earlier: [{ epoch: 1, step: 1, loss: 0.9 }, { epoch: 1, step: 2, loss: 0.7 }] });
  rec.observe({ type: 'epoch', runId: 'r1', event: { kind: 'epoch', epoch: 1, metrics: { loss: 0.7 }, samplesPerSecond: 10, seconds: 1, best: true, lr: 0.1 } });
  rec.observe({ type: 'weights', runId: 'r1', epoch: 1, final: true, bytes: new Uint8Array([7, 7]) });
  const classes = [{ output: 'y', labels: ['a'], confusion: [[1]], precision: [1], recall: [1], f1: [1] }];
  rec.observe({ type: 'finished', runId: 'r1', stopped: 'cancelled', snapshot: { runId: 'r1', model: 'Iris', sourceUri: '', backend: null, steps: [], epochs: [], status: 'stopped', classes } });
  const outcome = { snapshot: { runId: 'r1', model: 'Iris', sourceUri: '', backend: null, steps: [], epochs: [], status: 'stopped' }, weightsPath: '', weightsWrites: 1, firstPointMs: 42 } as RunOutcome;
  await rec.end(outcome);
  assert.deepEqual(errors, []);
  const run = JSON.parse(readFileSync(join(folder, 'run.json'), 'utf8'));
  assert.deepEqual([run.status, run.device.place, run.epochsDone, run.firstPointMs, run.settings.optimizer], ['stopped', 'host', 1, 42, 'sgd']);
  assert.deepEqual(readFileSync(join(folder, 'steps.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step), [1, 2, 3]);
  assert.deepEqual([...readFileSync(join(folder, 'weights.safetensors'))], [7, 7]);
  assert.deepEqual(JSON.parse(readFileSync(join(folder, 'report.json'), 'utf8')).classes, classes);
});
