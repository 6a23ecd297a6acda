// What TF.js leaves out of the model.json it saves, recovered from its weights manifest:
// TF.js 4.22's SeparableConv2D omits depth_multiplier from its config, but its depthwise
// kernel [kh, kw, C, dm] in the manifest still says what it is.

import type { Json, KerasModelGraph } from './graph';

function manifestShapes(json: Json): Map<string, number[]> {
  const shapes = new Map<string, number[]>();
  const groups = json !== null && typeof json === 'object' && !Array.isArray(json) ? json.weightsManifest : undefined;
  if (!Array.isArray(groups)) return shapes;
  for (const g of groups) {
    const weights = g !== null && typeof g === 'object' && !Array.isArray(g) ? g.weights : undefined;
    if (!Array.isArray(weights)) continue;
    for (const w of weights) {
      if (w === null || typeof w !== 'object' || Array.isArray(w)) continue;
      if (typeof w.name === 'string' && Array.isArray(w.shape)) shapes.set(w.name, w.shape.filter((d): d is number => typeof d === 'number'));
    }
  }
  return shapes;
}

/** Sets each SeparableConv2D's missing depth_multiplier from its depthwise kernel's shape. */
export function restoreDepthMultipliers(graph: KerasModelGraph, json: Json): void {
  const missing = graph.layers.filter((l) => l.className === 'SeparableConv2D' && l.config.depth_multiplier === undefined);
  if (!missing.length) return;
  const shapes = manifestShapes(json);
  for (const layer of missing) {
    const shape = shapes.get(`${layer.name}/depthwise_kernel`);
    if (shape?.length === 4) layer.config.depth_multiplier = shape[3];
  }
}
