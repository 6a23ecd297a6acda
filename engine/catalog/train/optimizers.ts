// Optimizers of spec §5 (Keras's update rules; engine/src/optimizers.ts applies them). The
// defaults below are the only ones: lowering fills them into the TrainIR and the engine
// reads every argument from it.

import { num, type TrainFunction } from './define';

export interface OptimizerEntry<N extends string = string> extends TrainFunction<N> {
  /** State tensors kept per trainable weight (the memory estimate counts them). */
  slots(args: Readonly<Record<string, number | boolean>>): number;
}

const lr = (def: number) => num('lr', false, def, 'The learning rate.', { min: 0, minExclusive: true });
const decay = (name: string, def: number, doc: string) => num(name, false, def, doc, { min: 0, max: 1, maxExclusive: true });

export const OPTIMIZERS = [
  {
    name: 'sgd',
    doc: 'sgd(lr, momentum=0, nesterov=false)',
    snippet: 'sgd(lr=${1:0.01})',
    args: [lr(0.01), decay('momentum', 0, 'Momentum.'), { name: 'nesterov', type: 'bool', required: false, default: false, doc: 'Nesterov momentum.' }],
    slots: (args) => (Number(args.momentum) > 0 ? 1 : 0),
  },
  {
    name: 'rmsprop',
    doc: 'rmsprop(lr, rho=0.9)',
    snippet: 'rmsprop(lr=${1:0.001})',
    args: [lr(0.001), decay('rho', 0.9, 'The decay of the squared-gradient average.')],
    slots: () => 1,
  },
  {
    name: 'adam',
    doc: 'adam(lr, beta1=0.9, beta2=0.999)',
    snippet: 'adam(lr=${1:0.001})',
    args: [lr(0.001), decay('beta1', 0.9, 'The decay of the first moment.'), decay('beta2', 0.999, 'The decay of the second moment.')],
    slots: () => 2,
  },
  {
    name: 'adamw',
    doc: 'adamw(lr, weight_decay=0.01)',
    snippet: 'adamw(lr=${1:0.001})',
    args: [lr(0.001), num('weight_decay', false, 0.01, 'Decoupled weight decay.', { min: 0 })],
    slots: () => 2,
  },
] as const satisfies readonly OptimizerEntry[];

export type OptimizerName = (typeof OPTIMIZERS)[number]['name'];

/** The optimizer of a train block that names none. */
export const DEFAULT_OPTIMIZER: OptimizerName = 'adam';
