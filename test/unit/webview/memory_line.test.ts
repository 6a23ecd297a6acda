// Memory in use, from the engine to the panel's header: a run posts the engine's counters
// (and the process's RSS where the host gives it) with its steps, the reducer keeps the
// last ones for the run and forgets them for a new run, and the line reads them in bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelIR } from '../../../engine/catalog/ir';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { checkText } from '../../../server/src/sema/check';
import { lowerTrain } from '../../../server/src/sema/train/lower';
import type { FromPanel, MemoryUsage, ToPanel } from '../../../webview/protocol';
import { initialState, reduce } from '../../../webview/src/state';
import { memoryText } from '../../../webview/src/view/header';
import { WorkerRun } from '../../../webview/src/worker_run';

test('the header line: tensors, backend buffers by kind, and the process when known', () => {
  assert.equal(memoryText({ tensorBytes: 1536, backendBytes: 3 * 1024 * 1024, gpu: true, rssBytes: 180 * 1024 * 1024 }), 'memory: tensors 1.50 KiB · GPU buffers 3.00 MiB · process 180.0 MiB');
  assert.equal(memoryText({ tensorBytes: 100, backendBytes: 200, gpu: false }), 'memory: tensors 100 B · backend arrays 200 B');
});

test('the reducer keeps the last step\'s memory, through steps without it, and a new run starts without', () => {
  const start = (runId: string): ToPanel => ({ type: 'start', runId, model: 'M', sourceUri: 'file:///m.netspec', ir: {} as ModelIR, train: { epochs: 1 } as TrainIR, files: [], backend: 'auto', smoothing: 0.6 });
  const usage: MemoryUsage = { tensorBytes: 10, backendBytes: 20, gpu: false, rssBytes: 30 };
  const step = (s: number, memory?: MemoryUsage): FromPanel => ({ type: 'step', runId: 'r1', event: { kind: 'step', epoch: 1, step: s, stepsPerEpoch: 4, loss: 1, samplesPerSecond: 1 }, memory });
  let s = reduce(initialState(), start('r1'), 0);
  assert.equal(s.memory, null);
  s = reduce(s, step(1, usage), 1);
  s = reduce(s, step(2), 2);
  assert.deepEqual(s.memory, usage);
  assert.equal(reduce(s, start('r2'), 3).memory, null);
});

test('a real run posts the engine\'s counters and the RSS with its steps', async () => {
  const path = join(process.cwd(), 'examples/iris/iris.netspec');
  const checked = checkText(readFileSync(path, 'utf8'), { path });
  const decl = checked.file.decls.find((d) => d.kind === 'Train')!;
  const train = { ...lowerTrain(decl as never, { path })!, epochs: 1 };
  const data = (train.data as { path: string }).path;
  const posted: FromPanel[] = [];
  const run = new WorkerRun({
    post: (m) => posted.push(m),
    webgpu: async () => ({ ok: false, reason: 'not here' }),
    gunzip: (b) => new Uint8Array(gunzipSync(b)),
    now: () => performance.now(),
    rss: () => 123_456_789,
  });
  await run.start({ type: 'start', runId: 'r1', model: 'Iris', sourceUri: `file://${path}`, ir: checked.models[0].ir!, train, files: [{ path: data, bytes: new Uint8Array(readFileSync(data)) }], backend: 'cpu', smoothing: 0.6 });
  const steps = posted.filter((m): m is Extract<FromPanel, { type: 'step' }> => m.type === 'step');
  assert.ok(steps.length > 0);
  for (const m of steps) {
    assert.ok(m.memory, 'every posted step says the memory in use');
    assert.ok(m.memory.tensorBytes > 0, 'the model\'s weights live in tensors');
    assert.ok(m.memory.backendBytes >= m.memory.tensorBytes, 'the backend holds at least the live tensors');
    assert.equal(m.memory.gpu, false);
    assert.equal(m.memory.rssBytes, 123_456_789);
  }
});
