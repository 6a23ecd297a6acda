// Activation layers: element-wise functions with no weights that keep the shape. Softmax
// normalises along one axis, so its `axis` must name an axis of the input. FLOPs count one
// operation per value (three for Softmax: exponent, sum, divide).

import { formatShape } from '../shape';
import type { ArgSpec, LayerSpec } from '../types';
import { argInt, elements, fail, ok, optional, product } from './common';
import { defineLayer } from './define';

function elementwise<N extends string>(name: N, activation: string, what: string, args: ArgSpec[] = []): LayerSpec<N> {
  return defineLayer({
    name,
    activation,
    category: 'activation',
    arity: 'one',
    args,
    inputDoc: '[...]',
    outputDoc: 'the input shape',
    paramsDoc: '0',
    summary: `${what} FLOPs: one per value.`,
    rule(inputs) {
      const [x] = inputs;
      return ok([...x.shape], 'float32', [], elements(x.shape));
    },
  });
}

export const ReLU = elementwise('ReLU', 'relu', 'max(x, 0), value by value.');
export const Sigmoid = elementwise('Sigmoid', 'sigmoid', '1 / (1 + exp(-x)), value by value.');
export const Tanh = elementwise('Tanh', 'tanh', 'The hyperbolic tangent, value by value.');
export const GELU = elementwise('GELU', 'gelu', 'x·Φ(x), the Gaussian error linear unit, value by value.');
export const SiLU = elementwise('SiLU', 'silu', 'x·sigmoid(x) (also called swish), value by value.');
export const ELU = elementwise('ELU', 'elu', 'x for x > 0, exp(x) - 1 otherwise (Keras alpha = 1), value by value.');
export const LeakyReLU = elementwise('LeakyReLU', 'leaky_relu', 'x for x > 0, alpha·x otherwise, value by value.', [
  optional('alpha', 'float', 0.01, 'The slope for negative inputs.', { min: 0 }),
]);

export const Softmax = defineLayer({
  name: 'Softmax',
  activation: 'softmax',
  category: 'activation',
  arity: 'one',
  args: [optional('axis', 'int', -1, 'The axis to normalise along, counting the axes of one sample: 0 is the first, -1 the last.')],
  inputDoc: '[...]',
  outputDoc: 'the input shape',
  paramsDoc: '0',
  summary: 'exp(x) / sum(exp(x)) along `axis`, so the values along it sum to 1. FLOPs: 3 per value.',
  rule(inputs, args) {
    const [x] = inputs;
    const axis = argInt(args, 'axis', -1);
    const rank = x.shape.length;
    if (axis < -rank || axis >= rank) {
      return fail(
        'bad-argument',
        `Softmax's axis ${axis} is out of range for ${x.name} ${formatShape(x.shape)}, which has ${rank} ${rank === 1 ? 'axis' : 'axes'} per sample (use ${rank === 0 ? 'none' : `${-rank} to ${rank - 1}`})`,
        { arg: 'axis', input: 0 },
      );
    }
    return ok([...x.shape], 'float32', [], product(3, elements(x.shape)));
  },
});

export const ACTIVATION_LAYERS = [ReLU, Sigmoid, Tanh, GELU, SiLU, ELU, LeakyReLU, Softmax] as const;
