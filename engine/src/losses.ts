// The four losses of spec §5, as Keras computes them, each returning a scalar: the mean over
// the batch (and over any further output positions). Cross-entropy takes class indices and
// reads the output as probabilities after a softmax (clipped, like Keras) or as logits
// otherwise (through a stable log-softmax). Regularization terms for kernels live here too.

import type { LossName } from '../catalog/train/index';
import * as o from './ops';
import type { Tensor } from './tensor';

export type { LossName };

/** Keras' backend epsilon, used to clip probabilities. */
export const EPSILON = 1e-7;


export function meanSquaredError(y: Tensor, target: Tensor): Tensor {
  return o.mean(o.square(o.sub(y, target)));
}

export function meanAbsoluteError(y: Tensor, target: Tensor): Tensor {
  return o.mean(o.abs(o.sub(y, target)));
}

/** -mean(t log p + (1 - t) log(1 - p)) with p clipped to [eps, 1 - eps]. */
export function binaryCrossEntropy(p: Tensor, target: Tensor): Tensor {
  const q = o.clip(p, EPSILON, 1 - EPSILON);
  const pos = o.mul(target, o.log(q));
  const negPart = o.mul(o.affine(target, -1, 1), o.log(o.affine(q, -1, 1)));
  return o.neg(o.mean(o.add(pos, negPart)));
}

/**
 * Sparse categorical cross-entropy. `y` is [..., C]; `classes` holds int32 indices of
 * shape [...]. With `fromProbabilities` (a softmax output) the rows are renormalised and
 * clipped as Keras does; otherwise y holds logits.
 */
export function crossEntropy(y: Tensor, classes: Tensor, fromProbabilities: boolean): Tensor {
  const c = y.shape[y.rank - 1];
  const logp = fromProbabilities
    ? o.log(o.clip(o.div(y, o.sum(y, -1, true)), EPSILON, 1 - EPSILON))
    : o.logSoftmax(y);
  const picked = o.sum(o.mul(o.oneHot(classes, c), logp), -1);
  return o.neg(o.mean(picked));
}

/** The loss by its spec name; `probabilities` says whether the output ends in softmax. */
export function loss(name: LossName, y: Tensor, target: Tensor, probabilities: boolean): Tensor {
  switch (name) {
    case 'mse': return meanSquaredError(y, target);
    case 'mae': return meanAbsoluteError(y, target);
    case 'binary_cross_entropy': return binaryCrossEntropy(y, target);
    case 'cross_entropy': return crossEntropy(y, target, probabilities);
  }
}

export interface Regularizer {
  l1: number;
  l2: number;
}

/** Keras' penalty l1 * sum|w| + l2 * sum(w^2), summed over the given kernels. */
export function regularization(kernels: readonly Tensor[], r: Regularizer): Tensor | null {
  let total: Tensor | null = null;
  for (const w of kernels) {
    const terms: Tensor[] = [];
    if (r.l1) terms.push(o.affine(o.sum(o.abs(w)), r.l1));
    if (r.l2) terms.push(o.affine(o.sum(o.square(w)), r.l2));
    for (const t of terms) total = total ? o.add(total, t) : t;
  }
  return total;
}
