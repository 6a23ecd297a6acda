// The TF.js Layers format: `model.json` (format "layers-model": the Keras functional topology
// that `tf.loadLayersModel` reads and `tensorflowjs_converter` turns into a Keras model, plus
// the weights manifest) and `weights.bin` (every weight as little-endian float32, in the
// manifest's order). Layer names and weight names follow Keras ("dense/kernel"), so the
// weights load by name. Layers TensorFlow.js 4.22 lacks are an error value naming the node.

import { kerasGraph, type KerasGraph, type KerasValue } from '../keras/topology';
import type { ExportOutcome, ExportSource, Exporter } from '../types';

export const TFJS_VERSION = '4.22.0';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function toJson(v: KerasValue): Json {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(toJson);
  if ('py' in v && typeof v.py === 'string') throw new Error(`a Python value (${v.py}) in a TF.js config`);
  const out: { [key: string]: Json } = {};
  for (const [k, x] of Object.entries(v as Record<string, KerasValue>)) out[k] = toJson(x);
  return out;
}

/** The Keras functional model config (`modelTopology`) of a graph. */
export function tfjsTopology(graph: KerasGraph): Json {
  const layers: Json[] = [];
  for (const input of graph.inputs) {
    layers.push({
      class_name: 'InputLayer',
      name: input.name,
      config: { batch_input_shape: [null, ...input.shape], dtype: input.dtype, sparse: false, name: input.name },
      inbound_nodes: [],
    });
  }
  for (const layer of graph.layers) {
    const config = toJson(layer.config) as { [key: string]: Json };
    layers.push({
      class_name: layer.className,
      name: layer.name,
      config: { name: layer.name, trainable: true, dtype: 'float32', ...config },
      inbound_nodes: [layer.inbound.map((src) => [src, 0, 0, {}])],
    });
  }
  return {
    class_name: 'Functional',
    config: {
      name: graph.name,
      layers,
      input_layers: graph.inputs.map((i) => [i.name, 0, 0]),
      output_layers: graph.outputs.map((o) => [o.layer, 0, 0]),
    },
    keras_version: `tfjs-layers ${TFJS_VERSION}`,
    backend: 'tensor_flow.js',
  };
}

export const tfjsExporter: Exporter = {
  format: 'tfjs',
  summary: 'TensorFlow.js Layers model (model.json + weights.bin) for tf.loadLayersModel and tensorflowjs_converter',
  quantizes: false,
  async run(source: ExportSource): Promise<ExportOutcome> {
    const built = kerasGraph(source.model, 'tfjs');
    if (!built.ok) return built;
    const graph = built.graph;
    const byName = new Map(source.weights.map((w) => [w.name, w]));
    const specs: Json[] = [];
    const parts: Float32Array[] = [];
    let total = 0;
    for (const layer of graph.layers) {
      for (const w of layer.weights) {
        const array = byName.get(w.engine);
        if (!array) return { ok: false, error: { message: `the weight ${w.engine} is missing`, node: layer.node, line: layer.line } };
        specs.push({ name: w.keras, shape: array.shape, dtype: 'float32' });
        parts.push(array.data);
        total += array.data.length;
      }
    }
    // Little-endian float32, whatever the host's byte order.
    const bin = new Uint8Array(total * 4);
    const view = new DataView(bin.buffer);
    let at = 0;
    for (const p of parts) for (let i = 0; i < p.length; i++, at += 4) view.setFloat32(at, p[i], true);
    const modelJson = {
      format: 'layers-model',
      generatedBy: `Netspec (TensorFlow.js Layers ${TFJS_VERSION} format)`,
      convertedBy: null,
      modelTopology: tfjsTopology(graph),
      weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
      userDefinedMetadata: {
        netspec: {
          model: source.model.name,
          outputs: graph.outputs.map((o) => ({ name: o.name, layer: o.layer })),
          trained: source.trained,
          ...(Object.keys(source.metadata).length ? { metadata: source.metadata } : {}),
        },
      },
    };
    const notes: string[] = [];
    const renamed = graph.layers.filter((l) => l.name !== l.node && !l.added);
    if (renamed.length) notes.push(`Keras layer names cannot contain '/': ${renamed.map((l) => `${l.node} is ${l.name}`).join(', ')}`);
    return {
      ok: true,
      files: [
        { path: 'model.json', data: `${JSON.stringify(modelJson, null, 1)}\n` },
        { path: 'weights.bin', data: bin },
      ],
      notes,
      report: { layers: graph.layers.length, params: source.model.params },
    };
  },
};
