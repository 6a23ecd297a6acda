// Weight-only int8 quantization, per channel and symmetric: for each output channel c,
// scale_c = max|w_c| / 127 (1 for an all-zero channel) and q = round(w / scale_c) clamped to
// [-127, 127]; the runtime's DequantizeLinear gives back q * scale_c in float32. Kernels are
// quantized per output unit (their last axis; attention's query/key/value kernels [D, h, k]
// per (h, k) column), embedding tables per row; biases and normalisation parameters stay
// float. `dequantizedWeights` gives the same values in the engine's layout, so the engine
// can measure what quantization costs and the tests can compare it with the int8 model.
// Also the layout helpers the builder applies to float and int8 data alike.

import type { ModelIR } from '../../../catalog/ir';
import type { NamedArray } from '../../train/types';

export interface QuantPlan {
  /** Channels on the trailing axes (`count` columns) or the leading axis (`count` rows). */
  channels: 'last' | 'first';
  count: number;
}

const ATTENTION_PROJECTIONS = new Set(['query/kernel', 'key/kernel', 'value/kernel']);

/** How int8 export quantizes the weight `local` ("kernel", "query/kernel", ...) of a node. */
export function quantPlan(local: string, shape: readonly number[]): QuantPlan | null {
  if (local === 'embeddings') return { channels: 'first', count: shape[0] };
  if (local === 'kernel' || local === 'recurrent_kernel' || local.endsWith('/kernel') || local.endsWith('/recurrent_kernel')) {
    const count = ATTENTION_PROJECTIONS.has(local) && shape.length === 3 ? shape[1] * shape[2] : shape[shape.length - 1];
    return { channels: 'last', count };
  }
  return null;
}

export interface Quantized {
  q: Int8Array;
  scale: Float32Array;
  /** q * scale in float32, in the input's layout. */
  dequantized: Float32Array;
}

export function quantizeChannels(data: Float32Array, plan: QuantPlan): Quantized {
  const n = data.length;
  const per = n / plan.count;
  const channelOf = plan.channels === 'last' ? (i: number) => i % plan.count : (i: number) => Math.floor(i / per);
  const maxAbs = new Float64Array(plan.count);
  for (let i = 0; i < n; i++) {
    const c = channelOf(i);
    const a = Math.abs(data[i]);
    if (a > maxAbs[c]) maxAbs[c] = a;
  }
  const scale = new Float32Array(plan.count);
  for (let c = 0; c < plan.count; c++) scale[c] = maxAbs[c] > 0 ? maxAbs[c] / 127 : 1;
  const q = new Int8Array(n);
  const dequantized = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = scale[channelOf(i)];
    const v = Math.max(-127, Math.min(127, Math.round(data[i] / s)));
    q[i] = v;
    dequantized[i] = v * s;
  }
  return { q, scale, dequantized };
}

/** The model's weights with every quantizable one replaced by its dequantized values. */
export function dequantizedWeights(ir: ModelIR, weights: readonly NamedArray[]): NamedArray[] {
  const plans = new Map<string, QuantPlan | null>();
  for (const node of ir.nodes) for (const w of node.weights) plans.set(`${node.id}/${w.name}`, quantPlan(w.name, w.shape));
  return weights.map((w) => {
    const plan = plans.get(w.name);
    return plan ? { ...w, data: quantizeChannels(w.data, plan).dequantized } : w;
  });
}

type Values = Float32Array | Int8Array;

/** Splits the last axis into groups.length equal groups and puts old group groups[g] at g. */
export function reorderGroups<T extends Values>(data: T, shape: readonly number[], groups: readonly number[]): T {
  const last = shape[shape.length - 1];
  const size = last / groups.length;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let row = 0; row < data.length / last; row++) {
    for (let g = 0; g < groups.length; g++) {
      const from = row * last + groups[g] * size;
      out.set(data.subarray(from, from + size) as never, row * last + g * size);
    }
  }
  return out;
}

/** Transposes row-major `data` of `shape` by `perm` (output axis i is input axis perm[i]). */
export function permute<T extends Values>(data: T, shape: readonly number[], perm: readonly number[]): { data: T; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < data.length; o++) {
    let src = 0;
    for (let i = 0; i < rank; i++) src += idx[i] * strides[i];
    out[o] = data[src];
    for (let i = rank - 1; i >= 0; i--) {
      if (++idx[i] < outShape[i]) break;
      idx[i] = 0;
    }
  }
  return { data: out, shape: outShape };
}
