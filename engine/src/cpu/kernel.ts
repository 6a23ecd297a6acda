// The shape of a CPU kernel: host arrays in, one host array out, the op's attributes. Kept
// apart from the kernels so every kernel file can import it without cycles.

import type { DType, OpAttrs, OpName, TypedArray } from '../backend';

export interface HostTensor {
  data: TypedArray;
  shape: readonly number[];
  dtype: DType;
}

export type Kernel<K extends OpName> = (inputs: HostTensor[], out: HostTensor, attrs: OpAttrs[K]) => void;
