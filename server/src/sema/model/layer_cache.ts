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

import type { DType, Shape } from '../../../../engine/catalog/shape';
import { isLayerCall, type ResolvedArgs, type WeightSpec } from '../../../../engine/catalog/types';
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

/**
 * What a layer call's outcome depends on. It is compared field by field (after a 32-bit hash
 * picks the bucket) rather than written out as a string key, which would cost a string per
 * call to build and hash. The arrays are the call's own and are never changed afterwards.
 */
export interface LayerKey {
  hash: number;
  layer: string;
  /** The bound value of each declared argument, by spec index (undefined when absent). */
  values: readonly (PVal | undefined)[];
  shapes: readonly Shape[];
  dtypes: readonly DType[];
}

export class LayerCache {
  private readonly buckets = new Map<number, { key: LayerKey; value: ResolvedLayer }[]>();
  private size = 0;

  get(key: LayerKey): ResolvedLayer | undefined {
    const bucket = this.buckets.get(key.hash);
    if (bucket) for (const e of bucket) if (sameKey(e.key, key)) return e.value;
    return undefined;
  }

  set(key: LayerKey, value: ResolvedLayer): void {
    if (this.size >= MAX_ENTRIES) return;
    this.size++;
    const bucket = this.buckets.get(key.hash);
    if (bucket) bucket.push({ key, value });
    else this.buckets.set(key.hash, [{ key, value }]);
  }
}

function mix(h: number, x: number): number {
  return (Math.imul(h ^ x, 0x01000193) + 0x9e3779b9) | 0;
}

function stringHash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function numberHash(v: number): number {
  // Equal numbers hash alike (0 and -0 too; the comparison tells them apart).
  return Number.isInteger(v) ? v | 0 : Math.floor(v * 1048576) | 0;
}

function valueHash(v: PVal | undefined): number {
  switch (typeof v) {
    case 'undefined':
      return 1;
    case 'number':
      return mix(2, numberHash(v));
    case 'boolean':
      return v ? 3 : 4;
    case 'string':
      return mix(5, stringHash(v));
    default: {
      if (Array.isArray(v)) {
        let h = 6;
        for (const x of v) h = mix(h, numberHash(x));
        return h;
      }
      // A layer call as a value (Bidirectional's LSTM(...)): rare, so its JSON text is the key.
      if (isLayerCall(v)) return mix(8, stringHash(JSON.stringify(v)));
      return mix(7, stringHash(v.sym));
    }
  }
}

/** Same value: same type, numbers compared with Object.is (so 0 and -0 differ). */
function sameValue(a: PVal | undefined, b: PVal | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (typeof a !== 'object') return a === b;
  const bo = b as number[] | { sym: string };
  if (isLayerCall(a) || isLayerCall(b)) return isLayerCall(a) && isLayerCall(b) && JSON.stringify(a) === JSON.stringify(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(bo) || bo.length !== a.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], bo[i])) return false;
    return true;
  }
  return !Array.isArray(bo) && !isLayerCall(a) && !isLayerCall(bo) && a.sym === bo.sym;
}

function sameKey(a: LayerKey, b: LayerKey): boolean {
  if (a.layer !== b.layer || a.values.length !== b.values.length || a.shapes.length !== b.shapes.length) return false;
  for (let i = 0; i < a.values.length; i++) if (!sameValue(a.values[i], b.values[i])) return false;
  for (let i = 0; i < a.shapes.length; i++) {
    if (a.dtypes[i] !== b.dtypes[i]) return false;
    const x = a.shapes[i];
    const y = b.shapes[i];
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
  }
  return true;
}

/**
 * The key of a layer call: the layer, each declared argument's bound value (or its
 * absence), and each input's dtype and shape. Inputs with an unknown shape are never keyed.
 */
export function layerKey(layer: string, bound: BoundCall, inputs: readonly { shape: Shape | null; dtype: DType }[]): LayerKey | null {
  let hash = stringHash(layer);
  for (let i = 0; i < bound.values.length; i++) hash = mix(hash, valueHash(bound.values[i]));
  const shapes: Shape[] = [];
  const dtypes: DType[] = [];
  for (const t of inputs) {
    if (!t.shape) return null;
    hash = mix(hash, t.dtype === 'int32' ? 11 : 13);
    for (const d of t.shape) hash = mix(hash, typeof d === 'number' ? d | 0 : stringHash(d));
    hash = mix(hash, 17);
    shapes.push(t.shape);
    dtypes.push(t.dtype);
  }
  return { hash, layer, values: bound.values, shapes, dtypes };
}
