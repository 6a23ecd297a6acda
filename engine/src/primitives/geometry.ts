// Index arithmetic that an op's shape rule and every backend's kernel of that op must agree
// on, written once: NumPy broadcasting, the output size and padding of a sliding window
// (convolution, pooling) as TF computes them, and the dimensions and strides of a matrix
// product with either operand transposed.

import type { Padding } from './window';

/** NumPy broadcasting of two shapes; throws on incompatible sizes (a programming error). */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`cannot broadcast [${a}] with [${b}]`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Strides of `shape` read as if broadcast to `outShape` (0 on broadcast axes); every backend indexes broadcast inputs with them. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = rank - shape.length + i;
    strides[d] = shape[i] === 1 ? 0 : s;
    s *= shape[i];
  }
  return strides;
}

/** Output size of a window (convolution, pooling) and the padding before it, as TF does. */
export function windowGeometry(n: number, k: number, s: number, padding: Padding): { out: number; padBefore: number } {
  if (padding === 'valid') return { out: Math.floor((n - k) / s) + 1, padBefore: 0 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  // TF puts the smaller half first: for an odd total the extra row goes after.
  return { out, padBefore: Math.floor(total / 2) };
}

/** A 2-D window over an NHWC input: sizes, strides and the padding before each axis. */
export interface Window2d {
  n: number; h: number; w: number; c: number;
  kh: number; kw: number; oh: number; ow: number;
  sh: number; sw: number; pt: number; pl: number;
}

/** The window of a kh x kw kernel or pool over the NHWC input shape `x`. */
export function window2d(x: readonly number[], kh: number, kw: number, stride: readonly [number, number], padding: Padding): Window2d {
  const gh = windowGeometry(x[1], kh, stride[0], padding);
  const gw = windowGeometry(x[2], kw, stride[1], padding);
  return { n: x[0], h: x[1], w: x[2], c: x[3], kh, kw, oh: gh.out, ow: gw.out, sh: stride[0], sw: stride[1], pt: gh.padBefore, pl: gw.padBefore };
}

/**
 * The convolution window loop: calls visit(xPixel, tap, yPixel) for every in-bounds
 * (output position, tap) pair, output positions in row-major order and each one's taps in
 * (r, s) order, where xPixel and yPixel index pixels of x [N, H, W] and y [N, OH, OW] and
 * tap = r * kw + s. The CPU's convolutions and pooling (forward and gradients) all walk it.
 */
export function forEachTap(g: Window2d, visit: (xPixel: number, tap: number, yPixel: number) => void): void {
  for (let b = 0; b < g.n; b++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const yPixel = (b * g.oh + oy) * g.ow + ox;
        for (let r = 0; r < g.kh; r++) {
          const iy = oy * g.sh - g.pt + r;
          if (iy < 0 || iy >= g.h) continue;
          for (let s = 0; s < g.kw; s++) {
            const ix = ox * g.sw - g.pl + s;
            if (ix < 0 || ix >= g.w) continue;
            visit((b * g.h + iy) * g.w + ix, r * g.kw + s, yPixel);
          }
        }
      }
    }
  }
}

/**
 * A matrix product's sizes: a is [..., m, k] ([..., k, m] transposed), b [..., k, n]
 * ([..., n, k] transposed). Element (i, p) of one A matrix is at i*ai + p*ap and element
 * (p, j) of one B matrix at p*bp + j*bj; `batch` is the longer of the two batch shapes.
 */
export interface MatmulDims {
  m: number; k: number; n: number;
  batch: number[];
  ai: number; ap: number; bp: number; bj: number;
}

export function matmulDims(a: readonly number[], b: readonly number[], transA: boolean, transB: boolean): MatmulDims {
  const ra = a.length;
  const rb = b.length;
  const m = transA ? a[ra - 1] : a[ra - 2];
  const k = transA ? a[ra - 2] : a[ra - 1];
  const n = transB ? b[rb - 2] : b[rb - 1];
  const batchA = a.slice(0, -2);
  const batchB = b.slice(0, -2);
  return {
    m, k, n,
    batch: batchA.length >= batchB.length ? batchA : batchB,
    ai: transA ? 1 : k, ap: transA ? m : 1, bp: transB ? 1 : n, bj: transB ? k : 1,
  };
}
