// Inference from saved weights: build the model from its IR, load the named arrays of a
// checkpoint into it (a missing, extra or mis-shaped weight is an error that names it and
// both shapes), and run the inputs through it in batches in inference mode. The CLI's
// `predict` and the editor's "try it" both call this; neither needs the training loop.

import type { ModelIR } from '../../catalog/ir';
import { Model, type ForwardOptions } from '../model';
import { tensor, tidy } from '../tensor';
import type { Tensor } from '../tensor';
import { checkDataset } from './data_check';
import { gatherRows, type Dataset } from '../data/dataset';
import type { NamedArray } from './types';
import { loadWeights } from './weights';

export { loadWeights } from './weights';
export type { LoadResult } from './weights';

/** The inputs to predict on: a dataset without targets. */
export type PredictInputs = Pick<Dataset, 'count' | 'inputs'>;

/** One model output's predictions: one row per sample, each of `sampleShape`, row-major. */
export interface OutputRows {
  sampleShape: number[];
  rows: Float32Array[];
}

export type PredictOutcome = { ok: true; outputs: Record<string, OutputRows> } | { ok: false; message: string };

/** Runs `data` through the model with `weights`, `batchSize` samples at a time (`hooks`: see ForwardOptions). */
export async function predict(
  ir: ModelIR,
  weights: readonly NamedArray[],
  data: PredictInputs,
  batchSize = 32,
  hooks: Pick<ForwardOptions, 'nodeInput' | 'nodeOutput'> = {},
): Promise<PredictOutcome> {
  if (!Number.isInteger(batchSize) || batchSize < 1) return { ok: false, message: `the batch size must be a whole number above 0, not ${batchSize}` };
  const problem = checkDataset(ir, { ...data, targets: {} }, 'prediction', false);
  if (problem) return { ok: false, message: problem };
  const built = Model.build(ir, 0);
  if (!built.ok) return { ok: false, message: built.error.message };
  const model = built.model;
  try {
    const loaded = loadWeights(model, weights);
    if (!loaded.ok) return loaded;
    const outputs: Record<string, OutputRows> = {};
    for (const out of ir.outputs) outputs[out.name] = { sampleShape: [], rows: [] };
    for (let start = 0; start < data.count; start += batchSize) {
      const rows = new Int32Array(Math.min(batchSize, data.count - start));
      for (let i = 0; i < rows.length; i++) rows[i] = start + i;
      const inputs: Record<string, Tensor> = {};
      for (const input of ir.inputs) {
        const set = data.inputs[input.name];
        const shape = input.shape.every((d) => typeof d === 'number') ? (input.shape as number[]) : set.sampleShape;
        inputs[input.name] = tensor(gatherRows(set, rows, input.dtype), [rows.length, ...shape], input.dtype);
      }
      try {
        const r = tidy(() => model.forward(inputs, { ...hooks, training: false }));
        if (!r.ok) return { ok: false, message: r.error.message };
        for (const out of ir.outputs) {
          const y = r.outputs[out.name];
          const values = await y.data();
          const per = y.size / rows.length;
          outputs[out.name].sampleShape = [...y.shape.slice(1)];
          for (let i = 0; i < rows.length; i++) outputs[out.name].rows.push(Float32Array.from(values.subarray(i * per, (i + 1) * per)));
        }
        const given = new Set(Object.values(inputs));
        for (const t of Object.values(r.outputs)) if (!given.has(t)) t.dispose();
      } finally {
        for (const t of Object.values(inputs)) t.dispose();
      }
    }
    return { ok: true, outputs };
  } catch (e) {
    return { ok: false, message: `prediction failed: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    model.dispose();
  }
}
