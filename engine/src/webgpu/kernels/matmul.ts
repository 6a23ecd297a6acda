// Batched matrix products in two variants with the same parameters and results. `blocked`
// has each thread accumulate a 4x4 block of outputs in registers with no workgroup memory
// and no barriers, which is fastest on CPU emulations of WebGPU (lavapipe, SwiftShader);
// `tiled` stages 64x64 tiles of both operands through workgroup memory, which real GPUs
// reward. Transposes are strides in the uniforms, so one pipeline serves every layout;
// the fused bias and activation change the shader and are part of its key.

import type { DeviceTensor, OpAttrs } from '../../backend';
import type { Dispatch, KernelContext } from './common';
import { prelude } from './common';
import { Uniforms } from './uniforms';
import { MATH, UNARY_NAMES } from './elementwise';
import { emitWgsl } from '../../primitives/emit';
import { matmulDims } from '../../primitives/geometry';
import { UNARY_FNS } from '../../primitives/unary_fns';

/** The fused activation of the accumulated value `v`, from the unary expression table. */
function activate(activation: OpAttrs['matmul']['activation']): string {
  return activation === 'linear' ? 'v' : emitWgsl(UNARY_FNS[activation].value, { ...UNARY_NAMES, x: 'v' });
}

/** primitives/geometry.ts's MatmulDims; aBatch and bBatch step one matrix of a batch (0 when shared). */
const MATMUL_UNIFORMS = new Uniforms({
  M: 'u32', N: 'u32', K: 'u32', aBatch: 'u32', bBatch: 'u32', ai: 'u32', ap: 'u32', bp: 'u32', bj: 'u32',
});

const HEAD = `
  let M = P.M;
  let N = P.N;
  let K = P.K;
  let aOff = t * P.aBatch;
  let bOff = t * P.bBatch;
  let ai = P.ai;
  let ap = P.ap;
  let bp = P.bp;
  let bj = P.bj;`;

/** Writes the 4x4 block acc0..acc3 at (row, col) with bias and activation, in bounds only. */
function store(bias: boolean, activation: OpAttrs['matmul']['activation']): string {
  const rows = [0, 1, 2, 3].map((r) => `
  if (row + ${r}u < M) {
    for (var c = 0u; c < 4u; c++) {
      if (col + c < N) {
        var v = acc${r}[c];${bias ? '\n        v += in2[col + c];' : ''}
        out[t * M * N + (row + ${r}u) * N + col + c] = ${activate(activation)};
      }
    }
  }`);
  return rows.join('');
}

function blocked(bias: boolean, activation: OpAttrs['matmul']['activation']): string {
  const ins = bias ? ['f32', 'f32', 'f32'] as const : ['f32', 'f32'] as const;
  return prelude(MATMUL_UNIFORMS, [...ins], 'f32') + MATH + `
@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let t = g.z;${HEAD}
  let row = g.y * 4u;
  let col = g.x * 4u;
  if (row >= M || col >= N) { return; }
  let a0 = aOff + min(row, M - 1u) * ai;
  let a1 = aOff + min(row + 1u, M - 1u) * ai;
  let a2 = aOff + min(row + 2u, M - 1u) * ai;
  let a3 = aOff + min(row + 3u, M - 1u) * ai;
  let b0 = bOff + min(col, N - 1u) * bj;
  let b1 = bOff + min(col + 1u, N - 1u) * bj;
  let b2 = bOff + min(col + 2u, N - 1u) * bj;
  let b3 = bOff + min(col + 3u, N - 1u) * bj;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var p = 0u; p < K; p++) {
    let pa = p * ap;
    let pb = p * bp;
    let bv = vec4<f32>(in1[b0 + pb], in1[b1 + pb], in1[b2 + pb], in1[b3 + pb]);
    acc0 += in0[a0 + pa] * bv;
    acc1 += in0[a1 + pa] * bv;
    acc2 += in0[a2 + pa] * bv;
    acc3 += in0[a3 + pa] * bv;
  }${store(bias, activation)}
}
`;
}

function tiled(bias: boolean, activation: OpAttrs['matmul']['activation']): string {
  const ins = bias ? ['f32', 'f32', 'f32'] as const : ['f32', 'f32'] as const;
  return prelude(MATMUL_UNIFORMS, [...ins], 'f32') + MATH + `
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) l: vec3<u32>) {
  let t = wg.z;${HEAD}
  let tid = l.y * 16u + l.x;
  let row0 = wg.y * 64u;
  let col0 = wg.x * 64u;
  let row = row0 + l.y * 4u;
  let col = col0 + l.x * 4u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < K; k0 += 16u) {
    for (var e = tid; e < 1024u; e += 256u) {
      let ar = row0 + e / 16u;
      let ak = k0 + e % 16u;
      As[e] = select(0.0, in0[aOff + min(ar, M - 1u) * ai + min(ak, K - 1u) * ap], ar < M && ak < K);
      let bk = k0 + e / 64u;
      let bc = col0 + e % 64u;
      Bs[e] = select(0.0, in1[bOff + min(bk, K - 1u) * bp + min(bc, N - 1u) * bj], bk < K && bc < N);
    }
    workgroupBarrier();
    for (var p = 0u; p < 16u; p++) {
      let bv = vec4<f32>(Bs[p * 64u + l.x * 4u], Bs[p * 64u + l.x * 4u + 1u], Bs[p * 64u + l.x * 4u + 2u], Bs[p * 64u + l.x * 4u + 3u]);
      acc0 += As[(l.y * 4u) * 16u + p] * bv;
      acc1 += As[(l.y * 4u + 1u) * 16u + p] * bv;
      acc2 += As[(l.y * 4u + 2u) * 16u + p] * bv;
      acc3 += As[(l.y * 4u + 3u) * 16u + p] * bv;
    }
    workgroupBarrier();
  }${store(bias, activation)}
}
`;
}

export function matmul(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['matmul'], ctx: KernelContext): Dispatch[] {
  const [a, b, bias] = inputs;
  const { m, k, n, ai, ap, bp, bj } = matmulDims(a.shape, b.shape, attrs.transA, attrs.transB);
  const sizeA = a.shape.reduce((p, d) => p * d, 1);
  const sizeB = b.shape.reduce((p, d) => p * d, 1);
  const batchA = m * k === 0 ? 1 : sizeA / (m * k);
  const batchB = k * n === 0 ? 1 : sizeB / (k * n);
  const batch = Math.max(batchA, batchB);
  const variant = ctx.matmul;
  const hasBias = bias !== undefined;
  const params = MATMUL_UNIFORMS.pack({
    M: m, N: n, K: k,
    aBatch: batchA === 1 ? 0 : m * k,
    bBatch: batchB === 1 ? 0 : k * n,
    ai, ap, bp, bj,
  });
  const tile = variant === 'tiled' ? 64 : 32;
  return [{
    key: `matmul:${variant}:${hasBias}:${attrs.activation}`,
    wgsl: () => (variant === 'tiled' ? tiled : blocked)(hasBias, attrs.activation),
    inputs: hasBias ? [a, b, bias] : [a, b],
    output: out,
    params,
    groups: m * n * batch === 0 ? 0 : [Math.ceil(n / tile), Math.ceil(m / tile), batch],
  }];
}
