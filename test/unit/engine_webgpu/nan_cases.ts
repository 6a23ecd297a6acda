// Parity cases with NaN (and other non-finite) inputs. The CPU reference decides what a NaN
// does in each op; the WebGPU kernels must give the same bits, because a NaN activation that
// vanishes on the GPU (as WGSL's max and min may make it) would let training go on silently
// where the CPU run stops. NaN always wins (nan_semantics.test.ts states the values); the
// cases place NaNs both first and later in each window, row and operand pair, so a kernel
// that only lets a NaN through in one position fails here.

import type { OpAttrs } from '../../../engine/src/backend';
import { unaryFn } from '../../../engine/src/cpu/elementwise';
import type { ParityCase } from './cases';
import type { HostInput } from './harness';
import { floats } from './harness';

const exact = { exact: true };

function c<K extends keyof OpAttrs>(name: string, op: K, inputs: HostInput[], attrs: OpAttrs[K], tol: Partial<Pick<ParityCase, 'exact' | 'atol' | 'rtol'>> = exact): ParityCase {
  return { name, op, inputs, attrs: attrs as OpAttrs[keyof OpAttrs], ...tol };
}

/** `h` with NaN written at every index i where i % every === phase. */
function withNaN(h: HostInput, every: number, phase = 0): HostInput {
  const data = Float32Array.from(h.data);
  for (let i = phase; i < data.length; i += every) data[i] = NaN;
  return { ...h, data };
}

function vec(values: number[]): HostInput {
  return { shape: [values.length], dtype: 'float32', data: Float32Array.from(values) };
}

/** Coarse floats (so ties occur) with NaNs at scattered positions. */
function coarseNaN(shape: number[], seed: number, every: number, phase: number): HostInput {
  const h = floats(shape, seed, -2, 2);
  for (let i = 0; i < h.data.length; i++) h.data[i] = Math.round(h.data[i] * 2) / 2;
  return withNaN(h, every, phase);
}

function reduceNaN(): ParityCase[] {
  const out: ParityCase[] = [
    c('nan: reduce max over [-5, NaN]', 'reduce', [vec([-5, NaN])], { fn: 'max', axes: [0], keepdims: false }),
    c('nan: reduce max over [NaN, -5]', 'reduce', [vec([NaN, -5])], { fn: 'max', axes: [0], keepdims: false }),
    c('nan: reduce max over [NaN, Infinity, 3]', 'reduce', [vec([NaN, Infinity, 3])], { fn: 'max', axes: [0], keepdims: false }),
  ];
  for (const fn of ['max', 'sum', 'mean'] as const) {
    const tol = fn === 'max' ? exact : { atol: 1e-5, rtol: 1e-4 };
    out.push(c(`nan: reduce ${fn} long rows, one NaN late in a row`, 'reduce', [withNaN(floats([3, 1001], 1700), 2000, 777)], { fn, axes: [1], keepdims: false }, tol));
    out.push(c(`nan: reduce ${fn} axes [0,2], scattered NaNs`, 'reduce', [withNaN(floats([3, 50, 7], 1701), 97, 13)], { fn, axes: [0, 2], keepdims: true }, tol));
  }
  return out;
}

function binaryNaN(): ParityCase[] {
  const out: ParityCase[] = [];
  const a = vec([NaN, 1, NaN, -2, 0, NaN]);
  const b = vec([1, NaN, NaN, -3, NaN, -Infinity]);
  for (const fn of ['max', 'min', 'ge', 'lt', 'eq', 'add'] as const) {
    out.push(c(`nan: binary ${fn} with NaN in either operand`, 'binary', [a, b], { fn }));
    out.push(c(`nan: binary ${fn} broadcast, NaNs in both`, 'binary', [coarseNaN([4, 1, 6], 1710, 5, 2), coarseNaN([3, 1], 1711, 2, 1)], { fn }));
  }
  out.push(c('nan: binary max with a NaN scalar', 'binary', [vec([NaN]), coarseNaN([5, 7], 1712, 9, 4)].map((h, i) => (i === 0 ? { ...h, shape: [] } : h)), { fn: 'max' }));
  return out;
}

function poolNaN(cpuPool: (x: HostInput, attrs: OpAttrs['pool2d']) => HostInput): ParityCase[] {
  const out: ParityCase[] = [];
  const geometries: { pool: [number, number]; stride: [number, number]; padding: 'valid' | 'same' }[] = [
    { pool: [2, 2], stride: [2, 2], padding: 'valid' },
    { pool: [3, 3], stride: [1, 1], padding: 'same' },
  ];
  [5, 11].forEach((every, k) => {
    const x = coarseNaN([2, 7, 9, 3], 1720 + k, every, k + 1);
    for (const g of geometries) {
      for (const fn of ['max', 'avg'] as const) {
        const attrs = { fn, ...g };
        const tag = `${fn} pool ${g.pool} stride ${g.stride} ${g.padding}, NaN every ${every}`;
        out.push(c(`nan: pool2d ${tag}`, 'pool2d', [x], attrs, fn === 'max' ? exact : { atol: 1e-6, rtol: 1e-6 }));
        const y = cpuPool(x, attrs);
        out.push(c(`nan: pool2d_grad ${tag}`, 'pool2d_grad', [x, y, floats(y.shape, 1730 + k)], attrs, { atol: 1e-5, rtol: 1e-4 }));
      }
    }
  });
  return out;
}

function castNaN(): ParityCase[] {
  const special = vec([NaN, -NaN, Infinity, -Infinity, 0, -0, 0.9, -0.9, 2147483520, -2147483648, 2147483648, -2147483904, 3e9, -3e9, 4294967296, 1.5e10, -1.5e10, 1e20, -1e20, 3.4e38, 16777217, -8388609.5, 1e-40]);
  return [
    c('nan: cast NaN, infinities and out-of-range floats to int32', 'cast', [special], { dtype: 'int32' }),
    c('nan: cast scattered NaNs to int32', 'cast', [withNaN(floats([40], 1740, -5, 5), 3, 1)], { dtype: 'int32' }),
  ];
}

function softmaxNaN(): ParityCase[] {
  const x = withNaN(floats([4, 10], 1750, -5, 5), 23, 6);
  return [
    c('nan: softmax, a NaN in some rows', 'softmax', [x], { log: false }, { atol: 1e-5, rtol: 1e-4 }),
    c('nan: log_softmax, a NaN in some rows', 'softmax', [x], { log: true }, { atol: 1e-5, rtol: 1e-4 }),
  ];
}

function unaryNaN(): ParityCase[] {
  const x = vec([NaN, -1, 0.5, NaN, 2, -Infinity, Infinity, -0.25]);
  const g = vec([1, 2, 3, 4, 5, 6, 7, NaN]);
  const out: ParityCase[] = [];
  const fns: { fn: 'relu' | 'leaky_relu' | 'elu' | 'sign' | 'abs' | 'clip'; alpha?: number; beta?: number }[] = [
    { fn: 'relu' }, { fn: 'leaky_relu', alpha: 0.1 }, { fn: 'elu', alpha: 1 }, { fn: 'sign' }, { fn: 'abs' }, { fn: 'clip', alpha: -0.5, beta: 0.75 },
  ];
  for (const { fn, alpha, beta } of fns) {
    out.push(c(`nan: unary ${fn}`, 'unary', [x], { fn, alpha, beta }, { atol: 1e-6, rtol: 1e-6 }));
    const y = vec(Array.from(x.data, unaryFn(fn, alpha, beta)));
    out.push(c(`nan: unary_grad ${fn}`, 'unary_grad', [x, y, g], { fn, alpha, beta }, { atol: 1e-6, rtol: 1e-6 }));
  }
  const b = floats([3, 4], 1760);
  out.push(c('nan: matmul + relu with a NaN row', 'matmul', [withNaN(floats([5, 3], 1761), 15, 4), b], { transA: false, transB: false, activation: 'relu' }, { atol: 1e-5, rtol: 1e-4 }));
  return out;
}

export function nanCases(cpuPool: (x: HostInput, attrs: OpAttrs['pool2d']) => HostInput): ParityCase[] {
  return [...unaryNaN(), ...reduceNaN(), ...binaryNaN(), ...poolNaN(cpuPool), ...castNaN(), ...softmaxNaN()];
}
