// The core layers: Dense (a learned affine map over the last axis) and Dropout (identity at
// inference, random zeroing during training). Dense is the model for every weighted layer:
// known last axis, Keras weight names, FLOPs as 2 per multiply-add.

import {
  activationArg,
  argBool,
  argInt,
  bias,
  biasArg,
  expectKnown,
  expectMinRank,
  kernel,
  lastDim,
  ok,
  product,
  required,
} from './common';
import { defineLayer } from './define';

const DENSE_INPUT = '[..., features]';

export const Dense = defineLayer({
  name: 'Dense',
  category: 'core',
  arity: 'one',
  args: [
    required('units', 'int', 'The number of output features.', { min: 1 }),
    activationArg(),
    biasArg(),
  ],
  inputDoc: DENSE_INPUT,
  outputDoc: '[..., units]',
  paramsDoc: 'F*units + units',
  summary:
    'A fully connected layer applied to the last axis: x·kernel + bias. FLOPs: 2·F·units per position (each multiply-add counts 2; bias and activation are not counted).',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectMinRank('Dense', DENSE_INPUT, x, 1) ?? expectKnown('Dense', x, -1, 'last axis');
    if (bad) return bad;
    const units = argInt(args, 'units', 1);
    const f = lastDim(x);
    const weights = [kernel([f, units])];
    if (argBool(args, 'bias', true)) weights.push(bias([units]));
    const positions = product(...x.shape.slice(0, -1));
    return ok([...x.shape.slice(0, -1), units], 'float32', weights, product(2, positions, f, units));
  },
});

export const Dropout = defineLayer({
  name: 'Dropout',
  category: 'core',
  arity: 'one',
  args: [
    required('rate', 'float', 'The fraction of inputs set to zero during training.', { min: 0, max: 1, maxExclusive: true }),
  ],
  inputDoc: '[...]',
  outputDoc: 'the input shape',
  paramsDoc: '0',
  summary: 'Sets a random fraction `rate` of the values to zero during training and scales the rest by 1/(1-rate); the identity at inference. FLOPs: 0.',
  rule(inputs) {
    const [x] = inputs;
    return ok([...x.shape], x.dtype, [], 0);
  },
});

export const CORE_LAYERS = [Dense, Dropout] as const;
