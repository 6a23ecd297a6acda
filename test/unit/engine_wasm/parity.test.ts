// The WebAssembly backend against the CPU reference: every parity case of the WebGPU suite
// (every op and function, both paddings, strides, transposes, ragged sizes, NaN cases),
// then edge shapes aimed at the GEMM's blocking (M, N, K of 1, not multiples of the 4x8
// register tile or of the 64/256/512 cache blocks, batch axes on either side, every
// transpose, fused bias and activations), convolutions large enough to take several
// im2col chunks, pooling with ties, overlap and NaN, and NaN through the SIMD paths. Then whole training runs
// (an MLP and a CNN, Adam) on the reference and on wasm with 1 and 2 threads from the same
// seed: every step's loss and the final weights agree within relative 1e-4.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Backend, OpAttrs, OpName } from '../../../engine/src/backend';
import { sizeOf } from '../../../engine/src/backend';
import { outputShape } from '../../../engine/src/primitives/index';
import { CpuBackend } from '../../../engine/src/cpu/backend';
import { setBackend } from '../../../engine/src/tensor';
import { train } from '../../../engine/src/train/run';
import type { Dataset } from '../../../engine/src/data/dataset';
import { WasmBackend, createWasmBackend, decodeBase64 } from '../../../engine/src/wasm/backend';
import { KERNELS_MT_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../../engine/src/wasm/kernels_wasm';
import { createWasmBackendThreaded } from '../../../engine/src/wasm/threads_node';
import type { ParityCase } from '../engine_webgpu/cases';
import { parityCases } from '../engine_webgpu/cases';
import type { HostInput } from '../engine_webgpu/harness';
import { assertClose, floats, lcg, runOp } from '../engine_webgpu/harness';
import { buildIR, config } from '../train/helpers';

const cpu = new CpuBackend();
const made = createWasmBackend();
assert.ok(made.ok, made.ok ? '' : made.reason);
const wasm: WasmBackend = made.backend;
const threaded = createWasmBackendThreaded(2);
assert.ok(threaded.ok, threaded.ok ? '' : threaded.reason);
const wasm2: WasmBackend = threaded.backend;

function cpuPool(x: HostInput, attrs: OpAttrs['pool2d']): HostInput {
  const shape = outputShape('pool2d', [x.shape], attrs);
  const xb = cpu.alloc(x.data.length * 4, 'float32');
  cpu.upload(xb, x.data);
  const yb = cpu.alloc(sizeOf(shape) * 4, 'float32');
  cpu.run('pool2d', [{ buffer: xb, shape: x.shape, dtype: 'float32' }], { buffer: yb, shape, dtype: 'float32' }, attrs);
  return { shape, dtype: 'float32', data: cpu.readSync(yb) };
}

function c<K extends OpName>(name: string, op: K, inputs: HostInput[], attrs: OpAttrs[K], tol: Partial<Pick<ParityCase, 'exact' | 'atol' | 'rtol'>> = {}): ParityCase {
  return { name, op, inputs, attrs: attrs as OpAttrs[OpName], ...tol };
}

function f32(shape: number[], values: number[]): HostInput {
  return { shape, dtype: 'float32', data: Float32Array.from(values) };
}

/** A matrix operand of logical size rows x cols, stored transposed when `t`. */
function operand(rows: number, cols: number, t: boolean, seed: number, batch: number[] = []): HostInput {
  return floats([...batch, ...(t ? [cols, rows] : [rows, cols])], seed);
}

function gemmCases(): ParityCase[] {
  const out: ParityCase[] = [];
  const sizes: [number, number, number][] = [
    [1, 1, 1], [1, 7, 1], [1, 1, 300], [5, 1, 9], [3, 9, 1], [4, 8, 4], [5, 9, 3], [7, 17, 33],
    [64, 128, 784], [65, 129, 257], [63, 513, 17], [130, 70, 129], [200, 10, 128], [1, 600, 600],
  ];
  let seed = 5000;
  for (const [m, n, k] of sizes) {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = operand(m, k, transA, seed++);
      const b = operand(k, n, transB, seed++);
      out.push(c(`gemm ${m}x${n}x${k} transA ${transA} transB ${transB}`, 'matmul', [a, b], { transA, transB, activation: 'linear' }));
    }
  }
  out.push(c('gemm K = 0 gives zeros', 'matmul', [floats([3, 0], 1), floats([0, 5], 2)], { transA: false, transB: false, activation: 'linear' }));
  out.push(c('gemm batched both sides [2,3] batch, transB', 'matmul', [operand(9, 13, false, 10, [2, 3]), operand(13, 11, true, 11, [2, 3])], { transA: false, transB: true, activation: 'linear' }));
  out.push(c('gemm batched a, unbatched b, transA', 'matmul', [operand(6, 20, true, 12, [4]), operand(20, 19, false, 13)], { transA: true, transB: false, activation: 'linear' }));
  for (const activation of ['linear', 'relu', 'sigmoid', 'tanh'] as const) {
    out.push(c(`gemm 37x21x50 + bias + ${activation}`, 'matmul', [floats([37, 50], 20), floats([50, 21], 21), floats([21], 22)], { transA: false, transB: false, activation }));
    out.push(c(`gemm 6x5x7 ${activation}, no bias`, 'matmul', [floats([6, 7], 23), floats([7, 5], 24)], { transA: false, transB: false, activation }));
  }
  out.push(c('gemm batched 3 + bias + relu', 'matmul', [floats([3, 10, 12], 25), floats([12, 9], 26), floats([9], 27)], { transA: false, transB: false, activation: 'relu' }));
  return out;
}

function convCases(): ParityCase[] {
  const out: ParityCase[] = [];
  const geoms: { x: number[]; w: number[]; stride: [number, number]; padding: 'same' | 'valid' }[] = [
    { x: [32, 28, 28, 1], w: [3, 3, 1, 16], stride: [1, 1], padding: 'same' },
    { x: [8, 14, 14, 16], w: [3, 3, 16, 32], stride: [1, 1], padding: 'same' },
    { x: [3, 9, 11, 5], w: [3, 2, 5, 7], stride: [2, 3], padding: 'same' },
    { x: [2, 10, 10, 3], w: [5, 5, 3, 4], stride: [2, 2], padding: 'valid' },
    { x: [4, 6, 6, 6], w: [1, 1, 6, 9], stride: [1, 1], padding: 'valid' },
    { x: [2, 7, 7, 4], w: [1, 1, 4, 3], stride: [2, 2], padding: 'same' },
    // Few channels and F a multiple of 4: the direct kernel (F = 20 takes a 16 and a 4 block).
    { x: [2, 8, 8, 2], w: [3, 3, 2, 20], stride: [1, 1], padding: 'same' },
    { x: [1, 6, 7, 3], w: [2, 2, 3, 8], stride: [2, 1], padding: 'valid' },
    { x: [3, 5, 5, 4], w: [5, 5, 4, 12], stride: [2, 2], padding: 'same' },
    // 600 patch columns: only a few rows fit one im2col chunk, so the chunks are exercised.
    { x: [2, 40, 40, 24], w: [5, 5, 24, 8], stride: [1, 1], padding: 'same' },
  ];
  let seed = 7000;
  for (const g of geoms) {
    const tag = `x [${g.x}] w [${g.w}] stride ${g.stride} ${g.padding}`;
    const x = floats(g.x, seed++);
    const w = floats(g.w, seed++);
    const dy = floats(outputShape('conv2d', [g.x, g.w], { stride: g.stride, padding: g.padding }), seed++);
    out.push(c(`conv2d ${tag}`, 'conv2d', [x, w], { stride: g.stride, padding: g.padding }, { atol: 1e-4 }));
    out.push(c(`conv2d_grad_input ${tag}`, 'conv2d_grad_input', [dy, w], { stride: g.stride, padding: g.padding, inputShape: g.x }, { atol: 1e-4 }));
    out.push(c(`conv2d_grad_filter ${tag}`, 'conv2d_grad_filter', [x, dy], { stride: g.stride, padding: g.padding, filterShape: g.w }, { atol: 1e-3 }));
  }
  return out;
}

function poolCases(): ParityCase[] {
  const out: ParityCase[] = [];
  const geoms: { x: number[]; pool: [number, number]; stride: [number, number]; padding: 'same' | 'valid' }[] = [
    { x: [4, 26, 26, 16], pool: [2, 2], stride: [2, 2], padding: 'valid' },
    { x: [2, 7, 9, 5], pool: [3, 3], stride: [2, 2], padding: 'same' },
    { x: [2, 8, 8, 6], pool: [3, 2], stride: [1, 2], padding: 'valid' },
    { x: [1, 5, 5, 3], pool: [2, 2], stride: [2, 2], padding: 'same' },
  ];
  let seed = 9000;
  for (const g of geoms) {
    for (const fn of ['max', 'avg'] as const) {
      const attrs = { fn, pool: g.pool, stride: g.stride, padding: g.padding };
      // Values on a coarse grid, so ties inside windows occur and the first maximum must win.
      const x = floats(g.x, seed++);
      for (let i = 0; i < x.data.length; i++) x.data[i] = Math.round(x.data[i] * 3) / 3;
      const tag = `${fn} x [${g.x}] pool ${g.pool} stride ${g.stride} ${g.padding}`;
      out.push(c(`pool2d ${tag}`, 'pool2d', [x], attrs));
      const y = cpuPool(x, attrs);
      out.push(c(`pool2d_grad ${tag}`, 'pool2d_grad', [x, y, floats(y.shape, seed++)], attrs));
    }
  }
  const n = NaN;
  const nanX = f32([1, 2, 4, 5], [n, 1, 2, 3, 4, /**/ 5, n, 6, 7, 8, /**/ 1, 1, 1, 1, n, /**/ 2, 2, 2, n, 0, /**/ 0, 0, 0, 0, 0, /**/ 9, 9, n, 9, 9, /**/ 1, 2, 3, 4, 5, /**/ n, n, n, n, n]);
  const maxAttrs = { fn: 'max' as const, pool: [2, 2] as [number, number], stride: [2, 2] as [number, number], padding: 'valid' as const };
  out.push(c('max pool with NaNs in SIMD lanes and the tail', 'pool2d', [nanX], maxAttrs));
  const nanY = cpuPool(nanX, maxAttrs);
  out.push(c('max pool gradient routes to the first NaN', 'pool2d_grad', [nanX, nanY, floats(nanY.shape, 77)], maxAttrs, { exact: true }));
  return out;
}

function elementwiseCases(): ParityCase[] {
  const out: ParityCase[] = [];
  for (const fn of ['add', 'sub', 'mul', 'div', 'max', 'min'] as const) {
    out.push(c(`binary ${fn} same shape, odd length`, 'binary', [floats([3, 37], 1), floats([3, 37], 2, 0.5, 2)], { fn }));
    out.push(c(`binary ${fn} row broadcast [5,7] with [7]`, 'binary', [floats([5, 7], 3), floats([7], 4, 0.5, 2)], { fn }));
    out.push(c(`binary ${fn} row broadcast [9] with [4,9] (left side)`, 'binary', [floats([9], 5, 0.5, 2), floats([4, 9], 6, 0.5, 2)], { fn }));
    out.push(c(`binary ${fn} scalar right`, 'binary', [floats([2, 11], 7), floats([1], 8, 0.5, 2)], { fn }));
    out.push(c(`binary ${fn} scalar left [1,1]`, 'binary', [floats([1, 1], 9, 0.5, 2), floats([2, 11], 10, 0.5, 2)], { fn }));
    out.push(c(`binary ${fn} column broadcast [4,1] (reference path)`, 'binary', [floats([4, 6], 11), floats([4, 1], 12, 0.5, 2)], { fn }));
  }
  for (const fn of ['relu', 'neg', 'abs', 'square', 'sqrt', 'affine'] as const) {
    out.push(c(`unary ${fn} length 1001`, 'unary', [floats([1001], 30, fn === 'sqrt' ? 0 : -2, 2)], { fn, alpha: 0.3, beta: -0.7 }));
  }
  const x = floats([13, 9], 40);
  const y = { ...x, data: Float32Array.from(x.data, (v) => (v > 0 ? v : 0)) };
  out.push(c('unary_grad relu', 'unary_grad', [x, y, floats([13, 9], 41)], { fn: 'relu' }));
  out.push(c('reduce sum axis 0 of [70, 37]', 'reduce', [floats([70, 37], 42)], { fn: 'sum', axes: [0], keepdims: false }));
  out.push(c('reduce mean axes 0,1 of [4, 5, 18] keepdims', 'reduce', [floats([4, 5, 18], 43)], { fn: 'mean', axes: [0, 1], keepdims: true }));
  out.push(c('reduce sum all axes', 'reduce', [floats([6, 7], 44)], { fn: 'sum', axes: [0, 1], keepdims: false }));
  out.push(c('reduce sum axis 1 (reference path)', 'reduce', [floats([6, 7], 45)], { fn: 'sum', axes: [1], keepdims: false }));
  return out;
}

function nanCases(): ParityCase[] {
  const n = NaN;
  const exact = { exact: true };
  return [
    c('NaN in A spreads along its row of C', 'matmul', [f32([2, 3], [1, n, 2, 3, 4, 5]), f32([3, 2], [1, 2, 3, 4, 5, 6])], { transA: false, transB: false, activation: 'linear' }),
    c('NaN in B spreads along its column of C, also with relu', 'matmul', [f32([2, 2], [1, 0, 0, 1]), f32([2, 2], [n, 1, 0, -1])], { transA: false, transB: false, activation: 'relu' }),
    c('NaN bias survives relu', 'matmul', [f32([1, 2], [1, 1]), f32([2, 2], [1, 1, 1, 1]), f32([2], [n, -5])], { transA: false, transB: false, activation: 'relu' }),
    c('NaN in a conv input reaches every output that sees it', 'conv2d', [f32([1, 3, 3, 1], [0, 0, 0, 0, n, 0, 0, 0, 0]), f32([2, 2, 1, 1], [1, 1, 1, 1])], { stride: [1, 1], padding: 'valid' }),
    c('NaN in a conv input, direct kernel (4 filters)', 'conv2d', [f32([1, 3, 3, 1], [0, 0, 0, 0, n, 0, 0, 0, 0]), f32([2, 2, 1, 4], Array.from({ length: 16 }, (_v, i) => i - 7))], { stride: [1, 1], padding: 'valid' }),
    c('NaN in a conv filter, direct kernel', 'conv2d', [f32([1, 2, 2, 1], [1, 2, 3, 4]), f32([2, 1, 1, 4], [1, n, 0, -1, 2, 2, 2, 2])], { stride: [1, 1], padding: 'valid' }),
    c('binary max/min NaN wins on either side (SIMD and tail)', 'binary', [f32([6], [n, 1, n, 3, n, 0]), f32([6], [1, n, n, 2, 7, n])], { fn: 'max' }, exact),
    c('binary min NaN wins on either side', 'binary', [f32([6], [n, 1, n, 3, n, 0]), f32([6], [1, n, n, 2, 7, n])], { fn: 'min' }, exact),
    c('relu keeps NaN (SIMD and tail)', 'unary', [f32([5], [n, -1, 2, n, -3])], { fn: 'relu' }, exact),
    c('relu gradient of a NaN upstream stays NaN', 'unary_grad', [f32([5], [1, -1, 1, -1, 1]), f32([5], [1, 0, 1, 0, 1]), f32([5], [n, n, 2, 3, n])], { fn: 'relu' }),
    c('sum over rows with a NaN', 'reduce', [f32([3, 5], [1, 2, 3, 4, 5, n, 1, 1, 1, 1, 1, 1, 1, 1, 1])], { fn: 'sum', axes: [0], keepdims: false }),
  ];
}

async function check(backend: Backend, pc: ParityCase): Promise<void> {
  const expected = await runOp(cpu, pc.op, pc.inputs, pc.attrs);
  const actual = await runOp(backend, pc.op, pc.inputs, pc.attrs);
  assert.deepEqual(actual.shape, expected.shape);
  assert.equal(actual.dtype, expected.dtype);
  assert.equal(actual.data.constructor, expected.data.constructor, `${pc.name}: typed array kind`);
  if (pc.exact) assert.deepEqual(Array.from(actual.data), Array.from(expected.data), `${pc.name}: not bit-identical`);
  else assertClose(actual.data, expected.data, pc.atol ?? 1e-5, pc.rtol ?? 1e-4, pc.name);
}

function suite(title: string, cases: ParityCase[], backend: WasmBackend = wasm): void {
  describe(title, () => {
    for (const pc of cases) it(pc.name, () => check(backend, pc));
  });
}

suite('wasm parity with the cpu backend: the shared parity cases', parityCases(cpuPool));
suite('wasm parity: GEMM edge shapes, transposes, batches, fused bias and activations', gemmCases());
suite('wasm parity: convolutions and their gradients (im2col chunks, 1x1, strides)', convCases());
suite('wasm parity: max and average pooling and their gradients (ties, NaN, overlap, padding)', poolCases());
suite('wasm parity: elementwise fast paths and their fallbacks', elementwiseCases());
suite('wasm parity: NaN wins like the reference', nanCases());
// Two threads split GEMM rows, convolution rows (whole images for the input gradient) and
// sum partial filter gradients; the small cases stay on one thread, the large ones split.
suite('wasm parity, 2 threads: GEMM edge shapes', gemmCases(), wasm2);
suite('wasm parity, 2 threads: convolutions and their gradients', convCases(), wasm2);
suite('wasm parity, 2 threads: NaN wins like the reference', nanCases(), wasm2);

describe('the wasm backend itself', () => {
  it('runs the hot ops as WebAssembly kernels, not the reference', async () => {
    const b = new WasmBackend();
    await runOp(b, 'matmul', [floats([4, 5], 1), floats([5, 6], 2)], { transA: false, transB: false, activation: 'relu' });
    await runOp(b, 'conv2d', [floats([1, 5, 5, 2], 3), floats([3, 3, 2, 4], 4)], { stride: [1, 1], padding: 'same' });
    await runOp(b, 'binary', [floats([4, 5], 1), floats([5], 2)], { fn: 'add' });
    for (const op of ['matmul', 'conv2d', 'binary']) assert.equal(b.counts.wasm.get(op), 1, op);
    assert.equal(b.counts.reference.size, 0);
  });

  it('splits a large GEMM and a large convolution across 2 threads and matches one thread', async () => {
    assert.equal(wasm2.threads, 2);
    const a = floats([300, 200], 1);
    const b = floats([200, 150], 2);
    const one = await runOp(wasm, 'matmul', [a, b], { transA: false, transB: false, activation: 'linear' });
    const two = await runOp(wasm2, 'matmul', [a, b], { transA: false, transB: false, activation: 'linear' });
    // Each row's sums run in the same order on either thread: identical bits.
    assert.deepEqual(Array.from(two.data), Array.from(one.data));
    const x = floats([6, 20, 20, 8], 3);
    const w = floats([3, 3, 8, 16], 4);
    const y1 = await runOp(wasm, 'conv2d', [x, w], { stride: [1, 1], padding: 'same' });
    const y2 = await runOp(wasm2, 'conv2d', [x, w], { stride: [1, 1], padding: 'same' });
    assert.deepEqual(Array.from(y2.data), Array.from(y1.data));
  });

  it('a helper that never claims its job costs nothing: the caller takes the job back', async () => {
    // A "helper" that says it started but never runs: every split job must come back.
    const idle = new WasmBackend({
      threads: 2,
      startHelper: (init) => {
        const c = new Int32Array(init.memory.buffer, init.ctrl, init.ints);
        Atomics.store(c, init.ints - 1, 1);
      },
    });
    const a = floats([300, 200], 5);
    const b = floats([200, 150], 6);
    const attrs = { transA: false, transB: false, activation: 'linear' } as const;
    assert.deepEqual(Array.from((await runOp(idle, 'matmul', [a, b], attrs)).data), Array.from((await runOp(wasm, 'matmul', [a, b], attrs)).data));
    for (const pc of convCases().slice(0, 3)) await check(idle, pc);
  });

  it('the embedded kernels decode the same with atob (webview workers) and validate', () => {
    for (const b64 of [KERNELS_WASM_BASE64, KERNELS_MT_WASM_BASE64]) {
      const viaAtob = decodeBase64(b64, true);
      assert.deepEqual(viaAtob, decodeBase64(b64));
      assert.ok(WebAssembly.validate(viaAtob as BufferSource));
    }
  });

  it('reuses freed buffers and keeps views valid when the memory grows', () => {
    const b = new WasmBackend();
    const small = b.alloc(64, 'float32');
    b.upload(small, Float32Array.from({ length: 16 }, (_v, i) => i));
    const big = b.alloc(64 << 20, 'float32');
    assert.ok(b.memoryBytes >= 64 << 20);
    assert.deepEqual(Array.from(b.readSync(small)), Array.from({ length: 16 }, (_v, i) => i));
    b.free(big);
    const again = b.alloc(64 << 20, 'float32');
    assert.equal((again as unknown as { ptr: number }).ptr, (big as unknown as { ptr: number }).ptr);
    const ints = b.alloc(12, 'int32');
    b.upload(ints, Int32Array.from([-1, 7, 2 ** 30]));
    assert.deepEqual(Array.from(b.readSync(ints)), [-1, 7, 2 ** 30]);
  });
});

/** `count` samples of sampleShape in [-1, 1) with class labels in [0, 3). */
function dataset(sampleShape: number[], count: number, seed: number): Dataset {
  const size = sampleShape.reduce((p, d) => p * d, 1);
  const r = lcg(seed);
  const x = Float32Array.from({ length: count * size }, () => 2 * r() - 1);
  const y = Int32Array.from({ length: count }, () => Math.floor(r() * 3));
  return { count, inputs: { x: { data: x, sampleShape } }, targets: { y: { data: y, sampleShape: [] } } };
}

const MLP = buildIR(
  [{ name: 'x', shape: [20] }],
  [
    { id: 'dense', op: 'Dense', args: { units: 33, activation: 'relu' }, inputs: ['x'] },
    { id: 'dense_1', op: 'Dense', args: { units: 3 }, inputs: ['dense'] },
  ],
  [{ name: 'y', tensor: 'dense_1' }],
);

const CNN = buildIR(
  [{ name: 'x', shape: [10, 10, 2] }],
  [
    { id: 'conv2d', op: 'Conv2D', args: { filters: 8, kernel: 3, activation: 'relu', padding: 'same' }, inputs: ['x'] },
    { id: 'max_pool2d', op: 'MaxPool2D', args: { pool: 2 }, inputs: ['conv2d'] },
    { id: 'conv2d_1', op: 'Conv2D', args: { filters: 8, kernel: 3, activation: 'relu' }, inputs: ['max_pool2d'] },
    { id: 'flatten', op: 'Flatten', inputs: ['conv2d_1'] },
    { id: 'dense', op: 'Dense', args: { units: 3 }, inputs: ['flatten'] },
  ],
  [{ name: 'y', tensor: 'dense' }],
);

describe('training on wasm (1 and 2 threads) matches training on the cpu reference', () => {
  for (const [name, ir, shape] of [['MLP 20-33-3', MLP, [20]], ['CNN conv-pool-conv-dense', CNN, [10, 10, 2]]] as const) {
    it(`${name}, adam, 12 steps: every loss and the final weights within 1e-4`, async () => {
      const data = dataset([...shape], 48, 9);
      const settings = config({ optimizer: { name: 'adam', args: { lr: 0.01 } }, batchSize: 16, epochs: 4, seed: 3 });
      const runs: { losses: number[]; weights: Map<string, Float32Array> }[] = [];
      for (const backend of [cpu, new WasmBackend(), wasm2]) {
        setBackend(backend);
        const losses: number[] = [];
        const outcome = await train(ir, settings, data, null, { onStep: (e) => losses.push(e.loss) });
        assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
        runs.push({ losses, weights: new Map(outcome.result.weights.map((w) => [w.name, Float32Array.from(w.data)])) });
      }
      const [ref, ...ours] = runs;
      for (const [k, run] of ours.entries()) {
        const what = `${name} (${k + 1} thread${k ? 's' : ''})`;
        assert.equal(run.losses.length, 12);
        assertClose(run.losses, ref.losses, 0, 1e-4, `${what} losses`);
        for (const [wname, expected] of ref.weights) {
          const scale = Math.max(...Array.from(expected, Math.abs), 1e-3);
          assertClose(run.weights.get(wname)!, expected, 1e-4 * scale, 1e-4, `${what} weight ${wname}`);
        }
      }
    });
  }
});
