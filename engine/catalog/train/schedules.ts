// Learning-rate schedules of spec §5 (engine/src/train/schedule.ts computes them, Keras's
// formulas). The base rate is the optimizer's `lr`; `constant` keeps it.

import { num, type TrainFunction } from './define';

const positive = { min: 0, minExclusive: true };

export const SCHEDULES = [
  { name: 'constant', doc: 'constant: the optimizer\'s lr throughout (the default).', args: [] },
  {
    name: 'exponential',
    doc: 'exponential(decay_rate, decay_steps): lr · decay_rate^(step / decay_steps), per optimizer step (Keras ExponentialDecay).',
    snippet: 'exponential(decay_rate=${1:0.96}, decay_steps=${2:100})',
    args: [
      num('decay_rate', true, undefined, 'The factor the rate is multiplied by every decay_steps steps.', positive),
      num('decay_steps', true, undefined, 'Optimizer steps over which the rate decays by decay_rate.', positive),
    ],
  },
  {
    name: 'cosine',
    doc: 'cosine(decay_steps, alpha=0): from lr down to alpha · lr along a half cosine over decay_steps optimizer steps (Keras CosineDecay).',
    snippet: 'cosine(decay_steps=${1:1000})',
    args: [
      num('decay_steps', true, undefined, 'Optimizer steps from the base rate down to alpha times it.', positive),
      num('alpha', false, 0, 'The final rate as a fraction of the base rate.', { min: 0, max: 1 }),
    ],
  },
  {
    name: 'step',
    doc: 'step(every, factor): lr · factor^floor(epoch / every), a drop every `every` epochs.',
    snippet: 'step(every=${1:10}, factor=${2:0.5})',
    args: [
      { name: 'every', type: 'int', required: true, doc: 'Epochs between drops.', min: 1 },
      num('factor', true, undefined, 'The factor the rate is multiplied by at each drop.', positive),
    ],
  },
  {
    name: 'reduce_on_plateau',
    doc: 'reduce_on_plateau(factor=0.1, patience=10, min_delta=0.0001, min_lr=0): multiplies the rate by factor after patience epochs without improvement of the validation loss (the training loss without validation).',
    snippet: 'reduce_on_plateau(factor=${1:0.5}, patience=${2:3})',
    args: [
      num('factor', false, 0.1, 'The factor the rate is multiplied by after a plateau.', { min: 0, max: 1, minExclusive: true, maxExclusive: true }),
      { name: 'patience', type: 'int', required: false, default: 10, doc: 'Epochs without improvement before the rate drops.', min: 0 },
      num('min_delta', false, 1e-4, 'The least decrease of the monitored loss that counts as an improvement.', { min: 0 }),
      num('min_lr', false, 0, 'The rate never drops below this.', { min: 0 }),
    ],
  },
] as const satisfies readonly TrainFunction[];

export type ScheduleName = (typeof SCHEDULES)[number]['name'];
