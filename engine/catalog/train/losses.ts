// Losses of spec §5 (engine/src/losses.ts computes them). `classes` marks the losses whose
// outputs are classes, which is where classification metrics apply.

import type { TrainWord } from './define';

export interface LossEntry<N extends string = string> extends TrainWord<N> {
  /** How the output is read: one score per class, a probability, or plain values. */
  readonly reads: 'classes' | 'binary' | 'regression';
}

export const LOSSES = [
  { name: 'mse', doc: 'Mean squared error (regression).', reads: 'regression' },
  { name: 'mae', doc: 'Mean absolute error (regression).', reads: 'regression' },
  { name: 'binary_cross_entropy', doc: 'Binary cross-entropy on a sigmoid or logit output.', reads: 'binary' },
  { name: 'cross_entropy', doc: 'Categorical cross-entropy with class indices; softmax outputs are probabilities, others logits.', reads: 'classes' },
] as const satisfies readonly LossEntry[];

export type LossName = (typeof LOSSES)[number]['name'];

/** The loss of a train block that names none. */
export const DEFAULT_LOSS: LossName = 'mse';

/** True for a loss whose outputs are classes (classification metrics make sense there). */
export function isClassLoss(name: string | undefined): boolean {
  return LOSSES.some((l) => l.name === name && l.reads !== 'regression');
}
