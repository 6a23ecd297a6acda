// What the op table holds for each primitive, typed by the op's name so a shape rule or a
// gradient rule reads its own attributes without a cast. A backend adds only kernels.

import type { DType, OpAttrs, OpName } from '../backend';
import type { apply, TapeNode } from '../autograd/tape';
import type * as math from '../ops/math';
import type { Tensor } from '../tensor';

/**
 * What a gradient rule is written in: the tape's `apply` (one primitive) and the engine's
 * ops. The backward pass hands them over, so the table imports them as types only: the tape
 * reads the table's shape rules, and an import back would close a cycle.
 */
export interface GradKit {
  apply: typeof apply;
  o: typeof math;
}

/**
 * Given a recorded node, the gradient of its output and which inputs need a gradient
 * (those on the tape: never model inputs, targets or constants), the gradient of each input
 * (null where none flows or none is needed, so a first layer's gradient with respect to the
 * data is never computed). Rules are written in the engine's own ops, so they run on
 * whichever backend is active.
 */
export type GradRule<K extends OpName> = (node: TapeNode<K>, dy: Tensor, needs: readonly boolean[], kit: GradKit) => (Tensor | null)[];

export interface OpSpec<K extends OpName> {
  /** The output shape; the engine allocates the output from it before the kernel runs. */
  shape(inputs: readonly (readonly number[])[], attrs: OpAttrs[K]): number[];
  dtype(inputs: readonly DType[], attrs: OpAttrs[K]): DType;
  /** null for ops never differentiated: gradients themselves, constants, masks, casts. */
  grad: GradRule<K> | null;
}

/** The entries of one family of ops. */
export type OpTable<K extends OpName> = { [P in K]: OpSpec<P> };

/** The dtype rule of most ops: the first input's (float32 when there is none). */
export function firstDType(inputs: readonly DType[]): DType {
  return inputs[0] ?? 'float32';
}

