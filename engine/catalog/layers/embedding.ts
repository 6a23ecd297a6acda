// Embeddings: Embedding maps integer ids to learned vectors (the only layer that takes
// int32 input), and PositionEmbedding adds a learned vector per position to a sequence
// (Keras-Hub's PositionEmbedding: a [max_len, D] table, glorot_uniform).

import { formatShape, isKnown } from '../shape';
import { argInt, elements, expectKnown, expectRank, fail, lastDim, ok, required, weight } from './common';
import { defineLayer } from './define';

export const Embedding = defineLayer({
  name: 'Embedding',
  category: 'embedding',
  arity: 'one',
  accepts: 'int',
  args: [
    required('vocab', 'int', 'The number of distinct ids (ids run from 0 to vocab - 1).', { min: 1 }),
    required('dim', 'int', 'The length of each id\'s vector.', { min: 1 }),
  ],
  inputDoc: '[...] int ids',
  outputDoc: '[..., dim]',
  paramsDoc: 'vocab*dim',
  summary:
    'Looks up a learned vector of length `dim` for each integer id. The table is Keras\'s `embeddings` (uniform initializer); it is not a kernel, so the train block\'s regularizer leaves it alone. FLOPs: 0 (a lookup).',
  rule(inputs, args) {
    const [x] = inputs;
    const vocab = argInt(args, 'vocab', 1);
    const dim = argInt(args, 'dim', 1);
    return ok([...x.shape, dim], 'float32', [weight('embeddings', [vocab, dim], 'uniform')], 0);
  },
});

const POSITION_INPUT = '[time, features]';

export const PositionEmbedding = defineLayer({
  name: 'PositionEmbedding',
  category: 'embedding',
  arity: 'one',
  args: [required('max_len', 'int', 'The longest sequence the layer accepts; it learns one vector per position.', { min: 1 })],
  inputDoc: POSITION_INPUT,
  outputDoc: '[time, features]',
  paramsDoc: 'max_len*D',
  summary: 'Adds a learned vector to each position of a sequence (Keras-Hub PositionEmbedding). FLOPs: one add per value.',
  rule(inputs, args) {
    const [x] = inputs;
    const bad = expectRank('PositionEmbedding', POSITION_INPUT, x, 2) ?? expectKnown('PositionEmbedding', x, -1, 'feature size');
    if (bad) return bad;
    const maxLen = argInt(args, 'max_len', 1);
    const t = x.shape[0];
    if (isKnown(t) && t > maxLen) {
      return fail(
        'shape-mismatch',
        `PositionEmbedding(max_len=${maxLen}) accepts at most ${maxLen} positions, but ${x.name} ${formatShape(x.shape)} has ${t}`,
        { arg: 'max_len', input: 0 },
      );
    }
    const d = lastDim(x);
    return ok([...x.shape], 'float32', [weight('embeddings', [maxLen, d], 'glorot_uniform')], elements(x.shape));
  },
});

export const EMBEDDING_LAYERS = [Embedding, PositionEmbedding] as const;
