// What the training loop reads batches from. A BatchSource says how many samples it holds,
// what one sample of each input and target looks like, and hands back the rows asked for as
// a small Dataset, so the loop has one path whether the data sits in typed arrays (an
// in-memory Dataset, wrapped by `memorySource`) or in a file of fixed-size binary rows that
// is larger than memory (disk_rows.ts). Each source also draws its own
// epoch order: a full seeded permutation in memory, a block-and-window shuffle on disk that
// is drawn a window at a time, so that no array holds an index per row.

import type { Rng } from '../rng';
import { gatherRows, shuffledOrder, type Dataset } from './dataset';

/** The shape and element type of one sample of an input or a target. */
export interface SampleSpec {
  sampleShape: number[];
  dtype: 'float32' | 'int32';
}

export interface BatchSource {
  /** Tells a source apart from a Dataset (which has no `kind`). */
  readonly kind: 'batch-source';
  readonly count: number;
  /** By model input name. */
  readonly inputs: Record<string, SampleSpec>;
  /** By model output name. */
  readonly targets: Record<string, SampleSpec>;
  readonly labels?: Record<string, string[] | null>;
  /** A text source's vocabulary (Dataset.vocab). */
  readonly vocab?: string[];
  /** The samples `indices` (0..count-1), in that order, as a Dataset of `indices.length` samples. */
  batch(indices: Int32Array | number[]): Promise<Dataset>;
  /**
   * The order of one epoch's samples, drawn from `rng` (deterministic for the rng's seed),
   * handed out a batch at a time. A source may draw from `rng` as the epoch goes, so take
   * every sample of one epoch's order before asking for the next epoch's.
   */
  epochOrder(rng: Rng): EpochOrder;
  /** The in-memory Dataset behind the source, when there is one (for checks that scan every value). */
  readonly dataset?: Dataset;
}

/** One epoch's order of samples, taken from the front. */
export interface EpochOrder {
  /** The next `n` samples of the order (fewer at its end; empty once it is taken). */
  next(n: number): Int32Array;
}

/** An order held whole as one array. */
export function arrayOrder(order: Int32Array): EpochOrder {
  let at = 0;
  return {
    next(n) {
      const out = order.subarray(at, Math.min(at + n, order.length));
      at += out.length;
      return out;
    },
  };
}

export function isBatchSource(data: Dataset | BatchSource): data is BatchSource {
  return (data as BatchSource).kind === 'batch-source';
}

/** The source of an in-memory Dataset: batches are gathered rows, the order a full Fisher-Yates shuffle. */
export function memorySource(data: Dataset): BatchSource {
  const specs = (sets: Dataset['inputs']): Record<string, SampleSpec> =>
    Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, { sampleShape: [...s.sampleShape], dtype: s.data instanceof Int32Array ? 'int32' : 'float32' }]));
  return {
    kind: 'batch-source',
    count: data.count,
    inputs: specs(data.inputs),
    targets: specs(data.targets),
    labels: data.labels,
    vocab: data.vocab,
    dataset: data,
    async batch(indices) {
      const pick = (sets: Dataset['inputs']): Dataset['inputs'] =>
        Object.fromEntries(Object.entries(sets).map(([k, s]) => [k, { data: gatherRows(s, indices), sampleShape: s.sampleShape }]));
      return { count: indices.length, inputs: pick(data.inputs), targets: pick(data.targets), labels: data.labels };
    },
    epochOrder: (rng) => arrayOrder(shuffledOrder(data.count, rng)),
  };
}

/** Either kind of training data as a source. */
export function asSource(data: Dataset | BatchSource): BatchSource {
  return isBatchSource(data) ? data : memorySource(data);
}

/** 0, 1, ..., n-1: the rows of a batch Dataset in its own order. */
export function identityRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}
