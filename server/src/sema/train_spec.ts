// The vocabulary of train blocks (spec §5) as data: the known settings, losses, metrics,
// optimizers and regularizers with their arguments, and the data-source functions. The train
// checker validates against these tables and lowering fills defaults from them.

import type { ArgSpec } from '../../../engine/catalog/types';

export const SETTINGS = [
  'data',
  'validation',
  'loss',
  'loss_weights',
  'optimizer',
  'regularizer',
  'epochs',
  'batch_size',
  'metrics',
  'seed',
  'early_stopping',
  'schedule',
] as const;

export const LOSSES = ['mse', 'mae', 'binary_cross_entropy', 'cross_entropy'] as const;
export const METRICS = ['accuracy', 'mae', 'mse', 'precision', 'recall', 'f1'] as const;

function num(name: string, required: boolean, def: number | undefined, doc: string, extra: Partial<ArgSpec> = {}): ArgSpec {
  return { name, type: 'float', required, default: def, doc, ...extra };
}

/** Optimizer arguments; the learning rate is required for sgd, rmsprop and adamw like the spec writes. */
export const OPTIMIZERS: Record<string, ArgSpec[]> = {
  sgd: [
    num('lr', false, 0.01, 'The learning rate.', { min: 0, minExclusive: true }),
    num('momentum', false, 0, 'Momentum.', { min: 0, max: 1, maxExclusive: true }),
    { name: 'nesterov', type: 'bool', required: false, default: false, doc: 'Nesterov momentum.' },
  ],
  rmsprop: [
    num('lr', false, 0.001, 'The learning rate.', { min: 0, minExclusive: true }),
    num('rho', false, 0.9, 'The decay of the squared-gradient average.', { min: 0, max: 1, maxExclusive: true }),
  ],
  adam: [
    num('lr', false, 0.001, 'The learning rate.', { min: 0, minExclusive: true }),
    num('beta1', false, 0.9, 'The decay of the first moment.', { min: 0, max: 1, maxExclusive: true }),
    num('beta2', false, 0.999, 'The decay of the second moment.', { min: 0, max: 1, maxExclusive: true }),
  ],
  adamw: [
    num('lr', false, 0.001, 'The learning rate.', { min: 0, minExclusive: true }),
    num('weight_decay', false, 0.01, 'Decoupled weight decay.', { min: 0 }),
  ],
};

export const REGULARIZERS: Record<string, ArgSpec[]> = {
  l1: [num('l1', true, undefined, 'The L1 factor.', { min: 0 })],
  l2: [num('l2', true, undefined, 'The L2 factor.', { min: 0 })],
  l1_l2: [num('l1', false, 0, 'The L1 factor.', { min: 0 }), num('l2', false, 0, 'The L2 factor.', { min: 0 })],
};

/**
 * Learning-rate schedules (engine/src/train/schedule.ts computes them, Keras's formulas).
 * The base rate is the optimizer's `lr`; `constant` keeps it.
 */
export const SCHEDULES: Record<string, ArgSpec[]> = {
  constant: [],
  exponential: [
    num('decay_rate', true, undefined, 'The factor the rate is multiplied by every decay_steps steps.', { min: 0, minExclusive: true }),
    num('decay_steps', true, undefined, 'Optimizer steps over which the rate decays by decay_rate.', { min: 0, minExclusive: true }),
  ],
  cosine: [
    num('decay_steps', true, undefined, 'Optimizer steps from the base rate down to alpha times it.', { min: 0, minExclusive: true }),
    num('alpha', false, 0, 'The final rate as a fraction of the base rate.', { min: 0, max: 1 }),
  ],
  step: [
    { name: 'every', type: 'int', required: true, doc: 'Epochs between drops.', min: 1 },
    num('factor', true, undefined, 'The factor the rate is multiplied by at each drop.', { min: 0, minExclusive: true }),
  ],
  reduce_on_plateau: [
    num('factor', false, 0.1, 'The factor the rate is multiplied by after a plateau.', { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
    { name: 'patience', type: 'int', required: false, default: 10, doc: 'Epochs without improvement before the rate drops.', min: 0 },
    num('min_delta', false, 1e-4, 'The least decrease of the monitored loss that counts as an improvement.', { min: 0 }),
    num('min_lr', false, 0, 'The rate never drops below this.', { min: 0 }),
  ],
};

/** Classification metrics apply to class outputs only; the others to every output (Keras). */
export const CLASS_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
/** Losses whose outputs are classes, so classification metrics make sense for them. */
export const CLASS_LOSSES = ['cross_entropy', 'binary_cross_entropy'] as const;

const str = (name: string, required: boolean, doc: string): ArgSpec => ({ name, type: 'string', required, doc });

/** Data sources; `target` and `features` are checked by hand (they take lists and dicts). */
export const SOURCES: Record<string, ArgSpec[]> = {
  csv: [str('path', true, 'The CSV file.'), str('target', false, 'The target column(s).'), str('features', false, 'The feature columns.')],
  json: [str('path', true, 'The JSON file.'), str('target', false, 'The target key(s).'), str('features', false, 'The feature keys.')],
  npy: [str('features', true, 'The features .npy file.'), str('targets', true, 'The targets .npy file.')],
  idx: [str('images', true, 'The idx images file.'), str('labels', true, 'The idx labels file.')],
  images: [str('path', true, 'A folder with one sub-folder per class.')],
};
