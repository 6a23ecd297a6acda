// The CPU backend: buffers are typed arrays and each op is a plain loop. It is the
// reference that defines every op's semantics, and the fallback where no GPU exists.

import type { AdamStep, Backend, DeviceBuffer, DeviceTensor, DType, OpAttrs, OpName, TypedArray } from '../backend';
import { binary, broadcast, cast, fill, reduce, softmax, unary, unaryGrad } from './elementwise';
import { conv2d, conv2dGradFilter, conv2dGradInput, pool2d, pool2dGrad } from './conv';
import { concat, dropoutMask, gather, oneHot, scatterAdd, slice, sliceGrad, transpose } from './indexing';
import type { HostTensor, Kernel } from './kernel';
import { matmul } from './matmul';

class CpuBuffer implements DeviceBuffer {
  readonly data: TypedArray;
  constructor(
    readonly bytes: number,
    readonly dtype: DType,
  ) {
    this.data = dtype === 'int32' ? new Int32Array(bytes / 4) : new Float32Array(bytes / 4);
  }
}

/** The reference kernel of every op; the wasm backend falls back to these on views of its memory. */
export const CPU_KERNELS: { [K in OpName]: Kernel<K> } = {
  unary,
  unary_grad: unaryGrad,
  binary,
  reduce,
  broadcast,
  softmax,
  matmul,
  conv2d,
  conv2d_grad_input: conv2dGradInput,
  conv2d_grad_filter: conv2dGradFilter,
  pool2d,
  pool2d_grad: pool2dGrad,
  gather,
  scatter_add: scatterAdd,
  one_hot: oneHot,
  dropout_mask: dropoutMask,
  transpose,
  concat,
  slice,
  slice_grad: sliceGrad,
  fill,
  cast,
};

/** A host view of a device tensor: the buffer's array cut to the tensor's length. */
function host(t: DeviceTensor): HostTensor {
  const data = (t.buffer as CpuBuffer).data;
  let n = 1;
  for (const d of t.shape) n *= d;
  return { data: n === data.length ? data : data.subarray(0, n), shape: t.shape, dtype: t.dtype };
}

export class CpuBackend implements Backend {
  readonly name = 'cpu';

  alloc(bytes: number, dtype: DType): DeviceBuffer {
    return new CpuBuffer(bytes, dtype);
  }

  free(_buffer: DeviceBuffer): void {
    // Typed arrays are reclaimed by the garbage collector.
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    (buffer as CpuBuffer).data.set(data);
  }

  async download(buffer: DeviceBuffer): Promise<TypedArray> {
    return this.readSync(buffer);
  }

  hostView(buffer: DeviceBuffer, length: number): TypedArray {
    return (buffer as CpuBuffer).data.subarray(0, length);
  }

  /** The Adam ops' loops fused: each op's float64 expression rounded to float32, as its kernel stores it. */
  adamStep(wb: DeviceBuffer, gb: DeviceBuffer, mb: DeviceBuffer, vb: DeviceBuffer, length: number, h: AdamStep): void {
    const w = (wb as CpuBuffer).data;
    const g = (gb as CpuBuffer).data;
    const m = (mb as CpuBuffer).data;
    const v = (vb as CpuBuffer).data;
    const { beta1: b1, beta2: b2, epsilon: eps, alpha } = h;
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    const f = Math.fround;
    for (let i = 0; i < length; i++) {
      const gi = g[i];
      const m2 = f(f(m[i] * b1 + 0) + f(gi * c1 + 0));
      const v2 = f(f(v[i] * b2 + 0) + f(f(gi * gi) * c2 + 0));
      const den = f(f(Math.sqrt(v2)) * 1 + eps);
      w[i] = w[i] - f(f(m2 / den) * alpha + 0);
      m[i] = m2;
      v[i] = v2;
    }
  }

  readSync(buffer: DeviceBuffer): TypedArray {
    return (buffer as CpuBuffer).data.slice();
  }

  run<K extends OpName>(op: K, inputs: readonly DeviceTensor[], output: DeviceTensor, attrs: OpAttrs[K]): void {
    const kernel = CPU_KERNELS[op] as Kernel<K>;
    kernel(inputs.map(host), host(output), attrs);
  }
}
