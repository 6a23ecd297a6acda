// What a layer mapping gets: the builder, the IR node, its inputs' ONNX value names and
// per-sample shapes, and its weights in the engine's layout. A mapping returns the name of
// the value holding the layer's output, or a message when ONNX cannot express the layer.
// Also the activations as ONNX nodes (GELU is the exact erf form the engine computes).

import type { IRNode } from '../../../catalog/ir';
import type { Shape } from '../../../catalog/shape';
import type { ResolvedArgs } from '../../../catalog/types';
import type { NamedArray } from '../../train/types';
import type { GraphBuilder } from './graph_builder';

export interface LayerCtx {
  b: GraphBuilder;
  node: IRNode;
  /** ONNX value names of the node's inputs, in call order. */
  inputs: string[];
  /** Per-sample shapes (no batch axis) of the inputs. */
  shapes: Shape[];
  /** The node's weight by its local name ("kernel", "query/kernel"). */
  weight(local: string): NamedArray;
}

export type LayerMapping = (c: LayerCtx) => string | { error: string };

export function num(args: ResolvedArgs, name: string, fallback: number): number {
  const v = args[name];
  return typeof v === 'number' ? v : fallback;
}

export function str(args: ResolvedArgs, name: string, fallback: string): string {
  const v = args[name];
  return typeof v === 'string' ? v : fallback;
}

export function pair(args: ResolvedArgs, name: string, fallback: [number, number]): [number, number] {
  const v = args[name];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  return fallback;
}

/** The activation `act` applied to `x` (linear: x itself). */
export function activation(b: GraphBuilder, x: string, act: string, base: string, alpha?: number): string {
  switch (act) {
    case 'linear': return x;
    case 'relu': return b.op1('Relu', [x], base);
    case 'sigmoid': return b.op1('Sigmoid', [x], base);
    case 'tanh': return b.op1('Tanh', [x], base);
    case 'softmax': return b.op1('Softmax', [x], base, { axis: -1 });
    case 'elu': return b.op1('Elu', [x], base, { alpha: { f: alpha ?? 1 } });
    case 'leaky_relu': return b.op1('LeakyRelu', [x], base, { alpha: { f: alpha ?? 0.01 } });
    case 'silu': return b.op1('Mul', [x, b.op1('Sigmoid', [x], base)], base);
    case 'gelu': {
      // 0.5 * x * (1 + erf(x / sqrt(2))), as the engine computes it.
      const scaled = b.op1('Mul', [x, b.floats(`${base}/inv_sqrt2`, [], [Math.SQRT1_2])], base);
      const erf1 = b.op1('Add', [b.op1('Erf', [scaled], base), b.floats(`${base}/one`, [], [1])], base);
      const half = b.op1('Mul', [x, b.floats(`${base}/half`, [], [0.5])], base);
      return b.op1('Mul', [half, erf1], base);
    }
    default: throw new Error(`unknown activation ${act}`);
  }
}
