// The runs list's words and the overlay's numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRunRecord } from '../../../engine/catalog/run_record';
import type { TrainIR } from '../../../engine/catalog/train_ir';
import { bestText, deviceText, overlayData, overlayMetrics, settingsDiff, settingsText } from '../../../webview/src/runs';

const train = (lr: number, batchSize: number): TrainIR => ({
  model: 'Iris', data: { kind: 'csv', path: '/d/iris.csv' }, validation: 0.2, loss: 'cross_entropy', lossWeights: null,
  optimizer: { name: 'adam', args: { lr, beta1: 0.9 } }, regularizer: null, epochs: 60, batchSize, metrics: ['accuracy'], seed: 1, earlyStopping: null,
});
const run = (id: string, lr: number, batch: number) => ({ ...newRunRecord({ id, model: 'Iris', source: '/d/i.netspec', tool: 'editor', train: train(lr, batch), date: new Date(2026, 0, 1) }), name: id });

test('a run reads as best metrics (validation first), settings and device', () => {
  const r = { ...run('a', 0.02, 16), best: { epoch: 12, metrics: { loss: 0.1, val_loss: 0.21344, val_accuracy: 0.95 } }, device: { name: 'webgpu', detail: 'nvidia / ampere', place: 'host' as const } };
  assert.equal(bestText(r), 'val_loss 0.2134 · val_accuracy 0.95 · loss 0.1 (epoch 12)');
  assert.equal(settingsText(r), 'adam lr=0.02 · batch 16 · 60 epochs · seed 1');
  assert.equal(deviceText(r), 'WebGPU · nvidia / ampere (extension host)');
  assert.equal(bestText(run('b', 1, 1)), '—');
});

test('settingsDiff keeps only what differs between the runs compared', () => {
  const rows = settingsDiff([run('a', 0.02, 16), run('b', 0.1, 16), run('c', 0.02, 32)]);
  assert.deepEqual(rows, [
    { key: 'batchSize', values: ['16', '16', '32'] },
    { key: 'lr', values: ['0.02', '0.1', '0.02'] },
  ]);
  assert.deepEqual(settingsDiff([run('a', 0.02, 16)]), [], 'one run has nothing to differ from');
});

test('overlay: one epoch axis for runs of different lengths, val_loss offered first', () => {
  const curves = [
    { id: 'a', name: 'a', epochs: [1, 2, 3].map((e) => ({ epoch: e, metrics: { loss: 1 / e, val_loss: 2 / e }, lr: 0, samplesPerSecond: 0, seconds: 0 })) },
    { id: 'b', name: 'b', epochs: [{ epoch: 1, metrics: { loss: 0.5, accuracy: 0.9 }, lr: 0, samplesPerSecond: 0, seconds: 0 }] },
  ];
  assert.deepEqual(overlayMetrics(curves), ['val_loss', 'loss', 'accuracy']);
  assert.deepEqual(overlayData(curves, 'loss'), { x: [1, 2, 3], series: [[1, 0.5, 1 / 3], [0.5, null, null]] });
});
