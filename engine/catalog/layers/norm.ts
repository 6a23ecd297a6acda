// Normalisation over the last axis: BatchNorm (batch statistics in training, moving
// averages at inference; Keras keeps the moving averages as non-trainable weights) and
// LayerNorm (per-sample statistics). Both need the last axis known since their weights have
// that size.

import { elements, expectKnown, expectMinRank, lastDim, ok, optional, product, weight } from './common';
import { defineLayer } from './define';

const INPUT = '[..., features]';

function epsArg() {
  return optional('eps', 'float', 0.001, 'A small number added to the variance to avoid dividing by zero.', { min: 0, minExclusive: true });
}

export const BatchNorm = defineLayer({
  name: 'BatchNorm',
  category: 'norm',
  arity: 'one',
  args: [
    optional('momentum', 'float', 0.99, 'How much of the previous moving mean and variance each batch keeps.', { min: 0, max: 1 }),
    epsArg(),
  ],
  inputDoc: INPUT,
  outputDoc: 'the input shape',
  paramsDoc: '4*F (2F trainable)',
  summary:
    'Normalises each feature of the last axis with the batch mean and variance (moving averages at inference), then scales by gamma and shifts by beta. FLOPs: 2 per value (the inference form folds into one scale and one shift).',
  rule(inputs) {
    const [x] = inputs;
    const bad = expectMinRank('BatchNorm', INPUT, x, 1) ?? expectKnown('BatchNorm', x, -1, 'last axis');
    if (bad) return bad;
    const f = lastDim(x);
    const weights = [
      weight('gamma', [f], 'ones'),
      weight('beta', [f], 'zeros'),
      weight('moving_mean', [f], 'zeros', { trainable: false }),
      weight('moving_variance', [f], 'ones', { trainable: false }),
    ];
    return ok([...x.shape], 'float32', weights, product(2, elements(x.shape)));
  },
});

export const LayerNorm = defineLayer({
  name: 'LayerNorm',
  category: 'norm',
  arity: 'one',
  args: [epsArg()],
  inputDoc: INPUT,
  outputDoc: 'the input shape',
  paramsDoc: '2*F',
  summary:
    'Normalises each position over its last axis with its own mean and variance, then scales by gamma and shifts by beta. FLOPs: 5 per value (mean, variance, normalise, scale, shift).',
  rule(inputs) {
    const [x] = inputs;
    const bad = expectMinRank('LayerNorm', INPUT, x, 1) ?? expectKnown('LayerNorm', x, -1, 'last axis');
    if (bad) return bad;
    const f = lastDim(x);
    const weights = [weight('gamma', [f], 'ones'), weight('beta', [f], 'zeros')];
    return ok([...x.shape], 'float32', weights, product(5, elements(x.shape)));
  },
});

export const NORM_LAYERS = [BatchNorm, LayerNorm] as const;
