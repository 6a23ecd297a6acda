// Kernels indexed by data: gather (rows of a table, zeros for an index out of range), its
// adjoint scatter_add, one_hot, and the dropout mask. scatter_add runs without atomics
// (WGSL has no float atomics): one thread per output (row, d) sums, in index order, every
// dy row whose index equals its row, so the result is deterministic. The dropout mask
// ports rng.ts's lowbias32 chain to u32 arithmetic and compares the 24-bit draw against an
// integer threshold, so it is bit-identical to the CPU's mask.

import type { DeviceTensor, OpAttrs } from '../../backend';
import type { Dispatch } from './common';
import { elements, flatGroups, flatMain, loadF32, prelude, toOut, wgslType } from './common';
import { Uniforms } from './uniforms';

const GATHER_UNIFORMS = new Uniforms({ n: 'u32', D: 'u32', rows: 'u32' });

export function gather([table, idx]: readonly DeviceTensor[], out: DeviceTensor): Dispatch[] {
  const n = elements(out);
  const [rows, d] = table.shape;
  return [{
    key: 'gather',
    wgsl: () => prelude(GATHER_UNIFORMS, ['u32', 'i32'], 'u32') + flatMain(`
  let D = P.D;
  let rows = P.rows;
  let r = in1[i / D];
  out[i] = select(0u, in0[u32(r) * D + i % D], r >= 0 && u32(r) < rows);`),
    inputs: [table, idx],
    output: out,
    params: GATHER_UNIFORMS.pack({ n, D: d, rows }),
    groups: flatGroups(n),
  }];
}

/** `count` indices; `rows` is the output's row count. */
const SCATTER_UNIFORMS = new Uniforms({ n: 'u32', D: 'u32', count: 'u32', rows: 'u32' });

export function scatterAdd([idx, dy]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['scatter_add']): Dispatch[] {
  const n = elements(out);
  const td = wgslType(dy.dtype);
  const to = wgslType(out.dtype);
  const d = out.shape[1];
  return [{
    key: `scatter_add:${td}:${to}`,
    wgsl: () => prelude(SCATTER_UNIFORMS, ['i32', td], to) + flatMain(`
  let D = P.D;
  let count = P.count;
  let row = i32(i / D);
  let col = i % D;
  var acc = 0.0;
  for (var k = 0u; k < count; k++) {
    if (in0[k] == row) { acc += ${loadF32(td, 1, 'k * D + col')}; }
  }
  out[i] = ${toOut(to, 'acc')};`),
    inputs: [idx, dy],
    output: out,
    params: SCATTER_UNIFORMS.pack({ n, D: d, count: elements(idx), rows: a.rows }),
    groups: flatGroups(n),
  }];
}

const ONE_HOT_UNIFORMS = new Uniforms({ n: 'u32', depth: 'u32' });

export function oneHot([idx]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['one_hot']): Dispatch[] {
  const n = elements(out);
  return [{
    key: 'one_hot',
    wgsl: () => prelude(ONE_HOT_UNIFORMS, ['i32'], 'f32') + flatMain(`
  let depth = P.depth;
  out[i] = select(0.0, 1.0, in0[i / depth] == i32(i % depth));`),
    inputs: [idx],
    output: out,
    params: ONE_HOT_UNIFORMS.pack({ n, depth: a.depth }),
    groups: flatGroups(n),
  }];
}

/** The lowbias32 mixer and rng.ts's hash3 chain in WGSL. */
const HASH = `
fn mix32(v: u32) -> u32 {
  var x = v;
  x = x ^ (x >> 16u);
  x = x * 0x7feb352du;
  x = x ^ (x >> 15u);
  x = x * 0x846ca68bu;
  x = x ^ (x >> 16u);
  return x;
}
fn hash3(seed: u32, stream: u32, index: u32) -> u32 {
  var h = mix32(seed ^ 0x9e3779b9u);
  h = mix32(h ^ stream);
  return mix32(h ^ index);
}
`;

/**
 * Keeps element i when uniform01(seed, step, i) >= rate, i.e. when its 24-bit draw is at
 * least ceil(rate * 2^24); the scale is 1/(1-rate) rounded to float32 as the CPU stores it.
 */
const DROPOUT_UNIFORMS = new Uniforms({ n: 'u32', seed: 'u32', step: 'u32', threshold: 'u32', scale: 'f32' });

export function dropoutMask(_inputs: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['dropout_mask']): Dispatch[] {
  const n = elements(out);
  const threshold = Math.min(Math.max(Math.ceil(a.rate * 16777216), 0), 16777217);
  return [{
    key: 'dropout_mask',
    wgsl: () => prelude(DROPOUT_UNIFORMS, [], 'f32') + HASH + flatMain(`
  let draw = hash3(P.seed, P.step, i) >> 8u;
  out[i] = select(0.0, P.scale, draw >= P.threshold);`),
    inputs: [],
    output: out,
    params: DROPOUT_UNIFORMS.pack({ n, seed: a.seed >>> 0, step: a.step >>> 0, threshold, scale: 1 / (1 - a.rate) }),
    groups: flatGroups(n),
  }];
}
