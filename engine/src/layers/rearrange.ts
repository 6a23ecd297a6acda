// Forwards of the layers that rearrange values without weights: zero padding (slice's
// adjoint, which has slice as its gradient), cropping (slice), RepeatVector (a broadcast
// along a new axis) and Permute (transpose). Each is composed of primitive ops, so every
// backend runs it and the op table supplies the gradients.

import { edgeAmounts } from '../../catalog/layers/padding';
import type { LayerName } from '../../catalog/index';
import * as o from '../ops';
import type { LayerForward } from './context';
import { ints, num } from './context';

/** Pads (sign 1) or crops (sign -1) the spatial axes, those between the batch and the channels. */
function edges(layer: LayerName, sign: 1 | -1): LayerForward {
  return ([x], _w, args) => {
    const ends = edgeAmounts(args, layer);
    const begin = [0, ...ends.map(([before]) => before), 0];
    const outer = [x.shape[0], ...ends.map(([before, after], i) => x.shape[i + 1] + sign * (before + after)), x.shape[x.rank - 1]];
    return sign === 1 ? o.pad(x, begin, outer) : o.slice(x, begin, outer);
  };
}

const RepeatVector: LayerForward = ([x], _w, args) => {
  const [batch, features] = x.shape;
  return o.broadcastTo(o.reshape(x, [batch, 1, features]), [batch, num(args, 'n'), features]);
};

/** Keras counts a sample's axes from 1, so they are already the batched tensor's axes. */
const Permute: LayerForward = ([x], _w, args) => o.transpose(x, [0, ...ints(args, 'axes')]);

export const REARRANGE_FORWARDS = {
  ZeroPadding2D: edges('ZeroPadding2D', 1),
  ZeroPadding1D: edges('ZeroPadding1D', 1),
  Cropping2D: edges('Cropping2D', -1),
  Cropping1D: edges('Cropping1D', -1),
  RepeatVector,
  Permute,
} satisfies Partial<Record<LayerName, LayerForward>>;
