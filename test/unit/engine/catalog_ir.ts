// Model IR for the engine tests, built the way the checker builds it: arguments resolved
// with the catalog's defaults (size2 as pairs, "stride defaults to pool" filled in), each
// node's shape, dtype and weights from the catalog's own shape rule. Also one fixed sample
// call per catalog layer and a generator of random valid configurations, so the tests can
// hold the engine to the catalog's predictions far from the hand-picked cases.

import { findLayer, IR_VERSION } from '../../../engine/catalog';
import type { IRInput, IRNode, ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { ArgSpec, ResolvedArgs } from '../../../engine/catalog/types';
import { sizeOf } from './helpers';

export interface Sample {
  args: ResolvedArgs;
  /** Per-sample input shapes (no batch axis). */
  inputs: { shape: number[]; dtype?: DType }[];
}

/** One call of each layer with the required arguments filled in. */
export const SAMPLES: Record<string, Sample> = {
  Dense: { args: { units: 3, activation: 'silu' }, inputs: [{ shape: [4] }] },
  Dropout: { args: { rate: 0.5 }, inputs: [{ shape: [5] }] },
  Conv2D: { args: { filters: 2, kernel: [3, 3], padding: 'same', stride: [2, 2] }, inputs: [{ shape: [5, 5, 2] }] },
  Conv1D: { args: { filters: 2, kernel: 3 }, inputs: [{ shape: [6, 2] }] },
  Conv2DTranspose: { args: { filters: 2, kernel: [3, 2], padding: 'same', stride: [2, 3] }, inputs: [{ shape: [3, 2, 2] }] },
  Conv1DTranspose: { args: { filters: 2, kernel: 3, stride: 2 }, inputs: [{ shape: [4, 2] }] },
  DepthwiseConv2D: { args: { kernel: [3, 3], padding: 'same', stride: [2, 2], depth_multiplier: 2 }, inputs: [{ shape: [5, 5, 2] }] },
  SeparableConv2D: { args: { filters: 3, kernel: [2, 3], depth_multiplier: 2 }, inputs: [{ shape: [4, 5, 2] }] },
  MaxPool2D: { args: {}, inputs: [{ shape: [4, 5, 2] }] },
  AvgPool2D: { args: { padding: 'same' }, inputs: [{ shape: [5, 5, 2] }] },
  MaxPool1D: { args: {}, inputs: [{ shape: [6, 2] }] },
  AvgPool1D: { args: { pool: 3, stride: 1 }, inputs: [{ shape: [6, 2] }] },
  GlobalAvgPool2D: { args: {}, inputs: [{ shape: [3, 3, 2] }] },
  GlobalMaxPool2D: { args: {}, inputs: [{ shape: [3, 3, 2] }] },
  GlobalAvgPool1D: { args: {}, inputs: [{ shape: [4, 2] }] },
  GlobalMaxPool1D: { args: {}, inputs: [{ shape: [4, 2] }] },
  Flatten: { args: {}, inputs: [{ shape: [2, 3, 2] }] },
  Reshape: { args: { target: [3, -1] }, inputs: [{ shape: [6] }] },
  BatchNorm: { args: {}, inputs: [{ shape: [3] }] },
  LayerNorm: { args: {}, inputs: [{ shape: [2, 4] }] },
  ReLU: { args: {}, inputs: [{ shape: [3] }] },
  Sigmoid: { args: {}, inputs: [{ shape: [3] }] },
  Tanh: { args: {}, inputs: [{ shape: [3] }] },
  GELU: { args: {}, inputs: [{ shape: [3] }] },
  SiLU: { args: {}, inputs: [{ shape: [3] }] },
  ELU: { args: {}, inputs: [{ shape: [3] }] },
  LeakyReLU: { args: {}, inputs: [{ shape: [3] }] },
  Softmax: { args: {}, inputs: [{ shape: [2, 3] }] },
  Embedding: { args: { vocab: 10, dim: 3 }, inputs: [{ shape: [4], dtype: 'int32' }] },
  PositionEmbedding: { args: { max_len: 6 }, inputs: [{ shape: [4, 3] }] },
  SimpleRNN: { args: { units: 3 }, inputs: [{ shape: [4, 2] }] },
  LSTM: { args: { units: 3, return_sequences: true }, inputs: [{ shape: [4, 2] }] },
  GRU: { args: { units: 3 }, inputs: [{ shape: [4, 2] }] },
  MultiHeadAttention: { args: { heads: 2, causal: true }, inputs: [{ shape: [4, 6] }] },
  Add: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Multiply: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Concat: { args: {}, inputs: [{ shape: [2, 3] }, { shape: [2, 1] }] },
  Subtract: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Average: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }, { shape: [3] }] },
  Maximum: { args: {}, inputs: [{ shape: [2, 3] }, { shape: [2, 3] }] },
  Minimum: { args: {}, inputs: [{ shape: [3] }, { shape: [3] }] },
  Rescaling: { args: { scale: 0.5, offset: -1 }, inputs: [{ shape: [2, 3] }] },
  Activation: { args: { activation: 'softmax' }, inputs: [{ shape: [2, 3] }] },
  ZeroPadding2D: { args: { padding: [1, 0, 2, 1] }, inputs: [{ shape: [3, 2, 2] }] }, ZeroPadding1D: { args: { padding: [0, 2] }, inputs: [{ shape: [3, 2] }] },
  Cropping2D: { args: { cropping: [1, 0, 2, 1] }, inputs: [{ shape: [3, 5, 2] }] }, Cropping1D: { args: { cropping: [2, 1] }, inputs: [{ shape: [5, 2] }] },
  UpSampling2D: { args: { size: [2, 3], interpolation: 'nearest' }, inputs: [{ shape: [3, 2, 2] }] }, UpSampling1D: { args: { size: 3 }, inputs: [{ shape: [3, 2] }] },
  RepeatVector: { args: { n: 3 }, inputs: [{ shape: [4] }] }, Permute: { args: { axes: [3, 1, 2] }, inputs: [{ shape: [2, 3, 4] }] },
  Bidirectional: { args: { layer: { op: 'LSTM', args: { units: 3, return_sequences: true } }, merge: 'concat' }, inputs: [{ shape: [4, 2] }] },
};

/** The args with the catalog's defaults applied, as the checker does. */
export function resolve(op: string, given: ResolvedArgs): ResolvedArgs {
  const spec = findLayer(op)!;
  const out: ResolvedArgs = {};
  for (const a of spec.args) {
    const v = given[a.name] ?? a.default;
    out[a.name] = a.type === 'size2' && typeof v === 'number' ? [v, v] : v;
  }
  for (const a of spec.args) {
    if (out[a.name] === undefined && a.defaultText && out[a.defaultText] !== undefined) out[a.name] = out[a.defaultText];
  }
  return out;
}

/** A node from the catalog's shape rule, or the rule's message when the call is invalid. */
export function inferNode(id: string, op: string, given: ResolvedArgs, inputs: { id: string; shape: number[]; dtype: DType }[]): IRNode | string {
  const args = resolve(op, given);
  const r = findLayer(op)!.infer(inputs.map((i) => ({ name: i.id, shape: i.shape as Shape, dtype: i.dtype })), args);
  if (!r.ok) return `${op}: ${r.issue.message}`;
  return { id, op, args, inputs: inputs.map((i) => i.id), shape: r.shape, dtype: r.dtype, weights: r.weights, line: 0 };
}

/** Builds a ModelIR from inputs and nodes, counting parameters as the checker does. */
export function modelIR(name: string, inputs: IRInput[], nodes: IRNode[], output: string): ModelIR {
  const weights = nodes.flatMap((n) => n.weights);
  return {
    version: IR_VERSION,
    name,
    inputs,
    nodes,
    outputs: [{ name: 'y', tensor: output }],
    params: weights.reduce((s, w) => s + sizeOf(w.shape), 0),
    trainableParams: weights.filter((w) => w.trainable).reduce((s, w) => s + sizeOf(w.shape), 0),
  };
}

/** A model of one layer applied to inputs x0, x1, ...; throws if the sample is invalid. */
export function oneLayerIR(op: string, sample: Sample): ModelIR {
  const inputs: IRInput[] = sample.inputs.map((s, i) => ({ name: `x${i}`, shape: s.shape as Shape, dtype: s.dtype ?? 'float32' }));
  const node = inferNode('layer', op, sample.args, inputs.map((i) => ({ id: i.name, shape: i.shape as number[], dtype: i.dtype })));
  if (typeof node === 'string') throw new Error(node);
  return modelIR(op, inputs, [node], 'layer');
}

const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

function dims(r: () => number, rank: number, hi = 4): number[] {
  return Array.from({ length: rank }, () => int(r, 1, hi));
}

/** Random per-sample input shapes of the kind each layer takes. */
function randomInputs(op: string, r: () => number): Sample['inputs'] {
  const category = findLayer(op)!.category;
  if (op === 'Embedding') return [{ shape: dims(r, int(r, 1, 2)), dtype: 'int32' }];
  if (op === 'Dense') return [{ shape: dims(r, int(r, 1, 2), 6) }];
  if (op === 'MultiHeadAttention') return Array.from({ length: int(r, 1, 2) }, () => ({ shape: [int(r, 1, 5), int(r, 1, 6)] }));
  if (category === 'merge') {
    const shape = dims(r, int(r, 1, 3));
    return Array.from({ length: int(r, 2, 3) }, () => ({ shape: op === 'Concat' ? shape.map((d, i) => (i === shape.length - 1 ? int(r, 1, 4) : d)) : [...shape] }));
  }
  if (/2D/.test(op)) return [{ shape: [int(r, 1, 7), int(r, 1, 7), int(r, 1, 3)] }];
  if (/1D/.test(op) || category === 'recurrent' || op === 'PositionEmbedding') return [{ shape: [int(r, 1, 6), int(r, 1, 4)] }];
  return [{ shape: dims(r, int(r, 1, 3)) }];
}

/** A random value for one argument, or undefined to take the default. */
function randomArg(a: ArgSpec, r: () => number): ResolvedArgs[string] {
  if (!a.required && r() < 0.4) return undefined;
  switch (a.type) {
    case 'int': {
      const lo = a.min === undefined ? 1 : a.min + (a.minExclusive ? 1 : 0);
      return int(r, lo, lo + 4);
    }
    case 'float': {
      const lo = a.min ?? 0;
      const hi = a.max ?? lo + 0.5;
      return lo + (hi - lo) * (0.05 + 0.9 * r());
    }
    case 'bool':
      return r() < 0.5;
    case 'enum':
      return a.values![int(r, 0, a.values!.length - 1)];
    case 'size2':
      return r() < 0.5 ? int(r, 1, 3) : [int(r, 1, 3), int(r, 1, 3)];
    case 'pad2':
      return r() < 0.5 ? int(r, 0, 2) : [int(r, 0, 2), int(r, 0, 2), int(r, 0, 2), int(r, 0, 2)];
    case 'layer': {
      // A call of one of the layers it takes, with its own arguments drawn the same way.
      const op = a.values![int(r, 0, a.values!.length - 1)];
      const args: ResolvedArgs = {};
      for (const inner of findLayer(op)!.args) args[inner.name] = randomArg(inner, r);
      return { op, args: resolve(op, args) };
    }
    default:
      return undefined;
  }
}

/** A random valid call of `op` (the catalog's shape rule accepts it); concat's axis varies. */
export function randomSample(op: string, r: () => number): Sample {
  const spec = findLayer(op)!;
  for (let attempt = 0; attempt < 500; attempt++) {
    let inputs = randomInputs(op, r);
    const args: ResolvedArgs = {};
    for (const a of spec.args) args[a.name] = randomArg(a, r);
    const rank = inputs[0].shape.length;
    if (op === 'Softmax' || op === 'Concat') args.axis = int(r, -rank, rank - 1);
    if (op === 'Concat') {
      const ax = (args.axis as number) < 0 ? (args.axis as number) + rank : (args.axis as number);
      const base = inputs[0].shape;
      inputs = inputs.map(() => ({ shape: base.map((d, i) => (i === ax ? int(r, 1, 4) : d)) }));
    }
    if (op === 'Permute') args.axes = inputs[0].shape.map((_d, i) => ({ axis: i + 1, key: r() })).sort((a, b) => a.key - b.key).map((a) => a.axis);
    if (op === 'PositionEmbedding') args.max_len = inputs[0].shape[0] + int(r, 0, 3);
    if (op === 'Reshape') {
      const n = sizeOf(inputs[0].shape);
      const divisors = Array.from({ length: n }, (_v, i) => i + 1).filter((d) => n % d === 0);
      const d = divisors[int(r, 0, divisors.length - 1)];
      const target = r() < 0.5 ? [d, n / d] : [n / d, 1, d];
      if (r() < 0.5) target[int(r, 0, target.length - 1)] = -1;
      args.target = target;
    }
    const sample = { args, inputs };
    const node = inferNode('layer', op, args, inputs.map((s, i) => ({ id: `x${i}`, shape: s.shape, dtype: s.dtype ?? 'float32' })));
    if (typeof node !== 'string') return sample;
  }
  throw new Error(`no valid random configuration of ${op} in 500 attempts`);
}
