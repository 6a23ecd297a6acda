// Datasets as the loop sees them: checked once against the model before any step runs (so a
// wrong column count or a NaN in a file is a clear data error, not a crash or a NaN loss
// far into the run), shuffled by a seeded permutation, cut into batches by gathering rows,
// and split into training and validation parts for a `validation = 0.2` setting.

import type { ModelIR } from '../../catalog/ir';
import { Rng } from '../rng';
import type { BatchSource } from './batch_source';
import type { ArraySet, Dataset } from './types';

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Checks that the dataset feeds every model input (and, with `targetsNeeded`, every output),
 * that each array holds `count` samples of its shape, and that every value is finite.
 * Returns a message naming the input or output, or null when all is well.
 */
export function checkDataset(ir: ModelIR, data: Dataset, what: string, targetsNeeded: boolean): string | null {
  if (!Number.isInteger(data.count) || data.count < 1) return `the ${what} data has no samples`;
  for (const input of ir.inputs) {
    const set = data.inputs[input.name];
    if (!set) return `the ${what} data has nothing for input ${input.name}`;
    const sample = sizeOf(set.sampleShape);
    const fixed = input.shape.every((d) => typeof d === 'number');
    if (fixed && sample !== sizeOf(input.shape as number[])) {
      return `input ${input.name} expects samples of shape ${shapeText(input.shape)} (${sizeOf(input.shape as number[])} values), but the ${what} data has ${sample} values per sample`;
    }
    const problem = checkArray(set, data.count, `input ${input.name}`, what);
    if (problem) return problem;
  }
  if (!targetsNeeded) return null;
  for (const out of ir.outputs) {
    const set = data.targets[out.name];
    if (!set) return `the ${what} data has no targets for output ${out.name}`;
    const problem = checkArray(set, data.count, `the targets of ${out.name}`, what);
    if (problem) return problem;
  }
  return null;
}

/**
 * checkDataset for a BatchSource: an in-memory one is checked value by value; a source on
 * disk is checked for names and sample sizes (its loader already checked every value).
 */
export function checkSource(ir: ModelIR, data: BatchSource, what: string, targetsNeeded: boolean): string | null {
  if (data.dataset) return checkDataset(ir, data.dataset, what, targetsNeeded);
  if (!Number.isInteger(data.count) || data.count < 1) return `the ${what} data has no samples`;
  for (const input of ir.inputs) {
    const spec = data.inputs[input.name];
    if (!spec) return `the ${what} data has nothing for input ${input.name}`;
    const sample = sizeOf(spec.sampleShape);
    if (input.shape.every((d) => typeof d === 'number') && sample !== sizeOf(input.shape as number[])) {
      return `input ${input.name} expects samples of shape ${shapeText(input.shape)} (${sizeOf(input.shape as number[])} values), but the ${what} data has ${sample} values per sample`;
    }
  }
  if (!targetsNeeded) return null;
  for (const out of ir.outputs) {
    if (!data.targets[out.name]) return `the ${what} data has no targets for output ${out.name}`;
  }
  return null;
}

function checkArray(set: ArraySet, count: number, name: string, what: string): string | null {
  const expected = count * sizeOf(set.sampleShape);
  if (set.data.length !== expected) {
    return `${name} in the ${what} data holds ${set.data.length} values, but ${count} samples of shape ${shapeText(set.sampleShape)} need ${expected}`;
  }
  for (let i = 0; i < set.data.length; i++) {
    if (!Number.isFinite(set.data[i])) {
      const sample = Math.floor(i / Math.max(sizeOf(set.sampleShape), 1));
      return `${name} in the ${what} data has a value that is not a finite number (${set.data[i]}) in sample ${sample}`;
    }
  }
  return null;
}

/** A seeded Fisher-Yates permutation of 0..n-1, drawn from `rng`. */
export function shuffledOrder(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The rows `indices` of `set`, as a new array of the same kind (or of `as` when given). */
export function gatherRows(set: ArraySet, indices: ArrayLike<number>, as?: 'float32' | 'int32'): Float32Array | Int32Array {
  const row = sizeOf(set.sampleShape);
  const int = as ? as === 'int32' : set.data instanceof Int32Array;
  const out = int ? new Int32Array(indices.length * row) : new Float32Array(indices.length * row);
  gatherRowsInto(set, indices, out);
  return out;
}

/** Writes the rows `indices` of `set` into `out` (indices.length rows, converted to out's kind). */
export function gatherRowsInto(set: ArraySet, indices: ArrayLike<number>, out: Float32Array | Int32Array): void {
  const row = sizeOf(set.sampleShape);
  const same = out.constructor === set.data.constructor;
  // Consecutive indices (a batch Dataset read in its own order) are one block.
  let run = indices.length > 0;
  for (let i = 1; run && i < indices.length; i++) run = indices[i] === indices[0] + i;
  if (run && same) {
    const start = indices[0] * row;
    out.set(set.data.subarray(start, start + indices.length * row));
    return;
  }
  for (let i = 0; i < indices.length; i++) {
    const start = indices[i] * row;
    if (same) out.set(set.data.subarray(start, start + row), i * row);
    else for (let k = 0; k < row; k++) out[i * row + k] = set.data[start + k];
  }
}

/** The samples `indices` of a dataset, every input and target gathered. */
export function subset(data: Dataset, indices: ArrayLike<number>): Dataset {
  const pick = (sets: Record<string, ArraySet>): Record<string, ArraySet> =>
    Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, { data: gatherRows(s, indices), sampleShape: [...s.sampleShape] }]));
  return { count: indices.length, inputs: pick(data.inputs), targets: pick(data.targets), labels: data.labels };
}

/**
 * Holds out `fraction` of the samples for validation after a seeded shuffle (spec §5), the
 * way the CLI and the editor read `validation = 0.2`. At least one sample stays on each side.
 */
export function splitValidation(data: Dataset, fraction: number, seed: number): { train: Dataset; validation: Dataset } | null {
  if (!(fraction > 0 && fraction < 1) || data.count < 2) return null;
  const order = shuffledOrder(data.count, new Rng(seed, 0x5e1a));
  const held = Math.min(Math.max(Math.round(data.count * fraction), 1), data.count - 1);
  return { train: subset(data, order.subarray(held)), validation: subset(data, order.subarray(0, held)) };
}
