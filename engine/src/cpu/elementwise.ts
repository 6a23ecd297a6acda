// CPU kernels for the elementwise family: unary functions and their derivatives, binary
// functions with broadcasting (each function generated from the expression tables in
// primitives/, see elementwise_generated.ts), reductions, broadcast,
// softmax, fill and cast. These loops define what each op means; a GPU backend must agree
// with them within float32 rounding.

import { broadcastStrides } from '../primitives/geometry';
import type { OpAttrs, UnaryFn } from '../backend';
import type { Kernel } from './kernel';
import { BINARY_VALUE, UNARY_DERIVATIVE, UNARY_VALUE } from './elementwise_generated';

/** y = fn(x), from the expression table (primitives/unary_fns.ts). */
export function unaryFn(fn: UnaryFn, alpha = 0, beta = 0): (x: number) => number {
  const f = UNARY_VALUE[fn];
  return (x) => f(x, alpha, beta);
}

export const unary: Kernel<'unary'> = ([x], out, a) => {
  const f = UNARY_VALUE[a.fn];
  const alpha = a.alpha ?? 0;
  const beta = a.beta ?? 0;
  const xs = x.data;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = f(xs[i], alpha, beta);
};

export const unaryGrad: Kernel<'unary_grad'> = ([x, y, dy], out, a) => {
  const f = UNARY_DERIVATIVE[a.fn];
  const alpha = a.alpha ?? 0;
  const beta = a.beta ?? 0;
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = dy.data[i] * f(x.data[i], y.data[i], alpha, beta);
};

export const binary: Kernel<'binary'> = ([a, b], out, attrs) => {
  const f = BINARY_VALUE[attrs.fn];
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  if (ad.length === o.length && bd.length === o.length) {
    for (let i = 0; i < o.length; i++) o[i] = f(ad[i], bd[i]);
    return;
  }
  if (bd.length === 1 && ad.length === o.length) {
    const v = bd[0];
    for (let i = 0; i < o.length; i++) o[i] = f(ad[i], v);
    return;
  }
  const shape = out.shape;
  const rank = shape.length;
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const idx = new Array<number>(rank).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < o.length; i++) {
    o[i] = f(ad[ia], bd[ib]);
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ia += sa[d];
      ib += sb[d];
      if (idx[d] < shape[d]) break;
      ia -= sa[d] * shape[d];
      ib -= sb[d] * shape[d];
      idx[d] = 0;
    }
  }
};

export const broadcast: Kernel<'broadcast'> = ([x], out) => {
  const shape = out.shape;
  const rank = shape.length;
  const sx = broadcastStrides(x.shape, shape);
  const idx = new Array<number>(rank).fill(0);
  const o = out.data;
  let ix = 0;
  for (let i = 0; i < o.length; i++) {
    o[i] = x.data[ix];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ix += sx[d];
      if (idx[d] < shape[d]) break;
      ix -= sx[d] * shape[d];
      idx[d] = 0;
    }
  }
};

export const reduce: Kernel<'reduce'> = ([x], out, a) => {
  const shape = x.shape;
  const rank = shape.length;
  // Strides of the output indexed by input axes: 0 on reduced axes.
  const so = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (a.axes.includes(d)) continue;
    so[d] = s;
    s *= shape[d];
  }
  const acc = new Float64Array(out.data.length).fill(a.fn === 'max' ? -Infinity : 0);
  const idx = new Array<number>(rank).fill(0);
  const xs = x.data;
  let io = 0;
  const isMax = a.fn === 'max';
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i];
    if (isMax) {
      if (v > acc[io] || Number.isNaN(v)) acc[io] = v;
    } else acc[io] += v;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      io += so[d];
      if (idx[d] < shape[d]) break;
      io -= so[d] * shape[d];
      idx[d] = 0;
    }
  }
  const count = a.fn === 'mean' ? xs.length / Math.max(acc.length, 1) : 1;
  for (let i = 0; i < acc.length; i++) out.data[i] = acc[i] / count;
};

export const softmax: Kernel<'softmax'> = ([x], out, a: OpAttrs['softmax']) => {
  const n = x.shape[x.shape.length - 1] ?? 1;
  const rows = x.data.length / n;
  const xs = x.data;
  const o = out.data;
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (xs[base + j] > m) m = xs[base + j];
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(xs[base + j] - m);
    if (a.log) {
      const lse = Math.log(sum);
      for (let j = 0; j < n; j++) o[base + j] = xs[base + j] - m - lse;
    } else {
      for (let j = 0; j < n; j++) o[base + j] = Math.exp(xs[base + j] - m) / sum;
    }
  }
};

export const fill: Kernel<'fill'> = (_inputs, out, a) => {
  out.data.fill(a.value);
};

export const cast: Kernel<'cast'> = ([x], out) => {
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = out.dtype === 'int32' ? Math.trunc(x.data[i]) : x.data[i];
};
