// The op table: every primitive with its attributes' type, shape rule, dtype rule and
// gradient rule, merged from one file per family. Backends hold kernels only (CPU_KERNELS,
// GPU_KERNELS), each table typed over OpName, so a new op fails the typecheck until every
// backend has a kernel for it.
//
// Import this module, never a family file: the families' gradient rules call the engine's
// ops, which reach this table through the tape, so a family entered first would be read
// here before it finished loading.

import type { DType, OpAttrs, OpName } from '../backend';
import { ELEMENTWISE_OPS } from './elementwise';
import { INDEXING_OPS } from './indexing';
import { LINEAR_OPS } from './linear';
import type { GradRule, OpSpec } from './spec';
import { WINDOW_OPS } from './window';

export type { GradRule, OpSpec };

export const OPS: { [K in OpName]: OpSpec<K> } = { ...ELEMENTWISE_OPS, ...LINEAR_OPS, ...WINDOW_OPS, ...INDEXING_OPS };

/** Shape rules: the engine allocates each op's output from these before `run`. */
export function outputShape<K extends OpName>(op: K, inputs: readonly (readonly number[])[], attrs: OpAttrs[K]): number[] {
  return OPS[op].shape(inputs, attrs);
}

/** The dtype an op produces. */
export function outputDType<K extends OpName>(op: K, inputs: readonly DType[], attrs: OpAttrs[K]): DType {
  return OPS[op].dtype(inputs, attrs);
}
