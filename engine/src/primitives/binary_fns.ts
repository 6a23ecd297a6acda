// Every elementwise binary function once, as an expression of its operands a and b (see
// expr.ts): the CPU reference is generated from it and the WGSL kernels emitted from it.
// Comparisons give 1 or 0, and 0 when either operand is NaN; in max and min a NaN in
// either operand wins. (WGSL's all-int32 variant is exact integer code, in the kernel.)

import { a, b, div, eq, ge, isNan, le, lt, mul, or, sub, add, when } from './expr';
import type { Expr } from './expr';

export const BINARY_FNS = {
  add: add(a, b),
  sub: sub(a, b),
  mul: mul(a, b),
  div: div(a, b),
  max: when(or(isNan(a), ge(a, b)), a, b),
  min: when(or(isNan(a), le(a, b)), a, b),
  ge: when(ge(a, b), 1, 0),
  lt: when(lt(a, b), 1, 0),
  eq: when(eq(a, b), 1, 0),
} satisfies Record<string, Expr>;

export type BinaryFn = keyof typeof BINARY_FNS;

export const BINARY_FN_NAMES = Object.keys(BINARY_FNS) as BinaryFn[];
