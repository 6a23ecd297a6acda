// The weights of a TF.js `model.json`: `weightsManifest` is a list of groups, each with the
// shard files (`paths`) whose bytes, back to back, hold its weights in order as little-endian
// float32. Each Keras weight is named "layer/kernel" (a Keras-converted model may add a
// scope before the layer and ":0" after); the importer takes a layer's weights by the names
// Netspec gives them too, so it never depends on the manifest's order.

import type { NamedArray } from '../../train/types';
import { isObject, type Json } from './graph';

export interface KerasWeight {
  shape: number[];
  data: Float32Array;
}

export type ManifestRead = { ok: true; weights: Map<string, KerasWeight> } | { ok: false; message: string };

/** The shard files a `model.json` names, in order, so a caller knows what to read. */
export function manifestPaths(modelJson: Json): string[] {
  if (!isObject(modelJson) || !Array.isArray(modelJson.weightsManifest)) return [];
  return modelJson.weightsManifest.flatMap((g) => (isObject(g) && Array.isArray(g.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : []));
}

/** Every weight of the manifest by name, read from `shards` (the files it names). */
export function readManifestWeights(modelJson: Json, shards: ReadonlyMap<string, Uint8Array>): ManifestRead {
  const weights = new Map<string, KerasWeight>();
  if (!isObject(modelJson) || !Array.isArray(modelJson.weightsManifest)) return { ok: true, weights };
  for (const group of modelJson.weightsManifest) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return { ok: false, message: 'a weightsManifest group lacks paths or weights' };
    const parts: Uint8Array[] = [];
    for (const p of group.paths) {
      const bytes = typeof p === 'string' ? shards.get(p) : undefined;
      if (!bytes) return { ok: false, message: `the weights file ${String(p)} is missing` };
      parts.push(bytes);
    }
    const total = parts.reduce((n, p) => n + p.length, 0);
    const all = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const view = new DataView(all.buffer);
    let offset = 0;
    for (const spec of group.weights) {
      if (!isObject(spec) || typeof spec.name !== 'string' || !Array.isArray(spec.shape)) return { ok: false, message: 'a weight in weightsManifest lacks a name or shape' };
      if (spec.dtype !== 'float32' || spec.quantization) return { ok: false, message: `the weight ${spec.name} is ${spec.quantization ? 'quantized' : String(spec.dtype)}; only float32 weights can be imported` };
      const shape = spec.shape.map(Number);
      const count = shape.reduce((p, d) => p * d, 1);
      if (offset + count * 4 > total) return { ok: false, message: `the weights files end before the weight ${spec.name}` };
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + i * 4, true);
      offset += count * 4;
      weights.set(spec.name.replace(/:0$/, ''), { shape, data });
    }
  }
  return { ok: true, weights };
}

/** The weight `suffix` ("kernel", "query/kernel") of Keras layer `layer`, or undefined. */
export function layerWeight(weights: ReadonlyMap<string, KerasWeight>, layer: string, suffix: string): KerasWeight | undefined {
  const exact = weights.get(`${layer}/${suffix}`);
  if (exact) return exact;
  // A scope before the layer ("model/dense/kernel").
  for (const [name, w] of weights) if (name.endsWith(`/${layer}/${suffix}`)) return w;
  return undefined;
}

/** The engine's arrays ("node/kernel") of the imported layers, or the first weight that is missing. */
export function engineWeights(
  weights: ReadonlyMap<string, KerasWeight>,
  layers: { name: string; nodeId: string; suffixes: string[]; kerasSuffixes?: string[] }[],
): { ok: true; arrays: NamedArray[] } | { ok: false; message: string } {
  const arrays: NamedArray[] = [];
  for (const l of layers) {
    for (const [i, suffix] of l.suffixes.entries()) {
      // The Keras name, where it differs from the engine's (Bidirectional's inner scopes).
      const keras = l.kerasSuffixes?.[i] ?? suffix;
      const w = layerWeight(weights, l.name, keras);
      if (!w) return { ok: false, message: `the weight ${l.name}/${keras} is not in the weights manifest` };
      arrays.push({ name: `${l.nodeId}/${suffix}`, shape: w.shape, data: w.data });
    }
  }
  return { ok: true, arrays };
}
