// ONNX mapping of Keras's Bidirectional: the wrapped layer's own mapping runs twice, on the
// input and on the input reversed in time (Slice with step -1 on the time axis), each
// direction reading its weights under "forward_<layer>/" and "backward_<layer>/"; with
// return_sequences the backward outputs are reversed back before the merge (Concat on the
// last axis, Add, Mul, or Add then × 0.5), as Keras and the engine do.

import { isLayerCall } from '../../../catalog/types';
import { directionScope } from '../../../catalog/layers/bidirectional';
import type { LayerCtx, LayerMapping } from './layer_context';
import { str } from './layer_context';
import { SEQUENCE_MAPPINGS } from './layers_sequence';

/** x [N, T, ...] with the time axis reversed. */
function reverseTime(c: LayerCtx, x: string, base: string): string {
  const { b } = c;
  // From the last step down past the first: an end of INT64_MIN is clamped to "before 0".
  return b.op1('Slice', [x, b.int64s(`${base}/starts`, [-1]), b.int64s(`${base}/ends`, [-(2 ** 63)]), b.int64s(`${base}/axes`, [1]), b.int64s(`${base}/steps`, [-1])], base);
}

const Bidirectional: LayerMapping = (c) => {
  const { b, node } = c;
  const inner = node.args.layer;
  if (!isLayerCall(inner)) return { error: 'its wrapped layer is not a resolved layer call' };
  const mapping = SEQUENCE_MAPPINGS[inner.op];
  if (!mapping) return { error: `ONNX has no mapping for a wrapped ${inner.op}` };
  const run = (direction: 'forward' | 'backward', x: string): string | { error: string } => {
    const scope = directionScope(direction, inner.op);
    const prefix = `${scope}/`;
    // The inner mapping sees a node of its own layer, with its weights under their own names.
    const weights = node.weights.filter((w) => w.name.startsWith(prefix)).map((w) => ({ ...w, name: w.name.slice(prefix.length) }));
    return mapping({
      ...c,
      node: { ...node, id: `${node.id}/${scope}`, op: inner.op, args: inner.args, weights },
      inputs: [x],
      weight: (local) => c.weight(`${scope}/${local}`),
    });
  };
  const forward = run('forward', c.inputs[0]);
  if (typeof forward !== 'string') return forward;
  let backward = run('backward', reverseTime(c, c.inputs[0], `${node.id}/reverse_input`));
  if (typeof backward !== 'string') return backward;
  if (inner.args.return_sequences === true) backward = reverseTime(c, backward, `${node.id}/reverse_output`);
  switch (str(node.args, 'merge', 'concat')) {
    case 'concat':
      return b.op1('Concat', [forward, backward], node.id, { axis: -1 });
    case 'sum':
      return b.op1('Add', [forward, backward], node.id);
    case 'mul':
      return b.op1('Mul', [forward, backward], node.id);
    case 'ave':
      return b.op1('Mul', [b.op1('Add', [forward, backward], node.id), b.floats(`${node.id}/half`, [], [0.5])], node.id);
    default:
      return { error: `unknown merge mode ${str(node.args, 'merge', '')}` };
  }
};

export const BIDIRECTIONAL_MAPPINGS: Record<string, LayerMapping> = { Bidirectional };
