// Ops that move elements without arithmetic on them: gather and its adjoint, one-hot,
// dropout masks, transpose, concat, slice and its adjoint.

import type { GradKit, OpTable } from './spec';
import { firstDType } from './spec';

export interface IndexingAttrs {
  /** table [V, D], indices int32 [...] -> [..., D]; an index outside [0, V) yields zeros. */
  gather: Record<string, never>;
  /** indices int32 [...], dy [..., D] -> [rows, D] with dy rows added at their indices. */
  scatter_add: { rows: number };
  /** indices int32 [...] -> float32 [..., depth] with a 1 at each index. */
  one_hot: { depth: number };
  /**
   * A dropout mask of `shape`: 1/(1-rate) where keep, 0 elsewhere, from the counter-based
   * hash `uniform01(seed, step, index)` in rng.ts, so every backend draws the same mask.
   */
  dropout_mask: { shape: number[]; rate: number; seed: number; step: number };
  transpose: { perm: number[] };
  /** Concatenates all inputs along `axis`. */
  concat: { axis: number };
  /** Copies the box at `begin` with `size` out of the input. */
  slice: { begin: number[]; size: number[] };
  /**
   * The adjoint of slice: dy placed at `begin` inside zeros of `shape`. This is also zero
   * padding (ZeroPadding layers), so it has a gradient of its own: the slice back out.
   */
  slice_grad: { begin: number[]; shape: number[] };
}

export const INDEXING_OPS: OpTable<keyof IndexingAttrs> = {
  gather: {
    shape: ([table, indices]) => [...indices, table[1]],
    dtype: firstDType,
    grad: (node, dy, needs, { apply }) => [needs[0] ? apply('scatter_add', [node.inputs[1], dy], { rows: node.inputs[0].shape[0] }) : null, null],
  },
  scatter_add: { shape: ([, dy], { rows }) => [rows, dy[dy.length - 1]], dtype: (inputs) => inputs[1], grad: null },
  one_hot: { shape: ([x], { depth }) => [...x, depth], dtype: () => 'float32', grad: null },
  dropout_mask: { shape: (_inputs, { shape }) => [...shape], dtype: () => 'float32', grad: null },
  transpose: {
    shape: ([x], { perm }) => perm.map((p) => x[p]),
    dtype: firstDType,
    grad: (node, dy, _needs, { o }) => {
      const { perm } = node.attrs;
      const inverse = new Array<number>(perm.length);
      perm.forEach((p, i) => (inverse[p] = i));
      return [o.transpose(dy, inverse)];
    },
  },
  concat: {
    shape: (inputs, { axis }) => {
      const out = [...inputs[0]];
      out[axis] = inputs.reduce((s, t) => s + t[axis], 0);
      return out;
    },
    dtype: firstDType,
    grad: (node, dy, needs, { o }) => {
      const { axis } = node.attrs;
      let offset = 0;
      return node.inputs.map((t, j) => {
        const begin = t.shape.map((_d, i) => (i === axis ? offset : 0));
        offset += t.shape[axis];
        return needs[j] ? o.slice(dy, begin, [...t.shape]) : null;
      });
    },
  },
  slice: {
    shape: (_inputs, { size }) => [...size],
    dtype: firstDType,
    grad: (node, dy, _needs, { apply }) => [apply('slice_grad', [dy], { begin: node.attrs.begin, shape: [...node.inputs[0].shape] })],
  },
  slice_grad: {
    shape: (_inputs, { shape }) => [...shape],
    dtype: firstDType,
    grad: (node, dy, _needs, { o }) => [o.slice(dy, node.attrs.begin, [...node.inputs[0].shape])],
  },
};
