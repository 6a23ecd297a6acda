// The train settings the loop reads directly, checked against the train catalog before a
// step runs: metric names (and the outputs a metric dict names) and the whole-number
// settings (epochs, batch_size, early_stopping, seed). A TrainIR lowered from a checked
// block always passes; one written by hand (a test, the webview) gets the catalog's rules.

import type { ModelIR } from '../../catalog/ir';
import { rangeText } from '../../catalog/layers/define';
import type { TrainIR } from '../../catalog/train_ir';
import { METRICS, namesOf, SETTINGS } from '../../catalog/train/index';
import { metricNamesOf } from './metrics';

/** A message for the first setting that breaks the catalog's rules, or null. */
export function checkSettings(ir: ModelIR, config: TrainIR): string | null {
  const known: readonly string[] = namesOf(METRICS);
  for (const m of metricNamesOf(config.metrics)) {
    if (!known.includes(m)) return `unknown metric ${m}; use one of ${known.join(', ')}`;
  }
  if (!Array.isArray(config.metrics)) {
    for (const key of Object.keys(config.metrics)) {
      if (!ir.outputs.some((out) => out.name === key)) return `the metrics name output ${key}, which model ${ir.name} does not have`;
    }
  }
  for (const s of SETTINGS) {
    if (s.kind !== 'int') continue;
    const value = config[s.field];
    // A setting without a default (seed, early_stopping) may be absent.
    if (value === null && s.value.default === undefined) continue;
    const min = s.value.min ?? -Infinity;
    // The checker's wording, so a hand-written TrainIR hears what a train block would.
    if (!(Number.isInteger(value) && (value as number) >= min)) return `${s.name} must be an integer of ${rangeText(s.value)}, but is ${value}`;
  }
  return null;
}
