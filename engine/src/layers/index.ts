// Every catalog layer's forward by its catalog name. The table is typed over the catalog's
// layer names, so a layer added to the catalog fails the typecheck here until it has one.

import type { LayerName } from '../../catalog/index';
import { BASIC_LAYERS } from './basic';
import { BIDIRECTIONAL_LAYERS } from './bidirectional';
import type { LayerForward } from './context';
import { POINTWISE_LAYERS } from './pointwise';
import { REARRANGE_FORWARDS } from './rearrange';
import { SEQUENCE_LAYERS } from './sequence';
import { UPSAMPLING_FORWARDS } from './upsampling';
import { CONV_TRANSPOSE_FORWARDS } from './conv_transpose';
import { DEPTHWISE_FORWARDS } from './depthwise';

export type { LayerContext, LayerForward } from './context';
export { dense } from './basic';

export const LAYER_FORWARDS: { readonly [N in LayerName]: LayerForward } = { ...BASIC_LAYERS, ...SEQUENCE_LAYERS, ...POINTWISE_LAYERS, ...REARRANGE_FORWARDS, ...UPSAMPLING_FORWARDS, ...BIDIRECTIONAL_LAYERS, ...CONV_TRANSPOSE_FORWARDS, ...DEPTHWISE_FORWARDS };

function isLayerName(op: string): op is LayerName {
  return Object.prototype.hasOwnProperty.call(LAYER_FORWARDS, op);
}

export function findForward(op: string): LayerForward | undefined {
  return isLayerName(op) ? LAYER_FORWARDS[op] : undefined;
}
