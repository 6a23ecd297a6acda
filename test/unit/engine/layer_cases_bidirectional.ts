// Bidirectional's cases of the tfjs comparison. The oracle reverses the input in time for the
// backward direction and reverses its sequence back (tf.reverse), so it checks the engine's
// other route, a recurrence that runs from the last step, rather than repeating it. tfjs's
// own Bidirectional layer checks the oracle where tfjs has the inner layer (not GRU with
// reset_after=True).

import * as tf from '@tensorflow/tfjs';
import type { LayerCase, WeightInit } from './layer_cases';
import { gru, rnnTf } from './tf_reference';

type Inner = 'SimpleRNN' | 'LSTM' | 'GRU';
type Merge = 'concat' | 'sum' | 'mul' | 'ave';

const GATES: Record<Inner, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3 };
const SCOPE: Record<Inner, string> = { SimpleRNN: 'simple_rnn', LSTM: 'lstm', GRU: 'gru' };

function innerWeights(op: Inner, f: number, u: number): { name: string; shape: number[] }[] {
  const g = GATES[op];
  const bias = op === 'GRU' ? [2, 3 * u] : [g * u];
  return [
    { name: 'kernel', shape: [f, g * u] },
    { name: 'recurrent_kernel', shape: [u, g * u] },
    { name: 'bias', shape: bias },
  ];
}

function mergeTf(a: tf.Tensor, b: tf.Tensor, merge: Merge): tf.Tensor {
  if (merge === 'concat') return tf.concat([a, b], -1);
  if (merge === 'sum') return tf.add(a, b);
  if (merge === 'mul') return tf.mul(a, b);
  return tf.mul(tf.add(a, b), 0.5);
}

function bidirectionalCase(op: Inner, units: number, returnSequences: boolean, merge: Merge, input: number[]): LayerCase {
  const f = input[2];
  const inner = innerWeights(op, f, units);
  const weights: WeightInit[] = (['forward', 'backward'] as const).flatMap((d) => inner.map((w) => ({ ...w, name: `${d}_${SCOPE[op]}/${w.name}` })));
  const one = op === 'GRU' ? gru(returnSequences) : rnnTf(op === 'LSTM' ? 'lstm' : 'rnn', returnSequences);
  const innerArgs = op === 'SimpleRNN' ? { units, return_sequences: returnSequences, activation: 'tanh' } : { units, return_sequences: returnSequences };
  const layerFor = () =>
    op === 'LSTM'
      ? tf.layers.lstm({ units, returnSequences, recurrentActivation: 'sigmoid' })
      : tf.layers.simpleRNN({ units, returnSequences });
  return {
    op: 'Bidirectional',
    args: { layer: { op, args: innerArgs }, merge },
    inputs: [input],
    weights,
    tfForward: ([x], ws) => {
      const forward = one([x], ws.slice(0, 3));
      let backward = one([tf.reverse(x, 1)], ws.slice(3, 6));
      if (returnSequences) backward = tf.reverse(backward, 1);
      return mergeTf(forward, backward, merge);
    },
    tfLayer: op === 'GRU' ? undefined : () => tf.layers.bidirectional({ layer: layerFor() as tf.RNN, mergeMode: merge }),
  };
}

export const BIDIRECTIONAL_CASES: LayerCase[] = [
  bidirectionalCase('LSTM', 3, true, 'concat', [2, 4, 3]),
  bidirectionalCase('LSTM', 2, false, 'sum', [2, 3, 4]),
  bidirectionalCase('GRU', 3, true, 'mul', [2, 4, 3]),
  bidirectionalCase('GRU', 2, false, 'concat', [2, 3, 2]),
  bidirectionalCase('SimpleRNN', 3, true, 'ave', [2, 5, 2]),
];
