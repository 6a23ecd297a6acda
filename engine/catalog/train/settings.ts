// The settings of a `train` block (spec §5): each one's kind of value (which the checker
// validates and lowering reads), where lowering stores it in the TrainIR, its default, and
// its hover doc. The checker's accepted names, hover and completion come from this list.

import type { TrainArgSpec, TrainFunction, TrainWord } from './define';
import { LOSSES } from './losses';
import { METRICS } from './metrics';
import { OPTIMIZERS } from './optimizers';
import { REGULARIZERS } from './regularizers';
import { SCHEDULES } from './schedules';
import { SOURCES } from './sources';

/** A callable family a setting takes one of, e.g. `optimizer = adam(lr=0.002)`. */
export interface FunctionFamily<T extends TrainFunction = TrainFunction> {
  /** How messages name one of them: "optimizer", "schedule". */
  readonly what: string;
  readonly entries: readonly T[];
  /** A correct value, shown when the value is not a call at all. */
  readonly example: string;
}

export type TrainSetting =
  | { readonly name: string; readonly doc: string; readonly kind: 'source' | 'validation'; readonly field: 'data' | 'validation' }
  | { readonly name: string; readonly doc: string; readonly kind: 'loss'; readonly field: 'loss' }
  | { readonly name: string; readonly doc: string; readonly kind: 'loss-weights'; readonly field: 'lossWeights' }
  | { readonly name: string; readonly doc: string; readonly kind: 'metrics'; readonly field: 'metrics' }
  | { readonly name: string; readonly doc: string; readonly kind: 'function'; readonly family: FunctionFamily; readonly field: 'optimizer' | 'regularizer' | 'schedule' }
  /** A whole number with a range; `value.default` is the TrainIR's value where the block is silent. */
  | { readonly name: string; readonly doc: string; readonly kind: 'int'; readonly value: TrainArgSpec; readonly field: 'epochs' | 'batchSize' | 'seed' | 'earlyStopping' };

const names = (table: readonly TrainWord[], sep: string): string => table.map((e) => e.name).join(sep);
const calls = (table: readonly TrainWord[]): string => {
  const all = table.map((e) => `${e.name}(...)`);
  return `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
};
const int = (name: string, min: number, def: number | undefined, doc: string): TrainArgSpec => ({ name, type: 'int', required: false, default: def, min, doc });

export const OPTIMIZER_FAMILY: FunctionFamily<(typeof OPTIMIZERS)[number]> = { what: 'optimizer', entries: OPTIMIZERS, example: 'adam(lr=0.001)' };
export const REGULARIZER_FAMILY: FunctionFamily<(typeof REGULARIZERS)[number]> = { what: 'regularizer', entries: REGULARIZERS, example: 'l2(0.0001)' };
export const SCHEDULE_FAMILY: FunctionFamily<(typeof SCHEDULES)[number]> = { what: 'schedule', entries: SCHEDULES, example: 'cosine(decay_steps=1000)' };

export const SETTINGS: readonly TrainSetting[] = [
  {
    name: 'data',
    kind: 'source',
    field: 'data',
    // Docs that list a table's entries are getters, so they list what the table holds now.
    get doc() {
      return `The training data: ${calls(SOURCES)}.`;
    },
  },
  { name: 'validation', kind: 'validation', field: 'validation', doc: 'A fraction held out after a seeded shuffle (e.g. 0.2), or a data source.' },
  {
    name: 'loss',
    kind: 'loss',
    field: 'loss',
    get doc() {
      return `${names(LOSSES, ' | ')}, or {output: loss, ...}.`;
    },
  },
  { name: 'loss_weights', kind: 'loss-weights', field: 'lossWeights', doc: 'Weights of each output\'s loss: {out_a: 1, out_b: 0.5}.' },
  {
    name: 'optimizer',
    kind: 'function',
    family: OPTIMIZER_FAMILY,
    field: 'optimizer',
    get doc() {
      return `${OPTIMIZERS.map((o) => `${o.name}(lr, ...)`).join(' | ')}.`;
    },
  },
  { name: 'regularizer', kind: 'function', family: REGULARIZER_FAMILY, field: 'regularizer', doc: 'l1(x) | l2(x) | l1_l2(l1=x, l2=y); applied to kernels only.' },
  { name: 'epochs', kind: 'int', field: 'epochs', value: int('epochs', 1, 10, 'The number of passes over the training data.'), doc: 'The number of passes over the training data.' },
  { name: 'batch_size', kind: 'int', field: 'batchSize', value: int('batch_size', 1, 32, 'Samples per gradient step.'), doc: 'Samples per gradient step.' },
  {
    name: 'metrics',
    kind: 'metrics',
    field: 'metrics',
    get doc() {
      return `A list of ${names(METRICS, ' | ')} (classification metrics reach class outputs only), or {output: [metric, ...]} per output.`;
    },
  },
  { name: 'seed', kind: 'int', field: 'seed', value: int('seed', 0, undefined, 'The random seed.'), doc: 'The random seed: same seed, same data, same backend, the same run.' },
  {
    name: 'early_stopping',
    kind: 'int',
    field: 'earlyStopping',
    value: int('early_stopping', 1, undefined, 'Patience in epochs on validation loss.'),
    doc: 'Patience in epochs on validation loss; restores the best weights.',
  },
  {
    name: 'schedule',
    kind: 'function',
    family: SCHEDULE_FAMILY,
    field: 'schedule',
    doc: 'The learning rate over training, from the optimizer\'s lr: constant | exponential(decay_rate, decay_steps) | cosine(decay_steps, alpha=0) | step(every, factor) | reduce_on_plateau(factor=0.1, patience=10).',
  },
];

/** Every setting name, in catalog order. */
export function settingNames(): string[] {
  return SETTINGS.map((s) => s.name);
}

/** The setting called `name`. */
export function findSetting(name: string): TrainSetting | undefined {
  return SETTINGS.find((s) => s.name === name);
}

/** The values a setting takes (for hover and completion), and whether they are calls. */
export function settingValues(name: string): { kind: 'word' | 'function'; entries: readonly TrainWord[] } {
  const s = findSetting(name);
  switch (s?.kind) {
    case 'loss':
      return { kind: 'word', entries: LOSSES };
    case 'metrics':
      return { kind: 'word', entries: METRICS };
    case 'function':
      return { kind: 'function', entries: s.family.entries };
    case 'source':
    case 'validation':
      return { kind: 'function', entries: SOURCES };
    default:
      return { kind: 'word', entries: [] };
  }
}

/** Every function a train block may call, for argument-name completion. */
export function trainFunction(name: string): TrainFunction | undefined {
  for (const s of SETTINGS) {
    const found = settingValues(s.name);
    if (found.kind === 'function') {
      const fn = (found.entries as readonly TrainFunction[]).find((e) => e.name === name);
      if (fn) return fn;
    }
  }
  return undefined;
}
