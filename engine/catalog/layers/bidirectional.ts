// Keras's Bidirectional wrapper around one recurrent layer call: the inner layer runs twice
// on the same sequence, forward in time and backward (Keras go_backwards), and the two
// results are merged (merge_mode concat, sum, mul or ave). With return_sequences=true the
// backward outputs are put back in time order before merging, as Keras does. Each direction
// has its own copy of the inner layer's weights, named as Keras names them
// (`forward_lstm/kernel`, ..., `backward_lstm/bias`), so parameters count twice the inner
// layer's and FLOPs twice its FLOPs.

import { isLayerCall, type ResolvedArgs, type WeightSpec } from '../types';
import { snakeName } from '../names';
import { fail, ok, optional, required } from './common';
import { defineLayer } from './define';
import { RECURRENT_LAYERS } from './recurrent';

export const BIDIRECTIONAL_MERGES: readonly string[] = ['concat', 'sum', 'mul', 'ave'];

const WRAPPABLE = RECURRENT_LAYERS.map((l) => l.name);

/** The weight-name prefix of one direction: "forward_lstm", "backward_simple_rnn". */
export function directionScope(direction: 'forward' | 'backward', innerOp: string): string {
  return `${direction}_${snakeName(innerOp)}`;
}

export const Bidirectional = defineLayer({
  name: 'Bidirectional',
  category: 'recurrent',
  arity: 'one',
  args: [
    required('layer', 'layer', 'The recurrent layer to run in both directions: a call of LSTM, GRU or SimpleRNN.', { values: WRAPPABLE }),
    optional('merge', 'enum', 'concat', 'How the two directions combine: `concat` (2·units features), `sum`, `mul` or `ave`.', { values: BIDIRECTIONAL_MERGES }),
  ],
  inputDoc: '[time, features]',
  outputDoc: "the inner layer's output, with 2·units features for merge=concat",
  paramsDoc: "2 × the inner layer's",
  summary:
    "Runs a recurrent layer over the sequence forwards and backwards in time (Keras Bidirectional) and merges the two outputs. FLOPs: twice the inner layer's.",
  rule(inputs, args) {
    const inner = args.layer;
    if (!isLayerCall(inner)) return fail('missing-argument', 'Bidirectional needs a recurrent layer call, e.g. Bidirectional(LSTM(64))', { arg: 'layer' });
    const spec = RECURRENT_LAYERS.find((l) => l.name === inner.op);
    if (!spec) return fail('bad-argument', `Bidirectional wraps ${WRAPPABLE.join(', ')}, but is given ${inner.op}`, { arg: 'layer' });
    const r = spec.infer(inputs, inner.args as ResolvedArgs);
    if (!r.ok) return r.issue.arg ? { ok: false, issue: { ...r.issue, arg: 'layer' } } : r;
    const scoped = (direction: 'forward' | 'backward'): WeightSpec[] =>
      r.weights.map((w) => ({ ...w, name: `${directionScope(direction, inner.op)}/${w.name}` }));
    const shape = [...r.shape];
    const last = shape[shape.length - 1];
    if (args.merge === 'concat') shape[shape.length - 1] = typeof last === 'number' ? 2 * last : last;
    return ok(shape, r.dtype, [...scoped('forward'), ...scoped('backward')], r.flops === null ? null : 2 * r.flops);
  },
});

export const BIDIRECTIONAL_LAYERS = [Bidirectional] as const;
