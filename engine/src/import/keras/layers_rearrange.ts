// Keras's padding, cropping and up-sampling layers as Netspec calls: the inverse of
// engine/src/export/keras/topology_rearrange.ts. Keras saves the amounts as
// ((top, bottom), (left, right)) for 2D and (start, end) for 1D; the call is written in the
// shortest form that means the same (k, (rows, columns), or the nested pairs), and left out
// where it is the catalog's default.

import { isObject, type GraphLayer, type Json } from './graph';
import type { MappedLayer } from './layers';

/** Both amounts of each axis: [[before, after], ...], or null when the value is not one. */
function amounts(v: Json | undefined, axes: number): [number, number][] | null {
  const pairOf = (x: Json): [number, number] | null => {
    if (typeof x === 'number') return [x, x];
    if (Array.isArray(x) && x.length === 2 && typeof x[0] === 'number' && typeof x[1] === 'number') return [x[0], x[1]];
    return null;
  };
  if (typeof v === 'number') return Array.from({ length: axes }, () => [v, v]);
  if (axes === 1) {
    const p = v === undefined || v === null || isObject(v) ? null : pairOf(v);
    return p ? [p] : null;
  }
  if (!Array.isArray(v) || v.length !== 2) return null;
  const ps = v.map(pairOf);
  return ps.every((p) => p !== null) ? (ps as [number, number][]) : null;
}

/** The shortest Netspec spelling of the amounts, or null for the default. */
function amountText(ends: [number, number][], def: number): string | null {
  const flat = ends.flat();
  if (flat.every((d) => d === flat[0])) return flat[0] === def ? null : String(flat[0]);
  if (ends.length === 1) return `(${flat.join(', ')})`;
  if (ends.every(([a, b]) => a === b)) return `(${ends.map(([a]) => a).join(', ')})`;
  return `(${ends.map(([a, b]) => `(${a}, ${b})`).join(', ')})`;
}

/** A ZeroPadding or Cropping layer as its Netspec call, or the reason it cannot be one. */
export function mapEdgeLayer(layer: GraphLayer, rank: number, notes: string[]): MappedLayer | string {
  const c = layer.config;
  const op = layer.className;
  const two = op.endsWith('2D');
  if (two && c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last') {
    return `data_format=${JSON.stringify(c.data_format)} is not supported (Netspec computes channels_last)`;
  }
  const arg = op.startsWith('Zero') ? 'padding' : 'cropping';
  const keras2DDefault = arg === 'padding' ? 1 : 0;
  const ends = c[arg] === undefined ? amounts(two ? keras2DDefault : 1, two ? 2 : 1) : amounts(c[arg], two ? 2 : 1);
  if (!ends) return `its ${arg} is not a number, a pair or a pair of pairs`;
  const text = amountText(ends, two ? keras2DDefault : 1);
  return { calls: [{ op, text: `${op}(${text ?? ''})`, weights: [] }], rank, notes };
}

/** An UpSampling layer as its Netspec call, or the reason it cannot be one. */
export function mapUpSampling(layer: GraphLayer, rank: number, notes: string[]): MappedLayer | string {
  const c = layer.config;
  const op = layer.className;
  if (op === 'UpSampling1D') {
    const size = c.size ?? 2;
    if (typeof size !== 'number') return 'its size is not a number';
    return { calls: [{ op, text: `${op}(${size === 2 ? '' : size})`, weights: [] }], rank, notes };
  }
  if (c.data_format !== undefined && c.data_format !== null && c.data_format !== 'channels_last') {
    return `data_format=${JSON.stringify(c.data_format)} is not supported (Netspec computes channels_last)`;
  }
  const size = amounts(c.size ?? 2, 1)?.[0] ?? null;
  if (!size) return 'its size is not a number or a pair';
  const interpolation = c.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') return `interpolation=${JSON.stringify(interpolation)} is not supported (Netspec has nearest and bilinear)`;
  const args = [size[0] === 2 && size[1] === 2 ? null : size[0] === size[1] ? String(size[0]) : `(${size.join(', ')})`];
  if (interpolation === 'bilinear') {
    args.push('interpolation=bilinear');
    notes.push(`UpSampling2D ${layer.name}: bilinear interpolates with half-pixel centres, as Keras does (TensorFlow.js's own layer does not)`);
  }
  const text = args.filter((a) => a !== null).join(', ');
  return { calls: [{ op, text: `${op}(${text})`, weights: [] }], rank, notes };
}
