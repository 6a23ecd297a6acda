// Training data checked once against the model before any step runs, so a wrong column
// count or a NaN in a file is a clear data error, not a crash or a NaN loss far into the run.
// (Shuffling, gathering rows and the validation split live with the Dataset, in data/dataset.ts.)

import type { ModelIR } from '../../catalog/ir';
import type { BatchSource } from '../data/batch_source';
import type { ArraySet, Dataset } from '../data/dataset';

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
