// Weightless layers that map each value on its own and keep the shape: Rescaling (Keras's
// x * scale + offset, e.g. pixel values into [0, 1]) and Activation (Keras's layer applying
// any function the `activation` argument accepts, so a model can name it by string).

import type { LayerSpec } from '../types';
import { ACTIVATIONS, argEnum, elements, ok, optional, product, required } from './common';
import { defineLayer } from './define';

export const Rescaling = defineLayer({
  name: 'Rescaling',
  category: 'core',
  arity: 'one',
  args: [
    required('scale', 'float', 'The factor every value is multiplied by (1/255 maps pixel values into [0, 1]).'),
    optional('offset', 'float', 0, 'The number added after scaling.'),
  ],
  inputDoc: '[...]',
  outputDoc: 'the input shape',
  paramsDoc: '0',
  summary: 'x * scale + offset, value by value. FLOPs: 2 per value.',
  rule(inputs) {
    const [x] = inputs;
    return ok([...x.shape], 'float32', [], product(2, elements(x.shape)));
  },
});

/** FLOPs per value as the activation layers count them: softmax 3, the identity none. */
function activationFlops(name: string): number {
  if (name === 'softmax') return 3;
  return name === 'linear' ? 0 : 1;
}

export const Activation: LayerSpec<'Activation'> = defineLayer({
  name: 'Activation',
  category: 'core',
  arity: 'one',
  // Required as in Keras: `Activation()` alone would be a silent identity.
  args: [required('activation', 'enum', 'The function to apply (softmax normalises the last axis).', { values: ACTIVATIONS })],
  inputDoc: '[...]',
  outputDoc: 'the input shape',
  paramsDoc: '0',
  summary: 'Applies the named activation value by value (softmax along the last axis), as the `activation` argument of Dense would. FLOPs: one per value (softmax 3, linear 0).',
  rule(inputs, args) {
    const [x] = inputs;
    return ok([...x.shape], 'float32', [], product(activationFlops(argEnum(args, 'activation', 'linear')), elements(x.shape)));
  },
});

export const POINTWISE_LAYERS = [Rescaling, Activation] as const;
