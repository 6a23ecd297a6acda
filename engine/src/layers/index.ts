// Every catalog layer's forward by its catalog name. The model looks layers up here; the
// catalog test asserts this table covers every layer the catalog lists.

import { BASIC_LAYERS } from './basic';
import type { LayerForward } from './context';
import { SEQUENCE_LAYERS } from './sequence';

export type { LayerContext, LayerForward } from './context';
export { dense } from './basic';

export const LAYER_FORWARDS: Readonly<Record<string, LayerForward>> = { ...BASIC_LAYERS, ...SEQUENCE_LAYERS };

export function findForward(op: string): LayerForward | undefined {
  return Object.prototype.hasOwnProperty.call(LAYER_FORWARDS, op) ? LAYER_FORWARDS[op] : undefined;
}
