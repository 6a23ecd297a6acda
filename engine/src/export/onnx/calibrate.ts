// Static activation quantization for int8 export. The input of every Dense, Conv1D and
// Conv2D (the MatMul / Conv operands that onnxruntime can run on integer kernels) gets a
// QuantizeLinear -> DequantizeLinear pair with one uint8 scale and zero point per tensor,
// calibrated here: the engine runs the float model on a seeded sample of the training data
// (at most CALIBRATION_ROWS rows) and records each such input's min and max, widened to
// contain 0 (so 0, the padding value, is exact), as onnxruntime's MinMax calibrator does.
// `fakeQuantize` is QuantizeLinear then DequantizeLinear exactly as ONNX defines them
// (x / scale rounded half to even, plus the zero point, saturated to [0, 255]; then
// (q - zero point) * scale), so the engine can simulate what the int8 model computes.

import type { IRNode, ModelIR } from '../../../catalog/ir';
import { Rng } from '../../rng';
import { tensor, type Tensor } from '../../tensor';
import { shuffledOrder, subset } from '../../train/dataset';
import { predict } from '../../train/predict';
import type { Dataset, NamedArray } from '../../train/types';

/** Layers whose (first) input is quantized statically. */
export const STATIC_QUANT_OPS: ReadonlySet<string> = new Set(['Dense', 'Conv1D', 'Conv2D']);

export const CALIBRATION_ROWS = 512;

/** One activation's uint8 quantization: q = clamp(round(x / scale) + zeroPoint, 0, 255). */
export interface ActivationQuant {
  scale: number;
  zeroPoint: number;
  /** The calibrated range (before it is widened to contain 0). */
  min: number;
  max: number;
}

/** By IR node id: the quantization of that node's input. */
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

function quantized(ir: ModelIR): Set<string> {
  return new Set(ir.nodes.filter((n) => STATIC_QUANT_OPS.has(n.op)).map((n) => n.id));
}

export type CalibrationOutcome = { ok: true; rows: number; quants: Map<string, ActivationQuant> } | { ok: false; message: string };

/** Runs the float model on `data` and quantizes each statically quantized input by its range. */
export async function calibrate(ir: ModelIR, weights: readonly NamedArray[], data: Dataset): Promise<CalibrationOutcome> {
  const ids = quantized(ir);
  const ranges = new Map<string, { min: number; max: number }>();
  const record = (node: IRNode, index: number, x: Tensor): Tensor => {
    if (index !== 0 || !ids.has(node.id)) return x;
    const values = x.dataSync();
    const r = ranges.get(node.id) ?? { min: Infinity, max: -Infinity };
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
    ranges.set(node.id, r);
    return x;
  };
  const run = await predict(ir, weights, data, 128, record);
  if (!run.ok) return run;
  const quants = new Map<string, ActivationQuant>();
  for (const [id, r] of ranges) if (Number.isFinite(r.min) && Number.isFinite(r.max)) quants.set(id, activationQuant(r.min, r.max));
  return { ok: true, rows: data.count, quants };
}

/** A forward hook that fake-quantizes each calibrated input, so the engine computes what the int8 model does. */
export function simulateQuants(quants: ActivationQuants): (node: IRNode, index: number, x: Tensor) => Tensor {
  return (node, index, x) => {
    const p = index === 0 ? quants.get(node.id) : undefined;
    if (!p) return x;
    return tensor(fakeQuantize(x.dataSync(), p), x.shape);
  };
}
