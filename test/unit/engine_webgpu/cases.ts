// The parity cases: every primitive op with seeded inputs chosen to reach its corners
// (every UnaryFn, BinaryFn and ReduceFn; broadcasting; both paddings; strides 1 and 2;
// every transpose of matmul; sizes that are not multiples of any tile; batch > 1; ties
// for max pooling; indices out of range). Each case runs on the CPU reference and on
// WebGPU, and states its tolerance; integer, data-movement and mask ops must be exact.

import type { OpAttrs, OpName, ReduceFn, UnaryFn } from '../../../engine/src/backend';
import { BINARY_FN_NAMES } from '../../../engine/src/primitives/binary_fns';
import { outputShape } from '../../../engine/src/primitives/index';
import { unaryFn } from '../../../engine/src/cpu/elementwise';
import type { HostInput } from './harness';
import { floats, ints } from './harness';
import { nanCases } from './nan_cases';

export interface ParityCase {
  name: string;
  op: OpName;
  inputs: HostInput[];
  attrs: OpAttrs[OpName];
  /** Exact agreement (bit-for-bit values) instead of atol/rtol. */
  exact?: boolean;
  atol?: number;
  rtol?: number;
}

function c<K extends OpName>(name: string, op: K, inputs: HostInput[], attrs: OpAttrs[K], tol: Partial<Pick<ParityCase, 'exact' | 'atol' | 'rtol'>> = {}): ParityCase {
  return { name, op, inputs, attrs: attrs as OpAttrs[OpName], ...tol };
}

/** Floats on a half-integer grid, so equal values (ties, eq) actually occur. */
function coarse(shape: number[], seed: number, lo = -3, hi = 3): HostInput {
  const h = floats(shape, seed, lo, hi);
  for (let i = 0; i < h.data.length; i++) h.data[i] = Math.round(h.data[i] * 2) / 2;
  return h;
}

const UNARY_ARGS: Record<UnaryFn, { alpha?: number; beta?: number; lo?: number; hi?: number }> = {
  relu: {}, sigmoid: { lo: -8, hi: 8 }, tanh: { lo: -6, hi: 6 }, gelu: { lo: -4, hi: 4 }, silu: { lo: -6, hi: 6 },
  elu: { alpha: 1 }, leaky_relu: { alpha: 0.1 }, exp: {}, log: { lo: 0.1, hi: 5 }, neg: {},
  sqrt: { lo: 0.1, hi: 5 }, abs: {}, square: {}, sign: {}, affine: { alpha: 1.5, beta: -0.25 },
  clip: { alpha: -0.5, beta: 0.75 }, pow: { alpha: 3 },
};

function unaryCases(): ParityCase[] {
  const out: ParityCase[] = [];
  (Object.keys(UNARY_ARGS) as UnaryFn[]).forEach((fn, k) => {
    const { alpha, beta, lo = -3, hi = 3 } = UNARY_ARGS[fn];
    const x = floats([7, 37], 100 + k, lo, hi, 0.02);
    out.push(c(`unary ${fn}`, 'unary', [x], { fn, alpha, beta }));
    const f = unaryFn(fn, alpha, beta);
    const y: HostInput = { shape: x.shape, dtype: 'float32', data: Float32Array.from(x.data, f) };
    out.push(c(`unary_grad ${fn}`, 'unary_grad', [x, y, floats([7, 37], 200 + k)], { fn, alpha, beta }));
  });
  out.push(c('unary pow 0.5 (fractional exponent)', 'unary', [floats([50], 7, 0.1, 4)], { fn: 'pow', alpha: 0.5 }));
  out.push(c('unary pow -2 (negative base, even exponent)', 'unary', [floats([50], 8, -3, -0.2)], { fn: 'pow', alpha: -2 }));
  return out;
}

function binaryCases(): ParityCase[] {
  const fns = BINARY_FN_NAMES;
  const out: ParityCase[] = [];
  fns.forEach((fn, k) => {
    const exact = fn === 'ge' || fn === 'lt' || fn === 'eq' || fn === 'max' || fn === 'min';
    const tol = { exact, atol: 1e-6, rtol: 1e-6 };
    const b = (s: number[], seed: number): HostInput => (fn === 'div' ? floats(s, seed, 0.5, 2) : coarse(s, seed));
    out.push(c(`binary ${fn} same shape`, 'binary', [coarse([5, 33], 300 + k), b([5, 33], 400 + k)], { fn }, tol));
    out.push(c(`binary ${fn} broadcast [4,1,6] with [3,1]`, 'binary', [coarse([4, 1, 6], 500 + k), b([3, 1], 600 + k)], { fn }, tol));
    out.push(c(`binary ${fn} scalar operand`, 'binary', [b([], 700 + k), coarse([5, 7], 800 + k)], { fn }, tol));
    if (fn !== 'div') out.push(c(`binary ${fn} int32`, 'binary', [ints([6, 5], 900 + k, -50, 50), ints([5], 950 + k, -50, 50)], { fn }, { exact: true }));
  });
  return out;
}

function reduceCases(): ParityCase[] {
  const fns: ReduceFn[] = ['sum', 'mean', 'max'];
  const out: ParityCase[] = [];
  const axesList = [[1], [0, 2], [0, 1, 2], [2]];
  fns.forEach((fn, k) => {
    for (const axes of axesList) {
      for (const keepdims of [false, true]) {
        out.push(c(`reduce ${fn} axes [${axes}] keepdims ${keepdims}`, 'reduce', [floats([3, 50, 7], 1000 + k)], { fn, axes, keepdims }));
      }
    }
    out.push(c(`reduce ${fn} long rows`, 'reduce', [floats([2, 1001], 1100 + k)], { fn, axes: [1], keepdims: false }));
    out.push(c(`reduce ${fn} int32`, 'reduce', [ints([4, 6], 1200 + k, -20, 20)], { fn, axes: [0], keepdims: false }, { exact: fn !== 'mean', atol: 1e-6, rtol: 1e-6 }));
  });
  return out;
}

function matmulCases(): ParityCase[] {
  const out: ParityCase[] = [];
  const [m, k, n] = [37, 29, 45];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const a = floats(transA ? [k, m] : [m, k], 1300);
      const b = floats(transB ? [n, k] : [k, n], 1301);
      out.push(c(`matmul ${m}x${k}x${n} transA ${transA} transB ${transB}`, 'matmul', [a, b], { transA, transB, activation: 'linear' }));
      const ab = floats(transA ? [3, 9, 17] : [3, 17, 9], 1302);
      const bb = floats(transB ? [3, 13, 9] : [3, 9, 13], 1303);
      out.push(c(`matmul batched 3 transA ${transA} transB ${transB}`, 'matmul', [ab, bb], { transA, transB, activation: 'linear' }));
    }
  }
  out.push(c('matmul batched a with unbatched b', 'matmul', [floats([2, 5, 70], 1304), floats([70, 3], 1305)], { transA: false, transB: false, activation: 'linear' }));
  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    out.push(c(`matmul + bias + ${activation}`, 'matmul', [floats([33, 20], 1306), floats([20, 66], 1307), floats([66], 1308)], { transA: false, transB: false, activation }));
  }
  out.push(c('matmul 130x70x129 (several tiles, ragged edges)', 'matmul', [floats([130, 70], 1309), floats([70, 129], 1310)], { transA: false, transB: false, activation: 'linear' }));
  return out;
}

function convCases(): ParityCase[] {
  const out: ParityCase[] = [];
  const x = floats([2, 9, 11, 3], 1400);
  const geometries: { k: [number, number]; stride: [number, number] }[] = [
    { k: [3, 3], stride: [1, 1] },
    { k: [3, 3], stride: [2, 2] },
    { k: [2, 4], stride: [2, 1] },
  ];
  geometries.forEach(({ k, stride }, g) => {
    for (const padding of ['valid', 'same'] as const) {
      const w = floats([k[0], k[1], 3, 5], 1410 + g);
      const tag = `k ${k} stride ${stride} ${padding}`;
      out.push(c(`conv2d ${tag}`, 'conv2d', [x, w], { stride, padding }));
      const dyShape = outputShape('conv2d', [x.shape, w.shape], { stride, padding });
      const dy = floats(dyShape, 1420 + g);
      out.push(c(`conv2d_grad_input ${tag}`, 'conv2d_grad_input', [dy, w], { stride, padding, inputShape: x.shape }));
      out.push(c(`conv2d_grad_filter ${tag}`, 'conv2d_grad_filter', [x, dy], { stride, padding, filterShape: w.shape }));
    }
  });
  return out;
}

export function poolCases(cpuPool: (x: HostInput, attrs: OpAttrs['pool2d']) => HostInput): ParityCase[] {
  const out: ParityCase[] = [];
  const x = coarse([2, 7, 9, 3], 1500, -2, 2);
  const geometries: { pool: [number, number]; stride: [number, number] }[] = [
    { pool: [2, 2], stride: [2, 2] },
    { pool: [3, 3], stride: [1, 1] },
    { pool: [3, 2], stride: [2, 1] },
  ];
  for (const fn of ['max', 'avg'] as const) {
    geometries.forEach(({ pool, stride }, g) => {
      for (const padding of ['valid', 'same'] as const) {
        const attrs = { fn, pool, stride, padding };
        const tag = `${fn} pool ${pool} stride ${stride} ${padding}`;
        out.push(c(`pool2d ${tag}`, 'pool2d', [x], attrs, { exact: fn === 'max' }));
        const y = cpuPool(x, attrs);
        out.push(c(`pool2d_grad ${tag}`, 'pool2d_grad', [x, y, floats(y.shape, 1510 + g)], attrs));
      }
    });
  }
  return out;
}

function indexingCases(): ParityCase[] {
  const exact = { exact: true };
  const out: ParityCase[] = [
    c('gather float table, out-of-range rows', 'gather', [floats([10, 6], 1600), ints([3, 5], 1601, -2, 12)], {}, exact),
    c('gather int32 table', 'gather', [ints([4, 3], 1602, -9, 9), ints([7], 1603, 0, 4)], {}, exact),
    c('scatter_add repeated and out-of-range indices', 'scatter_add', [ints([4, 5], 1604, -1, 8), floats([4, 5, 6], 1605)], { rows: 7 }, { atol: 1e-6, rtol: 1e-6 }),
    c('one_hot', 'one_hot', [ints([9], 1606, -1, 6)], { depth: 5 }, exact),
    c('one_hot 2-d indices', 'one_hot', [ints([3, 4], 1607, 0, 3)], { depth: 3 }, exact),
    c('transpose rank 4', 'transpose', [floats([2, 3, 4, 5], 1608)], { perm: [3, 1, 0, 2] }, exact),
    c('transpose int32 matrix', 'transpose', [ints([33, 17], 1609, -100, 100)], { perm: [1, 0] }, exact),
    c('concat axis 0', 'concat', [floats([2, 3], 1610), floats([1, 3], 1611), floats([4, 3], 1612)], { axis: 0 }, exact),
    c('concat axis 1 of three', 'concat', [floats([2, 3, 2], 1613), floats([2, 1, 2], 1614), floats([2, 5, 2], 1615)], { axis: 1 }, exact),
    c('concat last axis', 'concat', [floats([3, 2], 1616), floats([3, 7], 1617)], { axis: 1 }, exact),
    c('slice rank 3', 'slice', [floats([5, 6, 7], 1618)], { begin: [1, 2, 3], size: [3, 2, 4] }, exact),
    c('slice_grad rank 3', 'slice_grad', [floats([3, 2, 4], 1619)], { begin: [1, 2, 3], shape: [5, 6, 7] }, exact),
    c('broadcast [3,1] to [2,3,4]', 'broadcast', [floats([3, 1], 1620)], { shape: [2, 3, 4] }, exact),
    c('broadcast scalar to [5]', 'broadcast', [floats([], 1621)], { shape: [5] }, exact),
    c('fill float32', 'fill', [], { shape: [3, 5], value: 2.5, dtype: 'float32' }, exact),
    c('fill int32 truncates', 'fill', [], { shape: [7], value: -7.9, dtype: 'int32' }, exact),
    c('cast float32 to int32 truncates toward zero', 'cast', [floats([40], 1622, -5, 5)], { dtype: 'int32' }, exact),
    c('cast int32 to float32', 'cast', [ints([40], 1623, -1000, 1000)], { dtype: 'float32' }, exact),
    c('softmax', 'softmax', [floats([4, 10], 1624, -5, 5)], { log: false }),
    c('log_softmax', 'softmax', [floats([4, 10], 1625, -5, 5)], { log: true }),
    c('softmax long rows', 'softmax', [floats([3, 300], 1626, -20, 20)], { log: false }),
    c('log_softmax long rows', 'softmax', [floats([3, 300], 1627, -20, 20)], { log: true }),
  ];
  const masks: OpAttrs['dropout_mask'][] = [
    { shape: [1000], rate: 0.3, seed: 42, step: 7 },
    { shape: [17, 19], rate: 0.5, seed: 2 ** 32 + 5, step: 0 },
    { shape: [64], rate: 0, seed: -3, step: 123456789 },
    { shape: [300], rate: 0.9, seed: 7, step: 2 ** 31 + 1 },
  ];
  for (const m of masks) out.push(c(`dropout_mask rate ${m.rate} seed ${m.seed} step ${m.step}`, 'dropout_mask', [], m, exact));
  return out;
}

export function parityCases(cpuPool: (x: HostInput, attrs: OpAttrs['pool2d']) => HostInput): ParityCase[] {
  return [...unaryCases(), ...binaryCases(), ...reduceCases(), ...matmulCases(), ...convCases(), ...poolCases(cpuPool), ...indexingCases(), ...nanCases(cpuPool)];
}
