// The elementwise family: unary functions and their derivatives, binary functions with
// broadcasting, reductions, broadcast, softmax, fill and cast. Attributes, shape, dtype and
// gradient of each op.

import type { BinaryFn, DType } from '../backend';
import type { TapeNode } from '../autograd/tape';
import type { Tensor } from '../tensor';
import { broadcastShapes } from './geometry';
import type { GradKit, OpTable } from './spec';
import { GRAD_FROM_OUTPUT } from './unary_fns';
import type { UnaryFn } from './unary_fns';
import { firstDType } from './spec';

export type ReduceFn = 'sum' | 'mean' | 'max';

export interface ElementwiseAttrs {
  /** Output = fn(x). */
  unary: { fn: UnaryFn; alpha?: number; beta?: number };
  /** Inputs (x, y, dy) -> dx = dy * fn'(x); y = fn(x) is given so output-based rules are cheap. */
  unary_grad: { fn: UnaryFn; alpha?: number; beta?: number };
  binary: { fn: BinaryFn };
  /** Reduces `axes` (non-negative, sorted); keepdims keeps them as size 1. */
  reduce: { fn: ReduceFn; axes: number[]; keepdims: boolean };
  /** Broadcasts the input to `shape` (NumPy rules). */
  broadcast: { shape: number[] };
  /** Softmax or log-softmax over the last axis, max-subtracted for stability. */
  softmax: { log: boolean };
  /** A tensor of `shape` filled with `value`. */
  fill: { shape: number[]; value: number; dtype: DType };
  /** Converts between float32 and int32 (truncating toward zero). */
  cast: { dtype: DType };
}

const same = (inputs: readonly (readonly number[])[]): number[] => [...inputs[0]];

function binaryGrad(node: TapeNode<'binary'>, dy: Tensor, needs: readonly boolean[], { o }: GradKit): (Tensor | null)[] {
  const [a, b] = node.inputs;
  const y = node.output;
  const to = (g: Tensor, t: Tensor) => o.sumTo(g, t.shape);
  const [na, nb] = needs;
  switch (node.attrs.fn) {
    case 'add': return [na ? to(dy, a) : null, nb ? to(dy, b) : null];
    case 'sub': return [na ? to(dy, a) : null, nb ? to(o.neg(dy), b) : null];
    case 'mul': return [na ? to(o.mul(dy, b), a) : null, nb ? to(o.mul(dy, a), b) : null];
    case 'div': return [na ? to(o.div(dy, b), a) : null, nb ? to(o.neg(o.div(o.mul(dy, y), b)), b) : null];
    case 'max': return [na ? to(o.mul(dy, o.binary(a, b, 'ge')), a) : null, nb ? to(o.mul(dy, o.binary(a, b, 'lt')), b) : null];
    case 'min': return [na ? to(o.mul(dy, o.binary(b, a, 'ge')), a) : null, nb ? to(o.mul(dy, o.binary(b, a, 'lt')), b) : null];
    default: return [null, null];
  }
}

export const ELEMENTWISE_OPS: OpTable<keyof ElementwiseAttrs> = {
  unary: {
    shape: same,
    dtype: firstDType,
    grad: (node, dy, _needs, { apply }) => {
      const x = GRAD_FROM_OUTPUT.has(node.attrs.fn) ? node.output : node.inputs[0];
      return [apply('unary_grad', [x, node.output, dy], node.attrs)];
    },
  },
  unary_grad: { shape: (inputs) => [...inputs[2]], dtype: firstDType, grad: null },
  binary: { shape: (inputs) => broadcastShapes(inputs[0], inputs[1]), dtype: firstDType, grad: binaryGrad },
  reduce: {
    shape: ([x], { axes, keepdims }) => {
      const out: number[] = [];
      x.forEach((d, i) => {
        if (!axes.includes(i)) out.push(d);
        else if (keepdims) out.push(1);
      });
      return out;
    },
    dtype: firstDType,
    grad: (node, dy, _needs, { o }) => {
      const [x] = node.inputs;
      const { fn, axes } = node.attrs;
      const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
      const g = o.broadcastTo(o.reshape(dy, keptShape), x.shape);
      if (fn === 'sum') return [g];
      if (fn === 'mean') {
        const count = axes.reduce((p, a) => p * x.shape[a], 1);
        return [o.affine(g, 1 / count)];
      }
      // Max: split the gradient evenly among tied maxima, as TF does.
      const mask = o.binary(x, o.reshape(node.output, keptShape), 'eq');
      const ties = o.sum(mask, axes, true);
      return [o.mul(g, o.div(mask, ties))];
    },
  },
  broadcast: { shape: (_inputs, { shape }) => [...shape], dtype: firstDType, grad: (node, dy, _needs, { o }) => [o.sumTo(dy, node.inputs[0].shape)] },
  softmax: {
    shape: same,
    dtype: firstDType,
    grad: (node, dy, _needs, { o }) => {
      const y = node.output;
      if (node.attrs.log) return [o.sub(dy, o.mul(o.exp(y), o.sum(dy, -1, true)))];
      return [o.mul(y, o.sub(dy, o.sum(o.mul(dy, y), -1, true)))];
    },
  },
  fill: { shape: (_inputs, { shape }) => [...shape], dtype: (_inputs, { dtype }) => dtype, grad: null },
  cast: { shape: same, dtype: (_inputs, { dtype }) => dtype, grad: null },
};
