// Gradient rules, one per primitive: given a recorded node, the gradient of its output and
// which inputs need a gradient (those on the tape: never model inputs, targets or
// constants), return the gradient of each input (null where none flows or none is needed,
// so a first layer's gradient with respect to the data is never computed). Rules are
// written in the engine's own ops, so they run on whichever backend is active.

import type { OpAttrs } from '../backend';
import { GRAD_FROM_OUTPUT } from '../backend';
import * as o from '../ops/math';
import type { Tensor } from '../tensor';
import { apply } from './tape';
import type { NodeOp, TapeNode } from './tape';

/** `needs[j]`: whether input j takes a gradient; a rule returns null where it is false. */
export type GradRule = (node: TapeNode, dy: Tensor, needs: readonly boolean[]) => (Tensor | null)[];

/** Every input needs a gradient (rules called without a mask). */
const ALL: readonly boolean[] = [true, true, true];

function attrs<K extends keyof OpAttrs>(node: TapeNode): OpAttrs[K] {
  return node.attrs as OpAttrs[K];
}

function binaryRule(node: TapeNode, dy: Tensor, needs: readonly boolean[] = ALL): (Tensor | null)[] {
  const [a, b] = node.inputs;
  const y = node.output;
  const to = (g: Tensor, t: Tensor) => o.sumTo(g, t.shape);
  const [na, nb] = needs;
  switch (attrs<'binary'>(node).fn) {
    case 'add': return [na ? to(dy, a) : null, nb ? to(dy, b) : null];
    case 'sub': return [na ? to(dy, a) : null, nb ? to(o.neg(dy), b) : null];
    case 'mul': return [na ? to(o.mul(dy, b), a) : null, nb ? to(o.mul(dy, a), b) : null];
    case 'div': return [na ? to(o.div(dy, b), a) : null, nb ? to(o.neg(o.div(o.mul(dy, y), b)), b) : null];
    case 'max': return [na ? to(o.mul(dy, o.binary(a, b, 'ge')), a) : null, nb ? to(o.mul(dy, o.binary(a, b, 'lt')), b) : null];
    case 'min': return [na ? to(o.mul(dy, o.binary(b, a, 'ge')), a) : null, nb ? to(o.mul(dy, o.binary(b, a, 'lt')), b) : null];
    default: return [null, null];
  }
}

/** Sums g over leading batch axes it has beyond `shape` (a matrix operand shared by a batch). */
function unbatch(g: Tensor, shape: readonly number[]): Tensor {
  return g.rank === shape.length ? g : o.sum(g, g.shape.slice(0, g.rank - shape.length).map((_d, i) => i));
}

function matmulRule(node: TapeNode, dy: Tensor, needs: readonly boolean[] = ALL): (Tensor | null)[] {
  const [a, b, bias] = node.inputs;
  const { transA, transB, activation } = attrs<'matmul'>(node);
  const y = node.output;
  const g = activation === 'linear' ? dy : apply('unary_grad', [y, y, dy], { fn: activation });
  let da: Tensor | null = null;
  let db: Tensor | null = null;
  if (!transA && !transB) {
    if (needs[0]) da = o.matmul(g, b, { transB: true });
    if (needs[1]) db = o.matmul(a, g, { transA: true });
  } else if (!transA && transB) {
    if (needs[0]) da = o.matmul(g, b);
    if (needs[1]) db = o.matmul(g, a, { transA: true });
  } else if (transA && !transB) {
    if (needs[0]) da = o.matmul(b, g, { transB: true });
    if (needs[1]) db = o.matmul(a, g);
  } else {
    if (needs[0]) da = o.matmul(b, g, { transA: true, transB: true });
    if (needs[1]) db = o.matmul(g, a, { transA: true, transB: true });
  }
  const grads: (Tensor | null)[] = [da && unbatch(da, a.shape), db && unbatch(db, b.shape)];
  if (bias) grads.push(needs[2] ? o.sumTo(g, bias.shape) : null);
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

function concatRule(node: TapeNode, dy: Tensor, needs: readonly boolean[]): (Tensor | null)[] {
  const { axis } = attrs<'concat'>(node);
  let offset = 0;
  return node.inputs.map((t, j) => {
    const begin = t.shape.map((_d, i) => (i === axis ? offset : 0));
    offset += t.shape[axis];
    return needs[j] ? o.slice(dy, begin, [...t.shape]) : null;
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
  conv2d: (node, dy, needs) => {
    const [x, w] = node.inputs;
    const { stride, padding } = attrs<'conv2d'>(node);
    return [
      needs[0] ? apply('conv2d_grad_input', [dy, w], { stride, padding, inputShape: [...x.shape] }) : null,
      needs[1] ? apply('conv2d_grad_filter', [x, dy], { stride, padding, filterShape: [...w.shape] }) : null,
    ];
  },
  pool2d: (node, dy) => [apply('pool2d_grad', [node.inputs[0], node.output, dy], attrs<'pool2d'>(node))],
  gather: (node, dy, needs) => [needs[0] ? apply('scatter_add', [node.inputs[1], dy], { rows: node.inputs[0].shape[0] }) : null, null],
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
