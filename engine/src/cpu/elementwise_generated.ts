// Generated from engine/src/primitives/unary_fns.ts and binary_fns.ts by
// `npx tsx scripts/gen_elementwise.ts`; do not edit.

import type { BinaryFn } from '../primitives/binary_fns';
import type { UnaryFn } from '../primitives/unary_fns';
import { erf, sigmoid } from './math_fns';

/** y = f(x). */
export const UNARY_VALUE: Record<UnaryFn, (x: number, alpha: number, beta: number) => number> = {
  relu: (x, alpha, beta) => ((x !== x || x > 0) ? x : 0),
  sigmoid: (x, alpha, beta) => sigmoid(x),
  tanh: (x, alpha, beta) => Math.tanh(x),
  gelu: (x, alpha, beta) => ((0.5 * x) * (1 + erf((x * 0.7071067811865476)))),
  silu: (x, alpha, beta) => (x * sigmoid(x)),
  elu: (x, alpha, beta) => (x > 0 ? x : (alpha * (Math.exp(x) - 1))),
  leaky_relu: (x, alpha, beta) => (x > 0 ? x : (alpha * x)),
  exp: (x, alpha, beta) => Math.exp(x),
  log: (x, alpha, beta) => Math.log(x),
  neg: (x, alpha, beta) => (-x),
  sqrt: (x, alpha, beta) => Math.sqrt(x),
  abs: (x, alpha, beta) => Math.abs(x),
  square: (x, alpha, beta) => (x * x),
  sign: (x, alpha, beta) => Math.sign(x),
  affine: (x, alpha, beta) => ((x * alpha) + beta),
  clip: (x, alpha, beta) => (x < alpha ? alpha : (x > beta ? beta : x)),
  pow: (x, alpha, beta) => Math.pow(x, alpha),
};

/** f'(x), given x and y = f(x). */
export const UNARY_DERIVATIVE: Record<UnaryFn, (x: number, y: number, alpha: number, beta: number) => number> = {
  relu: (x, y, alpha, beta) => (y > 0 ? 1 : 0),
  sigmoid: (x, y, alpha, beta) => (y * (1 - y)),
  tanh: (x, y, alpha, beta) => (1 - (y * y)),
  gelu: (x, y, alpha, beta) => ((0.5 * (1 + erf((x * 0.7071067811865476)))) + ((x * 0.3989422804014327) * Math.exp((((-0.5) * x) * x)))),
  silu: (x, y, alpha, beta) => (sigmoid(x) * (1 + (x * (1 - sigmoid(x))))),
  elu: (x, y, alpha, beta) => (x > 0 ? 1 : (alpha * Math.exp(x))),
  leaky_relu: (x, y, alpha, beta) => (x > 0 ? 1 : alpha),
  exp: (x, y, alpha, beta) => y,
  log: (x, y, alpha, beta) => (1 / x),
  neg: (x, y, alpha, beta) => (-1),
  sqrt: (x, y, alpha, beta) => (0.5 / y),
  abs: (x, y, alpha, beta) => Math.sign(x),
  square: (x, y, alpha, beta) => (2 * x),
  sign: (x, y, alpha, beta) => 0,
  affine: (x, y, alpha, beta) => alpha,
  clip: (x, y, alpha, beta) => ((x >= alpha && x <= beta) ? 1 : 0),
  pow: (x, y, alpha, beta) => (alpha * Math.pow(x, (alpha - 1))),
};

/** c = f(a, b). */
export const BINARY_VALUE: Record<BinaryFn, (a: number, b: number) => number> = {
  add: (a, b) => (a + b),
  sub: (a, b) => (a - b),
  mul: (a, b) => (a * b),
  div: (a, b) => (a / b),
  max: (a, b) => ((a !== a || a >= b) ? a : b),
  min: (a, b) => ((a !== a || a <= b) ? a : b),
  ge: (a, b) => (a >= b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  eq: (a, b) => (a === b ? 1 : 0),
};
