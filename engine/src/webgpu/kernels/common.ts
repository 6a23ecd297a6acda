// What every WGSL kernel shares: the description of one compute dispatch that a kernel
// function returns (shader text built lazily, the key it is cached under, the tensors it
// binds, its uniform parameters and its grid), and the WGSL prelude that declares the
// uniform struct (uniforms.ts) and the storage bindings. Kernels are plain functions from an op's
// inputs and attributes to dispatches, so they never touch a GPUDevice themselves.

import type { DeviceTensor, DType } from '../../backend';
import { sizeOf } from '../../backend';
import type { Uniforms, UniformSpec } from './uniforms';

/** How many 32-bit words of uniform parameters one dispatch may carry. */
export const PARAM_WORDS = 64;

/** The widest tensor rank the strided kernels index. */
export const MAX_RANK = 8;

/** Threads per workgroup of the flat (one thread per element) kernels. */
export const FLAT_WG = 256;

/** The WGSL element type a binding is declared with. */
export type WgslType = 'f32' | 'i32' | 'u32';

/** One compute dispatch: the backend caches a pipeline per `key` and binds the rest. */
export interface Dispatch {
  /** Identifies the WGSL text exactly: two dispatches with one key share a pipeline. */
  key: string;
  /** The full shader; called only when the pipeline cache misses. */
  wgsl: () => string;
  /** Read-only storage bindings 1..k, in order. */
  inputs: readonly DeviceTensor[];
  /** The read-write storage binding k+1. */
  output: DeviceTensor;
  /** Uniform words at binding 0 (at most PARAM_WORDS). */
  params: Uint32Array;
  /** A flat workgroup count (tiled into x and y by the backend) or an explicit grid. */
  groups: number | [number, number, number];
}

/** Options that select among kernel variants; chosen per adapter by the backend. */
export interface KernelContext {
  matmul: 'blocked' | 'tiled';
}

/** The WGSL element type that holds values of an engine dtype. */
export function wgslType(dtype: DType): WgslType {
  return dtype === 'int32' ? 'i32' : 'f32';
}

/** Row-major strides of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function elements(t: DeviceTensor): number {
  return sizeOf(t.shape);
}

/** Workgroups needed for `n` elements at FLAT_WG per group (0 when empty). */
export function flatGroups(n: number): number {
  return Math.ceil(n / FLAT_WG);
}

/**
 * NaN tests and float-to-int conversion that work on bit patterns, so a compiler that
 * assumes finite floats (and folds `x != x` to false, or lowers a comparison to an
 * instruction that drops NaN) cannot change the result. `ord` is true when neither value
 * is NaN, so `ord(a, b) && a < b` is an IEEE comparison; `feq` is IEEE equality. `to_i32`
 * is what storing a float in an Int32Array does on the CPU backend: truncate toward zero,
 * then wrap modulo 2^32, with NaN and the infinities giving 0.
 */
const NAN_HELPERS = `fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn ord(a: f32, b: f32) -> bool { return !is_nan(a) && !is_nan(b); }
fn feq(a: f32, b: f32) -> bool { return ord(a, b) && a == b; }
fn to_i32(x: f32) -> i32 {
  let bits = bitcast<u32>(x);
  let e = i32((bits >> 23u) & 0xffu) - 127;
  if (e < 0 || e > 54) { return 0; }
  let m = (bits & 0x7fffffu) | 0x800000u;
  var v = 0u;
  if (e <= 23) { v = m >> u32(23 - e); } else { v = m << u32(e - 23); }
  if ((bits >> 31u) != 0u) { v = 0u - v; }
  return bitcast<i32>(v);
}`;

/** The kernel's uniform struct, the NaN helpers, and its storage bindings. */
export function prelude(uniforms: Uniforms<UniformSpec>, inputs: readonly WgslType[], output: WgslType): string {
  const lines = [uniforms.wgsl(), NAN_HELPERS];
  inputs.forEach((t, k) => lines.push(`@group(0) @binding(${k + 1}) var<storage, read> in${k}: array<${t}>;`));
  lines.push(`@group(0) @binding(${inputs.length + 1}) var<storage, read_write> out: array<${output}>;`);
  return lines.join('\n') + '\n';
}

/**
 * The entry point of a flat kernel: `i` is this thread's element, and threads past
 * `P.n` (the element count, a field every flat kernel's uniforms declare) return at once.
 */
export function flatMain(body: string): string {
  return `
@compute @workgroup_size(${FLAT_WG})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let i = (wg.y * nwg.x + wg.x) * ${FLAT_WG}u + li;
  if (i >= P.n) { return; }
${body}
}
`;
}

/** Converts an f32 expression to the output type (for i32 as a CPU Int32Array stores it, see `to_i32`). */
export function toOut(type: WgslType, expr: string): string {
  return type === 'f32' ? expr : type === 'i32' ? `to_i32(${expr})` : `${type}(${expr})`;
}

/** Reads element `idx` of input k as f32 whatever its stored type. */
export function loadF32(type: WgslType, k: number, idx: string): string {
  return type === 'f32' ? `in${k}[${idx}]` : `f32(in${k}[${idx}])`;
}
