// WGSL for the elementwise family: unary functions and their derivatives, and binary
// functions with NumPy broadcasting through per-operand strides, emitted from the
// expression tables the CPU reference is generated from (primitives/unary_fns.ts and
// binary_fns.ts; alpha and beta arrive as uniforms, so one pipeline serves every value);
// fill and cast.

import type { BinaryFn, DeviceTensor, OpAttrs } from '../../backend';
import { emitWgsl } from '../../primitives/emit';
import type { Names } from '../../primitives/emit';
import { BINARY_FNS } from '../../primitives/binary_fns';
import { UNARY_FNS } from '../../primitives/unary_fns';
import { broadcastStrides } from '../../primitives/geometry';
import type { Dispatch, WgslType } from './common';
import { elements, flatGroups, flatMain, loadF32, prelude, toOut, wgslType } from './common';
import { Uniforms } from './uniforms';

/** Helper functions the expressions may call; all stable where the CPU reference is. */
export const MATH = `
fn sigm(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
fn tanh_s(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn erf_nr(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(r - 1.0, 1.0 - r, x >= 0.0);
}
// Non-finite constants go through a var: WGSL rejects them in constant expressions.
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn sign_nan(x: f32) -> f32 { return select(sign(x), x, is_nan(x)); }
fn pow_js(x: f32, a: f32) -> f32 {
  if (a == 0.0) { return 1.0; }
  if (x == 0.0) { return select(0.0, inf(), a < 0.0); }
  if (x > 0.0) { return exp2(a * log2(x)); }
  if (a != trunc(a)) { return nan(); }
  let m = exp2(a * log2(-x));
  return select(m, -m, abs(a % 2.0) == 1.0);
}
`;

/** How the unary kernels name the expression variables (unary_fns.ts): alpha and beta arrive as uniforms. */
export const UNARY_NAMES: Names = { x: 'x', y: 'y', alpha: 'A', beta: 'B', zero: 'Z' };

/** How the binary kernels name the operands of the expressions in binary_fns.ts. */
const BINARY_NAMES: Names = { a: 'a', b: 'b' };

/** The binary functions on i32 values, exact; integer division goes through f32 like the CPU's. */
const BINARY_INT: Record<BinaryFn, string> = {
  add: 'a + b',
  sub: 'a - b',
  mul: 'a * b',
  div: 'select(i32(f32(a) / f32(b)), 0, b == 0)',
  max: 'select(b, a, a >= b)',
  min: 'select(b, a, a <= b)',
  ge: 'select(0, 1, a >= b)',
  lt: 'select(0, 1, a < b)',
  eq: 'select(0, 1, a == b)',
};

/** Z is a zero read from the uniforms (see `zero` in primitives/expr.ts). */
const UNARY_UNIFORMS = new Uniforms({ n: 'u32', alpha: 'f32', beta: 'f32', zero: 'f32' });

export function unary([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['unary']): Dispatch[] {
  const tx = wgslType(x.dtype);
  const to = wgslType(out.dtype);
  const n = elements(out);
  return [{
    key: `unary:${a.fn}:${tx}:${to}`,
    wgsl: () => prelude(UNARY_UNIFORMS, [tx], to) + MATH + flatMain(`
  let A = P.alpha;
  let B = P.beta;
  let x = ${loadF32(tx, 0, 'i')};
  out[i] = ${toOut(to, emitWgsl(UNARY_FNS[a.fn].value, UNARY_NAMES))};`),
    inputs: [x],
    output: out,
    params: UNARY_UNIFORMS.pack({ n, alpha: a.alpha ?? 0, beta: a.beta ?? 0, zero: 0 }),
    groups: flatGroups(n),
  }];
}

export function unaryGrad([x, y, dy]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['unary_grad']): Dispatch[] {
  const types = [x, y, dy].map((t) => wgslType(t.dtype));
  const to = wgslType(out.dtype);
  const n = elements(out);
  return [{
    key: `unary_grad:${a.fn}:${types.join(',')}:${to}`,
    wgsl: () => prelude(UNARY_UNIFORMS, types, to) + MATH + flatMain(`
  let A = P.alpha;
  let B = P.beta;
  let x = ${loadF32(types[0], 0, 'i')};
  let y = ${loadF32(types[1], 1, 'i')};
  let g = ${loadF32(types[2], 2, 'i')};
  let Z = P.zero;
  _ = B;
  _ = Z;
  out[i] = ${toOut(to, `g * ${emitWgsl(UNARY_FNS[a.fn].derivative, UNARY_NAMES)}`)};`),
    inputs: [x, y, dy],
    output: out,
    params: UNARY_UNIFORMS.pack({ n, alpha: a.alpha ?? 0, beta: a.beta ?? 0, zero: 0 }),
    groups: flatGroups(n),
  }];
}

/** Binary with broadcasting: each operand is read through its strides over the output's shape. */
const BINARY_UNIFORMS = new Uniforms({ n: 'u32', rank: 'u32', shape: 'dims', stridesA: 'dims', stridesB: 'dims' });

export function binary([x, y]: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['binary']): Dispatch[] {
  const ta = wgslType(x.dtype);
  const tb = wgslType(y.dtype);
  const to = wgslType(out.dtype);
  const n = elements(out);
  const allInt = ta === 'i32' && tb === 'i32' && to === 'i32';
  const body = allInt
    ? `  let a = in0[ia];\n  let b = in1[ib];\n  out[i] = ${BINARY_INT[attrs.fn]};`
    : `  let a = ${loadF32(ta, 0, 'ia')};\n  let b = ${loadF32(tb, 1, 'ib')};\n  out[i] = ${toOut(to, emitWgsl(BINARY_FNS[attrs.fn], BINARY_NAMES))};`;
  return [{
    key: `binary:${attrs.fn}:${ta},${tb}:${to}`,
    wgsl: () => prelude(BINARY_UNIFORMS, [ta, tb], to) + flatMain(`
  var rem = i;
  var ia = 0u;
  var ib = 0u;
  for (var d = P.rank; d > 0u; d--) {
    let k = d - 1u;
    let size = shape_at(k);
    let c = rem % size;
    rem = rem / size;
    ia += c * stridesA_at(k);
    ib += c * stridesB_at(k);
  }
${body}`),
    inputs: [x, y],
    output: out,
    params: BINARY_UNIFORMS.pack({
      n,
      rank: out.shape.length,
      shape: out.shape,
      stridesA: broadcastStrides(x.shape, out.shape),
      stridesB: broadcastStrides(y.shape, out.shape),
    }),
    groups: flatGroups(n),
  }];
}

const FILL_UNIFORMS = new Uniforms({ n: 'u32', bits: 'u32' });

/** Fills the output with the bits of `value` stored as the output dtype (as a typed array would). */
export function fillDispatch(out: DeviceTensor, value: number): Dispatch {
  const n = elements(out);
  const bits = out.dtype === 'int32' ? new Uint32Array(Int32Array.of(value).buffer)[0] : new Uint32Array(Float32Array.of(value).buffer)[0];
  return {
    key: 'fill',
    wgsl: () => prelude(FILL_UNIFORMS, [], 'u32') + flatMain('  out[i] = P.bits;'),
    inputs: [],
    output: out,
    params: FILL_UNIFORMS.pack({ n, bits }),
    groups: flatGroups(n),
  };
}

export function fill(_inputs: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['fill']): Dispatch[] {
  return [fillDispatch(out, a.value)];
}

const COUNT_UNIFORMS = new Uniforms({ n: 'u32' });

/** float32 <-> int32; float to int truncates toward zero, wraps modulo 2^32, and NaN and infinities become 0 (as a typed array stores them). */
export function cast([x]: readonly DeviceTensor[], out: DeviceTensor): Dispatch[] {
  const tx: WgslType = wgslType(x.dtype);
  const to: WgslType = wgslType(out.dtype);
  const n = elements(out);
  const expr = tx === to ? 'in0[i]' : to === 'i32' ? 'to_i32(in0[i])' : 'f32(in0[i])';
  return [{
    key: `cast:${tx}:${to}`,
    wgsl: () => prelude(COUNT_UNIFORMS, [tx], to) + flatMain(`  out[i] = ${expr};`),
    inputs: [x],
    output: out,
    params: COUNT_UNIFORMS.pack({ n }),
    groups: flatGroups(n),
  }];
}
