// What the data readers hand the training loop: a Dataset of typed arrays (one ArraySet per
// model input and output, row-major), never tensors, so reading data needs nothing of the
// engine; the loop makes tensors of a batch's rows. Also the row operations both sides use:
// a seeded permutation, gathering rows, and the `validation = 0.2` split, which the CLI and
// the editor make the same way from the same seed.

import { Rng } from '../rng';

/** One input or target column set, `count` samples of `sampleShape` each, row-major. */
export interface ArraySet {
  data: Float32Array | Int32Array;
  sampleShape: number[];
}

/** Everything a run trains on, already parsed and shaped to the model. */
export interface Dataset {
  count: number;
  /** By model input name. */
  inputs: Record<string, ArraySet>;
  /** By model output name. Class targets are int32 class indices with one value per sample. */
  targets: Record<string, ArraySet>;
  /** By output name: the label of each class index when the targets were strings. */
  labels?: Record<string, string[] | null>;
  /** A text source's vocabulary: the word of each id from 2 on (text.ts). */
  vocab?: string[];
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
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
  return { count: indices.length, inputs: pick(data.inputs), targets: pick(data.targets), labels: data.labels, vocab: data.vocab };
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
