// Gradient rules, one per primitive: given a recorded node and the gradient of its output,
// return the gradient of each input (null where none flows: indices, masks, constants).
// Rules are written in the engine's own ops, so they run on whichever backend is active.

import type { OpAttrs } from '../backend';
import { GRAD_FROM_OUTPUT } from '../backend';
import * as o from '../ops/math';
import type { Tensor } from '../tensor';
import { apply } from './tape';
import type { NodeOp, TapeNode } from './tape';

export type GradRule = (node: TapeNode, dy: Tensor) => (Tensor | null)[];

function attrs<K extends keyof OpAttrs>(node: TapeNode): OpAttrs[K] {
  return node.attrs as OpAttrs[K];
}

function binaryRule(node: TapeNode, dy: Tensor): (Tensor | null)[] {
  const [a, b] = node.inputs;
  const y = node.output;
  const to = (g: Tensor, t: Tensor) => o.sumTo(g, t.shape);
  switch (attrs<'binary'>(node).fn) {
    case 'add': return [to(dy, a), to(dy, b)];
    case 'sub': return [to(dy, a), to(o.neg(dy), b)];
    case 'mul': return [to(o.mul(dy, b), a), to(o.mul(dy, a), b)];
    case 'div': return [to(o.div(dy, b), a), to(o.neg(o.div(o.mul(dy, y), b)), b)];
    case 'max': return [to(o.mul(dy, o.binary(a, b, 'ge')), a), to(o.mul(dy, o.binary(a, b, 'lt')), b)];
    case 'min': return [to(o.mul(dy, o.binary(b, a, 'ge')), a), to(o.mul(dy, o.binary(b, a, 'lt')), b)];
    default: return [null, null];
  }
}

/** Sums g over leading batch axes it has beyond `shape` (a matrix operand shared by a batch). */
function unbatch(g: Tensor, shape: readonly number[]): Tensor {
  return g.rank === shape.length ? g : o.sum(g, g.shape.slice(0, g.rank - shape.length).map((_d, i) => i));
}

function matmulRule(node: TapeNode, dy: Tensor): (Tensor | null)[] {
  const [a, b, bias] = node.inputs;
  const { transA, transB, activation } = attrs<'matmul'>(node);
  const y = node.output;
  const g = activation === 'linear' ? dy : apply('unary_grad', [y, y, dy], { fn: activation });
  let da: Tensor;
  let db: Tensor;
  if (!transA && !transB) {
    da = o.matmul(g, b, { transB: true });
    db = o.matmul(a, g, { transA: true });
  } else if (!transA && transB) {
    da = o.matmul(g, b);
    db = o.matmul(g, a, { transA: true });
  } else if (transA && !transB) {
    da = o.matmul(b, g, { transB: true });
    db = o.matmul(a, g);
  } else {
    da = o.matmul(b, g, { transA: true, transB: true });
    db = o.matmul(g, a, { transA: true, transB: true });
  }
  const grads: (Tensor | null)[] = [unbatch(da, a.shape), unbatch(db, b.shape)];
  if (bias) grads.push(o.sumTo(g, bias.shape));
  return grads;
}

function reduceRule(node: TapeNode, dy: Tensor): (Tensor | null)[] {
  const [x] = node.inputs;
  const { fn, axes } = attrs<'reduce'>(node);
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
}

function softmaxRule(node: TapeNode, dy: Tensor): (Tensor | null)[] {
  const y = node.output;
  if (attrs<'softmax'>(node).log) return [o.sub(dy, o.mul(o.exp(y), o.sum(dy, -1, true)))];
  return [o.mul(y, o.sub(dy, o.sum(o.mul(dy, y), -1, true)))];
}

function concatRule(node: TapeNode, dy: Tensor): (Tensor | null)[] {
  const { axis } = attrs<'concat'>(node);
  let offset = 0;
  return node.inputs.map((t) => {
    const begin = t.shape.map((_d, i) => (i === axis ? offset : 0));
    offset += t.shape[axis];
    return o.slice(dy, begin, [...t.shape]);
  });
}

const none: GradRule = (node) => node.inputs.map(() => null);

export const GRAD_RULES: Record<NodeOp, GradRule> = {
  unary: (node, dy) => {
    const a = attrs<'unary'>(node);
    const x = GRAD_FROM_OUTPUT.has(a.fn) ? node.output : node.inputs[0];
    return [apply('unary_grad', [x, node.output, dy], a)];
  },
  binary: binaryRule,
  reduce: reduceRule,
  broadcast: (node, dy) => [o.sumTo(dy, node.inputs[0].shape)],
  softmax: softmaxRule,
  matmul: matmulRule,
  conv2d: (node, dy) => {
    const [x, w] = node.inputs;
    const { stride, padding } = attrs<'conv2d'>(node);
    return [
      apply('conv2d_grad_input', [dy, w], { stride, padding, inputShape: [...x.shape] }),
      apply('conv2d_grad_filter', [x, dy], { stride, padding, filterShape: [...w.shape] }),
    ];
  },
  pool2d: (node, dy) => [apply('pool2d_grad', [node.inputs[0], node.output, dy], attrs<'pool2d'>(node))],
  gather: (node, dy) => [apply('scatter_add', [node.inputs[1], dy], { rows: node.inputs[0].shape[0] }), null],
  transpose: (node, dy) => {
    const { perm } = attrs<'transpose'>(node);
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [o.transpose(dy, inverse)];
  },
  concat: concatRule,
  slice: (node, dy) => [apply('slice_grad', [dy], { begin: attrs<'slice'>(node).begin, shape: [...node.inputs[0].shape] })],
  reshape: (node, dy) => [o.reshape(dy, node.inputs[0].shape)],
  unary_grad: none,
  conv2d_grad_input: none,
  conv2d_grad_filter: none,
  pool2d_grad: none,
  scatter_add: none,
  one_hot: none,
  dropout_mask: none,
  slice_grad: none,
  fill: none,
  cast: none,
};
