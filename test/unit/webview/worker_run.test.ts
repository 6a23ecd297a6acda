// The worker's run logic in Node on the CPU backend, with a fake WebGPU that has no adapter:
// the backend falls back with the reason, data comes from the bytes, steps are throttled,
// every epoch posts metrics and safetensors weights, and the end posts a class report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { decodeSafetensors } from '../../../engine/src/io/safetensors';
import type { FromPanel } from '../../../webview/protocol';
import { checkText } from '../../../server/src/sema/check';
import { pickBackend, STEP_POST_MS, WorkerRun } from '../../../webview/src/worker_run';
import type { StartMessage, WorkerDeps } from '../../../webview/src/worker_run';

const CSV = 'examples/iris/iris.csv';

const SOURCE = `model Tiny {
  input x: [4]
  BatchNorm()
  Dense(8, activation=relu)
  Dense(3, activation=softmax)
}
`;
const ir: ModelIR = checkText(SOURCE).models.find((m) => m.name === 'Tiny')!.ir!;
const OUT = ir.outputs[0].name;

function config(epochs: number): TrainIR {
  return {
    model: 'Tiny', data: { kind: 'csv', path: '/data/iris.csv', target: 'species' }, validation: 0.2, loss: 'cross_entropy', lossWeights: null,
    optimizer: { name: 'adam', args: { lr: 0.02 } }, regularizer: null, epochs, batchSize: 16, metrics: ['accuracy'], seed: 1, earlyStopping: null,
  };
}

function harness(now: () => number = () => performance.now()) {
  const posted: { msg: FromPanel; transfer?: ArrayBuffer[] }[] = [];
  const deps: WorkerDeps = {
    post: (msg, transfer) => posted.push({ msg, transfer }),
    webgpu: async () => ({ ok: false, reason: 'no WebGPU adapter: the browser offers none' }),
    gunzip: (b) => new Uint8Array(gunzipSync(b)),
    now,
  };
  return { posted, run: new WorkerRun(deps), deps };
}

function start(epochs: number, files = [{ path: '/data/iris.csv', bytes: new Uint8Array(readFileSync(CSV)) }]): StartMessage {
  return { type: 'start', runId: 'r1', model: 'Tiny', sourceUri: 'file:///tiny.netspec', ir, train: config(epochs), files, backend: 'auto', smoothing: 0.6 };
}

test('pickBackend: cpu on request, WebGPU when it starts, CPU with the reason when it does not', async () => {
  assert.deepEqual((await pickBackend('cpu', { webgpu: async () => assert.fail('not asked') })).info, { name: 'cpu', detail: 'CPU (JavaScript)', fallbackReason: undefined });
  const fake = { name: 'webgpu', description: 'google / swiftshader' } as never;
  assert.deepEqual((await pickBackend('auto', { webgpu: async () => ({ ok: true, backend: fake }) })).info, { name: 'webgpu', detail: 'google / swiftshader' });
  const fell = await pickBackend('webgpu', { webgpu: async () => { throw new Error('boom'); } });
  assert.equal(fell.info.name, 'cpu');
  assert.match(fell.info.fallbackReason!, /boom/);
  // The fallback is the WebAssembly backend where it loads; an explicit cpu is the reference.
  assert.equal(fell.backend.name, 'wasm');
  assert.match(fell.info.detail, /^CPU \(WebAssembly SIMD\); WebGPU failed to start: boom/);
  assert.equal((await pickBackend('cpu', { webgpu: async () => assert.fail('not asked') })).backend.name, 'cpu');
});

test('a run on the CPU posts backend, throttled steps, epochs with weights, a report, and finished', async () => {
  // A clock that moves 10 ms per reading: steps are posted at most once per STEP_POST_MS.
  let t = 0;
  const { posted, run } = harness(() => (t += 10));
  await run.start(start(30));
  const msgs = posted.map((p) => p.msg);
  const failed = msgs.find((m) => m.type === 'failed');
  assert.equal(failed, undefined, JSON.stringify(failed));
  const backend = msgs.find((m) => m.type === 'backend');
  assert.ok(backend?.type === 'backend' && backend.info.name === 'cpu' && /no WebGPU adapter/.test(backend.info.fallbackReason ?? ''));
  assert.ok(msgs.some((m) => m.type === 'log' && m.level === 'warn'));

  const steps = msgs.filter((m) => m.type === 'step');
  const total = 30 * Math.ceil(120 / 16);
  assert.ok(steps.length < total / 2, `${steps.length} of ${total} steps posted`);
  assert.ok(steps.length >= 30, 'at least each epoch\'s last step');
  assert.ok(STEP_POST_MS >= 40);
  // Every step's loss still reaches the panel: the steps not posted ride with the next post.
  const points = steps.flatMap((m) => (m.type === 'step' ? [...(m.earlier ?? []), m.event].map((p) => `${p.epoch}.${p.step}`) : []));
  assert.equal(points.length, total);
  assert.equal(new Set(points).size, total);

  const epochs = msgs.filter((m) => m.type === 'epoch');
  assert.equal(epochs.length, 30);
  const weights = posted.filter((p) => p.msg.type === 'weights');
  assert.equal(weights.length, 31);
  for (const w of weights) {
    assert.ok(w.msg.type === 'weights');
    assert.equal(w.transfer?.[0], w.msg.bytes.buffer, 'weights move to the page without a copy');
    const decoded = decodeSafetensors(w.msg.bytes);
    assert.ok(decoded.ok);
    assert.equal(decoded.metadata.model, 'Tiny');
    assert.deepEqual(JSON.parse(decoded.metadata.labels)[OUT], ['setosa', 'versicolor', 'virginica']);
  }
  const lastWeights = weights.at(-1)!.msg;
  assert.ok(lastWeights.type === 'weights' && lastWeights.final);

  const finished = msgs.find((m) => m.type === 'finished');
  assert.ok(finished?.type === 'finished');
  assert.equal(finished.stopped, 'completed');
  const report = finished.snapshot.classes![0];
  assert.deepEqual(report.labels, ['setosa', 'versicolor', 'virginica']);
  // The report is on the 30 validation samples, and agrees with the last epoch's accuracy.
  const counts = report.confusion.flat().reduce((a, b) => a + b, 0);
  assert.equal(counts, 30);
  const acc = (report.confusion[0][0] + report.confusion[1][1] + report.confusion[2][2]) / counts;
  const last = epochs.at(-1)!;
  assert.ok(last.type === 'epoch');
  assert.ok(Math.abs(acc - last.event.metrics.val_accuracy) < 1e-9, `report ${acc} vs epoch ${last.event.metrics.val_accuracy}`);
  assert.ok(acc >= 0.85, `validation accuracy ${acc}`);
  assert.ok(finished.snapshot.samples!.length > 0);
});

test('pause holds the run between steps, resume lets it go on, stop while paused cancels', async () => {
  const { posted, run } = harness();
  const done = run.start(start(500));
  const progress = () => posted.filter((p) => p.msg.type === 'step' || p.msg.type === 'epoch').length;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (!posted.some((p) => p.msg.type === 'epoch')) await sleep(5);
  run.handle({ type: 'pause' });
  await sleep(30);
  const before = progress();
  await sleep(120);
  assert.equal(progress(), before, 'no steps or epochs while paused');
  run.handle({ type: 'resume' });
  const deadline = Date.now() + 5000;
  while (progress() === before && Date.now() < deadline) await sleep(5);
  assert.ok(progress() > before, 'the run goes on after resume');
  run.handle({ type: 'pause' });
  await sleep(30);
  const paused = progress();
  await sleep(60);
  assert.equal(progress(), paused, 'a second pause holds too');
  run.handle({ type: 'stop' });
  await done;
  const finished = posted.map((p) => p.msg).find((m) => m.type === 'finished');
  assert.ok(finished?.type === 'finished');
  assert.equal(finished.stopped, 'cancelled');
  assert.ok(finished.snapshot.epochs.length < 500);
  assert.equal(progress(), paused, 'stop while paused posts no further step or epoch');
});

test('missing data and a second start become failed messages, not exceptions', async () => {
  const { posted, run } = harness();
  await run.start(start(1, []));
  const failed = posted.map((p) => p.msg).find((m) => m.type === 'failed');
  assert.ok(failed?.type === 'failed');
  assert.match(failed.error.message, /iris\.csv/);
  assert.match(failed.error.message, /not sent to the training panel/);

  const h = harness();
  const first = h.run.start(start(3));
  await h.run.start(start(3));
  assert.ok(h.posted.some((p) => p.msg.type === 'failed' && p.msg.error.code === 'busy'));
  await first;
});

test('withoutPause takes the paused time out of an epoch\'s seconds and samples/s', async () => {
  const { withoutPause } = await import('../../../webview/src/worker_run');
  const e = { kind: 'epoch' as const, epoch: 1, metrics: { loss: 1 }, samplesPerSecond: 100, seconds: 10, best: true, lr: 0.1 };
  assert.equal(withoutPause(e, 0), e);
  const adjusted = withoutPause(e, 8000);
  assert.equal(adjusted.seconds, 2);
  assert.equal(adjusted.samplesPerSecond, 500);
});

test('gpu-hardware in the panel: a software adapter declines the run, nothing trains', async () => {
  const { posted, run, deps } = harness();
  deps.webgpu = async () => ({ ok: true, backend: { name: 'webgpu', description: 'google / swiftshader', software: true } as never });
  await run.start({ ...start(2), backend: 'gpu-hardware' });
  const msgs = posted.map((p) => p.msg);
  assert.equal(msgs.length, 1);
  assert.ok(msgs[0].type === 'declined' && /google \/ swiftshader\) is a software renderer/.test(msgs[0].reason));
});
