// Static activation quantization for int8 export. The input of every Dense, Conv1D and
// Conv2D (the MatMul / Conv operands that onnxruntime can run on integer kernels) gets a
// QuantizeLinear -> DequantizeLinear pair with one uint8 scale and zero point per tensor;
// so does a convolution's output (after its activation, before the transpose back to NHWC),
// so that onnxruntime finds DequantizeLinear -> Conv -> QuantizeLinear and makes a
// QLinearConv of it (Dense needs no output pair: the next layer's input pair plays that
// part). The ranges are calibrated here: the engine runs the float model on a seeded sample
// of the training data (at most CALIBRATION_ROWS rows) and records each such tensor's min
// and max, widened to contain 0 (so 0, the padding value, is exact), as onnxruntime's
// MinMax calibrator does. `fakeQuantize` is QuantizeLinear then DequantizeLinear exactly as
// ONNX defines them (x / scale rounded half to even, plus the zero point, saturated to
// [0, 255]; then (q - zero point) * scale), so the engine can simulate what the int8 model
// computes.

import type { ModelIR } from '../../../catalog/ir';
import type { ForwardOptions } from '../../model';
import { Rng } from '../../rng';
import { tensor, type Tensor } from '../../tensor';
import { predict } from '../../train/predict';
import { shuffledOrder, subset, type Dataset } from '../../data/dataset';
import type { NamedArray } from '../../train/types';

/** Layers whose (first) input is quantized statically. */
export const STATIC_QUANT_OPS: ReadonlySet<string> = new Set(['Dense', 'Conv1D', 'Conv2D']);
/** Layers whose output is quantized statically too. */
export const STATIC_OUTPUT_OPS: ReadonlySet<string> = new Set(['Conv1D', 'Conv2D']);

/** The key of a quantized activation: a node's input is its id, a node's output `id:output`. */
export function outputKey(id: string): string {
  return `${id}:output`;
}

export const CALIBRATION_ROWS = 512;

/** One activation's uint8 quantization: q = clamp(round(x / scale) + zeroPoint, 0, 255). */
export interface ActivationQuant {
  scale: number;
  zeroPoint: number;
  /** The calibrated range (before it is widened to contain 0). */
  min: number;
  max: number;
}

/** By key (see outputKey): the quantization of a node's input or output. */
export type ActivationQuants = ReadonlyMap<string, ActivationQuant>;

/** Scale (a float32) and zero point of the uint8 range covering [min(min, 0), max(max, 0)]. */
export function activationQuant(min: number, max: number): ActivationQuant {
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (!(hi > lo)) return { scale: 1, zeroPoint: 0, min, max };
  const scale = Math.fround((hi - lo) / 255);
  const zeroPoint = Math.max(0, Math.min(255, roundHalfEven(-lo / scale)));
  return { scale, zeroPoint, min, max };
}

export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** QuantizeLinear then DequantizeLinear (uint8, per tensor), in float32. */
export function fakeQuantize(x: ArrayLike<number>, p: ActivationQuant): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const q = Math.max(0, Math.min(255, roundHalfEven(Math.fround(x[i] / p.scale)) + p.zeroPoint));
    out[i] = (q - p.zeroPoint) * p.scale;
  }
  return out;
}

/** Up to `max` rows of `data`, drawn without replacement by a seeded shuffle (all when fewer). */
export function calibrationSample(data: Dataset, max: number, seed: number): Dataset {
  if (data.count <= max) return data;
  const order = shuffledOrder(data.count, new Rng(seed, 0xca1b));
  return subset(data, order.subarray(0, max));
}

export type CalibrationOutcome = { ok: true; rows: number; quants: Map<string, ActivationQuant> } | { ok: false; message: string };

/** Runs the float model on `data` and quantizes each statically quantized tensor by its range. */
export async function calibrate(ir: ModelIR, weights: readonly NamedArray[], data: Dataset): Promise<CalibrationOutcome> {
  const ranges = new Map<string, { min: number; max: number }>();
  const record = (key: string, x: Tensor): Tensor => {
    const values = x.dataSync();
    const r = ranges.get(key) ?? { min: Infinity, max: -Infinity };
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
    ranges.set(key, r);
    return x;
  };
  const run = await predict(ir, weights, data, 128, {
    nodeInput: (node, index, x) => (index === 0 && STATIC_QUANT_OPS.has(node.op) ? record(node.id, x) : x),
    nodeOutput: (node, y) => (STATIC_OUTPUT_OPS.has(node.op) ? record(outputKey(node.id), y) : y),
  });
  if (!run.ok) return run;
  const quants = new Map<string, ActivationQuant>();
  for (const [key, r] of ranges) if (Number.isFinite(r.min) && Number.isFinite(r.max)) quants.set(key, activationQuant(r.min, r.max));
  return { ok: true, rows: data.count, quants };
}

/** Forward hooks that fake-quantize each calibrated tensor, so the engine computes what the int8 model does. */
export function simulateQuants(quants: ActivationQuants): Pick<ForwardOptions, 'nodeInput' | 'nodeOutput'> {
  const fake = (p: ActivationQuant | undefined, x: Tensor): Tensor => (p ? tensor(fakeQuantize(x.dataSync(), p), x.shape) : x);
  return {
    nodeInput: (node, index, x) => fake(index === 0 ? quants.get(node.id) : undefined, x),
    nodeOutput: (node, y) => fake(quants.get(outputKey(node.id)), y),
  };
}
