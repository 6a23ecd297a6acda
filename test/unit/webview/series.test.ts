// The chart and progress arithmetic: smoothing, the capped step list, ETA and formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendCapped, ema, etaSeconds, formatDuration, formatRate, globalStep, metricPairs, progressFraction } from '../../../webview/src/series';
import type { StepPoint } from '../../../webview/src/series';

test('ema with weight 0 returns the values; with a weight it is the debiased moving average', () => {
  assert.deepEqual(ema([3, 1, 4], 0), [3, 1, 4]);
  const w = 0.5;
  const s = ema([2, 4, 8], w);
  // By hand: l1 = 1, l2 = 0.5 + 2 = 2.5, l3 = 1.25 + 4 = 5.25; debias by 1 - w^n.
  assert.equal(s[0], 1 / 0.5);
  assert.equal(s[1], 2.5 / 0.75);
  assert.equal(s[2], 5.25 / 0.875);
  // A constant series stays constant (the debiasing keeps the first points from sagging).
  for (const v of ema([5, 5, 5, 5], 0.9)) assert.ok(Math.abs(v - 5) < 1e-12);
});

test('ema passes non-finite values through without poisoning later ones', () => {
  const s = ema([1, NaN, 1], 0.6);
  assert.ok(Number.isNaN(s[1]));
  assert.ok(Math.abs(s[2] - 1) < 1e-12);
});

test('appendCapped halves the list by averaging pairs when it passes the cap', () => {
  const pts: StepPoint[] = [];
  for (let i = 1; i <= 9; i++) appendCapped(pts, { step: i, loss: i }, 8);
  // 9 points > 8: pairs (1,2) (3,4) (5,6) (7,8) merged, 9 kept.
  assert.deepEqual(pts, [
    { step: 2, loss: 1.5 },
    { step: 4, loss: 3.5 },
    { step: 6, loss: 5.5 },
    { step: 8, loss: 7.5 },
    { step: 9, loss: 9 },
  ]);
  for (let i = 10; i <= 100_000; i++) appendCapped(pts, { step: i, loss: 1 }, 8);
  assert.ok(pts.length <= 8, `kept ${pts.length}`);
  assert.equal(pts[pts.length - 1].step, 100_000);
  // The kept points still span the run and stay in order.
  for (let i = 1; i < pts.length; i++) assert.ok(pts[i].step > pts[i - 1].step);
});

test('global steps, progress and ETA', () => {
  assert.equal(globalStep(1, 1, 10), 1);
  assert.equal(globalStep(3, 4, 10), 24);
  assert.equal(progressFraction(0, 100), 0);
  assert.equal(progressFraction(25, 100), 0.25);
  assert.equal(progressFraction(150, 100), 1);
  assert.equal(progressFraction(5, 0), 0);
  // 10 s for 25 of 100 steps: 30 s left.
  assert.equal(etaSeconds(10_000, 25, 100), 30);
  assert.equal(etaSeconds(10_000, 0, 100), null);
  assert.equal(etaSeconds(NaN, 3, 100), null);
  assert.equal(etaSeconds(5_000, 100, 100), 0);
});

test('durations and rates read naturally', () => {
  assert.equal(formatDuration(null), '—');
  assert.equal(formatDuration(42.4), '42 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(3720), '1 h 02 min');
  assert.equal(formatRate(87.25), '87.3');
  assert.equal(formatRate(512), '512');
  assert.equal(formatRate(12_300), '12.3k');
  assert.equal(formatRate(NaN), '—');
});

test('metricPairs pairs each train metric with its validation twin and skips the loss', () => {
  assert.deepEqual(metricPairs(['loss', 'accuracy', 'val_loss', 'val_accuracy', 'mae']), [
    { name: 'accuracy', val: 'val_accuracy' },
    { name: 'mae', val: null },
  ]);
});

test('measuredEta waits for enough steps and time, then extrapolates the measured pace', async () => {
  const { measuredEta, ETA_MIN_STEPS, ETA_MIN_MS } = await import('../../../webview/src/series');
  assert.equal(measuredEta(60_000, ETA_MIN_STEPS - 1, 100), null, 'too few steps');
  assert.equal(measuredEta(ETA_MIN_MS - 1, 1000, 100), null, 'too short');
  assert.equal(measuredEta(10_000, 50, 100), 20);
});

test('integer axes tick at 1, 2, 5, 10... only', async () => {
  const { integerIncrements } = await import('../../../webview/src/series');
  const incrs = integerIncrements();
  assert.deepEqual(incrs.slice(0, 6), [1, 2, 5, 10, 20, 50]);
  assert.ok(incrs.every((v) => Number.isInteger(v)));
});

test('partialEpoch: the epoch in progress as a fractional point with its mean loss so far', async () => {
  const { partialEpoch } = await import('../../../webview/src/series');
  const pts = [{ step: 1, loss: 9 }, { step: 4, loss: 9 }, { step: 5, loss: 2 }, { step: 6, loss: 4 }];
  assert.deepEqual(partialEpoch(pts, 4, 2, 2, 1), { x: 1.5, loss: 3 });
  assert.equal(partialEpoch(pts, 4, 2, 4, 1), null, 'a finished epoch has its own event');
  assert.equal(partialEpoch(pts, 4, 1, 4, 1), null);
  assert.deepEqual(partialEpoch(pts.slice(0, 1), 4, 1, 1, 0), { x: 0.25, loss: 9 }, 'the first epoch is not a blank box');
});
