// CPU kernels that move values rather than compute them: gather and its scatter-add
// adjoint, one-hot, the dropout mask, transpose, concat, slice and slice's adjoint.

import { uniform01 } from '../rng';
import type { Kernel } from './kernel';

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export const gather: Kernel<'gather'> = ([table, idx], out) => {
  const [rows, d] = table.shape;
  const o = out.data;
  for (let i = 0; i < idx.data.length; i++) {
    const r = idx.data[i];
    if (r >= 0 && r < rows) o.set(table.data.subarray(r * d, r * d + d), i * d);
    else o.fill(0, i * d, i * d + d);
  }
};

export const scatterAdd: Kernel<'scatter_add'> = ([idx, dy], out, a) => {
  const d = out.shape[1];
  const acc = new Float64Array(out.data.length);
  for (let i = 0; i < idx.data.length; i++) {
    const r = idx.data[i];
    if (r < 0 || r >= a.rows) continue;
    for (let j = 0; j < d; j++) acc[r * d + j] += dy.data[i * d + j];
  }
  out.data.set(acc);
};

export const oneHot: Kernel<'one_hot'> = ([idx], out, a) => {
  out.data.fill(0);
  for (let i = 0; i < idx.data.length; i++) {
    const c = idx.data[i];
    if (c >= 0 && c < a.depth) out.data[i * a.depth + c] = 1;
  }
};

export const dropoutMask: Kernel<'dropout_mask'> = (_inputs, out, a) => {
  const scale = 1 / (1 - a.rate);
  const o = out.data;
  for (let i = 0; i < o.length; i++) o[i] = uniform01(a.seed, a.step, i) >= a.rate ? scale : 0;
};

export const transpose: Kernel<'transpose'> = ([x], out, a) => {
  const inStrides = stridesOf(x.shape);
  const rank = out.shape.length;
  // Stride in the input of each output axis.
  const s = a.perm.map((p) => inStrides[p]);
  const shape = out.shape;
  const idx = new Array<number>(rank).fill(0);
  let ix = 0;
  const o = out.data;
  for (let i = 0; i < o.length; i++) {
    o[i] = x.data[ix];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ix += s[d];
      if (idx[d] < shape[d]) break;
      ix -= s[d] * shape[d];
      idx[d] = 0;
    }
  }
};

export const concat: Kernel<'concat'> = (inputs, out, a) => {
  const outer = out.shape.slice(0, a.axis).reduce((p, d) => p * d, 1);
  const inner = out.shape.slice(a.axis + 1).reduce((p, d) => p * d, 1);
  const outRow = out.shape[a.axis] * inner;
  let offset = 0;
  for (const t of inputs) {
    const row = t.shape[a.axis] * inner;
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * row, o * row + row), o * outRow + offset);
    offset += row;
  }
};

/** Copies between a box of `size` at `begin` in `big` and the dense `small`. */
function copyBox(big: { data: Float32Array | Int32Array; shape: readonly number[] }, small: Float32Array | Int32Array, begin: readonly number[], size: readonly number[], toSmall: boolean): void {
  const rank = size.length;
  const bs = stridesOf(big.shape);
  let base = 0;
  for (let d = 0; d < rank; d++) base += begin[d] * bs[d];
  const idx = new Array<number>(rank).fill(0);
  let ib = base;
  for (let i = 0; i < small.length; i++) {
    if (toSmall) small[i] = big.data[ib];
    else big.data[ib] = small[i];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      ib += bs[d];
      if (idx[d] < size[d]) break;
      ib -= bs[d] * size[d];
      idx[d] = 0;
    }
  }
}

export const slice: Kernel<'slice'> = ([x], out, a) => {
  copyBox(x, out.data, a.begin, a.size, true);
};

export const sliceGrad: Kernel<'slice_grad'> = ([dy], out, a) => {
  out.data.fill(0);
  copyBox(out, dy.data, a.begin, dy.shape, false);
};
