// The after-training report: per-class scores by hand, image shapes, sample picking.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classCount, classReport, confusionCells, imageShapeOf, normalisePixels, perClassScores, pickSamples, predictedClass, samplePredictions } from '../../../webview/src/report';

const rows = (xs: number[][]) => xs.map((r) => Float32Array.from(r));

test('predicted class: argmax of scores, threshold 0.5 for one probability', () => {
  assert.equal(predictedClass([0.1, 0.7, 0.2]), 1);
  assert.equal(predictedClass([0.4]), 0);
  assert.equal(predictedClass([0.5]), 1);
});

test('per-class precision, recall and f1 from a confusion matrix, checked by hand', () => {
  // actual a: 3 right, 1 predicted b; actual b: 2 right; actual c: 1 predicted a, 0 right.
  const m = [[3, 1, 0], [0, 2, 0], [1, 0, 0]];
  const s = perClassScores(m);
  assert.deepEqual(s.precision, [3 / 4, 2 / 3, 0]);
  assert.deepEqual(s.recall, [3 / 4, 1, 0]);
  assert.equal(s.f1[0], 0.75);
  assert.ok(Math.abs(s.f1[1] - 0.8) < 1e-12);
  assert.equal(s.f1[2], 0);
});

test('classReport: labels, confusion[actual][predicted], and only for classifiers', () => {
  const r = classReport({ output: 'species', rows: rows([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), targets: [0, 1, 1], labels: ['setosa', 'virginica'] })!;
  assert.deepEqual(r.labels, ['setosa', 'virginica']);
  assert.deepEqual(r.confusion, [[1, 0], [1, 1]]);
  assert.deepEqual(r.recall, [1, 0.5]);
  // Binary (one probability) outputs get two classes named by index.
  const b = classReport({ output: 'y', rows: rows([[0.9], [0.1]]), targets: [1, 0], labels: null })!;
  assert.deepEqual(b.labels, ['0', '1']);
  assert.deepEqual(b.confusion, [[1, 0], [0, 1]]);
  // Regression targets are no classes.
  assert.equal(classReport({ output: 'y', rows: rows([[0.3], [2.5]]), targets: [0.3, 2.5], labels: null }), null);
  assert.equal(classCount({ output: 'y', rows: rows([[0.3]]), targets: [7], labels: null }), 0);
});

test('image shapes: [H, W, C], [H, W] and square flat vectors; others are not images', () => {
  assert.deepEqual(imageShapeOf([28, 28, 1]), { width: 28, height: 28, channels: 1 });
  assert.deepEqual(imageShapeOf([32, 24, 3]), { width: 24, height: 32, channels: 3 });
  assert.deepEqual(imageShapeOf([784]), { width: 28, height: 28, channels: 1 });
  assert.deepEqual(imageShapeOf([16, 16]), { width: 16, height: 16, channels: 1 });
  assert.equal(imageShapeOf([4]), null);
  assert.equal(imageShapeOf([785]), null);
  assert.equal(imageShapeOf([10, 20, 7]), null);
});

test('pixels: [0, 1] kept, other ranges stretched to [0, 1]', () => {
  assert.deepEqual(normalisePixels([0, 0.5, 1]), [0, 0.5, 1]);
  assert.deepEqual(normalisePixels([0, 127.5, 255]), [0, 0.5, 1]);
  assert.deepEqual(normalisePixels([-1, 0, 1]), [0, 0.5, 1]);
  assert.deepEqual(normalisePixels([NaN, 2, 2]), [0, 0, 0]);
});

test('samples: wrong predictions first, then right ones, in index order', () => {
  assert.deepEqual(pickSamples([0, 1, 1, 0, 2], [0, 0, 1, 1, 2], 4), [0, 1, 2, 3]);
  assert.deepEqual(pickSamples([0, 0, 0, 0], [0, 0, 0, 1], 2), [0, 3]);
  assert.deepEqual(pickSamples([0, 1], [1, 0], 3), [0, 1]);
});

test('sample predictions carry labels and, for image inputs, the pixels of that sample', () => {
  const data = new Float32Array(3 * 64);
  for (let i = 0; i < 64; i++) data[64 + i] = i / 63; // sample 1 is a ramp
  const s = samplePredictions(
    { output: 'digit', rows: rows([[0.9, 0.1], [0.3, 0.7], [0.8, 0.2]]), targets: [0, 0, 0], labels: ['zero', 'one'] },
    { sampleShape: [64], data },
    2,
  );
  assert.equal(s.length, 2);
  assert.deepEqual(s.map((x) => [x.index, x.actual, x.predicted, x.correct]), [[0, 'zero', 'zero', true], [1, 'zero', 'one', false]]);
  assert.deepEqual(s[1].image && { w: s[1].image.width, h: s[1].image.height, c: s[1].image.channels }, { w: 8, h: 8, c: 1 });
  assert.ok(Math.abs(s[1].image!.pixels[63] - 1) < 1e-6);
  assert.equal(s[1].image!.pixels[0], 0);
  // Tabular inputs have no images.
  const t = samplePredictions({ output: 'y', rows: rows([[0.9, 0.1]]), targets: [0], labels: null }, { sampleShape: [4], data: new Float32Array(4) });
  assert.equal(t[0].image, undefined);
});

test('confusion cells: intensity is the share of the row', () => {
  const c = confusionCells([[3, 1], [0, 0]]);
  assert.deepEqual(c[0].map((x) => x.intensity), [0.75, 0.25]);
  assert.deepEqual(c[1].map((x) => x.intensity), [0, 0]);
  assert.equal(c[0][0].diagonal, true);
  assert.equal(c[0][1].diagonal, false);
});
