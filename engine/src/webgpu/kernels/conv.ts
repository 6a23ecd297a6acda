// Convolution and pooling in NHWC with TF's 'same' padding split (window2d). Each
// kernel is direct, one thread per element of its output: the forward ops walk a window,
// grad_input walks the windows that cover an input pixel, grad_filter walks every output
// position for one tap. All of them accumulate in a fixed order, so results are
// deterministic and need no atomics.

import { window2d } from '../../primitives/geometry';
import type { DeviceTensor, OpAttrs, Padding } from '../../backend';
import type { Dispatch } from './common';
import { elements, flatGroups, flatMain, prelude } from './common';
import { Uniforms } from './uniforms';
import type { UniformValues } from './uniforms';

/** The window (primitives/geometry.ts's Window2d), F filters, and n threads. */
const WINDOW = {
  n: 'u32', N: 'i32', H: 'i32', W: 'i32', C: 'i32', KH: 'i32', KW: 'i32', OH: 'i32', OW: 'i32',
  SH: 'i32', SW: 'i32', PT: 'i32', PL: 'i32', F: 'i32',
} as const;
const WINDOW_UNIFORMS = new Uniforms(WINDOW);
/** conv2d's threads each compute FQ groups of four filters. */
const CONV_UNIFORMS = new Uniforms({ ...WINDOW, FQ: 'i32' });

/** The window's sizes as locals, so the loops below read like the CPU's. */
const GEOM = `
  let N = P.N;
  let H = P.H;
  let W = P.W;
  let C = P.C;
  let KH = P.KH;
  let KW = P.KW;
  let OH = P.OH;
  let OW = P.OW;
  let SH = P.SH;
  let SW = P.SW;
  let PT = P.PT;
  let PL = P.PL;
  let F = P.F;
  _ = N;`;

/** Splits flat index `i` into coordinates of the shape [d0, d1, d2, d3] (i32). */
function unravel(names: [string, string, string, string], dims: [string, string, string, string]): string {
  return `
  var q = i32(i);
  let ${names[3]} = q % ${dims[3]}; q = q / ${dims[3]};
  let ${names[2]} = q % ${dims[2]}; q = q / ${dims[2]};
  let ${names[1]} = q % ${dims[1]}; q = q / ${dims[1]};
  let ${names[0]} = q;`;
}

function windowValues(n: number, x: readonly number[], kh: number, kw: number, f: number, stride: [number, number], padding: Padding): UniformValues<typeof WINDOW> {
  const g = window2d(x, kh, kw, stride, padding);
  return { n, N: g.n, H: g.h, W: g.w, C: g.c, KH: kh, KW: kw, OH: g.oh, OW: g.ow, SH: g.sh, SW: g.sw, PT: g.pt, PL: g.pl, F: f };
}

function geomParams(n: number, x: readonly number[], kh: number, kw: number, f: number, stride: [number, number], padding: Padding): Uint32Array {
  return WINDOW_UNIFORMS.pack(windowValues(n, x, kh, kw, f, stride, padding));
}

/** Each thread computes four adjacent filters of one output pixel, reusing every x load four times. */
export function conv2d([x, w]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['conv2d']): Dispatch[] {
  const f = w.shape[3];
  const quads = Math.ceil(f / 4);
  const n = elements(out) === 0 ? 0 : (elements(out) / f) * quads;
  const params = CONV_UNIFORMS.pack({ ...windowValues(n, x.shape, w.shape[0], w.shape[1], f, a.stride, a.padding), FQ: quads });
  return [{
    key: 'conv2d',
    wgsl: () => prelude(CONV_UNIFORMS, ['f32', 'f32'], 'f32') + flatMain(GEOM + `
  let FQ = P.FQ;` + unravel(['b', 'oy', 'ox', 'fq'], ['N', 'OH', 'OW', 'FQ']) + `
  let f0 = fq * 4;
  let f1 = min(f0 + 1, F - 1);
  let f2 = min(f0 + 2, F - 1);
  let f3 = min(f0 + 3, F - 1);
  var acc = vec4<f32>(0.0);
  for (var r = 0; r < KH; r++) {
    let iy = oy * SH - PT + r;
    if (iy < 0 || iy >= H) { continue; }
    for (var s = 0; s < KW; s++) {
      let ix = ox * SW - PL + s;
      if (ix < 0 || ix >= W) { continue; }
      let xb = ((b * H + iy) * W + ix) * C;
      var wb = (r * KW + s) * C * F;
      for (var c = 0; c < C; c++) {
        acc += in0[xb + c] * vec4<f32>(in1[wb + f0], in1[wb + f1], in1[wb + f2], in1[wb + f3]);
        wb += F;
      }
    }
  }
  let ob = ((b * OH + oy) * OW + ox) * F;
  for (var j = 0; j < 4; j++) {
    if (f0 + j < F) { out[ob + f0 + j] = acc[j]; }
  }`),
    inputs: [x, w],
    output: out,
    params,
    groups: flatGroups(n),
  }];
}

export function conv2dGradInput([dy, w]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['conv2d_grad_input']): Dispatch[] {
  const n = elements(out);
  return [{
    key: 'conv2d_grad_input',
    wgsl: () => prelude(WINDOW_UNIFORMS, ['f32', 'f32'], 'f32') + flatMain(GEOM + unravel(['b', 'iy', 'ix', 'c'], ['N', 'H', 'W', 'C']) + `
  var acc = 0.0;
  for (var r = 0; r < KH; r++) {
    let ty = iy + PT - r;
    if (ty < 0 || ty % SH != 0 || ty / SH >= OH) { continue; }
    let oy = ty / SH;
    for (var s = 0; s < KW; s++) {
      let tx = ix + PL - s;
      if (tx < 0 || tx % SW != 0 || tx / SW >= OW) { continue; }
      let ox = tx / SW;
      let yb = ((b * OH + oy) * OW + ox) * F;
      let wb = ((r * KW + s) * C + c) * F;
      for (var j = 0; j < F; j++) { acc += in0[yb + j] * in1[wb + j]; }
    }
  }
  out[i] = acc;`),
    inputs: [dy, w],
    output: out,
    params: geomParams(n, a.inputShape, w.shape[0], w.shape[1], w.shape[3], a.stride, a.padding),
    groups: flatGroups(n),
  }];
}

export function conv2dGradFilter([x, dy]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['conv2d_grad_filter']): Dispatch[] {
  const n = elements(out);
  const [kh, kw, , f] = a.filterShape;
  return [{
    key: 'conv2d_grad_filter',
    wgsl: () => prelude(WINDOW_UNIFORMS, ['f32', 'f32'], 'f32') + flatMain(GEOM + unravel(['r', 's', 'c', 'f'], ['KH', 'KW', 'C', 'F']) + `
  var acc = 0.0;
  for (var b = 0; b < N; b++) {
    for (var oy = 0; oy < OH; oy++) {
      let iy = oy * SH - PT + r;
      if (iy < 0 || iy >= H) { continue; }
      for (var ox = 0; ox < OW; ox++) {
        let ix = ox * SW - PL + s;
        if (ix < 0 || ix >= W) { continue; }
        acc += in0[((b * H + iy) * W + ix) * C + c] * in1[((b * OH + oy) * OW + ox) * F + f];
      }
    }
  }
  out[i] = acc;`),
    inputs: [x, dy],
    output: out,
    params: geomParams(n, x.shape, kh, kw, f, a.stride, a.padding),
    groups: flatGroups(n),
  }];
}

export function pool2d([x]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['pool2d']): Dispatch[] {
  const n = elements(out);
  const isMax = a.fn === 'max';
  return [{
    key: `pool2d:${a.fn}`,
    wgsl: () => prelude(WINDOW_UNIFORMS, ['f32'], 'f32') + flatMain(GEOM + unravel(['b', 'oy', 'ox', 'c'], ['N', 'OH', 'OW', 'C']) + `
  var acc = 0.0;
  var count = 0;
  for (var r = 0; r < KH; r++) {
    let iy = oy * SH - PT + r;
    if (iy < 0 || iy >= H) { continue; }
    for (var s = 0; s < KW; s++) {
      let ix = ox * SW - PL + s;
      if (ix < 0 || ix >= W) { continue; }
      let v = in0[((b * H + iy) * W + ix) * C + c];
      ${isMax ? 'if (count == 0 || is_nan(v) || (ord(v, acc) && v > acc)) { acc = v; }' : 'acc += v;'}
      count++;
    }
  }
  _ = F;
  out[i] = ${isMax ? 'acc' : 'acc / f32(count)'};`),
    inputs: [x],
    output: out,
    params: geomParams(n, x.shape, a.pool[0], a.pool[1], 0, a.stride, a.padding),
    groups: flatGroups(n),
  }];
}

/** Equal, or both NaN (the test that finds a window's maximum when NaN wins). */
const SAME = `fn same(a: f32, b: f32) -> bool { return feq(a, b) || (is_nan(a) && is_nan(b)); }
`;

/**
 * Max routes each window's gradient to its first maximum (in r, s order), where a NaN
 * maximum matches the window's first NaN, as on the CPU; avg divides by the in-bounds count.
 */
export function pool2dGrad([x, y, dy]: readonly DeviceTensor[], out: DeviceTensor, a: OpAttrs['pool2d_grad']): Dispatch[] {
  const n = elements(out);
  const isMax = a.fn === 'max';
  const contribution = isMax
    ? `
      let peak = in1[yi];
      if (!same(in0[i], peak)) { continue; }
      var first = true;
      for (var r2 = 0; r2 < KH && first; r2++) {
        let y2 = oy * SH - PT + r2;
        if (y2 < 0 || y2 >= H) { continue; }
        for (var s2 = 0; s2 < KW; s2++) {
          if (r2 == r && s2 == s) { break; }
          let x2 = ox * SW - PL + s2;
          if (x2 < 0 || x2 >= W) { continue; }
          if (same(in0[((b * H + y2) * W + x2) * C + c], peak)) { first = false; break; }
        }
        if (r2 == r) { break; }
      }
      if (first) { acc += in2[yi]; }`
    : `
      let y0 = oy * SH - PT;
      let x0 = ox * SW - PL;
      let rows = min(H, y0 + KH) - max(0, y0);
      let cols = min(W, x0 + KW) - max(0, x0);
      acc += in2[yi] / f32(rows * cols);`;
  return [{
    key: `pool2d_grad:${a.fn}`,
    wgsl: () => prelude(WINDOW_UNIFORMS, ['f32', 'f32', 'f32'], 'f32') + SAME + flatMain(GEOM + unravel(['b', 'iy', 'ix', 'c'], ['N', 'H', 'W', 'C']) + `
  var acc = 0.0;
  _ = F;
  for (var r = 0; r < KH; r++) {
    let ty = iy + PT - r;
    if (ty < 0 || ty % SH != 0 || ty / SH >= OH) { continue; }
    let oy = ty / SH;
    for (var s = 0; s < KW; s++) {
      let tx = ix + PL - s;
      if (tx < 0 || tx % SW != 0 || tx / SW >= OW) { continue; }
      let ox = tx / SW;
      let yi = ((b * OH + oy) * OW + ox) * C + c;${contribution}
    }
  }
  out[i] = acc;`),
    inputs: [x, y, dy],
    output: out,
    params: geomParams(n, x.shape, a.pool[0], a.pool[1], 0, a.stride, a.padding),
    groups: flatGroups(n),
  }];
}
