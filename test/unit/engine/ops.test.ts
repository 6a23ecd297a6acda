// The op suite: every primitive on every backend in BACKENDS, forward against the float64
// references in reference.ts, gradients (through the autograd rules) against central
// finite differences of those references. Inputs are float32-exact; tolerances are stated
// per case (float32 forward: atol 1e-5, rtol 1e-4 unless a case says otherwise).

import assert from 'node:assert/strict';
import { valueAndGrads } from '../../../engine/src/autograd/backward';
import * as o from '../../../engine/src/ops';
import { setBackend, tensor, tidy } from '../../../engine/src/tensor';
import type { Tensor } from '../../../engine/src/tensor';
import type { Arr } from './helpers';
import { assertClose, describeBackends, finiteDifference, randomValues, read, readAll, sizeOf } from './helpers';
import * as ref from './reference';
import { conv2dTransposeRef } from './reference_conv_transpose';

interface InputSpec {
  shape: number[];
  /** Value range; `int` inputs are class or row indices in [0, hi). */
  lo?: number;
  hi?: number;
  int?: boolean;
  /** Keep values at least this far from zero (kinks of relu, abs, ...). */
  awayFromZero?: number;
}

interface OpCase {
  name: string;
  inputs: InputSpec[];
  run: (t: Tensor[]) => Tensor;
  ref: (a: Arr[]) => Arr;
  /** Skip the gradient check (ops with no gradient). */
  noGrad?: boolean;
  atol?: number;
  rtol?: number;
}

const unaryCases: OpCase[] = Object.keys(ref.UNARY_REF).map((fn) => ({
  name: `unary ${fn}`,
  inputs: [{ shape: [3, 5], lo: fn === 'log' || fn === 'sqrt' ? 0.2 : -2.5, hi: 2.5, awayFromZero: 0.05 }],
  run: ([x]) => o.unary(x, fn as Parameters<typeof o.unary>[1], fn === 'elu' ? 1 : fn === 'leaky_relu' ? 0.01 : undefined),
  ref: ([x]) => ref.map(x, ref.UNARY_REF[fn]),
}));

const binaryFns: [string, (a: number, b: number) => number][] = [
  ['add', (a, b) => a + b],
  ['sub', (a, b) => a - b],
  ['mul', (a, b) => a * b],
  ['div', (a, b) => a / b],
  ['max', (a, b) => Math.max(a, b)],
  ['min', (a, b) => Math.min(a, b)],
];
const binaryCases: OpCase[] = binaryFns.flatMap(([fn, f]) =>
  [
    [[2, 3, 4], [2, 3, 4]],
    [[2, 3, 4], [3, 1]],
    [[4], [2, 1, 4]],
    [[2, 3], []],
  ].map(([sa, sb]) => ({
    name: `binary ${fn} [${sa}] [${sb}]`,
    inputs: [{ shape: sa, lo: 0.5, hi: 2 }, { shape: sb, lo: fn === 'div' ? 0.5 : -2, hi: 2 }],
    run: ([a, b]: Tensor[]) => o.binary(a, b, fn as 'add'),
    ref: ([a, b]: Arr[]) => ref.broadcastBinary(a, b, f),
  })),
);

const reduceCases: OpCase[] = (['sum', 'mean', 'max'] as const).flatMap((fn) =>
  [
    { axes: [1], keep: false },
    { axes: [0, 2], keep: true },
    { axes: [0, 1, 2], keep: false },
  ].map(({ axes, keep }) => ({
    name: `reduce ${fn} axes [${axes}] keepdims ${keep}`,
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]: Tensor[]) => (fn === 'sum' ? o.sum : fn === 'mean' ? o.mean : o.max)(x, axes, keep),
    ref: ([x]: Arr[]) => ref.reduceRef(x, axes, fn, keep),
  })),
);

const matmulCases: OpCase[] = [
  { a: [3, 4], b: [4, 5], tA: false, tB: false },
  { a: [4, 3], b: [4, 5], tA: true, tB: false },
  { a: [3, 4], b: [5, 4], tA: false, tB: true },
  { a: [4, 3], b: [5, 4], tA: true, tB: true },
  { a: [2, 3, 4], b: [2, 4, 5], tA: false, tB: false },
  { a: [2, 3, 4], b: [4, 5], tA: false, tB: false },
  { a: [2, 3, 4], b: [2, 5, 4], tA: false, tB: true },
].map(({ a, b, tA, tB }) => ({
  name: `matmul [${a}]${tA ? 'ᵀ' : ''} x [${b}]${tB ? 'ᵀ' : ''}`,
  inputs: [{ shape: a }, { shape: b }],
  run: ([x, y]: Tensor[]) => o.matmul(x, y, { transA: tA, transB: tB }),
  ref: ([x, y]: Arr[]) => ref.matmulRef(x, y, tA, tB),
}));

const fusedCases: OpCase[] = (['relu', 'sigmoid', 'tanh'] as const).map((act) => ({
  name: `matmul fused bias + ${act}`,
  inputs: [{ shape: [2, 3, 4] }, { shape: [4, 5] }, { shape: [5] }],
  run: ([x, w, b]: Tensor[]) => o.matmul(x, w, { bias: b, activation: act }),
  ref: ([x, w, b]: Arr[]) => ref.map(ref.broadcastBinary(ref.matmulRef(x, w), b, (p, q) => p + q), ref.UNARY_REF[act]),
}));

const convCases: OpCase[] = [
  { x: [2, 5, 5, 2], w: [3, 3, 2, 3], s: [1, 1], p: 'valid' },
  { x: [2, 5, 5, 2], w: [3, 3, 2, 3], s: [1, 1], p: 'same' },
  { x: [1, 6, 7, 2], w: [3, 2, 2, 2], s: [2, 2], p: 'same' },
  { x: [1, 6, 7, 2], w: [2, 3, 2, 2], s: [2, 1], p: 'valid' },
  { x: [1, 4, 4, 1], w: [2, 2, 1, 1], s: [2, 2], p: 'same' },
].map(({ x, w, s, p }) => ({
  name: `conv2d x[${x}] w[${w}] stride ${s} ${p}`,
  inputs: [{ shape: x }, { shape: w }],
  run: ([a, b]: Tensor[]) => o.conv2d(a, b, { stride: s as [number, number], padding: p as 'same' }),
  ref: ([a, b]: Arr[]) => ref.conv2dRef(a, b, s as [number, number], p as 'same'),
}));

const conv1dCase: OpCase = {
  name: 'conv1d stride 2 same',
  inputs: [{ shape: [2, 7, 3] }, { shape: [3, 3, 2] }],
  run: ([a, b]) => o.conv1d(a, b, { stride: 2, padding: 'same' }),
  ref: ([a, b]) => {
    const y = ref.conv2dRef({ data: a.data, shape: [2, 1, 7, 3] }, { data: b.data, shape: [1, 3, 3, 2] }, [1, 2], 'same');
    return { data: y.data, shape: [2, y.shape[2], 2] };
  },
};

// Transposed convolutions: k > s, k < s (valid adds nothing) and odd 'same' padding.
const convTransposeCases: OpCase[] = [
  { x: [2, 3, 4, 2], w: [3, 3, 3, 2], s: [2, 2], p: 'valid' },
  { x: [1, 3, 3, 2], w: [3, 2, 2, 2], s: [2, 3], p: 'same' },
  { x: [1, 4, 3, 1], w: [1, 2, 2, 1], s: [3, 3], p: 'valid' },
].map(({ x, w, s, p }) => ({
  name: `conv2dTranspose x[${x}] w[${w}] stride ${s} ${p}`,
  inputs: [{ shape: x }, { shape: w }],
  run: ([a, b]: Tensor[]) => o.conv2dTranspose(a, b, { stride: s as [number, number], padding: p as 'same' }),
  ref: ([a, b]: Arr[]) => conv2dTransposeRef(a, b, s as [number, number], p as 'same'),
}));

const poolCases: OpCase[] = (['max', 'avg'] as const).flatMap((fn) =>
  [
    { x: [2, 4, 4, 2], k: [2, 2], s: [2, 2], p: 'valid' },
    { x: [1, 5, 5, 2], k: [2, 2], s: [2, 2], p: 'same' },
    { x: [1, 5, 6, 1], k: [3, 3], s: [1, 2], p: 'same' },
    { x: [1, 5, 5, 1], k: [3, 2], s: [2, 1], p: 'valid' },
  ].map(({ x, k, s, p }) => ({
    name: `pool2d ${fn} x[${x}] pool ${k} stride ${s} ${p}`,
    inputs: [{ shape: x }],
    run: ([a]: Tensor[]) => o.pool2d(a, fn, { pool: k as [number, number], stride: s as [number, number], padding: p as 'same' }),
    ref: ([a]: Arr[]) => ref.pool2dRef(a, fn, k as [number, number], s as [number, number], p as 'same'),
  })),
);

const shapeCases: OpCase[] = [
  {
    name: 'softmax last axis',
    inputs: [{ shape: [3, 5], lo: -3, hi: 3 }],
    run: ([x]) => o.softmax(x),
    ref: ([x]) => ref.softmaxRef(x, false),
  },
  {
    name: 'log-softmax last axis',
    inputs: [{ shape: [3, 5], lo: -3, hi: 3 }],
    run: ([x]) => o.logSoftmax(x),
    ref: ([x]) => ref.softmaxRef(x, true),
  },
  {
    name: 'softmax axis 0 (via transpose)',
    inputs: [{ shape: [4, 3] }],
    run: ([x]) => o.softmax(x, 0),
    ref: ([x]) => ref.transposeRef(ref.softmaxRef(ref.transposeRef(x, [1, 0]), false), [1, 0]),
  },
  {
    name: 'transpose [2,3,4] perm 2,0,1',
    inputs: [{ shape: [2, 3, 4] }],
    run: ([x]) => o.transpose(x, [2, 0, 1]),
    ref: ([x]) => ref.transposeRef(x, [2, 0, 1]),
  },
  {
    name: 'concat axis 1',
    inputs: [{ shape: [2, 2, 3] }, { shape: [2, 1, 3] }, { shape: [2, 3, 3] }],
    run: (ts) => o.concat(ts, 1),
    ref: (as) => ref.transposeRef(
      { data: [0, 1].flatMap((b) => as.flatMap((a) => a.data.slice(b * a.shape[1] * 3, (b + 1) * a.shape[1] * 3))), shape: [2, 6, 3] },
      [0, 1, 2],
    ),
  },
  {
    name: 'slice',
    inputs: [{ shape: [3, 4, 2] }],
    run: ([x]) => o.slice(x, [1, 1, 0], [2, 2, 2]),
    ref: ([x]) => {
      const data: number[] = [];
      for (let i = 1; i < 3; i++) for (let j = 1; j < 3; j++) for (let k = 0; k < 2; k++) data.push(x.data[(i * 4 + j) * 2 + k]);
      return { data, shape: [2, 2, 2] };
    },
  },
  {
    // slice's adjoint is also zero padding, so it has a gradient of its own (a slice).
    name: 'pad (slice_grad)',
    inputs: [{ shape: [2, 2, 3] }],
    run: ([x]) => o.pad(x, [0, 1, 2], [2, 4, 6]),
    ref: ([x]) => {
      const data = new Array<number>(2 * 4 * 6).fill(0);
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) data[(i * 4 + j + 1) * 6 + k + 2] = x.data[(i * 2 + j) * 3 + k];
      return { data, shape: [2, 4, 6] };
    },
  },
  {
    name: 'reshape then broadcast',
    inputs: [{ shape: [6] }],
    run: ([x]) => o.broadcastTo(o.reshape(x, [2, 1, 3]), [2, 4, 3]),
    ref: ([x]) => ref.broadcastBinary({ data: x.data, shape: [2, 1, 3] }, { data: new Array(12).fill(0), shape: [4, 3] }, (p) => p),
  },
  {
    name: 'embedding gather (indices include an out-of-range row)',
    inputs: [{ shape: [5, 3] }, { shape: [2, 3], int: true, hi: 6 }],
    run: ([t, i]) => o.embedding(t, i),
    ref: ([t, i]) => ({
      data: i.data.flatMap((r) => (r < 5 ? t.data.slice(r * 3, r * 3 + 3) : [0, 0, 0])),
      shape: [2, 3, 3],
    }),
  },
  {
    name: 'layer norm',
    inputs: [{ shape: [3, 5] }, { shape: [5] }, { shape: [5] }],
    run: ([x, g, b]) => o.layerNorm(x, g, b, 1e-3),
    ref: ([x, g, b]) => {
      const data: number[] = [];
      for (let r = 0; r < 3; r++) {
        const row = x.data.slice(r * 5, r * 5 + 5);
        const mu = row.reduce((s, v) => s + v, 0) / 5;
        const v = row.reduce((s, q) => s + (q - mu) ** 2, 0) / 5;
        row.forEach((q, j) => data.push(((q - mu) / Math.sqrt(v + 1e-3)) * g.data[j] + b.data[j]));
      }
      return { data, shape: [3, 5] };
    },
  },
  {
    name: 'batch norm (training statistics)',
    inputs: [{ shape: [4, 3] }, { shape: [3] }, { shape: [3] }],
    run: ([x, g, b]) => tidy(() => o.batchNorm(x, { gamma: g, beta: b, movingMean: o.fill([3], 0), movingVariance: o.fill([3], 1) }, 1e-3, true).y),
    ref: ([x, g, b]) => {
      const data = new Array(12).fill(0);
      for (let j = 0; j < 3; j++) {
        const col = [0, 1, 2, 3].map((r) => x.data[r * 3 + j]);
        const mu = col.reduce((s, v) => s + v, 0) / 4;
        const v = col.reduce((s, q) => s + (q - mu) ** 2, 0) / 4;
        col.forEach((q, r) => (data[r * 3 + j] = ((q - mu) / Math.sqrt(v + 1e-3)) * g.data[j] + b.data[j]));
      }
      return { data, shape: [4, 3] };
    },
  },
];

const CASES: OpCase[] = [...unaryCases, ...binaryCases, ...reduceCases, ...matmulCases, ...fusedCases, ...convCases, conv1dCase, ...convTransposeCases, ...poolCases, ...shapeCases];

function makeInputs(c: OpCase, seed: number): Arr[] {
  return c.inputs.map((s, k) => {
    const n = sizeOf(s.shape);
    if (s.int) return { data: randomValues(n, seed + k, 0, s.hi ?? 2).map(Math.floor), shape: s.shape };
    let data = randomValues(n, seed + k, s.lo ?? -1, s.hi ?? 1);
    const away = s.awayFromZero;
    if (away) data = data.map((v) => (Math.abs(v) < away ? Math.fround(v < 0 ? v - away : v + away) : v));
    return { data, shape: s.shape };
  });
}

describeBackends('op suite', (test) => {
  CASES.forEach((c, ci) => {
    test(`${c.name}: forward and gradient`, async () => {
      const arrs = makeInputs(c, 1000 + ci * 7);
      const expected = c.ref(arrs);
      // Loss = sum(y * r) for fixed random r, so every output element's gradient matters.
      const r = randomValues(expected.data.length, 99 + ci);
      const { y, grads } = tidy(() => {
        const ts = arrs.map((a, k) => tensor(a.data, a.shape, c.inputs[k].int ? 'int32' : 'float32'));
        const y = c.run(ts);
        if (c.noGrad) return { y, grads: [] as Tensor[] };
        const rT = tensor(r, expected.shape);
        const floats = ts.filter((_t, k) => !c.inputs[k].int);
        return { y, grads: valueAndGrads(() => o.sum(o.mul(c.run(ts), rT)), floats).grads };
      });
      const shape = [...y.shape];
      const [yv, ...gv] = await readAll([y, ...grads]);
      assertClose(shape, expected.shape, 0, 0, `${c.name} shape`);
      assertClose(yv, expected.data, c.atol ?? 1e-5, c.rtol ?? 1e-4, `${c.name} forward`);
      if (c.noGrad) return;
      let g = 0;
      arrs.forEach((a, k) => {
        if (c.inputs[k].int) return;
        const f = (x: number[]) => {
          const args = arrs.map((b, j) => (j === k ? { data: x, shape: b.shape } : b));
          return c.ref(args).data.reduce((s, v, i) => s + v * r[i], 0);
        };
        assertClose(gv[g++], finiteDifference(f, a.data), 1e-4, 1e-3, `${c.name} gradient of input ${k}`);
      });
    });
  });
});

describeBackends('value-moving ops', (test) => {
  test('one_hot, cast, fill and int32 arithmetic', async () => {
    const idx = tensor([2, 0, -1, 3], [2, 2], 'int32');
    const { hot, c, back, filled, sum } = tidy(() => {
      const c = o.cast(tensor([1.7, -1.7, 3], [3]), 'int32');
      return {
        hot: o.oneHot(idx, 3),
        c,
        back: o.cast(c, 'float32'),
        filled: o.fill([2, 2], 2.5),
        sum: o.add(tensor([1, 2], [2], 'int32'), tensor([10], [1], 'int32')),
      };
    });
    assert.deepEqual(hot.shape, [2, 2, 3]);
    assert.equal(c.dtype, 'int32');
    assert.equal(back.dtype, 'float32');
    assert.equal(sum.dtype, 'int32');
    const [hv, cv, bv, fv, sv] = await readAll([hot, c, back, filled, sum, idx]);
    assert.deepEqual([...hv], [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.ok(cv instanceof Int32Array, 'cast to int32 reads back as Int32Array');
    assert.deepEqual([...cv], [1, -1, 3]);
    assert.deepEqual([...bv], [1, -1, 3]);
    assert.deepEqual([...fv], [2.5, 2.5, 2.5, 2.5]);
    assert.ok(sv instanceof Int32Array, 'int32 sum reads back as Int32Array');
    assert.deepEqual([...sv], [11, 12]);
  });

  test('reshape shares the buffer and survives disposing the original', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const v = o.reshape(x, [3, -1]);
    assert.deepEqual([...v.shape], [3, 2]);
    x.dispose();
    assert.deepEqual(await read(v), [1, 2, 3, 4, 5, 6]);
    v.dispose();
    await assert.rejects(v.data(), /after dispose/);
  });

  test('async download returns the values', async () => {
    const x = tensor([1, 2, 3], [3]);
    assert.deepEqual(await read(x), [1, 2, 3]);
    x.dispose();
  });
});
