// Every elementwise unary function once: its value y = f(x) and its derivative f'(x), which
// may read x, y and the attributes alpha and beta. The CPU reference (generated into
// cpu/elementwise_generated.ts by scripts/gen_elementwise.ts) and the WGSL kernels are both emitted
// from these expressions, so a new function is one entry here.
//
// A NaN input gives NaN in every function (relu and clip included), as in Keras and
// TensorFlow.js, so a NaN weight or activation is never hidden behind a plausible 0.

import type { Expr } from './expr';
import { add, alpha, and, beta, call, div, ge, gt, isNan, le, lt, mul, neg, num, or, readsX, sub, when, x, y, zero } from './expr';

export interface UnaryDef {
  value: Expr;
  derivative: Expr;
}

const erfForm = (v: Expr): Expr => add(1, call('erf', mul(v, Math.SQRT1_2)));

/**
 * `alpha`/`beta` parameterise some: leaky_relu and elu use alpha as the slope/scale; `affine`
 * is x*alpha + beta; `clip` clamps to [alpha, beta]; `pow` is x^alpha. gelu is the exact
 * erf form (Keras `approximate=False`).
 */
export const UNARY_FNS = {
  relu: { value: when(or(isNan(x), gt(x, 0)), x, 0), derivative: when(gt(y, 0), 1, 0) },
  sigmoid: { value: call('sigmoid', x), derivative: mul(y, sub(1, y)) },
  tanh: { value: call('tanh', x), derivative: sub(1, mul(y, y)) },
  gelu: {
    value: mul(mul(0.5, x), erfForm(x)),
    derivative: add(mul(0.5, erfForm(x)), mul(mul(x, 1 / Math.sqrt(2 * Math.PI)), call('exp', mul(mul(-0.5, x), x)))),
  },
  silu: {
    value: mul(x, call('sigmoid', x)),
    derivative: mul(call('sigmoid', x), add(1, mul(x, sub(1, call('sigmoid', x))))),
  },
  elu: { value: when(gt(x, 0), x, mul(alpha, sub(call('exp', x), 1))), derivative: when(gt(x, 0), 1, mul(alpha, call('exp', x))) },
  leaky_relu: { value: when(gt(x, 0), x, mul(alpha, x)), derivative: when(gt(x, 0), 1, alpha) },
  exp: { value: call('exp', x), derivative: y },
  log: { value: call('log', x), derivative: div(1, x) },
  neg: { value: neg(x), derivative: num(-1) },
  sqrt: { value: call('sqrt', x), derivative: div(0.5, y) },
  abs: { value: call('abs', x), derivative: call('sign', x) },
  square: { value: mul(x, x), derivative: mul(2, x) },
  sign: { value: call('sign', x), derivative: zero },
  affine: { value: add(mul(x, alpha), beta), derivative: alpha },
  clip: { value: when(lt(x, alpha), alpha, when(gt(x, beta), beta, x)), derivative: when(and(ge(x, alpha), le(x, beta)), 1, 0) },
  pow: { value: call('pow', x, alpha), derivative: mul(alpha, call('pow', x, sub(alpha, 1))) },
} satisfies Record<string, UnaryDef>;

export type UnaryFn = keyof typeof UNARY_FNS;

export const UNARY_FN_NAMES = Object.keys(UNARY_FNS) as UnaryFn[];

export function isUnaryFn(name: string): name is UnaryFn {
  return Object.prototype.hasOwnProperty.call(UNARY_FNS, name);
}

/** Unary functions whose derivative can be written from the output y alone. */
export const GRAD_FROM_OUTPUT: ReadonlySet<UnaryFn> = new Set(UNARY_FN_NAMES.filter((fn) => !readsX(UNARY_FNS[fn].derivative)));
