// Reductions and softmax: one workgroup per output element (per row for softmax) whose
// threads stride over the reduced elements and combine partial results in workgroup
// memory by a tree. Sums are therefore pairwise, which keeps float32 error near the CPU's
// float64 accumulation; max propagates NaN like the reference; softmax subtracts the row
// maximum before exponentiating.

import type { DeviceTensor, OpAttrs } from '../../backend';
import type { Dispatch } from './common';
import { elements, loadF32, prelude, stridesOf, toOut, wgslType } from './common';
import { Uniforms } from './uniforms';

const WG = 64;
const NEG_INF = 'neg_inf()';

/** Tree-combines sh[0..WG) into sh[0] with `op(a, b)`; every thread must reach it. */
function treeReduce(op: string): string {
  return `
  workgroupBarrier();
  for (var w = ${WG / 2}u; w > 0u; w = w >> 1u) {
    if (li < w) { let a = sh[li]; let b = sh[li + w]; sh[li] = ${op}; }
    workgroupBarrier();
  }`;
}

/** The CPU's running max: a NaN, once seen, stays; the NaN tests work on bits (see common.ts). */
const MAX_OP = 'select(a, b, is_nan(b) || (ord(a, b) && b > a))';

/** The offset of coordinates `idx`, walked over the `axes` group's shape, dotted with its strides. */
function offsetLoop(target: string, idx: string, axes: 'kept' | 'reduced'): string {
  return `
  {
    var rem = ${idx};
    for (var d = P.${axes}Rank; d > 0u; d--) {
      let k = d - 1u;
      let size = ${axes}Shape_at(k);
      ${target} += (rem % size) * ${axes}Strides_at(k);
      rem = rem / size;
    }
  }`;
}

const HEADER = `
fn neg_inf() -> f32 { var bits = 0xff800000u; return bitcast<f32>(bits); }
var<workgroup> sh: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let o = wg.y * nwg.x + wg.x;
  if (o >= P.n) { return; }`;

/** One workgroup per output element (n of them); the kept axes place it, the reduced axes are its loop. */
const REDUCE_UNIFORMS = new Uniforms({
  n: 'u32', keptRank: 'u32', keptShape: 'dims', keptStrides: 'dims',
  reducedRank: 'u32', reducedShape: 'dims', reducedStrides: 'dims', count: 'u32',
});

export function reduce([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['reduce']): Dispatch[] {
  const tx = wgslType(x.dtype);
  const to = wgslType(out.dtype);
  const s = stridesOf(x.shape);
  const keptAxes = x.shape.map((_, d) => d).filter((d) => !a.axes.includes(d));
  const redAxes = x.shape.map((_, d) => d).filter((d) => a.axes.includes(d));
  const nOut = keptAxes.reduce((p, d) => p * x.shape[d], 1);
  const count = redAxes.reduce((p, d) => p * x.shape[d], 1);
  const init = a.fn === 'max' ? NEG_INF : '0.0';
  const op = a.fn === 'max' ? MAX_OP : 'a + b';
  const final = a.fn === 'mean' ? 'sh[0] / f32(P.count)' : 'sh[0]';
  return [{
    key: `reduce:${a.fn}:${tx}:${to}`,
    wgsl: () => prelude(REDUCE_UNIFORMS, [tx], to) + HEADER + `
  var base = 0u;${offsetLoop('base', 'o', 'kept')}
  let count = P.count;
  var acc = ${init};
  for (var r = li; r < count; r += ${WG}u) {
    var off = base;${offsetLoop('off', 'r', 'reduced')}
    let a = acc;
    let b = ${loadF32(tx, 0, 'off')};
    acc = ${op};
  }
  sh[li] = acc;${treeReduce(op)}
  if (li == 0u) { out[o] = ${toOut(to, final)}; }
}
`,
    inputs: [x],
    output: out,
    params: REDUCE_UNIFORMS.pack({
      n: nOut,
      keptRank: keptAxes.length,
      keptShape: keptAxes.map((d) => x.shape[d]),
      keptStrides: keptAxes.map((d) => s[d]),
      reducedRank: redAxes.length,
      reducedShape: redAxes.map((d) => x.shape[d]),
      reducedStrides: redAxes.map((d) => s[d]),
      count,
    }),
    groups: nOut,
  }];
}

/** n rows of `length` values each. */
const SOFTMAX_UNIFORMS = new Uniforms({ n: 'u32', length: 'u32' });

/** Softmax or log-softmax over the last axis. */
export function softmax([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['softmax']): Dispatch[] {
  const n = x.shape[x.shape.length - 1] ?? 1;
  const rows = n === 0 ? 0 : elements(x) / n;
  const write = a.log ? 'in0[base + j] - m - log(total)' : 'exp(in0[base + j] - m) / total';
  return [{
    key: `softmax:${a.log}`,
    wgsl: () => prelude(SOFTMAX_UNIFORMS, ['f32'], 'f32') + HEADER + `
  let n = P.length;
  let base = o * n;
  var acc = ${NEG_INF};
  for (var j = li; j < n; j += ${WG}u) { let a = acc; let b = in0[base + j]; acc = ${MAX_OP}; }
  sh[li] = acc;${treeReduce(MAX_OP)}
  let m = sh[0];
  workgroupBarrier();
  var s = 0.0;
  for (var j = li; j < n; j += ${WG}u) { s += exp(in0[base + j] - m); }
  sh[li] = s;${treeReduce('a + b')}
  let total = sh[0];
  for (var j = li; j < n; j += ${WG}u) { out[base + j] = ${write}; }
}
`,
    inputs: [x],
    output: out,
    params: SOFTMAX_UNIFORMS.pack({ n: rows, length: n }),
    groups: rows,
  }];
}
