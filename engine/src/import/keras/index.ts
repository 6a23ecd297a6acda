// Keras → Netspec: a Keras model description (to_json(), a .keras file's config.json, or a
// TF.js model.json with its weight shards) in, the .netspec model text and its weights
// (engine names, "node/kernel") out. Pure: bytes and JSON in, values out; the CLI reads and
// writes the files. A model with a layer Netspec cannot express is refused as a whole, with
// every such layer named, rather than written with holes whose outputs would differ; what
// only shapes training in Keras (regularizers, constraints, recurrent dropout) is dropped
// and listed in the notes and in the file's header.

import type { NamedArray } from '../../train/types';
import { emitModel, callSources, modelName } from './emit';
import { isObject, modelConfigOf, readKerasGraph, type Json } from './graph';
import { mapLayer, type MappedLayer } from './layers';
import { engineWeights, readManifestWeights } from './weights';
import { restoreDepthMultipliers } from './tfjs_quirks';

export { manifestPaths } from './weights';

export interface ImportProblem {
  /** The Keras layer's name and class, when the problem is one layer's. */
  layer?: string;
  className?: string;
  message: string;
}

export interface ImportedModel {
  /** The Netspec model's name. */
  model: string;
  text: string;
  /** The weights under the engine's names, or null when the file has none (to_json, config.json). */
  weights: NamedArray[] | null;
  /** The Netspec output names, in the Keras model's order. */
  outputs: string[];
  notes: string[];
  layers: number;
}

export type ImportResult = { ok: true; value: ImportedModel } | { ok: false; problems: ImportProblem[] };

export interface ImportSource {
  /** The parsed file: a model config, or a TF.js model.json. */
  json: Json;
  /** The weight shards a model.json names, by path; absent or empty when there are none. */
  shards?: ReadonlyMap<string, Uint8Array>;
  /** How the header comment names the file. */
  fileName: string;
}

const NESTED = new Set(['Sequential', 'Functional', 'Model']);
const INT_DTYPES = /^u?int/;

/** A human line for one problem: "Conv2D layer 'conv': dilation_rate=[2,2] is not supported (...)". */
export function formatProblem(p: ImportProblem): string {
  return p.layer !== undefined ? `${p.className} layer '${p.layer}': ${p.message}` : p.message;
}

export function importKeras(source: ImportSource): ImportResult {
  const config = modelConfigOf(source.json);
  if (!config) return { ok: false, problems: [{ message: 'the file is not a Keras model (no class_name and config, modelTopology or model_config)' }] };
  const read = readKerasGraph(config);
  if (!read.ok) return { ok: false, problems: [{ message: read.message }] };
  const graph = read.graph;
  restoreDepthMultipliers(graph, source.json);

  const ranks = new Map<string, number>(graph.inputs.map((i) => [i.name, i.shape.length]));
  const mapped = new Map<string, MappedLayer>();
  const problems: ImportProblem[] = [];
  const notes: string[] = [];
  for (const layer of graph.layers) {
    const where = { layer: layer.name, className: layer.className };
    const unknown = layer.inbound.filter((t) => !ranks.has(t));
    let m: MappedLayer | string;
    if (NESTED.has(layer.className)) m = 'a model used as a layer is not supported; import the inner model on its own';
    else if (unknown.length) m = `it reads ${unknown.join(', ')}, which could not be imported`;
    else m = mapLayer(layer, callSources(layer.className, layer.inbound).map((t) => ranks.get(t)!));
    if (typeof m === 'string') {
      problems.push({ ...where, message: m });
      // Its readers are still checked on their own, as if it kept its input's rank.
      ranks.set(layer.name, ranks.get(layer.inbound[0]) ?? 0);
      continue;
    }
    mapped.set(layer.name, m);
    ranks.set(layer.name, m.rank);
    notes.push(...m.notes);
  }
  if (problems.length) return { ok: false, problems };

  // Embedding reads integer ids; Keras models often declare its input float32.
  const intInputs = new Set<string>();
  for (const input of graph.inputs) {
    const embedded = graph.layers.some((l) => l.className === 'Embedding' && l.inbound.includes(input.name));
    if (INT_DTYPES.test(input.dtype)) intInputs.add(input.name);
    else if (embedded) {
      intInputs.add(input.name);
      notes.push(`input ${input.name}: ${input.dtype} in Keras, int here since an Embedding reads it`);
    }
  }

  const header = [`Imported from ${source.fileName} (Keras model "${graph.name}") by netspec import.`, ...notes.map((n) => `Dropped: ${n}`)];
  const emitted = emitModel(graph, mapped, intInputs, header, exportedOutputNames(source.json));

  let weights: NamedArray[] | null = null;
  const hasManifest = isObject(source.json) && Array.isArray(source.json.weightsManifest) && source.json.weightsManifest.length > 0;
  if (hasManifest) {
    const manifest = readManifestWeights(source.json, source.shards ?? new Map());
    if (!manifest.ok) return { ok: false, problems: [{ message: manifest.message }] };
    const owners = graph.layers
      .filter((l) => emitted.nodeIds.has(l.name))
      .map((l) => {
        const calls = mapped.get(l.name)!.calls;
        return { name: l.name, nodeId: emitted.nodeIds.get(l.name)!, suffixes: calls.flatMap((c) => c.weights), kerasSuffixes: calls.flatMap((c) => c.kerasWeights ?? c.weights) };
      });
    const arrays = engineWeights(manifest.weights, owners);
    if (!arrays.ok) return { ok: false, problems: [{ message: arrays.message }] };
    weights = arrays.arrays;
  }
  return { ok: true, value: { model: modelName(graph.name), text: emitted.text, weights, outputs: emitted.outputs, notes, layers: graph.layers.length } };
}

/** The output names a Netspec export keeps in model.json's metadata, by the layer producing each. */
function exportedOutputNames(json: Json): Map<string, string> {
  const names = new Map<string, string>();
  const meta = isObject(json) && isObject(json.userDefinedMetadata) ? json.userDefinedMetadata.netspec : undefined;
  if (!isObject(meta) || !Array.isArray(meta.outputs)) return names;
  for (const o of meta.outputs) if (isObject(o) && typeof o.name === 'string' && typeof o.layer === 'string') names.set(o.layer, o.name);
  return names;
}
