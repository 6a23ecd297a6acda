// A Keras model description in one shape, whichever program wrote it: `model.to_json()` of
// Keras 2 or 3, the `config.json` inside a `.keras` file, or TF.js's `model.json`
// (`modelTopology`, sometimes wrapped as `{model_config, training_config}`). Sequential
// models become a chain; functional models keep their inbound nodes, which Keras 2 and TF.js
// write as `[[["layer", 0, 0, {kwargs}], ...]]` and Keras 3 as
// `[{"args": [keras tensors], "kwargs": {...}}]` (a tensor names its layer in `keras_history`).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface GraphInput {
  name: string;
  /** One sample's shape (the batch axis removed); null for a size Keras leaves open. */
  shape: (number | null)[];
  dtype: string;
}

export interface GraphLayer {
  name: string;
  className: string;
  config: JsonObject;
  /** The layers (or inputs) it is called on, in order: positional tensors, then tensor keyword arguments. */
  inbound: string[];
  /** Keyword arguments of the call that are not tensors (`use_causal_mask`, `training`). */
  callKwargs: JsonObject;
}

export interface KerasModelGraph {
  name: string;
  inputs: GraphInput[];
  layers: GraphLayer[];
  outputs: string[];
}

export type GraphParse = { ok: true; graph: KerasModelGraph } | { ok: false; message: string };

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The Keras model config in a parsed file: the topology itself, TF.js's `modelTopology`, or `model_config`. */
export function modelConfigOf(json: Json): JsonObject | null {
  if (!isObject(json)) return null;
  if (isObject(json.modelTopology)) return modelConfigOf(json.modelTopology);
  if (isObject(json.model_config)) return json.model_config;
  if (typeof json.class_name === 'string' && isObject(json.config)) return json;
  return null;
}

/** The sample shape of a `batch_input_shape` / Keras 3 `batch_shape` / `input_shape` config. */
function sampleShape(config: JsonObject): (number | null)[] | null {
  const batched = Array.isArray(config.batch_input_shape) ? config.batch_input_shape : Array.isArray(config.batch_shape) ? config.batch_shape : null;
  if (batched) return batched.slice(1).map((d) => (typeof d === 'number' ? d : null));
  if (Array.isArray(config.input_shape)) return config.input_shape.map((d) => (typeof d === 'number' ? d : null));
  return null;
}

function dtypeOf(config: JsonObject): string {
  const d = config.dtype;
  if (typeof d === 'string') return d;
  // Keras 3 writes a DTypePolicy object.
  if (isObject(d) && isObject(d.config) && typeof d.config.name === 'string') return d.config.name;
  return 'float32';
}

/** The layer name a Keras 2 / TF.js node reference or a Keras 3 tensor points at, or null. */
function tensorLayer(ref: Json): string | null {
  if (Array.isArray(ref) && typeof ref[0] === 'string') return ref[0];
  if (isObject(ref) && ref.class_name === '__keras_tensor__' && isObject(ref.config)) {
    const history = ref.config.keras_history;
    if (Array.isArray(history) && typeof history[0] === 'string') return history[0];
  }
  return null;
}

/** One call's inputs and plain keyword arguments; tensor keyword arguments (MHA's value, key) follow the positional ones. */
function inboundOf(nodes: Json | undefined): { inbound: string[]; callKwargs: JsonObject } | string {
  if (!Array.isArray(nodes) || nodes.length === 0) return { inbound: [], callKwargs: {} };
  if (nodes.length > 1) return 'it is called more than once (shared layers)';
  const node = nodes[0];
  const inbound: string[] = [];
  const callKwargs: JsonObject = {};
  const addKwargs = (kwargs: Json | undefined) => {
    if (!isObject(kwargs)) return;
    for (const [k, v] of Object.entries(kwargs)) {
      const layer = tensorLayer(v);
      if (layer !== null && (Array.isArray(v) ? v.length >= 3 : true)) inbound.push(layer);
      else callKwargs[k] = v;
    }
  };
  if (isObject(node)) {
    // Keras 3: positional args may be one tensor or a list of tensors (merge layers).
    const args = Array.isArray(node.args) ? node.args : [];
    for (const a of args) {
      const list = Array.isArray(a) ? a : [a];
      for (const t of list) {
        const layer = tensorLayer(t);
        if (layer !== null) inbound.push(layer);
      }
    }
    addKwargs(node.kwargs);
    return { inbound, callKwargs };
  }
  if (!Array.isArray(node)) return 'its inbound nodes are not in a known format';
  for (const ref of node) {
    const layer = tensorLayer(ref);
    if (layer === null) return 'its inbound nodes are not in a known format';
    inbound.push(layer);
    if (Array.isArray(ref) && ref.length >= 4) addKwargs(ref[3]);
  }
  return { inbound, callKwargs };
}

/** `[["name", 0, 0], ...]` or Keras 3's single `["name", 0, 0]` as a list of layer names. */
function layerRefs(refs: Json | undefined): string[] {
  if (!Array.isArray(refs)) return [];
  if (typeof refs[0] === 'string') return [refs[0]];
  return refs.map(tensorLayer).filter((n): n is string => n !== null);
}

const layerName = (l: JsonObject): string =>
  typeof l.name === 'string' ? l.name : isObject(l.config) && typeof l.config.name === 'string' ? l.config.name : '';

/** The graph of a Keras model config, or why it cannot be read. */
export function readKerasGraph(model: JsonObject): GraphParse {
  const className = model.class_name;
  const config = model.config;
  if (!isObject(config) || !Array.isArray(config.layers)) return { ok: false, message: 'the model config has no layers' };
  const name = typeof config.name === 'string' ? config.name : 'imported';
  const raw = config.layers.filter(isObject);
  if (className === 'Sequential') return readSequential(name, raw);
  if (className === 'Functional' || className === 'Model') return readFunctional(name, raw, config);
  return { ok: false, message: `the model is a ${String(className)}; only Sequential and functional models can be imported` };
}

function readSequential(name: string, raw: JsonObject[]): GraphParse {
  let input: GraphInput | null = null;
  const layers: GraphLayer[] = [];
  let previous = '';
  for (const l of raw) {
    const config = isObject(l.config) ? l.config : {};
    const cls = String(l.class_name);
    if (cls === 'InputLayer') {
      const shape = sampleShape(config);
      if (!shape) return { ok: false, message: `the input layer ${layerName(l)} has no shape` };
      input = { name: layerName(l) || 'x', shape, dtype: dtypeOf(config) };
      previous = input.name;
      continue;
    }
    if (!input) {
      const shape = sampleShape(config);
      if (!shape) return { ok: false, message: `the first layer ${layerName(l)} gives no input shape` };
      input = { name: 'x', shape, dtype: dtypeOf(config) };
      previous = input.name;
    }
    layers.push({ name: layerName(l), className: cls, config, inbound: [previous], callKwargs: {} });
    previous = layerName(l);
  }
  if (!input) return { ok: false, message: 'the model has no layers' };
  return { ok: true, graph: { name, inputs: [input], layers, outputs: [previous] } };
}

function readFunctional(name: string, raw: JsonObject[], config: JsonObject): GraphParse {
  const inputs: GraphInput[] = [];
  const layers: GraphLayer[] = [];
  for (const l of raw) {
    const lc = isObject(l.config) ? l.config : {};
    const cls = String(l.class_name);
    if (cls === 'InputLayer') {
      const shape = sampleShape(lc);
      if (!shape) return { ok: false, message: `the input layer ${layerName(l)} has no shape` };
      inputs.push({ name: layerName(l), shape, dtype: dtypeOf(lc) });
      continue;
    }
    const inbound = inboundOf(l.inbound_nodes);
    if (typeof inbound === 'string') return { ok: false, message: `${cls} layer ${layerName(l)}: ${inbound}` };
    layers.push({ name: layerName(l), className: cls, config: lc, ...inbound });
  }
  // Inputs in the model's order, which the config's layer list need not follow.
  const order = layerRefs(config.input_layers);
  inputs.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { ok: true, graph: { name, inputs, layers, outputs: layerRefs(config.output_layers) } };
}
