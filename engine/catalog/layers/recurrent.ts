// Recurrent layers over [time, features]: SimpleRNN, LSTM (gates i, f, c, o) and GRU
// (Keras reset_after=True: gates z, r, h, with separate input and recurrent biases, so
// its bias is [2, 3u]). Weights follow Keras: kernel glorot_uniform, recurrent_kernel
// orthogonal, bias zeros. FLOPs: 2·T·g·(F·u + u·u) for g gates (each multiply-add counts 2;
// element-wise gate arithmetic is not counted); null when T is symbolic.

import type { WeightSpec, LayerSpec } from '../types';
import { activationArg, argBool, argInt, bias, expectKnown, expectRank, kernel, lastDim, ok, optional, product, required } from './common';
import { defineLayer } from './define';

const INPUT = '[time, features]';

function recurrent<N extends string>(
  name: N,
  gates: number,
  what: string,
  paramsDoc: string,
  biasShape: (u: number) => number[],
  biasInit: 'zeros' | 'unit_forget_bias' = 'zeros',
  extraArgs = [] as ReturnType<typeof activationArg>[],
): LayerSpec<N> {
  return defineLayer({
    name,
    category: 'recurrent',
    arity: 'one',
    args: [
      required('units', 'int', 'The size of the hidden state.', { min: 1 }),
      optional('return_sequences', 'bool', false, 'Return the state at every step ([time, units]) instead of the last one ([units]).'),
      ...extraArgs,
    ],
    inputDoc: INPUT,
    outputDoc: '[units], or [time, units] with return_sequences=true',
    paramsDoc,
    summary: `${what} FLOPs: 2·T·${gates === 1 ? '' : `${gates}·`}(F·u + u·u).`,
    rule(inputs, args) {
      const [x] = inputs;
      const bad = expectRank(name, INPUT, x, 2) ?? expectKnown(name, x, -1, 'feature size');
      if (bad) return bad;
      const u = argInt(args, 'units', 1);
      const f = lastDim(x);
      const weights: WeightSpec[] = [
        kernel([f, gates * u]),
        kernel([u, gates * u], 'recurrent_kernel', 'orthogonal'),
        { ...bias(biasShape(u)), init: biasInit },
      ];
      const t = x.shape[0];
      const shape = argBool(args, 'return_sequences', false) ? [t, u] : [u];
      return ok(shape, 'float32', weights, product(2, t, gates, f * u + u * u));
    },
  });
}

export const SimpleRNN = recurrent(
  'SimpleRNN',
  1,
  'A fully connected recurrent layer: h = activation(x·kernel + h·recurrent_kernel + bias).',
  'F*u + u*u + u',
  (u) => [u],
  'zeros',
  [activationArg('tanh')],
);

export const LSTM = recurrent(
  'LSTM',
  4,
  'Long short-term memory (Keras gate order i, f, c, o).',
  '4*(F*u + u*u + u)',
  (u) => [4 * u],
  'unit_forget_bias',
);

export const GRU = recurrent(
  'GRU',
  3,
  'Gated recurrent unit, Keras reset_after=True (gate order z, r, h; input and recurrent biases).',
  '3*(F*u + u*u + 2*u)',
  (u) => [2, 3 * u],
);

export const RECURRENT_LAYERS = [SimpleRNN, LSTM, GRU] as const;
