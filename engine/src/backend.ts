// The contract between the engine and a compute device. A backend owns device buffers and
// runs a small, fixed set of primitive ops described as data: each op has a name, a typed
// attribute record and a shape rule here, so the engine (tensors, autograd, layers) never
// knows which device it runs on. A new backend (WebGPU: one WGSL kernel per op, cached by
// op, attributes and shapes) implements `alloc/free/upload/download/run` and nothing else;
// the optional `hostView` (write a batch straight into host memory) and `adamStep` (a fused
// optimizer step, bit-identical to the composite ops) are shortcuts the CPU and WebAssembly
// backends take. The CPU backend in `cpu/` defines the reference semantics of every op.

import type { DType } from '../catalog/shape';

export type { DType };
export type TypedArray = Float32Array | Int32Array;

/** An opaque device allocation; only the backend that made it looks inside. */
export interface DeviceBuffer {
  readonly bytes: number;
  readonly dtype: DType;
}

/** What a kernel sees: a buffer with its logical row-major shape. */
export interface DeviceTensor {
  buffer: DeviceBuffer;
  shape: readonly number[];
  dtype: DType;
}

/**
 * Elementwise unary functions. `alpha`/`beta` parameterise some: leaky_relu and elu use
 * alpha as the slope/scale; `affine` is x*alpha + beta; `clip` clamps to [alpha, beta];
 * `pow` is x^alpha. gelu is the exact erf form (Keras `approximate=False`).
 */
export type UnaryFn =
  | 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'silu' | 'elu' | 'leaky_relu'
  | 'exp' | 'log' | 'neg' | 'sqrt' | 'abs' | 'square' | 'sign' | 'affine' | 'clip' | 'pow';

/** Unary functions whose derivative can be written from the output y alone. */
export const GRAD_FROM_OUTPUT: ReadonlySet<UnaryFn> = new Set<UnaryFn>(['relu', 'sigmoid', 'tanh', 'exp', 'neg', 'sqrt', 'affine']);

/** Binary functions with NumPy broadcasting. `ge`, `eq` and `lt` produce 1 or 0. */
export type BinaryFn = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'ge' | 'lt' | 'eq';
export type ReduceFn = 'sum' | 'mean' | 'max';
export type PoolFn = 'max' | 'avg';
export type Padding = 'valid' | 'same';

/** Attributes of every primitive, keyed by op name. */
export interface OpAttrs {
  /** Output = fn(x). */
  unary: { fn: UnaryFn; alpha?: number; beta?: number };
  /** Inputs (x, y, dy) -> dx = dy * fn'(x); y = fn(x) is given so output-based rules are cheap. */
  unary_grad: { fn: UnaryFn; alpha?: number; beta?: number };
  binary: { fn: BinaryFn };
  /** Reduces `axes` (non-negative, sorted); keepdims keeps them as size 1. */
  reduce: { fn: ReduceFn; axes: number[]; keepdims: boolean };
  /** Broadcasts the input to `shape` (NumPy rules). */
  broadcast: { shape: number[] };
  /** Softmax or log-softmax over the last axis, max-subtracted for stability. */
  softmax: { log: boolean };
  /**
   * a [..., M, K] (or [..., K, M] with transA) times b [..., K, N] (or [..., N, K] with
   * transB); b may have no batch axes. An optional third input is a bias [N] added before
   * `activation` (one of GRAD_FROM_OUTPUT's activations or 'linear').
   */
  matmul: { transA: boolean; transB: boolean; activation: 'linear' | 'relu' | 'sigmoid' | 'tanh' };
  /** x [N, H, W, C], w [kh, kw, C, F] -> [N, H', W', F]. */
  conv2d: { stride: [number, number]; padding: Padding };
  /** dy, w -> dx of shape `inputShape`. */
  conv2d_grad_input: { stride: [number, number]; padding: Padding; inputShape: number[] };
  /** x, dy -> dw of shape `filterShape`. */
  conv2d_grad_filter: { stride: [number, number]; padding: Padding; filterShape: number[] };
  /** x [N, H, W, C] -> [N, H', W', C]; average pooling divides by the in-bounds count (TF). */
  pool2d: { fn: PoolFn; pool: [number, number]; stride: [number, number]; padding: Padding };
  /** x, y, dy -> dx; max routes the gradient to the first maximum of each window. */
  pool2d_grad: { fn: PoolFn; pool: [number, number]; stride: [number, number]; padding: Padding };
  /** table [V, D], indices int32 [...] -> [..., D]; an index outside [0, V) yields zeros. */
  gather: Record<string, never>;
  /** indices int32 [...], dy [..., D] -> [rows, D] with dy rows added at their indices. */
  scatter_add: { rows: number };
  /** indices int32 [...] -> float32 [..., depth] with a 1 at each index. */
  one_hot: { depth: number };
  /**
   * A dropout mask of `shape`: 1/(1-rate) where keep, 0 elsewhere, from the counter-based
   * hash `uniform01(seed, step, index)` in rng.ts, so every backend draws the same mask.
   */
  dropout_mask: { shape: number[]; rate: number; seed: number; step: number };
  transpose: { perm: number[] };
  /** Concatenates all inputs along `axis`. */
  concat: { axis: number };
  /** Copies the box at `begin` with `size` out of the input. */
  slice: { begin: number[]; size: number[] };
  /** The adjoint of slice: dy placed at `begin` inside zeros of `shape`. */
  slice_grad: { begin: number[]; shape: number[] };
  /** A tensor of `shape` filled with `value`. */
  fill: { shape: number[]; value: number; dtype: DType };
  /** Converts between float32 and int32 (truncating toward zero). */
  cast: { dtype: DType };
}

export type OpName = keyof OpAttrs;

/**
 * The constants of one Adam step, as the optimizer's composite ops use them:
 * m' = affine(m, beta1) + affine(g, 1 - beta1); v' = affine(v, beta2) + affine(g², 1 - beta2);
 * w' = w - affine(m' / affine(sqrt(v'), 1, epsilon), alpha), each affine x*a + b with b = 0
 * unless given, every op rounded to float32 as the backend's own kernel rounds it.
 */
export interface AdamStep {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** The bias-corrected step size lr * sqrt(1 - beta2^t) / (1 - beta1^t). */
  alpha: number;
}

/** A compute device. Kernels write into outputs that the engine allocated from `outputShape`. */
export interface Backend {
  readonly name: string;
  alloc(bytes: number, dtype: DType): DeviceBuffer;
  free(buffer: DeviceBuffer): void;
  upload(buffer: DeviceBuffer, data: TypedArray): void;
  download(buffer: DeviceBuffer): Promise<TypedArray>;
  /** Synchronous read where the device allows it (the CPU); undefined elsewhere. */
  readSync?(buffer: DeviceBuffer): TypedArray;
  /**
   * A writable host view of the buffer's first `length` elements, where the device's memory
   * is host memory (the CPU, WebAssembly): the engine writes a batch straight into it instead
   * of building an array and uploading it. Valid until the backend next allocates or runs.
   */
  hostView?(buffer: DeviceBuffer, length: number): TypedArray;
  /**
   * Optional: one Adam step over `length` float32 values in place (w, m and v updated from
   * g), giving exactly the values of the optimizer's composite ops on this backend (see
   * AdamStep). Backends without it run those ops one by one.
   */
  adamStep?(w: DeviceBuffer, g: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer, length: number, h: AdamStep): void;
  run<K extends OpName>(op: K, inputs: readonly DeviceTensor[], output: DeviceTensor, attrs: OpAttrs[K]): void;
}

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

/** Strides of `shape` read as if broadcast to `outShape` (0 on broadcast axes); both backends index broadcast inputs with them. */
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

/** Shape rules: the engine allocates each op's output from these before `run`. */
export function outputShape<K extends OpName>(op: K, inputs: readonly (readonly number[])[], attrs: OpAttrs[K]): number[] {
  const a = attrs as OpAttrs[OpName];
  const x = inputs[0] ?? [];
  switch (op) {
    case 'unary':
    case 'unary_grad':
    case 'softmax':
      return [...(op === 'unary_grad' ? inputs[2] : x)];
    case 'binary':
      return broadcastShapes(x, inputs[1]);
    case 'reduce': {
      const { axes, keepdims } = a as OpAttrs['reduce'];
      const out: number[] = [];
      x.forEach((d, i) => {
        if (!axes.includes(i)) out.push(d);
        else if (keepdims) out.push(1);
      });
      return out;
    }
    case 'broadcast':
      return [...(a as OpAttrs['broadcast']).shape];
    case 'matmul': {
      const { transA, transB } = a as OpAttrs['matmul'];
      const b = inputs[1];
      const m = transA ? x[x.length - 1] : x[x.length - 2];
      const n = transB ? b[b.length - 2] : b[b.length - 1];
      const batchA = x.slice(0, -2);
      const batchB = b.slice(0, -2);
      return [...(batchA.length >= batchB.length ? batchA : batchB), m, n];
    }
    case 'conv2d': {
      const { stride, padding } = a as OpAttrs['conv2d'];
      const w = inputs[1];
      const h = windowGeometry(x[1], w[0], stride[0], padding).out;
      const wd = windowGeometry(x[2], w[1], stride[1], padding).out;
      return [x[0], h, wd, w[3]];
    }
    case 'conv2d_grad_input':
      return [...(a as OpAttrs['conv2d_grad_input']).inputShape];
    case 'conv2d_grad_filter':
      return [...(a as OpAttrs['conv2d_grad_filter']).filterShape];
    case 'pool2d': {
      const { pool, stride, padding } = a as OpAttrs['pool2d'];
      return [x[0], windowGeometry(x[1], pool[0], stride[0], padding).out, windowGeometry(x[2], pool[1], stride[1], padding).out, x[3]];
    }
    case 'pool2d_grad':
      return [...x];
    case 'gather':
      return [...inputs[1], x[1]];
    case 'scatter_add':
      return [(a as OpAttrs['scatter_add']).rows, inputs[1][inputs[1].length - 1]];
    case 'one_hot':
      return [...x, (a as OpAttrs['one_hot']).depth];
    case 'dropout_mask':
      return [...(a as OpAttrs['dropout_mask']).shape];
    case 'transpose':
      return (a as OpAttrs['transpose']).perm.map((p) => x[p]);
    case 'concat': {
      const { axis } = a as OpAttrs['concat'];
      const out = [...x];
      out[axis] = inputs.reduce((s, t) => s + t[axis], 0);
      return out;
    }
    case 'slice':
      return [...(a as OpAttrs['slice']).size];
    case 'slice_grad':
      return [...(a as OpAttrs['slice_grad']).shape];
    case 'fill':
      return [...(a as OpAttrs['fill']).shape];
    case 'cast':
      return [...x];
  }
  throw new Error(`unknown op ${String(op)}`);
}

/** The dtype an op produces. */
export function outputDType<K extends OpName>(op: K, inputs: readonly DType[], attrs: OpAttrs[K]): DType {
  if (op === 'fill') return (attrs as OpAttrs['fill']).dtype;
  if (op === 'cast') return (attrs as OpAttrs['cast']).dtype;
  if (op === 'gather') return inputs[0];
  if (op === 'scatter_add') return inputs[1];
  if (op === 'one_hot' || op === 'dropout_mask') return 'float32';
  return inputs[0] ?? 'float32';
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
