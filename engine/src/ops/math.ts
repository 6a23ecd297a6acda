// The tensor operations the layers, losses and gradient rules are written in: thin wrappers
// that turn a call into one primitive (`apply`) with its attributes, plus a few compositions
// (sumTo, scalar arithmetic). Axis arguments accept negatives, counted from the end.

import type { BinaryFn, UnaryFn } from '../backend';
import { apply, reshape } from '../autograd/tape';
import { isUnaryFn } from '../primitives/unary_fns';
import { Tensor } from '../tensor';

export { reshape };

function axisOf(rank: number, axis: number): number {
  return axis < 0 ? rank + axis : axis;
}

export function unary(x: Tensor, fn: UnaryFn, alpha?: number, beta?: number): Tensor {
  return apply('unary', [x], { fn, alpha, beta });
}

export const relu = (x: Tensor): Tensor => unary(x, 'relu');
export const sigmoid = (x: Tensor): Tensor => unary(x, 'sigmoid');
export const tanh = (x: Tensor): Tensor => unary(x, 'tanh');
export const gelu = (x: Tensor): Tensor => unary(x, 'gelu');
export const silu = (x: Tensor): Tensor => unary(x, 'silu');
export const elu = (x: Tensor, alpha = 1): Tensor => unary(x, 'elu', alpha);
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => unary(x, 'leaky_relu', alpha);
export const exp = (x: Tensor): Tensor => unary(x, 'exp');
export const log = (x: Tensor): Tensor => unary(x, 'log');
export const neg = (x: Tensor): Tensor => unary(x, 'neg');
export const sqrt = (x: Tensor): Tensor => unary(x, 'sqrt');
export const abs = (x: Tensor): Tensor => unary(x, 'abs');
export const square = (x: Tensor): Tensor => unary(x, 'square');
export const sign = (x: Tensor): Tensor => unary(x, 'sign');
/** x * scale + shift. */
export const affine = (x: Tensor, scale: number, shift = 0): Tensor => unary(x, 'affine', scale, shift);
export const clip = (x: Tensor, lo: number, hi: number): Tensor => unary(x, 'clip', lo, hi);
export const pow = (x: Tensor, p: number): Tensor => unary(x, 'pow', p);

/**
 * Applies a catalog activation by name ('softmax' over the last axis); any other is the
 * unary function of that name, so an activation added to the expression table needs nothing here.
 */
export function activation(x: Tensor, name: string, alpha?: number): Tensor {
  switch (name) {
    case 'linear': return x;
    case 'softmax': return softmax(x);
    case 'elu': return elu(x, alpha ?? 1);
    case 'leaky_relu': return leakyRelu(x, alpha ?? 0.01);
  }
  if (!isUnaryFn(name)) throw new Error(`unknown activation ${name}`);
  return unary(x, name);
}

export function binary(a: Tensor, b: Tensor, fn: BinaryFn): Tensor {
  return apply('binary', [a, b], { fn });
}

export const add = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'add');
export const sub = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'sub');
export const mul = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'mul');
export const div = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'div');
export const maximum = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'max');
export const minimum = (a: Tensor, b: Tensor): Tensor => binary(a, b, 'min');

/** A tensor of `shape` filled with value. */
export function fill(shape: readonly number[], value: number, dtype: 'float32' | 'int32' = 'float32'): Tensor {
  return apply('fill', [], { shape: [...shape], value, dtype });
}

export function scalar(value: number): Tensor {
  return fill([], value);
}

function normAxes(x: Tensor, axes?: number | number[]): number[] {
  if (axes === undefined) return x.shape.map((_d, i) => i);
  const list = Array.isArray(axes) ? axes : [axes];
  return [...new Set(list.map((a) => axisOf(x.rank, a)))].sort((p, q) => p - q);
}

export function sum(x: Tensor, axes?: number | number[], keepdims = false): Tensor {
  return apply('reduce', [x], { fn: 'sum', axes: normAxes(x, axes), keepdims });
}

export function mean(x: Tensor, axes?: number | number[], keepdims = false): Tensor {
  return apply('reduce', [x], { fn: 'mean', axes: normAxes(x, axes), keepdims });
}

export function max(x: Tensor, axes?: number | number[], keepdims = false): Tensor {
  return apply('reduce', [x], { fn: 'max', axes: normAxes(x, axes), keepdims });
}

export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  return apply('broadcast', [x], { shape: [...shape] });
}

/** Sums a broadcast result back down to `shape` (the adjoint of broadcasting). */
export function sumTo(x: Tensor, shape: readonly number[]): Tensor {
  if (x.shape.length === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && x.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(x, axes, false), shape);
}

/** Softmax over the last axis; another axis is moved last and back. */
export function softmax(x: Tensor, axis = -1): Tensor {
  return overLastAxis(x, axis, (t) => apply('softmax', [t], { log: false }));
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return overLastAxis(x, axis, (t) => apply('softmax', [t], { log: true }));
}

function overLastAxis(x: Tensor, axis: number, f: (t: Tensor) => Tensor): Tensor {
  const ax = axisOf(x.rank, axis);
  if (ax === x.rank - 1) return f(x);
  const perm = x.shape.map((_d, i) => i);
  perm[ax] = x.rank - 1;
  perm[x.rank - 1] = ax;
  return transpose(f(transpose(x, perm)), perm);
}

export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  bias?: Tensor;
  activation?: 'linear' | 'relu' | 'sigmoid' | 'tanh';
}

/** a @ b over the last two axes, batched over leading axes (b may be a plain matrix). */
export function matmul(a: Tensor, b: Tensor, o: MatmulOptions = {}): Tensor {
  const inputs = o.bias ? [a, b, o.bias] : [a, b];
  return apply('matmul', inputs, { transA: o.transA ?? false, transB: o.transB ?? false, activation: o.activation ?? 'linear' });
}

export function transpose(x: Tensor, perm?: number[]): Tensor {
  const p = perm ?? x.shape.map((_d, i) => x.rank - 1 - i);
  return apply('transpose', [x], { perm: p });
}

export function concat(xs: Tensor[], axis = -1): Tensor {
  return apply('concat', xs, { axis: axisOf(xs[0].rank, axis) });
}

export function slice(x: Tensor, begin: number[], size: number[]): Tensor {
  const s = size.map((d, i) => (d === -1 ? x.shape[i] - begin[i] : d));
  return apply('slice', [x], { begin, size: s });
}

/** x placed at `begin` inside zeros of `shape`: zero padding (slice's adjoint). */
export function pad(x: Tensor, begin: number[], shape: number[]): Tensor {
  return apply('slice_grad', [x], { begin, shape });
}

export function cast(x: Tensor, dtype: 'float32' | 'int32'): Tensor {
  return apply('cast', [x], { dtype });
}

export function oneHot(indices: Tensor, depth: number): Tensor {
  return apply('one_hot', [indices], { depth });
}
