// The panel's reducer: a run's messages build the snapshot the charts and the persisted
// state are drawn from; late messages of an old run change nothing; restore redraws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import type { EpochEvent, StepEvent } from '../../../engine/src/train/types';
import type { FromPanel, ToPanel } from '../../../webview/protocol';
import { fromPersisted, initialState, persisted, reduce, stepsDone } from '../../../webview/src/state';
import type { PanelState } from '../../../webview/src/state';

const trainIR = { epochs: 3 } as TrainIR;
const start = (runId: string): ToPanel => ({ type: 'start', runId, model: 'Iris', sourceUri: 'file:///iris.netspec', ir: {} as ModelIR, train: trainIR, files: [], backend: 'auto', smoothing: 0.8 });
const step = (runId: string, epoch: number, s: number, loss: number): FromPanel => ({ type: 'step', runId, event: { kind: 'step', epoch, step: s, stepsPerEpoch: 4, loss, samplesPerSecond: 100 } satisfies StepEvent });
const epoch = (runId: string, n: number, loss: number): FromPanel => ({
  type: 'epoch', runId, event: { kind: 'epoch', epoch: n, metrics: { loss, val_loss: loss + 0.1, accuracy: 0.5 }, samplesPerSecond: 400, seconds: 1, best: true, lr: 0.01 } satisfies EpochEvent,
});

function run(msgs: (ToPanel | FromPanel)[], s: PanelState = initialState()): PanelState {
  let t = 1000;
  for (const m of msgs) s = reduce(s, m, (t += 10));
  return s;
}

test('start then steps and epochs build the snapshot', () => {
  const s = run([start('r1'), { type: 'backend', runId: 'r1', info: { name: 'cpu', detail: 'CPU', fallbackReason: 'no adapter' } }, step('r1', 1, 1, 2), step('r1', 1, 2, 1.5), epoch('r1', 1, 1.2), step('r1', 2, 1, 1)]);
  const snap = s.snapshot!;
  assert.equal(snap.runId, 'r1');
  assert.equal(snap.status, 'running');
  assert.equal(snap.backend?.fallbackReason, 'no adapter');
  assert.deepEqual(snap.steps, [{ step: 1, loss: 2 }, { step: 2, loss: 1.5 }, { step: 5, loss: 1 }]);
  assert.equal(snap.epochs.length, 1);
  assert.equal(s.smoothing, 0.8);
  assert.equal(s.totalEpochs, 3);
  assert.equal(s.stepsPerEpoch, 4);
  // The first step arrived one message after the backend, two after the start.
  assert.equal(s.firstStepAt! - s.startedAt!, 20);
  assert.deepEqual(stepsDone(s), { done: 5, total: 12 });
});

test('messages of another run are ignored; a new start clears the old run', () => {
  const s = run([start('r1'), step('r1', 1, 1, 2), start('r2'), step('r1', 1, 2, 9), epoch('r1', 1, 9)]);
  assert.equal(s.snapshot!.runId, 'r2');
  assert.deepEqual(s.snapshot!.steps, []);
  assert.deepEqual(s.snapshot!.epochs, []);
});

test('pause, resume, finish, stop and failure set the status', () => {
  let s = run([start('r'), { type: 'pause' }]);
  assert.equal(s.snapshot!.status, 'paused');
  s = reduce(s, { type: 'resume' }, 0);
  assert.equal(s.snapshot!.status, 'running');
  const report = { output: 'y', labels: ['a', 'b'], confusion: [[1, 0], [0, 1]], precision: [1, 1], recall: [1, 1], f1: [1, 1] };
  const done = reduce(s, { type: 'finished', runId: 'r', stopped: 'completed', snapshot: { ...s.snapshot!, classes: [report], samples: [] } }, 0);
  assert.equal(done.snapshot!.status, 'finished');
  assert.deepEqual(done.snapshot!.classes, [report]);
  // Pause after the end changes nothing.
  assert.equal(reduce(done, { type: 'pause' }, 0).snapshot!.status, 'finished');
  const stopped = reduce(s, { type: 'finished', runId: 'r', stopped: 'cancelled', snapshot: s.snapshot! }, 0);
  assert.equal(stopped.snapshot!.status, 'stopped');
  const failed = reduce(s, { type: 'failed', runId: 'r', error: { code: 'nan-loss', message: 'the loss became NaN' } }, 0);
  assert.equal(failed.snapshot!.status, 'failed');
  assert.equal(failed.snapshot!.error?.message, 'the loss became NaN');
});

test('step points are capped', () => {
  let s = reduce(initialState(0.6, 16), start('r'), 0);
  for (let i = 1; i <= 1000; i++) s = reduce(s, step('r', 1 + Math.floor((i - 1) / 4), ((i - 1) % 4) + 1, 1 / i), i);
  assert.ok(s.snapshot!.steps.length <= 16);
  assert.equal(s.snapshot!.steps.at(-1)!.step, 1000);
});

test('the persisted state restores the same snapshot; a live run comes back as stopped', () => {
  const s = run([start('r1'), step('r1', 1, 1, 2), epoch('r1', 1, 1.2), { type: 'settings', smoothing: 0.3 }]);
  const saved = JSON.parse(JSON.stringify(persisted(s)));
  const back = fromPersisted(saved);
  assert.deepEqual(back.snapshot!.steps, s.snapshot!.steps);
  assert.deepEqual(back.snapshot!.epochs, s.snapshot!.epochs);
  assert.equal(back.snapshot!.status, 'stopped');
  assert.equal(back.smoothing, 0.3);
  assert.equal(back.totalEpochs, 3);
  // Garbage or another version is ignored.
  assert.equal(fromPersisted({ version: 2, snapshot: s.snapshot }).snapshot, null);
  assert.equal(fromPersisted('nonsense').snapshot, null);
  assert.equal(fromPersisted({ version: 1, snapshot: { runId: 3 } }).snapshot, null);
});

test('restore from the extension shows its snapshot', () => {
  const s = run([start('r1')]);
  const snap = { runId: 'old', model: 'Mnist', sourceUri: 'x', backend: null, steps: [{ step: 1, loss: 1 }], epochs: [], status: 'finished' as const };
  const r = reduce(s, { type: 'restore', snapshot: snap }, 0);
  assert.equal(r.snapshot!.model, 'Mnist');
  assert.equal(r.snapshot!.status, 'finished');
  assert.equal(reduce(s, { type: 'restore', snapshot: null as never }, 0), s);
});

test('a step message carries the losses of the steps not posted before it, in order', () => {
  const batched: FromPanel = {
    type: 'step', runId: 'r1',
    event: { kind: 'step', epoch: 2, step: 1, stepsPerEpoch: 4, loss: 0.5, samplesPerSecond: 100 },
    earlier: [{ epoch: 1, step: 3, loss: 0.9 }, { epoch: 1, step: 4, loss: 0.8 }],
  };
  const s = run([start('r1'), step('r1', 1, 1, 2), step('r1', 1, 2, 1), batched]);
  assert.deepEqual(s.snapshot!.steps, [{ step: 1, loss: 2 }, { step: 2, loss: 1 }, { step: 3, loss: 0.9 }, { step: 4, loss: 0.8 }, { step: 5, loss: 0.5 }]);
  assert.equal(s.lastStep?.step, 1);
});

test('watch starts drawing a run trained elsewhere; relayed messages build it as the worker\'s would', () => {
  const watch: ToPanel = { type: 'watch', runId: 'h1', model: 'Iris', sourceUri: 'file:///iris.netspec', epochs: 3, smoothing: 0.5 };
  const relay = (event: FromPanel): ToPanel => ({ type: 'relay', event });
  const s = run([watch, relay({ type: 'backend', runId: 'h1', info: { name: 'cpu', detail: 'CPU (WebAssembly SIMD, 2 threads)', place: 'host' } }), relay(step('h1', 1, 1, 2)), relay(epoch('h1', 1, 1.2))]);
  assert.equal(s.snapshot?.runId, 'h1');
  assert.equal(s.snapshot?.backend?.place, 'host');
  assert.equal(s.snapshot?.epochs.length, 1);
  assert.equal(s.totalEpochs, 3);
  assert.equal(s.smoothing, 0.5);
  // A panel that reloads mid-run gets the run so far with the watch.
  const again = run([{ ...watch, snapshot: s.snapshot! } as ToPanel]);
  assert.equal(again.snapshot?.epochs.length, 1);
  assert.equal(again.snapshot?.status, 'running');
});

test('the ETA appears only once the pace is measured, and paused time does not count', async () => {
  const { etaOf, partialEpochOf } = await import('../../../webview/src/state');
  const { ETA_MIN_STEPS } = await import('../../../webview/src/series');
  let s = reduce(initialState(), { ...(start('e') as ToPanel & { type: 'start' }), train: { epochs: 100 } as TrainIR }, 0);
  const at = (msg: ToPanel | FromPanel, t: number) => (s = reduce(s, msg, t));
  // 10 s of loading and compiling before the first step must not enter the pace.
  at(step('e', 1, 1, 1), 10_000);
  assert.equal(etaOf(s, 10_000), null);
  assert.deepEqual(partialEpochOf(s), { x: 0.25, loss: 1 });
  at({ type: 'pause' }, 10_500);
  at({ type: 'resume' }, 60_500);
  // ETA_MIN_STEPS more steps (4 per epoch) in 5 s of running time.
  for (let i = 1; i <= ETA_MIN_STEPS; i++) at(step('e', 1 + Math.floor(i / 4), 1 + (i % 4), 1), 60_500 + 4_500 * (i / ETA_MIN_STEPS));
  const done = 1 + ETA_MIN_STEPS;
  const eta = etaOf(s, 65_000)!;
  assert.ok(Math.abs(eta - (5 * (400 - done)) / ETA_MIN_STEPS) < 1e-6, `eta ${eta}`);
});

test('the header facts: the settings line, elapsed time frozen at the end, final metrics once ended', async () => {
  const { elapsedOf, finalMetricsLine } = await import('../../../webview/src/state');
  const train = { epochs: 3, batchSize: 16, seed: 1, optimizer: { name: 'adam', args: { lr: 0.02 } } } as unknown as TrainIR;
  let s = reduce(initialState(), { ...(start('f') as ToPanel & { type: 'start' }), train }, 1000);
  assert.equal(s.settingsLine, 'adam lr=0.02 · batch 16 · 3 epochs · seed 1');
  s = reduce(s, epoch('f', 1, 0.5), 2000);
  assert.equal(elapsedOf(s, 4000), 3);
  assert.equal(finalMetricsLine(s), '', 'nothing final while it runs');
  s = reduce(s, { type: 'finished', runId: 'f', stopped: 'completed', snapshot: { ...s.snapshot!, status: 'finished' } }, 5000);
  assert.equal(elapsedOf(s, 60_000), 4, 'frozen at the end');
  assert.equal(finalMetricsLine(s), 'val_loss 0.6 · loss 0.5 · accuracy 0.5');
});
