// The contract between the engine and a compute device. A backend owns device buffers and
// runs a small, fixed set of primitive ops described as data: each op has a name, a typed
// attribute record, and a shape, dtype and gradient rule in the op table (primitives/), so
// the engine (tensors, autograd, layers) never
// knows which device it runs on. A new backend (WebGPU: one WGSL kernel per op, cached by
// op, attributes and shapes) implements `alloc/free/upload/download/run` and nothing else;
// the optional `hostView` (write a batch straight into host memory) and `adamStep` (a fused
// optimizer step, bit-identical to the composite ops) are shortcuts the CPU and WebAssembly
// backends take. The CPU backend in `cpu/` defines the reference semantics of every op.

import type { DType } from '../catalog/shape';
import type { ElementwiseAttrs, ReduceFn } from './primitives/elementwise';
import type { IndexingAttrs } from './primitives/indexing';
import type { BinaryFn } from './primitives/binary_fns';
import type { UnaryFn } from './primitives/unary_fns';
import type { LinearAttrs } from './primitives/linear';
import type { Padding, PoolFn, WindowAttrs } from './primitives/window';

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

export type { UnaryFn };

export type { BinaryFn };
export type { ReduceFn, Padding, PoolFn };

/** Attributes of every primitive, keyed by op name; each family declares its own in primitives/. */
export interface OpAttrs extends ElementwiseAttrs, LinearAttrs, WindowAttrs, IndexingAttrs {}

export type OpName = keyof OpAttrs;

/** What the tape records: the primitives, and reshape (a view of the same buffer, no kernel). */
export interface NodeAttrs extends OpAttrs {
  reshape: { shape: number[] };
}
export type NodeOp = keyof NodeAttrs;

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

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
