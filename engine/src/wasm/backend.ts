// The WebAssembly SIMD backend: every buffer lives in one WebAssembly.Memory, and the ops
// where training spends its time run as SIMD kernels (engine/wasm/kernels.c): matmul (a
// packed, register-blocked GEMM with the fused bias and relu), conv2d and both its
// gradients (im2col / col2im around the same GEMM), and the elementwise ops the layers and
// optimizers use most (add, sub, mul, div, max, min with scalar and trailing-axis
// broadcasting; relu, neg, abs, square, sqrt, affine; relu's gradient; sums over leading
// axes), max and average pooling with their gradients, and the optimizer's Adam step fused
// into one in-place kernel per parameter (`adamStep`). Every other op, and every case
// a kernel does not cover (int32, other broadcasts), runs the CPU backend's reference kernel on Float32Array/Int32Array views of the same
// memory, so nothing is copied and the reference keeps defining the semantics.
//
// Sums are carried in float32 (the reference uses float64), so results agree with the CPU
// backend within float32 rounding, not bit for bit; NaN propagates as in the reference.

import type { AdamStep, Backend, DeviceBuffer, DeviceTensor, DType, OpAttrs, OpName, TypedArray } from '../backend';
import { matmulDims, window2d } from '../primitives/geometry';
import { CPU_KERNELS } from '../cpu/backend';
import { unaryFn } from '../cpu/elementwise';
import type { HostTensor, Kernel } from '../cpu/kernel';
import { KERNELS_MT_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels_wasm';

/** The functions engine/wasm/kernels.c exports; pointers are byte offsets into the memory. */
interface KernelExports {
  __heap_base: WebAssembly.Global;
  gemm(tid: number, m: number, n: number, k: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, accumulate: number): void;
  bias_act(m: number, n: number, c: number, bias: number, act: number): void;
  im2col(x: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, row0: number, rows: number, out: number): void;
  col2im(cols: number, h: number, w: number, c: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, row0: number, rows: number, dx: number): void;
  /** (tid, x, w, y, H, W, C, kh, kw, sh, sw, pt, pl, OH, OW, F, row0, row1, chunk, cols) */
  conv_fwd(tid: number, ...args: number[]): void;
  /** (tid, x, w, y, ...the geometry as conv_fwd, row0, row1): F a multiple of 4, few channels */
  conv_direct(tid: number, ...args: number[]): void;
  /** (tid, dy, w, dx, ...the geometry as conv_fwd, row0, row1, chunk, cols) */
  conv_grad_input(tid: number, ...args: number[]): void;
  /** (tid, x, dy, dw, ...the geometry as conv_fwd, row0, row1, chunk, cols, accumulate) */
  conv_grad_filter(tid: number, ...args: number[]): void;
  binary(fn: number, n: number, a: number, na: number, b: number, nb: number, out: number): void;
  unary(fn: number, n: number, x: number, out: number, alpha: number, beta: number): void;
  relu_grad(n: number, y: number, dy: number, out: number): void;
  sum_rows(r: number, c: number, x: number, out: number, scale: number): void;
  adam(n: number, w: number, g: number, m: number, v: number, b1: number, c1: number, b2: number, c2: number, eps: number, alpha: number): void;
  pool2d(fn: number, x: number, n: number, h: number, w: number, c: number, ph: number, pw: number, sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, y: number): void;
  pool2d_grad(fn: number, x: number, y: number, dy: number, n: number, h: number, w: number, c: number, ph: number, pw: number, sh: number, sw: number, pt: number, pl: number, oh: number, ow: number, dx: number): void;
}

const PAGE = 65536;
/** The patch matrix of a convolution is built in chunks of at most this many floats. */
const IM2COL_FLOATS = 1 << 15;

class WasmBuffer implements DeviceBuffer {
  constructor(
    readonly bytes: number,
    readonly dtype: DType,
    /** Byte offset in the backend's memory (16-byte aligned). */
    readonly ptr: number,
    /** Bytes reserved (bytes rounded up to 16). */
    readonly reserved: number,
  ) {}
}

/** Base64 to bytes: Buffer in Node, atob in browsers and webview workers (`viaAtob` forces it, for tests). */
export function decodeBase64(s: string, viaAtob = false): Uint8Array {
  if (!viaAtob && typeof Buffer !== 'undefined') return new Uint8Array(Buffer.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const compiled: { single?: WebAssembly.Module; shared?: WebAssembly.Module } = {};

/**
 * The kernels' module, compiled once per process (synchronously: Node and workers allow it):
 * the one-thread build, or the build for threads sharing one memory.
 */
export function kernelModule(shared = false): WebAssembly.Module {
  const key = shared ? 'shared' : 'single';
  compiled[key] ??= new WebAssembly.Module(decodeBase64(shared ? KERNELS_MT_WASM_BASE64 : KERNELS_WASM_BASE64) as BufferSource);
  return compiled[key]!;
}

/** The kernels a helper thread runs, by index in its control block. */
export const PARALLEL_KERNELS = ['gemm', 'conv_fwd', 'conv_grad_input', 'conv_grad_filter', 'conv_direct'] as const;
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

/** The most threads the kernels have packing buffers for (MAX_THREADS in kernels.c). */
export const MAX_THREADS = 4;
/**
 * Int32 slots per helper's control block: [0] the job's sequence number (-1: exit), [1] the
 * last job done, [2] the kernel (-1 after an error), [3] argc, [4..] args, [STATE] the job's
 * claim (seq << 2, then | 1 when the helper took it or | 2 when the caller took it back),
 * and the last slot, set once the helper runs.
 */
const CTRL_INTS = 32;
const STATE = 30;
/** Polls before a helper sleeps, or the caller waits on a helper: a few tens of microseconds. */
const SPIN = 20_000;
/** How long the constructor waits for each helper to start. */
const HELPER_START_MS = 10_000;

/** What a helper thread is started with: the shared-memory module, the memory, its control block. */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte offset of the helper's control block. */
  ctrl: number;
  tid: number;
  kernels: readonly string[];
  /** Int32 slots in the control block. */
  ints: number;
  /** Polls of the control block before the helper sleeps (a job that follows soon is taken without a wake-up). */
  spin: number;
}

export interface WasmOptions {
  /**
   * Threads for the GEMM and the convolutions, the caller's included (at most MAX_THREADS);
   * above 1 `startHelper` must start each helper (Node: worker_threads, see threads_node.ts).
   */
  threads?: number;
  startHelper?: (init: HelperInit) => void;
}

/**
 * The loop a helper thread runs (plain JavaScript, as the source of a worker): wait for the
 * sequence number in its control block to move, claim the job (unless the caller already
 * took it back), run the kernel named there, publish `done`. `init` is a HelperInit; the
 * loop ends when the sequence number is -1. It refers to nothing outside itself, since it
 * runs from its source text.
 */
export function helperLoop(init: HelperInit): void {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const c = new Int32Array(init.memory.buffer, init.ctrl, init.ints);
  const state = init.ints - 2;
  const fns = init.kernels.map((k) => instance.exports[k] as (...args: number[]) => void);
  let seen = Atomics.load(c, 0);
  Atomics.store(c, init.ints - 1, 1);
  Atomics.notify(c, init.ints - 1);
  for (;;) {
    for (let i = 0; i < init.spin && Atomics.load(c, 0) === seen; i++);
    Atomics.wait(c, 0, seen);
    const seq = Atomics.load(c, 0);
    if (seq === seen) continue;
    seen = seq;
    if (seq === -1) return;
    // The caller may have run this job itself while this thread slept: then skip it.
    if (Atomics.compareExchange(c, state, seq << 2, (seq << 2) | 1) !== seq << 2) continue;
    try {
      const args = Array.from(c.subarray(4, 4 + c[3]));
      fns[c[2]](...args);
    } catch {
      c[2] = -1;
    }
    Atomics.store(c, 1, seq);
    Atomics.notify(c, 1);
  }
}

/** Forward convolutions with at most this many input channels (and F a multiple of 4) run directly, without im2col. */
const DIRECT_MAX_CHANNELS = 4;

/** Below this many flops a GEMM or convolution runs on the calling thread alone. */
const PARALLEL_FLOPS = 1 << 21;

const BINARY_FNS: Partial<Record<OpAttrs['binary']['fn'], number>> = { add: 0, sub: 1, mul: 2, div: 3, max: 4, min: 5 };
const UNARY_FNS: Partial<Record<OpAttrs['unary']['fn'], number>> = { relu: 0, neg: 1, abs: 2, square: 3, sqrt: 4, affine: 5 };

/** A shape without its leading 1s. */
function stripOnes(shape: readonly number[]): readonly number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/** True when `small`, read with NumPy broadcasting against `out`, repeats with period equal to its size. */
function trailing(small: readonly number[], out: readonly number[]): boolean {
  const s = stripOnes(small);
  if (s.length > out.length) return false;
  for (let i = 0; i < s.length; i++) if (s[s.length - 1 - i] !== out[out.length - 1 - i]) return false;
  return true;
}

function count(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  private readonly memory: WebAssembly.Memory;
  private readonly k: KernelExports;
  private f32: Float32Array;
  private i32: Int32Array;
  private top: number;
  private readonly freeLists = new Map<number, number[]>();
  private scratchPtr = 0;
  private scratchBytes = 0;
  /** Ops that ran a WebAssembly kernel and ops that fell back to the reference, by name (for tests and profiling). */
  readonly counts = { wasm: new Map<string, number>(), reference: new Map<string, number>() };

  /** The ops with a WebAssembly kernel; each returns false to leave a case to the reference. */
  private readonly fast: { [K in OpName]?: (i: readonly DeviceTensor[], o: DeviceTensor, a: OpAttrs[K]) => boolean } = {
    matmul: (i, o, a) => this.op_matmul(i, o, a),
    conv2d: (i, o, a) => this.op_conv2d(i, o, a),
    conv2d_grad_input: (i, o, a) => this.op_conv2d_grad_input(i, o, a),
    conv2d_grad_filter: (i, o, a) => this.op_conv2d_grad_filter(i, o, a),
    pool2d: (i, o, a) => this.op_pool2d(i, o, a),
    pool2d_grad: (i, o, a) => this.op_pool2d_grad(i, o, a),
    binary: (i, o, a) => this.op_binary(i, o, a),
    unary: (i, o, a) => this.op_unary(i, o, a),
    unary_grad: (i, o, a) => this.op_unary_grad(i, o, a),
    reduce: (i, o, a) => this.op_reduce(i, o, a),
  };

  /** Threads that run GEMMs and convolutions, the caller's included. */
  readonly threads: number;
  /** Control blocks of the helper threads (Int32Array views of the shared memory, renewed on growth). */
  private ctrlPtrs: number[] = [];

  constructor(options: WasmOptions = {}) {
    const threads = Math.max(1, Math.min(MAX_THREADS, Math.floor(options.threads ?? 1)));
    if (threads > 1 && !options.startHelper) throw new Error('wasm backend: threads need startHelper');
    const shared = threads > 1;
    this.memory = shared ? new WebAssembly.Memory({ initial: 128, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: 128 });
    const module = kernelModule(shared);
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.k = instance.exports as unknown as KernelExports;
    const heapBase = Number(this.k.__heap_base.value);
    this.top = (heapBase + 63) & ~63;
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.threads = threads;
    for (let tid = 1; tid < threads; tid++) {
      const ctrl = this.reserve(CTRL_INTS * 4);
      this.i32.fill(0, ctrl >>> 2, (ctrl >>> 2) + CTRL_INTS);
      this.ctrlPtrs.push(ctrl);
      options.startHelper!({ module, memory: this.memory, ctrl, tid, kernels: PARALLEL_KERNELS, ints: CTRL_INTS, spin: SPIN });
    }
    // Wait for every helper to run, so a helper that cannot start fails here, not in a kernel.
    for (const ctrl of this.ctrlPtrs) {
      const c = new Int32Array(this.memory.buffer, ctrl, CTRL_INTS);
      const deadline = Date.now() + HELPER_START_MS;
      while (Atomics.load(c, CTRL_INTS - 1) !== 1) {
        const left = deadline - Date.now();
        if (left <= 0) {
          this.close();
          throw new Error(`a helper thread did not start within ${HELPER_START_MS / 1000} s`);
        }
        Atomics.wait(c, CTRL_INTS - 1, 0, Math.min(left, 100));
      }
    }
  }

  /** Ends the helper threads (their loops return); the backend then runs on one thread. */
  close(): void {
    for (const ctrl of this.ctrlPtrs) {
      const c = new Int32Array(this.memory.buffer, ctrl, CTRL_INTS);
      Atomics.store(c, 0, -1);
      Atomics.notify(c, 0);
    }
    this.ctrlPtrs = [];
    (this as { threads: number }).threads = 1;
  }

  /**
   * Runs jobs[t] (the kernel's arguments after tid) on helper t, jobs[0] on this thread, and
   * returns when all are done. A helper that has not claimed its job by the time this thread
   * is done (asleep, or its core busy with another process) loses it: this thread runs it,
   * so a loaded machine costs the time of the work, not of a helper's wake-up.
   */
  private parallel(kernel: ParallelKernel, jobs: number[][]): void {
    const index = PARALLEL_KERNELS.indexOf(kernel);
    const seqs: number[] = [];
    const run = (args: number[]) => (this.k[kernel] as (...a: number[]) => void)(0, ...args);
    for (let t = 1; t < jobs.length; t++) {
      const c = new Int32Array(this.memory.buffer, this.ctrlPtrs[t - 1], CTRL_INTS);
      const seq = (c[0] + 1) & 0x1fffffff;
      c[2] = index;
      c[3] = jobs[t].length + 1;
      c[4] = t;
      c.set(jobs[t], 5);
      Atomics.store(c, STATE, seq << 2);
      Atomics.store(c, 0, seq);
      Atomics.notify(c, 0);
      seqs[t] = seq;
    }
    run(jobs[0]);
    let failed = false;
    for (let t = 1; t < jobs.length; t++) {
      const c = new Int32Array(this.memory.buffer, this.ctrlPtrs[t - 1], CTRL_INTS);
      const seq = seqs[t];
      if (Atomics.compareExchange(c, STATE, seq << 2, (seq << 2) | 2) === seq << 2) {
        run(jobs[t]);
        continue;
      }
      for (let i = 0; i < SPIN && Atomics.load(c, 1) !== seq; i++);
      for (;;) {
        const done = Atomics.load(c, 1);
        if (done === seq) break;
        Atomics.wait(c, 1, done);
      }
      if (c[2] === -1) failed = true;
    }
    if (failed) throw new Error(`wasm backend: ${kernel} failed on a helper thread`);
  }

  /** Rows [0, n) cut into `parts` ranges, each a multiple of `align` except the last. */
  private static split(n: number, parts: number, align: number): [number, number][] {
    const out: [number, number][] = [];
    const per = Math.ceil(n / parts / align) * align;
    for (let s = 0; s < n; s += per) out.push([s, Math.min(n, s + per)]);
    return out;
  }

  alloc(bytes: number, dtype: DType): DeviceBuffer {
    const reserved = Math.max(16, Math.ceil(bytes / 16) * 16);
    return new WasmBuffer(bytes, dtype, this.reserve(reserved), reserved);
  }

  free(buffer: DeviceBuffer): void {
    const b = buffer as WasmBuffer;
    this.release(b.ptr, b.reserved);
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    const b = buffer as WasmBuffer;
    const view = b.dtype === 'int32' ? this.i32 : this.f32;
    if (data.constructor === view.constructor) view.set(data, b.ptr >>> 2);
    else view.set(b.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data), b.ptr >>> 2);
  }

  async download(buffer: DeviceBuffer): Promise<TypedArray> {
    return this.readSync(buffer);
  }

  /** Adam in one kernel: the float32 arithmetic of the unary/binary kernels it replaces. */
  adamStep(w: DeviceBuffer, g: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer, length: number, h: AdamStep): void {
    const p = (b: DeviceBuffer) => (b as WasmBuffer).ptr;
    this.k.adam(length, p(w), p(g), p(m), p(v), h.beta1, 1 - h.beta1, h.beta2, 1 - h.beta2, h.epsilon, h.alpha);
    this.counts.wasm.set('adam', (this.counts.wasm.get('adam') ?? 0) + 1);
  }

  hostView(buffer: DeviceBuffer, length: number): TypedArray {
    const b = buffer as WasmBuffer;
    const start = b.ptr >>> 2;
    return b.dtype === 'int32' ? this.i32.subarray(start, start + length) : this.f32.subarray(start, start + length);
  }

  readSync(buffer: DeviceBuffer): TypedArray {
    const b = buffer as WasmBuffer;
    const start = b.ptr >>> 2;
    const end = start + (b.bytes >>> 2);
    return b.dtype === 'int32' ? this.i32.slice(start, end) : this.f32.slice(start, end);
  }

  run<K extends OpName>(op: K, inputs: readonly DeviceTensor[], output: DeviceTensor, attrs: OpAttrs[K]): void {
    const fast = this.fast[op] as ((i: readonly DeviceTensor[], o: DeviceTensor, a: OpAttrs[K]) => boolean) | undefined;
    if (fast && fast(inputs, output, attrs)) {
      this.counts.wasm.set(op, (this.counts.wasm.get(op) ?? 0) + 1);
      return;
    }
    this.counts.reference.set(op, (this.counts.reference.get(op) ?? 0) + 1);
    const kernel = REFERENCE[op] as Kernel<K>;
    kernel(inputs.map((t) => this.host(t)), this.host(output), attrs);
  }

  /** Bytes of WebAssembly memory in use by the backend (tensors, free lists, scratch). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  // ---- memory ----

  private reserve(bytes: number): number {
    const list = this.freeLists.get(bytes);
    const reused = list?.pop();
    if (reused !== undefined) return reused;
    const ptr = this.top;
    const end = ptr + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow by at least an eighth of the memory, so a growing pool is not grown page by page.
      const need = Math.ceil((end - have) / PAGE);
      const pages = Math.max(need, Math.min(Math.ceil(have / PAGE / 8), 65536 - have / PAGE));
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(need);
        } catch {
          throw new Error(`wasm backend: out of memory (${Math.round(end / 2 ** 20)} MiB requested; WebAssembly memory is limited to 4 GiB; --backend cpu has no such limit)`);
        }
      }
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
    this.top = end;
    return ptr;
  }

  private release(ptr: number, bytes: number): void {
    let list = this.freeLists.get(bytes);
    if (!list) this.freeLists.set(bytes, (list = []));
    list.push(ptr);
  }

  /** A scratch area of at least `floats` floats; valid until the next call. Call before taking views. */
  private scratch(floats: number): number {
    const bytes = Math.max(16, floats * 4);
    if (bytes > this.scratchBytes) {
      if (this.scratchBytes) this.release(this.scratchPtr, this.scratchBytes);
      const reserved = Math.ceil(bytes / 16) * 16;
      this.scratchPtr = this.reserve(reserved);
      this.scratchBytes = reserved;
    }
    return this.scratchPtr;
  }

  private host(t: DeviceTensor): HostTensor {
    const b = t.buffer as WasmBuffer;
    const n = count(t.shape);
    const start = b.ptr >>> 2;
    const data = b.dtype === 'int32' ? this.i32.subarray(start, start + n) : this.f32.subarray(start, start + n);
    return { data, shape: t.shape, dtype: t.dtype };
  }

  // ---- WebAssembly kernels: each returns false to leave the op to the reference ----

  private op_matmul(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['matmul']): boolean {
    const [a, b, bias] = inputs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return false;
    const { m, k, n, ai: ars, ap: acs, bp: brs, bj: bcs } = matmulDims(a.shape, b.shape, attrs.transA, attrs.transB);
    const total = count(out.shape);
    if (total === 0) return true;
    const batchA = count(a.shape) / (m * k || 1);
    const batchB = count(b.shape) / (k * n || 1);
    const batch = total / (m * n);
    const ap = (a.buffer as WasmBuffer).ptr;
    const bp = (b.buffer as WasmBuffer).ptr;
    const op = (out.buffer as WasmBuffer).ptr;
    const ranges = this.threads > 1 && 2 * m * n * k >= PARALLEL_FLOPS && m >= 16 ? WasmBackend.split(m, this.threads, 8) : null;
    for (let t = 0; t < batch; t++) {
      const aT = ap + (batchA === 1 ? 0 : t) * m * k * 4;
      const bT = bp + (batchB === 1 ? 0 : t) * k * n * 4;
      const oT = op + t * m * n * 4;
      if (!ranges || ranges.length < 2) this.k.gemm(0, m, n, k, aT, ars, acs, bT, brs, bcs, oT, 0);
      else this.parallel('gemm', ranges.map(([r0, r1]) => [r1 - r0, n, k, aT + r0 * ars * 4, ars, acs, bT, brs, bcs, oT + r0 * n * 4, 0]));
    }
    const act = attrs.activation;
    const biasPtr = bias ? (bias.buffer as WasmBuffer).ptr : 0;
    if (bias || act === 'relu') this.k.bias_act(batch * m, n, op, biasPtr, act === 'relu' ? 1 : 0);
    if (act === 'sigmoid' || act === 'tanh') {
      const f = unaryFn(act);
      const o = this.host(out).data;
      for (let i = 0; i < o.length; i++) o[i] = f(o[i]);
    }
    return true;
  }

  private convGeometry(x: readonly number[], kh: number, kw: number, stride: [number, number], padding: OpAttrs['conv2d']['padding']) {
    const g = window2d(x, kh, kw, stride, padding);
    const rows = g.n * g.oh * g.ow;
    const kcols = kh * kw * g.c;
    // A 1x1 window with stride 1 and no padding: the image itself is the patch matrix.
    const identity = kh === 1 && kw === 1 && g.sh === 1 && g.sw === 1 && g.pt === 0 && g.pl === 0 && g.oh === g.h && g.ow === g.w;
    const chunk = Math.max(1, Math.min(rows, Math.floor(IM2COL_FLOATS / Math.max(kcols, 1))));
    return { g, rows, kcols, identity, chunk };
  }

  /** The geometry arguments of the conv kernels, after their three pointers. */
  private static geoArgs(geo: ReturnType<WasmBackend['convGeometry']>, f: number): number[] {
    const g = geo.g;
    return [g.h, g.w, g.c, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.oh, g.ow, f];
  }

  /** Row ranges for the threads: none below PARALLEL_FLOPS; whole images when `byImage`. */
  private convRanges(geo: ReturnType<WasmBackend['convGeometry']>, f: number, byImage: boolean): [number, number][] {
    const flops = 2 * geo.rows * geo.kcols * f;
    if (this.threads === 1 || flops < PARALLEL_FLOPS) return [[0, geo.rows]];
    const perImage = geo.g.oh * geo.g.ow;
    if (!byImage) return WasmBackend.split(geo.rows, this.threads, 8);
    return WasmBackend.split(geo.g.n, this.threads, 1).map(([a, b]) => [a * perImage, b * perImage]);
  }

  private op_conv2d(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['conv2d']): boolean {
    const [x, w] = inputs;
    const geo = this.convGeometry(x.shape, w.shape[0], w.shape[1], attrs.stride, attrs.padding);
    const f = w.shape[3];
    if (geo.rows === 0 || f === 0) return true;
    const xp = (x.buffer as WasmBuffer).ptr;
    const wp = (w.buffer as WasmBuffer).ptr;
    const op = (out.buffer as WasmBuffer).ptr;
    if (geo.identity) return this.op_matmul([{ ...x, shape: [geo.rows, geo.kcols] }, { ...w, shape: [geo.kcols, f] }], { ...out, shape: [geo.rows, f] }, { transA: false, transB: false, activation: 'linear' });
    const ranges = this.convRanges(geo, f, false);
    const geoArgs = WasmBackend.geoArgs(geo, f);
    if (geo.g.c <= DIRECT_MAX_CHANNELS && f % 4 === 0) {
      // Few input channels: a patch matrix would be as large as the work; convolve directly.
      const jobs = ranges.map(([r0, r1]) => [xp, wp, op, ...geoArgs, r0, r1]);
      if (jobs.length === 1) this.k.conv_direct(0, ...jobs[0]);
      else this.parallel('conv_direct', jobs);
      return true;
    }
    const cols = this.scratch(ranges.length * geo.chunk * geo.kcols);
    const jobs = ranges.map(([r0, r1], t) => [xp, wp, op, ...geoArgs, r0, r1, geo.chunk, cols + t * geo.chunk * geo.kcols * 4]);
    if (jobs.length === 1) this.k.conv_fwd(0, ...jobs[0]);
    else this.parallel('conv_fwd', jobs);
    return true;
  }

  private op_conv2d_grad_input(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['conv2d_grad_input']): boolean {
    const [dy, w] = inputs;
    const geo = this.convGeometry(attrs.inputShape, w.shape[0], w.shape[1], attrs.stride, attrs.padding);
    const f = w.shape[3];
    const dyp = (dy.buffer as WasmBuffer).ptr;
    const wp = (w.buffer as WasmBuffer).ptr;
    const op = (out.buffer as WasmBuffer).ptr;
    // dcols = dy [rows, F] * w^T [F, kcols]: for a 1x1 window that is dx itself.
    if (geo.identity) return this.op_matmul([{ ...dy, shape: [geo.rows, f] }, { ...w, shape: [geo.kcols, f] }], { ...out, shape: [geo.rows, geo.kcols] }, { transA: false, transB: true, activation: 'linear' });
    const ranges = this.convRanges(geo, f, true);
    const cols = this.scratch(ranges.length * geo.chunk * geo.kcols);
    this.f32.fill(0, op >>> 2, (op >>> 2) + count(out.shape));
    const geoArgs = WasmBackend.geoArgs(geo, f);
    const jobs = ranges.map(([r0, r1], t) => [dyp, wp, op, ...geoArgs, r0, r1, geo.chunk, cols + t * geo.chunk * geo.kcols * 4]);
    if (jobs.length === 1) this.k.conv_grad_input(0, ...jobs[0]);
    else this.parallel('conv_grad_input', jobs);
    return true;
  }

  private op_conv2d_grad_filter(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['conv2d_grad_filter']): boolean {
    const [x, dy] = inputs;
    const [kh, kw, , f] = attrs.filterShape;
    const geo = this.convGeometry(x.shape, kh, kw, attrs.stride, attrs.padding);
    const xp = (x.buffer as WasmBuffer).ptr;
    const dyp = (dy.buffer as WasmBuffer).ptr;
    const op = (out.buffer as WasmBuffer).ptr;
    // dw [kcols, F] = cols^T [kcols, rows] * dy [rows, F]: for a 1x1 window cols is x.
    if (geo.identity) return this.op_matmul([{ ...x, shape: [geo.rows, geo.kcols] }, { ...dy, shape: [geo.rows, f] }], { ...out, shape: [geo.kcols, f] }, { transA: true, transB: false, activation: 'linear' });
    const ranges = this.convRanges(geo, f, false);
    // Thread 0 writes dw, each other thread its own partial sum after the patch buffers.
    const colsFloats = ranges.length * geo.chunk * geo.kcols;
    const dwFloats = geo.kcols * f;
    const cols = this.scratch(colsFloats + (ranges.length - 1) * dwFloats);
    const geoArgs = WasmBackend.geoArgs(geo, f);
    const dwOf = (t: number) => (t === 0 ? op : cols + (colsFloats + (t - 1) * dwFloats) * 4);
    const jobs = ranges.map(([r0, r1], t) => [xp, dyp, dwOf(t), ...geoArgs, r0, r1, geo.chunk, cols + t * geo.chunk * geo.kcols * 4, 0]);
    if (jobs.length === 1) this.k.conv_grad_filter(0, ...jobs[0]);
    else {
      this.parallel('conv_grad_filter', jobs);
      for (let t = 1; t < jobs.length; t++) this.k.binary(0, dwFloats, op, dwFloats, dwOf(t), dwFloats, op);
    }
    return true;
  }

  private op_pool2d(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['pool2d']): boolean {
    const [x] = inputs;
    if (x.dtype !== 'float32') return false;
    const geo = this.convGeometry(x.shape, attrs.pool[0], attrs.pool[1], attrs.stride, attrs.padding).g;
    this.k.pool2d(attrs.fn === 'max' ? 0 : 1, (x.buffer as WasmBuffer).ptr, geo.n, geo.h, geo.w, geo.c, geo.kh, geo.kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow, (out.buffer as WasmBuffer).ptr);
    return true;
  }

  private op_pool2d_grad(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['pool2d_grad']): boolean {
    const [x, y, dy] = inputs;
    if (x.dtype !== 'float32') return false;
    const geo = this.convGeometry(x.shape, attrs.pool[0], attrs.pool[1], attrs.stride, attrs.padding).g;
    const op = (out.buffer as WasmBuffer).ptr;
    this.f32.fill(0, op >>> 2, (op >>> 2) + count(out.shape));
    this.k.pool2d_grad(attrs.fn === 'max' ? 0 : 1, (x.buffer as WasmBuffer).ptr, (y.buffer as WasmBuffer).ptr, (dy.buffer as WasmBuffer).ptr, geo.n, geo.h, geo.w, geo.c, geo.kh, geo.kw, geo.sh, geo.sw, geo.pt, geo.pl, geo.oh, geo.ow, op);
    return true;
  }

  private op_binary(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['binary']): boolean {
    const [a, b] = inputs;
    const fn = BINARY_FNS[attrs.fn];
    if (fn === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return false;
    const n = count(out.shape);
    const na = count(a.shape);
    const nb = count(b.shape);
    if (n === 0) return true;
    if (na !== n && nb !== n) return false;
    if (na !== n && !trailing(a.shape, out.shape)) return false;
    if (nb !== n && !trailing(b.shape, out.shape)) return false;
    if (na === 0 || nb === 0) return false;
    this.k.binary(fn, n, (a.buffer as WasmBuffer).ptr, na, (b.buffer as WasmBuffer).ptr, nb, (out.buffer as WasmBuffer).ptr);
    return true;
  }

  private op_unary(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['unary']): boolean {
    const fn = UNARY_FNS[attrs.fn];
    if (fn === undefined || inputs[0].dtype !== 'float32') return false;
    this.k.unary(fn, count(out.shape), (inputs[0].buffer as WasmBuffer).ptr, (out.buffer as WasmBuffer).ptr, attrs.alpha ?? 0, attrs.beta ?? 0);
    return true;
  }

  private op_unary_grad(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['unary_grad']): boolean {
    if (attrs.fn !== 'relu' || inputs[2].dtype !== 'float32') return false;
    this.k.relu_grad(count(out.shape), (inputs[1].buffer as WasmBuffer).ptr, (inputs[2].buffer as WasmBuffer).ptr, (out.buffer as WasmBuffer).ptr);
    return true;
  }

  private op_reduce(inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs['reduce']): boolean {
    const [x] = inputs;
    if (attrs.fn === 'max' || x.dtype !== 'float32') return false;
    // Leading axes 0..r-1 only: the sum runs down the rows of an [R, C] matrix.
    const r = attrs.axes.length;
    for (let i = 0; i < r; i++) if (attrs.axes[i] !== i) return false;
    const rows = count(x.shape.slice(0, r));
    const cols = count(x.shape.slice(r));
    if (rows === 0 || cols === 0) return false;
    this.k.sum_rows(rows, cols, (x.buffer as WasmBuffer).ptr, (out.buffer as WasmBuffer).ptr, attrs.fn === 'mean' ? 1 / rows : 1);
    return true;
  }
}

/** The reference kernels every op falls back to (the CPU backend's table). */
/** Ops without a wasm kernel run the reference kernels on views of the same memory. */
const REFERENCE = CPU_KERNELS;

export type WasmResult = { ok: true; backend: WasmBackend } | { ok: false; reason: string };

/** The WebAssembly backend, or why it cannot run here (no WebAssembly SIMD, say). */
export function createWasmBackend(): WasmResult {
  try {
    return { ok: true, backend: new WasmBackend() };
  } catch (e) {
    return { ok: false, reason: `WebAssembly SIMD is not available (${e instanceof Error ? e.message : String(e)})` };
  }
}
