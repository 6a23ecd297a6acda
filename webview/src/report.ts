// The after-training report as plain data: per-class confusion counts with precision,
// recall and f1 for each classifier output, a handful of sample predictions (with the input
// as a small image when it is one), and the table cells the panel draws from them (counts
// with a colour intensity). The worker computes the report from predictions; the panel only
// draws. Pure functions, so the numbers are tested without a browser.

import type { ClassReport, SamplePrediction } from '../protocol';
import { confusionMatrix } from '../../engine/src/train/metrics';

/** One output's predictions and targets, as the worker has them after `predict`. */
export interface OutputPredictions {
  output: string;
  /** One row per sample: class scores (several classes) or one probability (binary). */
  rows: readonly Float32Array[];
  /** Targets: one class index per sample (int32) or one value per sample. */
  targets: ArrayLike<number>;
  /** Class labels when the targets were strings. */
  labels: string[] | null;
}

/** The predicted class of a row: the argmax of several scores, or p ≥ 0.5 for one. */
export function predictedClass(row: ArrayLike<number>): number {
  if (row.length === 1) return row[0] >= 0.5 ? 1 : 0;
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** The number of classes of an output, or 0 when it is not a classifier (regression, sequences). */
export function classCount(p: OutputPredictions): number {
  if (p.rows.length === 0) return 0;
  const width = p.rows[0].length;
  if (p.targets.length !== p.rows.length) return 0;
  for (let i = 0; i < p.targets.length; i++) if (!Number.isInteger(p.targets[i]) || p.targets[i] < 0) return 0;
  if (width > 1) return width;
  // One column: binary only when every target is 0 or 1.
  for (let i = 0; i < p.targets.length; i++) if (p.targets[i] > 1) return 0;
  return 2;
}

/** Precision, recall and f1 of every class from `confusion[actual][predicted]` (0 for 0/0). */
export function perClassScores(confusion: number[][]): { precision: number[]; recall: number[]; f1: number[] } {
  const n = confusion.length;
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  for (let k = 0; k < n; k++) {
    const tp = confusion[k][k];
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < n; j++) {
      predicted += confusion[j][k];
      actual += confusion[k][j];
    }
    const p = predicted > 0 ? tp / predicted : 0;
    const r = actual > 0 ? tp / actual : 0;
    precision.push(p);
    recall.push(r);
    f1.push(p + r > 0 ? (2 * p * r) / (p + r) : 0);
  }
  return { precision, recall, f1 };
}

/** The class report of a classifier output, or null when the output is not one. */
export function classReport(p: OutputPredictions): ClassReport | null {
  const classes = classCount(p);
  if (classes < 2) return null;
  const pred = p.rows.map(predictedClass);
  const confusion = confusionMatrix(pred, p.targets, classes);
  const labels = Array.from({ length: classes }, (_, i) => p.labels?.[i] ?? String(i));
  return { output: p.output, labels, confusion, ...perClassScores(confusion) };
}

/** Width, height and channels when a sample shape is an image: [H, W, C≤4], [H, W], or [N²]. */
export function imageShapeOf(sampleShape: readonly number[]): { width: number; height: number; channels: number } | null {
  const ok = (n: number) => Number.isInteger(n) && n >= 4 && n <= 512;
  if (sampleShape.length === 3 && ok(sampleShape[0]) && ok(sampleShape[1]) && [1, 3, 4].includes(sampleShape[2])) {
    return { height: sampleShape[0], width: sampleShape[1], channels: sampleShape[2] };
  }
  if (sampleShape.length === 2 && ok(sampleShape[0]) && ok(sampleShape[1])) return { height: sampleShape[0], width: sampleShape[1], channels: 1 };
  if (sampleShape.length === 1 || (sampleShape.length === 2 && sampleShape[1] === 1)) {
    const side = Math.round(Math.sqrt(sampleShape[0]));
    if (side * side === sampleShape[0] && ok(side) && side >= 8) return { height: side, width: side, channels: 1 };
  }
  return null;
}

/** Pixel values scaled to [0, 1] by the sample's own range (raw 0–255 bytes and z-scores alike). */
export function normalisePixels(values: ArrayLike<number>): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  // Values already in [0, 1] are shown as they are; anything else is stretched to its range.
  const inUnit = lo >= 0 && hi <= 1;
  const base = inUnit ? 0 : lo;
  const scale = inUnit ? 1 : hi > lo ? hi - lo : 1;
  return Array.from(values, (v) => (Number.isFinite(v) ? Math.min(Math.max((v - base) / scale, 0), 1) : 0));
}

/**
 * Picks up to `count` samples to show, wrong predictions first (they teach the most), then
 * right ones, each in index order.
 */
export function pickSamples(pred: readonly number[], targets: ArrayLike<number>, count: number): number[] {
  const wrong: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < pred.length; i++) (pred[i] === targets[i] ? right : wrong).push(i);
  const nWrong = Math.min(wrong.length, Math.ceil(count / 2));
  const chosen = [...wrong.slice(0, nWrong), ...right.slice(0, count - nWrong)];
  if (chosen.length < count) chosen.push(...wrong.slice(nWrong, nWrong + count - chosen.length));
  return chosen.sort((a, b) => a - b);
}

/** Sample predictions of one classifier output, with images when the input is one. */
export function samplePredictions(
  p: OutputPredictions,
  input: { sampleShape: readonly number[]; data: ArrayLike<number> } | null,
  count = 12,
): SamplePrediction[] {
  const classes = classCount(p);
  if (classes < 2) return [];
  const pred = p.rows.map(predictedClass);
  const label = (k: number) => p.labels?.[k] ?? String(k);
  const shape = input ? imageShapeOf(input.sampleShape) : null;
  const per = input ? input.sampleShape.reduce((a, b) => a * b, 1) : 0;
  return pickSamples(pred, p.targets, count).map((i) => {
    const s: SamplePrediction = { index: i, actual: label(p.targets[i]), predicted: label(pred[i]), correct: pred[i] === p.targets[i] };
    if (shape && input) {
      const values = Array.prototype.slice.call(input.data, i * per, (i + 1) * per) as number[];
      s.image = { ...shape, pixels: normalisePixels(values) };
    }
    return s;
  });
}

/** One cell of the confusion table: its count and how strongly to colour it (0–1 of the row). */
export interface ConfusionCell {
  count: number;
  intensity: number;
  diagonal: boolean;
}

/** The confusion table's cells, each row's intensity relative to that row's total. */
export function confusionCells(confusion: number[][]): ConfusionCell[][] {
  return confusion.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, j) => ({ count, intensity: total > 0 ? count / total : 0, diagonal: i === j }));
  });
}

/** A fraction as a percentage with one decimal ("93.3%"), for the score tables. */
export function percent(x: number): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}
