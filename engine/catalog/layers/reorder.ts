// Layers that reorder or repeat values without computing, as Keras's: RepeatVector turns a
// vector into a sequence of n copies (a decoder's input), Permute reorders the axes of a
// sample, counted from 1 as Keras counts them (the batch axis stays first). No weights.

import { formatShape } from '../shape';
import { argInt, expectRank, fail, ok, required } from './common';
import { defineLayer } from './define';

export const RepeatVector = defineLayer({
  name: 'RepeatVector',
  category: 'reshape',
  arity: 'one',
  args: [required('n', 'int', 'How many times the vector is repeated: the length of the output sequence.', { min: 1 })],
  inputDoc: '[features]',
  outputDoc: '[n, features]',
  paramsDoc: '0',
  summary: 'Repeats a vector n times, making a sequence of n equal steps (e.g. the input of a sequence decoder). FLOPs: 0.',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('RepeatVector', '[features]', x, 1);
    if (bad) return bad;
    return ok([argInt(args, 'n', 1), x.shape[0]], 'float32', [], 0);
  },
});

export const Permute = defineLayer({
  name: 'Permute',
  category: 'reshape',
  arity: 'one',
  args: [required('axes', 'ints', 'The new order of the axes of one sample, counted from 1 as in Keras, e.g. [2, 1] swaps two axes.')],
  inputDoc: '[...]',
  outputDoc: '[the axes in the given order]',
  paramsDoc: '0',
  summary: "Reorders the axes of each sample (Keras's Permute: axes count from 1, the batch axis stays first). FLOPs: 0.",
  rule(inputs, args) {
    const [x] = inputs;
    const axes = Array.isArray(args.axes) ? (args.axes as number[]) : [];
    const rank = x.shape.length;
    const want = Array.from({ length: rank }, (_v, i) => i + 1);
    if (axes.length !== rank || ![...axes].sort((a, b) => a - b).every((a, i) => a === want[i])) {
      return fail(
        'bad-argument',
        `Permute's axes [${axes.join(', ')}] must order every axis of ${x.name} ${formatShape(x.shape)} once, counted from 1: a permutation of [${want.join(', ')}]`,
        { arg: 'axes', input: 0 },
      );
    }
    return ok(axes.map((a) => x.shape[a - 1]), 'float32', [], 0);
  },
});

export const REORDER_LAYERS = [RepeatVector, Permute] as const;
