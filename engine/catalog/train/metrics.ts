// Metrics of spec §5 (engine/src/train/metrics.ts computes them). Classification metrics
// apply to class outputs only; the others to every output (Keras).

import type { TrainWord } from './define';

export interface MetricEntry<N extends string = string> extends TrainWord<N> {
  readonly classOnly: boolean;
}

export const METRICS = [
  { name: 'accuracy', doc: 'Fraction of correct predictions.', classOnly: true },
  { name: 'mae', doc: 'Mean absolute error.', classOnly: false },
  { name: 'mse', doc: 'Mean squared error.', classOnly: false },
  { name: 'precision', doc: 'Macro-averaged precision.', classOnly: true },
  { name: 'recall', doc: 'Macro-averaged recall.', classOnly: true },
  { name: 'f1', doc: 'Macro-averaged F1 score.', classOnly: true },
] as const satisfies readonly MetricEntry[];

/** True for a metric that reads predictions as classes. */
export function isClassMetric(name: string): boolean {
  return METRICS.some((m) => m.name === name && m.classOnly);
}
