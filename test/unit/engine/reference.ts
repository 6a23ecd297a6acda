// Float64 reference implementations written independently of the engine: plain loops over
// multi-indices, no shared code with engine/src. The op suite compares every primitive's
// forward against these and their finite differences against the engine's gradients.

import type { Arr } from './helpers';
import { ravel, sizeOf, unravel } from './helpers';

/** erf by its Maclaurin series (|x| <= 4) and 1 beyond; float64-accurate for these inputs. */
export function erfSeries(x: number): number {
  if (Math.abs(x) > 4) return Math.sign(x);
  let term = x;
  let total = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    total += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * total;
}

export const UNARY_REF: Record<string, (x: number) => number> = {
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
  gelu: (x) => 0.5 * x * (1 + erfSeries(x / Math.SQRT2)),
  silu: (x) => x / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
  leaky_relu: (x) => (x > 0 ? x : 0.01 * x),
  exp: Math.exp,
  log: Math.log,
  neg: (x) => -x,
  sqrt: Math.sqrt,
  abs: Math.abs,
  square: (x) => x * x,
};

export function map(a: Arr, f: (x: number) => number): Arr {
  return { data: a.data.map(f), shape: [...a.shape] };
}

export function broadcastBinary(a: Arr, b: Arr, f: (x: number, y: number) => number): Arr {
  const rank = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array(rank - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array(rank - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((d, i) => Math.max(d, pb[i]));
  const data: number[] = [];
  for (let i = 0; i < sizeOf(shape); i++) {
    const idx = unravel(i, shape);
    const ia = ravel(idx.map((v, d) => (pa[d] === 1 ? 0 : v)), pa);
    const ib = ravel(idx.map((v, d) => (pb[d] === 1 ? 0 : v)), pb);
    data.push(f(a.data[ia], b.data[ib]));
  }
  return { data, shape };
}

export function reduceRef(a: Arr, axes: number[], fn: 'sum' | 'mean' | 'max', keepdims: boolean): Arr {
  const keptShape = a.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array(sizeOf(keptShape)).fill(fn === 'max' ? -Infinity : 0);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, a.shape).map((v, d) => (axes.includes(d) ? 0 : v));
    const o = ravel(idx, keptShape);
    out[o] = fn === 'max' ? Math.max(out[o], a.data[i]) : out[o] + a.data[i];
  }
  const count = axes.reduce((p, ax) => p * a.shape[ax], 1);
  const data = fn === 'mean' ? out.map((v) => v / count) : out;
  return { data, shape: keepdims ? keptShape : a.shape.filter((_d, i) => !axes.includes(i)) };
}

export function softmaxRef(a: Arr, log: boolean): Arr {
  const n = a.shape[a.shape.length - 1];
  const data: number[] = [];
  for (let r = 0; r < a.data.length / n; r++) {
    const row = a.data.slice(r * n, r * n + n);
    const m = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    for (const v of row) data.push(log ? v - m - Math.log(z) : Math.exp(v - m) / z);
  }
  return { data, shape: [...a.shape] };
}

/** Batched a @ b with optional transposes; b may be a plain matrix. */
export function matmulRef(a: Arr, b: Arr, transA = false, transB = false): Arr {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batchShape = ra >= rb ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const batch = sizeOf(batchShape);
  const A = (t: number, i: number, p: number) => a.data[(ra > 2 ? t * m * k : 0) + (transA ? p * m + i : i * k + p)];
  const B = (t: number, p: number, j: number) => b.data[(rb > 2 ? t * k * n : 0) + (transB ? j * k + p : p * n + j)];
  const data: number[] = [];
  for (let t = 0; t < batch; t++)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(t, i, p) * B(t, p, j);
        data.push(s);
      }
  return { data, shape: [...batchShape, m, n] };
}

/** TF's 'same' geometry: out = ceil(n/s), padding total split with the smaller half first. */
function padGeometry(n: number, k: number, s: number, padding: 'valid' | 'same'): [number, number] {
  if (padding === 'valid') return [Math.floor((n - k) / s) + 1, 0];
  const out = Math.ceil(n / s);
  const total = Math.max(0, (out - 1) * s + k - n);
  return [out, Math.floor(total / 2)];
}

export function conv2dRef(x: Arr, w: Arr, stride: [number, number], padding: 'valid' | 'same'): Arr {
  const [N, H, W, C] = x.shape;
  const [KH, KW, , F] = w.shape;
  const [OH, pt] = padGeometry(H, KH, stride[0], padding);
  const [OW, pl] = padGeometry(W, KW, stride[1], padding);
  const data: number[] = [];
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let r = 0; r < KH; r++)
            for (let q = 0; q < KW; q++) {
              const iy = oy * stride[0] + r - pt;
              const ix = ox * stride[1] + q - pl;
              if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
              for (let c = 0; c < C; c++) s += x.data[ravel([b, iy, ix, c], x.shape)] * w.data[ravel([r, q, c, f], w.shape)];
            }
          data.push(s);
        }
  return { data, shape: [N, OH, OW, F] };
}

export function pool2dRef(x: Arr, fn: 'max' | 'avg', pool: [number, number], stride: [number, number], padding: 'valid' | 'same'): Arr {
  const [N, H, W, C] = x.shape;
  const [OH, pt] = padGeometry(H, pool[0], stride[0], padding);
  const [OW, pl] = padGeometry(W, pool[1], stride[1], padding);
  const data: number[] = [];
  for (let b = 0; b < N; b++)
    for (let oy = 0; oy < OH; oy++)
      for (let ox = 0; ox < OW; ox++)
        for (let c = 0; c < C; c++) {
          const vals: number[] = [];
          for (let r = 0; r < pool[0]; r++)
            for (let q = 0; q < pool[1]; q++) {
              const iy = oy * stride[0] + r - pt;
              const ix = ox * stride[1] + q - pl;
              if (iy >= 0 && ix >= 0 && iy < H && ix < W) vals.push(x.data[ravel([b, iy, ix, c], x.shape)]);
            }
          data.push(fn === 'max' ? Math.max(...vals) : vals.reduce((s, v) => s + v, 0) / vals.length);
        }
  return { data, shape: [N, OH, OW, C] };
}

export function transposeRef(x: Arr, perm: number[]): Arr {
  const shape = perm.map((p) => x.shape[p]);
  const data: number[] = new Array(x.data.length);
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape);
    data[ravel(perm.map((p) => idx[p]), shape)] = x.data[i];
  }
  return { data, shape };
}
