// Remembers, for one check of a file, what a layer call resolved to: its checked arguments,
// its output shape and dtype, its weights, FLOPs and parameter counts. Real files repeat the
// same calls on the same shapes (every `Conv2D(32, 3, padding=same)` on a [32, 32, 3] image),
// and validating the arguments and running the shape rule again costs far more than a lookup.
//
// Only calls that succeeded are kept, and the key holds everything the outcome depends on:
// the layer, the value bound to each argument (after block parameters and sizes are
// resolved) and each input's shape and dtype. A call that reported anything is therefore
// always checked afresh, so its diagnostics are never lost. Cached objects are shared
// between the nodes that hit them; nothing downstream mutates shapes, arguments or weights.

import type { DType, Shape } from '../../../engine/catalog/shape';
import type { ResolvedArgs, WeightSpec } from '../../../engine/catalog/types';
import type { BoundCall, PVal } from './args';

export interface ResolvedLayer {
  /** The arguments as validated (literal defaults filled). */
  args: ResolvedArgs;
  /** The arguments as lowered to IR (computed defaults filled too). */
  irArgs: ResolvedArgs;
  shape: Shape;
  dtype: DType;
  weights: WeightSpec[];
  flops: number | null;
  params: number;
  trainableParams: number;
}

/** Beyond this many distinct calls in one file the cache stops growing. */
const MAX_ENTRIES = 20_000;

export class LayerCache {
  private readonly map = new Map<string, ResolvedLayer>();

  get(key: string): ResolvedLayer | undefined {
    return this.map.get(key);
  }

  set(key: string, value: ResolvedLayer): void {
    if (this.map.size < MAX_ENTRIES) this.map.set(key, value);
  }
}

/** Writes a value so that different values never share a text (the type is tagged). */
function valueKey(v: PVal): string {
  switch (typeof v) {
    case 'number':
      return Object.is(v, -0) ? 'n-0' : `n${v}`;
    case 'boolean':
      return v ? 'T' : 'F';
    case 'string':
      return `s${v.length}:${v}`;
    default:
      if (Array.isArray(v)) {
        let s = 'a';
        for (const x of v) s += Object.is(x, -0) ? '-0,' : `${x},`;
        return s;
      }
      return `y${v.sym.length}:${v.sym}`;
  }
}

/**
 * The key of a layer call: the layer, each declared argument's bound value (or its
 * absence), and each input's dtype and shape. Inputs with an unknown shape are never keyed.
 */
export function layerKey(layer: string, bound: BoundCall, inputs: readonly { shape: Shape | null; dtype: DType }[]): string | null {
  let key = layer;
  for (let i = 0; i < bound.specs.length; i++) {
    const v = bound.values[i];
    key += v === undefined ? '|-' : `|${valueKey(v)}`;
  }
  for (const t of inputs) {
    if (!t.shape) return null;
    key += t.dtype === 'int32' ? '#i' : '#f';
    for (const d of t.shape) key += typeof d === 'number' ? `,${d}` : `,${d.length}:${d}`;
  }
  return key;
}
