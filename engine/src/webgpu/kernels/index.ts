// The table from every primitive op to its WGSL kernel. Its type lists each OpName, so a
// new op in backend.ts fails the typecheck here until it has a GPU kernel.

import type { DeviceTensor, OpAttrs, OpName } from '../../backend';
import type { Dispatch, KernelContext } from './common';
import { conv2d, conv2dGradFilter, conv2dGradInput, pool2d, pool2dGrad } from './conv';
import { binary, cast, fill, unary, unaryGrad } from './elementwise';
import { dropoutMask, gather, oneHot, scatterAdd } from './indexing';
import { matmul } from './matmul';
import { reduce, softmax } from './reduce';
import { broadcast, concat, slice, sliceGrad, transpose } from './strided';

export type GpuKernel<K extends OpName> = (inputs: readonly DeviceTensor[], out: DeviceTensor, attrs: OpAttrs[K], ctx: KernelContext) => Dispatch[];

export const GPU_KERNELS: { [K in OpName]: GpuKernel<K> } = {
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

export type { Dispatch, KernelContext };
