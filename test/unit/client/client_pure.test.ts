// The client's small pure pieces: where weights go and how they are written, settings with
// bad values, the status bar text, and the Train command's argument and refusal rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSettings } from '../../../client/src/settings';
import { statusText, TrainingStatus } from '../../../client/src/status_bar';
import { chooseModel, describeFailure, parseTrainArgs, refusal, type ModelIRResponse } from '../../../client/src/train_plan';
import { toBytes, weightsPath, writeWeights, type WriteFs } from '../../../client/src/weights_writer';
import { finalMetrics } from '../../../client/src/run_session';
import { weightsTempPid } from '../../../engine/catalog/weights_file';

test('weights go beside the model, or into the configured folder', () => {
  assert.equal(weightsPath('/ws/m/iris.netspec', 'Iris', ''), '/ws/m/Iris.safetensors');
  assert.equal(weightsPath('/ws/m/iris.netspec', 'Iris', 'weights', '/ws'), '/ws/weights/Iris.safetensors');
  assert.equal(weightsPath('/ws/m/iris.netspec', 'Iris', 'weights'), '/ws/m/weights/Iris.safetensors', 'no workspace: against the model folder');
  assert.equal(weightsPath('/ws/m/iris.netspec', 'Iris', '/tmp/w', '/ws'), '/tmp/w/Iris.safetensors');
  assert.equal(weightsPath('/ws/iris.netspec', '../evil', ''), '/ws/.._evil.safetensors', 'a model name cannot leave the folder');
});

function memFs(failRename = false): WriteFs & { files: Map<string, Uint8Array>; ops: string[] } {
  const files = new Map<string, Uint8Array>();
  const ops: string[] = [];
  return {
    files,
    ops,
    async mkdir(p) {
      ops.push(`mkdir ${p}`);
    },
    async writeFile(p, b) {
      ops.push(`write ${p}`);
      files.set(p, b);
    },
    async rename(a, b) {
      ops.push(`rename ${a} ${b}`);
      if (failRename) throw new Error('EXDEV');
      files.set(b, files.get(a)!);
      files.delete(a);
    },
    async remove(p) {
      ops.push(`remove ${p}`);
      files.delete(p);
    },
  };
}

test('weights are written to a temporary file and renamed over the target', async () => {
  const fs = memFs();
  assert.equal(await writeWeights('/ws/Iris.safetensors', new Uint8Array([1, 2]), fs), null);
  assert.deepEqual([...fs.files.keys()], ['/ws/Iris.safetensors']);
  assert.match(fs.ops[1], /^write \/ws\/Iris\.safetensors\..+\.tmp$/);
  assert.match(fs.ops[2], /^rename \/ws\/Iris\.safetensors\..+\.tmp \/ws\/Iris\.safetensors$/);
  const failing = memFs(true);
  const err = await writeWeights('/ws/Iris.safetensors', new Uint8Array([1]), failing);
  assert.match(err ?? '', /cannot write the weights to \/ws\/Iris\.safetensors: EXDEV/);
  assert.equal(failing.files.size, 0, 'the temporary file is removed after a failure');
});

test('each write has its own temporary name, following the shared contract (process id and a random part)', async () => {
  const fs = memFs();
  await Promise.all([writeWeights('/ws/Iris.safetensors', new Uint8Array([1]), fs), writeWeights('/ws/Iris.safetensors', new Uint8Array([2]), fs)]);
  const tmps = fs.ops.filter((o) => o.startsWith('write ')).map((o) => o.slice('write /ws/'.length));
  assert.equal(tmps.length, 2);
  assert.notEqual(tmps[0], tmps[1], 'two writes in flight never share a temporary file');
  for (const t of tmps) assert.equal(weightsTempPid('Iris.safetensors', t), process.pid, t);
  assert.deepEqual([...fs.files.keys()], ['/ws/Iris.safetensors']);
});

test('toBytes accepts typed arrays, buffers, number arrays and index-keyed objects, nothing else', () => {
  assert.deepEqual([...toBytes(new Uint8Array([1, 2]))!], [1, 2]);
  assert.deepEqual([...toBytes(new Uint8Array([1, 2, 3]).buffer)!], [1, 2, 3]);
  assert.deepEqual([...toBytes(new Uint16Array([258]))!], [2, 1]);
  assert.deepEqual([...toBytes([4, 5])!], [4, 5]);
  assert.deepEqual([...toBytes({ 0: 9, 1: 8 })!], [9, 8]);
  assert.equal(toBytes('x'), null);
  assert.equal(toBytes({ a: 1 }), null);
  assert.equal(toBytes(null), null);
});

test('settings: valid values pass, invalid ones fall back, smoothing is clamped', () => {
  const cfg = (v: Record<string, unknown>) => ({ get: <T>(k: string) => v[k] as T | undefined });
  assert.deepEqual(readSettings(cfg({})), { backend: 'auto', weightsFolder: '', chartSmoothing: 0.6, runsFolder: '' });
  assert.deepEqual(readSettings(cfg({ backend: 'cpu', weightsFolder: ' w ', chartSmoothing: 0.2, runsFolder: ' r ' })), { backend: 'cpu', weightsFolder: 'w', chartSmoothing: 0.2, runsFolder: 'r' });
  assert.deepEqual(readSettings(cfg({ backend: 'tpu', weightsFolder: 3, chartSmoothing: 5, runsFolder: 4 })), { backend: 'auto', weightsFolder: '', chartSmoothing: 0.99, runsFolder: '' });
  assert.equal(readSettings(cfg({ chartSmoothing: -1 })).chartSmoothing, 0);
  assert.equal(readSettings(cfg({ chartSmoothing: NaN })).chartSmoothing, 0.6);
});

test('the status bar shows model, epoch, loss and backend, and hides a while after the end', async () => {
  const s = { model: 'Iris', status: 'running' as const, epoch: 3, epochs: 60, loss: 0.123456, backend: 'webgpu' as const };
  assert.equal(statusText(s), '$(sync~spin) Iris 3/60 · loss 0.1235 · webgpu');
  assert.equal(statusText({ ...s, loss: null, backend: null, status: 'failed' }), '$(error) Iris 3/60');
  let shown = 0;
  let hidden = 0;
  const item = { text: '', tooltip: '' as unknown, command: undefined as unknown, show: () => shown++, hide: () => hidden++ };
  const bar = new TrainingStatus(item, 10);
  assert.equal(item.command, 'netspec.showTrainingPanel', 'a click reveals the panel');
  bar.update(s);
  assert.equal(item.text, statusText(s));
  assert.equal(shown, 1);
  bar.update({ ...s, status: 'finished' });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(hidden, 1);
});

test('the Train argument: code lens object, Uri, string or nothing', () => {
  assert.deepEqual(parseTrainArgs({ uri: 'file:///a.netspec', model: 'Iris' }), { uri: 'file:///a.netspec', model: 'Iris' });
  const uriLike = { scheme: 'file', toString: () => 'file:///b.netspec' };
  assert.deepEqual(parseTrainArgs(uriLike), { uri: 'file:///b.netspec' });
  assert.deepEqual(parseTrainArgs('file:///c.netspec'), { uri: 'file:///c.netspec' });
  assert.deepEqual(parseTrainArgs(undefined), {});
  assert.deepEqual(parseTrainArgs({ uri: 5, model: '' }), {});
});

const OK: ModelIRResponse = {
  models: [{ name: 'A' }, { name: 'B' }],
  ir: { name: 'A' } as never,
  train: { data: { kind: 'csv', path: '/x.csv' } } as never,
  trained: ['A'],
};

test('which model: the asked one, the only trained one, a pick among several, or an error', () => {
  assert.deepEqual(chooseModel('B', OK), { model: 'B' });
  assert.deepEqual(chooseModel(undefined, OK), { model: 'A' });
  assert.deepEqual(chooseModel(undefined, { ...OK, trained: ['A', 'B'] }), { choices: ['A', 'B'] });
  assert.match((chooseModel(undefined, { ...OK, trained: [] }) as { error: string }).error, /no train block/);
});

test('refusals: unknown model, model errors, no train block, no data', () => {
  assert.equal(refusal('A', OK), null);
  assert.match(refusal('Z', OK) ?? '', /no model Z \(its models: A, B\)/);
  assert.match(refusal('A', { ...OK, ir: null }) ?? '', /has errors; fix them first \(see the Problems panel\)/);
  assert.match(refusal('A', { ...OK, train: null }) ?? '', /no train block/);
  assert.match(refusal('A', { ...OK, train: { data: null } as never }) ?? '', /names no data/);
});

test('a failure reads as one sentence with the epoch, layer and 1-based line', () => {
  const base = { runId: 'r', model: 'M', sourceUri: '', backend: null, steps: [], epochs: [], status: 'failed' as const };
  assert.equal(
    describeFailure({ ...base, error: { code: 'nan-loss', message: 'the loss became NaN', epoch: 2, node: 'dense', line: 4 } }),
    'the loss became NaN (epoch 2, layer dense, line 5)',
  );
  assert.equal(describeFailure({ ...base, error: { code: 'x', message: 'bad data' } }), 'bad data');
});

test('final metrics list validation first', () => {
  const e = { kind: 'epoch' as const, epoch: 5, metrics: { loss: 0.2, accuracy: 0.95, val_loss: 0.3, val_accuracy: 0.9333333 }, samplesPerSecond: 1, seconds: 1, best: true, lr: 0.1 };
  const snap = { runId: 'r', model: 'M', sourceUri: '', backend: null, steps: [], epochs: [e], status: 'finished' as const };
  assert.equal(finalMetrics(snap), 'val_loss 0.3, val_accuracy 0.9333, loss 0.2, accuracy 0.95');
  assert.equal(finalMetrics({ ...snap, epochs: [] }), 'no epoch completed');
});
