// Keras's Bidirectional: the wrapped recurrent layer's forward runs twice on the same input,
// once forward in time and once from the last step to the first (GO_BACKWARDS, which also
// returns a sequence in input time order), each with its own weights; the two results are
// merged as merge_mode says. Everything is composed from existing ops, so every backend runs
// it and gradients come from their rules.

import { findLayer, isLayerCall, resolveArgs, type LayerName } from '../../catalog/index';
import { directionScope } from '../../catalog/layers/bidirectional';
import * as o from '../ops';
import type { Tensor } from '../tensor';
import type { LayerForward } from './context';
import { str } from './context';
import { GO_BACKWARDS, SEQUENCE_LAYERS } from './sequence';

type Wrappable = 'SimpleRNN' | 'LSTM' | 'GRU';

function isWrappable(op: string): op is Wrappable {
  return op === 'SimpleRNN' || op === 'LSTM' || op === 'GRU';
}

/** The weights under `scope/`, keyed by their names inside it. */
function scoped(weights: Record<string, Tensor>, scope: string): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  const prefix = `${scope}/`;
  for (const [name, t] of Object.entries(weights)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = t;
  return out;
}

function merge(forward: Tensor, backward: Tensor, mode: string): Tensor {
  switch (mode) {
    case 'concat':
      return o.concat([forward, backward], -1);
    case 'sum':
      return o.add(forward, backward);
    case 'mul':
      return o.mul(forward, backward);
    case 'ave':
      return o.affine(o.add(forward, backward), 0.5, 0);
    default:
      throw new Error(`Bidirectional has no merge mode ${mode}`);
  }
}

const Bidirectional: LayerForward = (inputs, w, args, ctx) => {
  const inner = args.layer;
  if (!isLayerCall(inner) || !isWrappable(inner.op)) throw new Error('Bidirectional needs a resolved LSTM, GRU or SimpleRNN call');
  // The wrapper's own arguments were resolved by the model; the inner call's are resolved
  // here, so an IR written without the inner defaults (an imported model's) runs too.
  const resolved = resolveArgs(findLayer(inner.op)!, inner.args);
  if ('issue' in resolved) throw new Error(resolved.issue.ok ? `Bidirectional's ${inner.op} has bad arguments` : resolved.issue.issue.message);
  const run = SEQUENCE_LAYERS[inner.op];
  const forward = run(inputs, scoped(w, directionScope('forward', inner.op)), resolved.args, ctx);
  const backward = run(inputs, scoped(w, directionScope('backward', inner.op)), { ...resolved.args, [GO_BACKWARDS]: true }, ctx);
  return merge(forward, backward, str(args, 'merge'));
};

export const BIDIRECTIONAL_LAYERS = { Bidirectional } satisfies Partial<Record<LayerName, LayerForward>>;
