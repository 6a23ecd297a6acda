// The Keras format: `model_keras.py`, a Python script that builds the model with Keras 3's
// functional API (one layer per IR node, named as in Netspec with "/" written "_") and loads
// its weights from `weights.safetensors` beside it, read with json and numpy only (the
// safetensors package is not needed). Keras 3 has every Netspec layer but PositionEmbedding,
// which the script defines as a small custom layer.

import { encodeSafetensors } from '../../io/safetensors';
import type { ExportOutcome, ExportSource, Exporter } from '../types';
import { kerasGraph, toPy, type KerasGraph } from './topology';

export { toPy };

export const KERAS_SCRIPT = 'model_keras.py';
export const KERAS_WEIGHTS = 'weights.safetensors';

/** Names the script itself uses, which a tensor variable must not shadow. */
const RESERVED = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type',
  'json', 'os', 'struct', 'sys', 'np', 'keras', 'model', 'print', 'len', 'list', 'dict', 'range', 'input', 'object', 'super',
  'WEIGHTS', 'WEIGHTS_FILE', 'PositionEmbedding', 'leaky_relu_001', 'build_model', 'load_weights', 'read_safetensors', 'main',
]);

const HEADER = (graph: KerasGraph, file: string) => `#!/usr/bin/env python3
"""${graph.name}, exported by Netspec from ${file}.

Builds the model with Keras 3 (functional API; layer names are Netspec's, with "/" written
"_") and loads its weights from ${KERAS_WEIGHTS} beside this script, read with json and
numpy only. Requires keras>=3 and numpy.

    python3 ${KERAS_SCRIPT}              # build, load the weights, print the summary
    python3 ${KERAS_SCRIPT} out.keras    # ... and save the model as a .keras file
"""

import json
import os
import struct
import sys

import numpy as np
import keras

WEIGHTS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), ${JSON.stringify(KERAS_WEIGHTS)})
`;

const LEAKY = `

@keras.saving.register_keras_serializable(package="netspec")
def leaky_relu_001(x):
    """Netspec's leaky_relu activation: slope 0.01 (Keras's "leaky_relu" has 0.2)."""
    return keras.activations.leaky_relu(x, negative_slope=0.01)
`;

const POSITION_EMBEDDING = `

@keras.saving.register_keras_serializable(package="netspec")
class PositionEmbedding(keras.layers.Layer):
    """Netspec's PositionEmbedding: adds the first T rows of a learned [max_len, D] table."""

    def __init__(self, max_len, **kwargs):
        super().__init__(**kwargs)
        self.max_len = max_len

    def build(self, input_shape):
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.max_len, input_shape[-1]), initializer="glorot_uniform"
        )

    def call(self, x):
        t = keras.ops.shape(x)[-2]
        return x + keras.ops.slice(self.embeddings, [0, 0], [t, self.embeddings.shape[-1]])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "max_len": self.max_len}
`;

const LOADER = `

def read_safetensors(path):
    """The arrays of a safetensors file (float32 only) by name, with json and numpy."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    arrays = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: {name} is {info['dtype']}, not F32")
        start, end = info["data_offsets"]
        arrays[name] = np.frombuffer(data, dtype="<f4", count=(end - start) // 4, offset=8 + n + start).reshape(info["shape"])
    return arrays


def load_weights(model, path=WEIGHTS_FILE):
    """Sets every layer's weights from the Netspec weights file (names "node/weight")."""
    arrays = read_safetensors(path)
    for layer_name, names in WEIGHTS.items():
        model.get_layer(layer_name).set_weights([arrays[n] for n in names])


def main(argv):
    model = build_model()
    load_weights(model)
    model.summary()
    if len(argv) > 1:
        model.save(argv[1])
        print(f"saved {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
`;

/** The script's text for a graph. */
export function kerasScript(graph: KerasGraph, modelFile: string): string {
  const used = new Set<string>();
  const varOf = new Map<string, string>();
  const variable = (name: string): string => {
    let v = RESERVED.has(name) || /^[0-9]/.test(name) ? `${name}_` : name;
    while (used.has(v) || RESERVED.has(v)) v = `${v}_`;
    used.add(v);
    varOf.set(name, v);
    return v;
  };
  const body: string[] = [];
  for (const input of graph.inputs) {
    const shape = `(${input.shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${input.shape.length === 1 ? ',' : ''})`;
    body.push(`    ${variable(input.name)} = keras.Input(shape=${shape}, dtype=${JSON.stringify(input.dtype)}, name=${JSON.stringify(input.name)})`);
  }
  for (const layer of graph.layers) {
    const cls = layer.className === 'PositionEmbedding' ? 'PositionEmbedding' : `keras.layers.${layer.className}`;
    const kwargs = [...Object.entries(layer.config).map(([k, v]) => `${k}=${toPy(v)}`), `name=${JSON.stringify(layer.name)}`];
    const srcs = layer.inbound.map((s) => varOf.get(s) ?? s);
    let call: string;
    if (layer.className === 'MultiHeadAttention') call = srcs.length === 1 ? `${srcs[0]}, ${srcs[0]}` : srcs.join(', ');
    else if (srcs.length === 1) call = srcs[0];
    else call = `[${srcs.join(', ')}]`;
    const callKw = Object.entries(layer.callKwargs).map(([k, v]) => `, ${k}=${toPy(v)}`).join('');
    body.push(`    ${variable(layer.name)} = ${cls}(${kwargs.join(', ')})(${call}${callKw})`);
  }
  const ins = graph.inputs.map((i) => varOf.get(i.name)!);
  const outs = graph.outputs.map((o) => varOf.get(o.layer) ?? o.layer);
  const inputsPy = ins.length === 1 ? ins[0] : `[${ins.join(', ')}]`;
  const outputsPy = outs.length === 1 ? outs[0] : `{${graph.outputs.map((o, i) => `${JSON.stringify(o.name)}: ${outs[i]}`).join(', ')}}`;
  body.push(`    return keras.Model(inputs=${inputsPy}, outputs=${outputsPy}, name=${JSON.stringify(graph.name)})`);

  const weighted = graph.layers.filter((l) => l.weights.length > 0);
  const weightsTable = weighted.length
    ? `WEIGHTS = {\n${weighted.map((l) => `    ${JSON.stringify(l.name)}: [${l.weights.map((w) => JSON.stringify(w.engine)).join(', ')}],`).join('\n')}\n}\n`
    : 'WEIGHTS = {}\n';
  const usesLeaky = graph.layers.some((l) => Object.values(l.config).some((v) => v !== null && typeof v === 'object' && 'py' in v && v.py === 'leaky_relu_001'));
  const usesPosition = graph.layers.some((l) => l.className === 'PositionEmbedding');
  return [
    HEADER(graph, modelFile),
    '\n# The weights of each layer by their Netspec names, in the order of layer.weights.\n',
    weightsTable,
    usesLeaky ? LEAKY : '',
    usesPosition ? POSITION_EMBEDDING : '',
    `\n\ndef build_model():\n    """${graph.name} as a Keras functional model (weights freshly initialised)."""\n`,
    `${body.join('\n')}\n`,
    LOADER,
  ].join('');
}

export const kerasExporter: Exporter = {
  format: 'keras',
  summary: 'a Keras 3 Python script (model_keras.py) that builds the model and loads weights.safetensors',
  quantizes: false,
  async run(source: ExportSource): Promise<ExportOutcome> {
    const built = kerasGraph(source.model, 'keras');
    if (!built.ok) return built;
    const graph = built.graph;
    const file = source.modelFile.split(/[\\/]/).pop() ?? source.modelFile;
    const arrays = graph.layers.flatMap((l) => l.weights.map((w) => source.weights.find((a) => a.name === w.engine)!));
    const missing = graph.layers.find((l) => l.weights.some((w) => !source.weights.some((a) => a.name === w.engine)));
    if (missing) return { ok: false, error: { message: `a weight of ${missing.node} is missing`, node: missing.node, line: missing.line } };
    const metadata: Record<string, string> = { ...source.metadata, model: source.model.name, format: 'netspec-keras' };
    return {
      ok: true,
      files: [
        { path: KERAS_SCRIPT, data: kerasScript(graph, file) },
        { path: KERAS_WEIGHTS, data: encodeSafetensors(arrays, metadata) },
      ],
      notes: [`run \`python3 ${KERAS_SCRIPT}\` with keras>=3 and numpy installed to build the model and load its weights`],
      report: { layers: graph.layers.length, params: source.model.params },
    };
  },
};
