// How much memory training will take, before it starts: weights, gradients, optimizer
// state and activations, in bytes, so the editor and the CLI can say "this needs 3.1 GB
// but the GPU allows 2 GB; lower batch_size" instead of failing on the device mid-run.
// Symbolic sizes ("seq", "ceil(h/2)") are resolved from the sample shapes the data gives
// for each input. An estimate, not a measurement: it ignores the buffer pool's spare
// buffers and the run's weight snapshots (one or two more copies of the weights).

import type { ModelIR } from '../../catalog/ir';
import { evalDim } from '../../catalog/shape';
import type { TrainIR } from '../../catalog/train_ir';
import { argDefaults, byName, OPTIMIZERS } from '../../catalog/train/index';
import type { MemoryEstimate, TrainError } from './types';

const FLOAT_BYTES = 4;
const MB = 1024 * 1024;

/** The estimate, plus the symbolic sizes it could not resolve (each counted as 1). */
export type MemoryEstimateResult = MemoryEstimate & { unresolved: string[] };

/**
 * Bytes to train `ir` at `config.batchSize`: every weight (float32); one gradient per
 * trainable weight; the optimizer's state tensors per trainable weight (its catalog entry's
 * `slots`: two for adam, none for sgd without momentum); and every node's output for the batch, twice
 * (the forward value and its gradient in the backward pass). `inputShapes` gives each
 * input's sample shape, from which symbolic sizes are read.
 */
export function estimateTrainingMemory(ir: ModelIR, config: TrainIR, inputShapes: Record<string, readonly number[]> = {}): MemoryEstimateResult {
  let weights = 0;
  let trainable = 0;
  for (const node of ir.nodes) {
    for (const w of node.weights) {
      const n = w.shape.reduce((p, d) => p * d, 1);
      weights += n;
      if (w.trainable) trainable += n;
    }
  }
  const opt = byName(OPTIMIZERS, config.optimizer.name);
  const slots = opt ? opt.slots({ ...argDefaults(opt), ...config.optimizer.args }) : 0;
  const symbols = bindSymbols(ir, inputShapes);
  const unresolved = new Set<string>();
  let activations = 0;
  for (const node of ir.nodes) {
    let n = 1;
    for (const d of node.shape) {
      const v = evalDim(d, symbols);
      if (v === null) unresolved.add(String(d));
      else n *= v;
    }
    activations += n;
  }
  const estimate = {
    weights: weights * FLOAT_BYTES,
    gradients: trainable * FLOAT_BYTES,
    optimizer: slots * trainable * FLOAT_BYTES,
    activations: activations * config.batchSize * FLOAT_BYTES * 2,
  };
  const total = estimate.weights + estimate.gradients + estimate.optimizer + estimate.activations;
  return { ...estimate, total, unresolved: [...unresolved] };
}

/** Null when `estimate` fits in `limitBytes`; else an out-of-memory error giving both sizes in MB (2^20 bytes). */
export function checkFits(estimate: MemoryEstimate, limitBytes: number): TrainError | null {
  if (estimate.total <= limitBytes) return null;
  const mb = (b: number): string => `${(b / MB).toFixed(1)} MB`;
  return {
    code: 'out-of-memory',
    message:
      `training needs about ${mb(estimate.total)} (weights ${mb(estimate.weights)}, gradients ${mb(estimate.gradients)}, ` +
      `optimizer state ${mb(estimate.optimizer)}, activations ${mb(estimate.activations)}), but only ${mb(limitBytes)} is available; ` +
      'try a smaller batch_size or a smaller model',
  };
}

/** Symbol values read from inputs whose IR shape names a size symbolically ("seq" → 20). */
function bindSymbols(ir: ModelIR, inputShapes: Record<string, readonly number[]>): Map<string, number> {
  const symbols = new Map<string, number>();
  for (const input of ir.inputs) {
    const actual = inputShapes[input.name];
    if (!actual || actual.length !== input.shape.length) continue;
    input.shape.forEach((d, i) => {
      if (typeof d === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(d)) symbols.set(d, actual[i]);
    });
  }
  return symbols;
}

