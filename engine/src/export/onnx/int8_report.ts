// What int8 costs, measured with the engine itself: the model's forward on the validation
// data with the float weights and with the dequantized weights, the calibrated activations
// fake-quantized (QuantizeLinear then DequantizeLinear, exactly what the int8 ONNX model
// computes), compared per output: accuracy for a classifier output (cross_entropy,
// argmax over the last axis against the class targets) and the largest absolute change of
// any output value.

import type { ModelIR } from '../../../catalog/ir';
import type { TrainIR } from '../../../catalog/train_ir';
import { predict, type OutputRows } from '../../train/predict';
import type { Dataset } from '../../data/dataset';
import type { NamedArray } from '../../train/types';
import { simulateQuants, type ActivationQuants } from './calibrate';
import { dequantizedWeights } from './quantize';

export interface OutputChange {
  /** Accuracy with float and with int8 weights (classifier outputs only). */
  floatAccuracy?: number;
  int8Accuracy?: number;
  accuracyChange?: number;
  maxAbsChange: number;
}

export type Int8Measure = { ok: true; samples: number; outputs: Record<string, OutputChange> } | { ok: false; message: string };

function lossOf(train: TrainIR | null, output: string): string {
  if (!train) return 'mse';
  return typeof train.loss === 'string' ? train.loss : (train.loss[output] ?? 'mse');
}

function accuracy(rows: OutputRows, targets: Int32Array | Float32Array): number {
  const width = rows.sampleShape[rows.sampleShape.length - 1] ?? 1;
  let right = 0;
  let total = 0;
  rows.rows.forEach((row, i) => {
    const positions = row.length / width;
    for (let p = 0; p < positions; p++) {
      let best = 0;
      for (let k = 1; k < width; k++) if (row[p * width + k] > row[p * width + best]) best = k;
      if (best === targets[i * positions + p]) right++;
      total++;
    }
  });
  return total ? right / total : 0;
}

/** The int8 model's outputs as the engine simulates them (`acts`: calibrated activations; none for weight-only). */
export function predictInt8(ir: ModelIR, weights: readonly NamedArray[], data: Dataset, acts?: ActivationQuants): ReturnType<typeof predict> {
  return predict(ir, dequantizedWeights(ir, weights), data, 256, acts && acts.size ? simulateQuants(acts) : {});
}

export async function measureInt8(ir: ModelIR, train: TrainIR | null, weights: readonly NamedArray[], data: Dataset, acts?: ActivationQuants): Promise<Int8Measure> {
  const float = await predict(ir, weights, data, 256);
  if (!float.ok) return float;
  const int8 = await predictInt8(ir, weights, data, acts);
  if (!int8.ok) return int8;
  const outputs: Record<string, OutputChange> = {};
  for (const out of ir.outputs) {
    const a = float.outputs[out.name];
    const b = int8.outputs[out.name];
    let maxAbsChange = 0;
    a.rows.forEach((row, i) => row.forEach((v, j) => (maxAbsChange = Math.max(maxAbsChange, Math.abs(v - b.rows[i][j])))));
    const change: OutputChange = { maxAbsChange };
    const targets = data.targets[out.name];
    if (lossOf(train, out.name) === 'cross_entropy' && targets && (a.sampleShape[a.sampleShape.length - 1] ?? 1) > 1) {
      change.floatAccuracy = accuracy(a, targets.data);
      change.int8Accuracy = accuracy(b, targets.data);
      change.accuracyChange = change.int8Accuracy - change.floatAccuracy;
    }
    outputs[out.name] = change;
  }
  return { ok: true, samples: data.count, outputs };
}
