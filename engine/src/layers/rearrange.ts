// Forwards of the layers that rearrange values without weights: zero padding (slice's
// adjoint, which has slice as its gradient), cropping (slice). Each is composed of
// primitive ops, so every backend runs it and the op table supplies the gradients.

import { edgeAmounts } from '../../catalog/layers/padding';
import type { LayerName } from '../../catalog/index';
import * as o from '../ops';
import type { LayerForward } from './context';

/** Pads (sign 1) or crops (sign -1) the spatial axes, those between the batch and the channels. */
function edges(layer: LayerName, sign: 1 | -1): LayerForward {
  return ([x], _w, args) => {
    const ends = edgeAmounts(args, layer);
    const begin = [0, ...ends.map(([before]) => before), 0];
    const outer = [x.shape[0], ...ends.map(([before, after], i) => x.shape[i + 1] + sign * (before + after)), x.shape[x.rank - 1]];
    return sign === 1 ? o.pad(x, begin, outer) : o.slice(x, begin, outer);
  };
}

export const REARRANGE_LAYERS = {
  ZeroPadding2D: edges('ZeroPadding2D', 1),
  ZeroPadding1D: edges('ZeroPadding1D', 1),
  Cropping2D: edges('Cropping2D', -1),
  Cropping1D: edges('Cropping1D', -1),
} satisfies Partial<Record<LayerName, LayerForward>>;
