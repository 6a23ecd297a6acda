// The layer catalog's front door: every layer of spec §4 by name (aliases included), the
// activation enumeration, and the "did you mean" helper. The checker, the engine, hover and
// completion all look layers up here, so a layer exists exactly when it is listed below.

import type { LayerSpec } from './types';
import { ACTIVATION_LAYERS } from './layers/activation';
import { ATTENTION_LAYERS } from './layers/attention';
import { BIDIRECTIONAL_LAYERS } from './layers/bidirectional';
import { CONV_LAYERS } from './layers/conv';
import { CONV_TRANSPOSE_LAYERS } from './layers/conv_transpose';
import { DEPTHWISE_LAYERS } from './layers/depthwise';
import { CORE_LAYERS } from './layers/core';
import { EMBEDDING_LAYERS } from './layers/embedding';
import { MERGE_LAYERS } from './layers/merge';
import { MERGE_ELEMENTWISE_LAYERS } from './layers/merge_elementwise';
import { NORM_LAYERS } from './layers/norm';
import { POINTWISE_LAYERS } from './layers/pointwise';
import { PADDING_LAYERS } from './layers/padding';
import { REORDER_LAYERS } from './layers/reorder';
import { UPSAMPLING_LAYERS } from './layers/upsampling';
import { POOL_LAYERS } from './layers/pool';
import { RECURRENT_LAYERS } from './layers/recurrent';
import { RESHAPE_LAYERS } from './layers/reshape';

export * from './shape';
export * from './types';
export * from './ir';
export { ACTIVATIONS, PADDINGS } from './layers/common';
export { INTERPOLATIONS } from './layers/upsampling';
export { checkArgs, rangeText, resolveArgs } from './layers/define';
export { editDistance, suggestName } from './suggest';
export { kerasArgumentNames, kerasLayerNames, netspecArgumentFor, netspecLayerFor } from './keras_spelling';

const LAYERS = [
  ...CORE_LAYERS,
  ...CONV_LAYERS,
  ...CONV_TRANSPOSE_LAYERS,
  ...DEPTHWISE_LAYERS,
  ...POOL_LAYERS,
  ...RESHAPE_LAYERS,
  ...PADDING_LAYERS,
  ...UPSAMPLING_LAYERS,
  ...REORDER_LAYERS,
  ...NORM_LAYERS,
  ...ACTIVATION_LAYERS,
  ...EMBEDDING_LAYERS,
  ...RECURRENT_LAYERS,
  ...BIDIRECTIONAL_LAYERS,
  ...ATTENTION_LAYERS,
  ...MERGE_LAYERS,
  ...MERGE_ELEMENTWISE_LAYERS,
  ...POINTWISE_LAYERS,
] as const;

/** Every layer's name (aliases aside): what the engine's table of forwards is keyed by. */
export type LayerName = (typeof LAYERS)[number]['name'];

const BY_NAME: ReadonlyMap<string, LayerSpec> = (() => {
  const m = new Map<string, LayerSpec>();
  for (const spec of LAYERS) {
    m.set(spec.name, spec);
    for (const alias of spec.aliases ?? []) m.set(alias, spec);
  }
  return m;
})();

/** The layer called `name` (case-sensitive; aliases resolve to their layer). */
export function findLayer(name: string): LayerSpec | undefined {
  return BY_NAME.get(name);
}

/** Every layer once, in the order of spec §4's families. */
export function allLayers(): readonly LayerSpec[] {
  return LAYERS;
}

/** Every name a layer can be called by, aliases included. */
export function layerNames(): string[] {
  return [...BY_NAME.keys()];
}
export * from './train_ir';
