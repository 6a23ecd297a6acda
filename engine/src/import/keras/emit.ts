// The .netspec text of a mapped Keras graph, written the way a user would: a Sequential
// model is one layer per line from its input; a functional model binds a name only where a
// tensor is read again (a residual, a merge, an output), and a linear run of layers between
// such tensors is one chain with one layer per line, or plain lines when it continues from
// the tensor the previous statement made (the current tensor). The text also fixes the node ids the
// checker will give each call (engine weights are "id/kernel"), by the checker's own rule:
// the layer's name in snake case, numbered from its second use ("dense", "dense_1"), from
// engine/catalog/names.ts, which the checker uses too.

import type { GraphInput, KerasModelGraph } from './graph';
import type { MappedLayer } from './layers';
import { NodeIds, RESERVED_WORDS, snakeName } from '../../../catalog/names';

/** A Netspec identifier for a Keras name; TF.js's "dense_Dense1" becomes "dense1". */
function identifier(name: string, className: string | null, taken: Set<string>): string {
  let base = name;
  const tfjs = /^(.*)_([A-Za-z0-9]+?)(\d+)$/.exec(name);
  if (tfjs && className && tfjs[2] === className) base = `${tfjs[1]}${tfjs[3]}`;
  base = base.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `t_${base}`;
  if (RESERVED_WORDS.has(base)) base = `${base}_`;
  let out = base;
  for (let i = 1; taken.has(out); i++) out = `${base}_${i}`;
  taken.add(out);
  return out;
}

/** "sequential_1" → "Sequential1": a model name as the examples write them. */
export function modelName(name: string): string {
  const out = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
  return /^[A-Za-z]/.test(out) ? out : `Model${out}`;
}

interface Statement {
  sources: string[];
  layers: string[];
  result: string;
}

export interface Emitted {
  text: string;
  /** Each Keras layer's weighted call's node id (layers without weights are absent). */
  nodeIds: Map<string, string>;
  /** The Netspec output names, in the Keras model's order. */
  outputs: string[];
}

/** The tensors a layer's Netspec call reads: MultiHeadAttention's (query, value, key) is (query, key_value). */
export function callSources(className: string, inbound: string[]): string[] {
  return className === 'MultiHeadAttention' ? [...new Set(inbound)] : inbound;
}

/**
 * The model text of `graph`, whose every layer `mapped` holds; `intInputs` are the inputs
 * read as integer ids; `header` is comment lines put above the model; `outputNames` are
 * names for output layers' tensors (a Netspec export's own output names).
 */
export function emitModel(
  graph: KerasModelGraph,
  mapped: Map<string, MappedLayer>,
  intInputs: Set<string>,
  header: string[],
  outputNames: ReadonlyMap<string, string> = new Map(),
): Emitted {
  // A layer with no calls passes its input on: readers of it read that input.
  const alias = new Map<string, string>();
  const resolve = (t: string): string => alias.get(t) ?? t;
  const classOf = new Map(graph.layers.map((l) => [l.name, l.className]));
  const sourcesOf = new Map<string, string[]>();
  for (const layer of graph.layers) {
    const sources = callSources(layer.className, layer.inbound).map(resolve);
    if (mapped.get(layer.name)!.calls.length === 0) alias.set(layer.name, sources[0]);
    else sourcesOf.set(layer.name, sources);
  }
  const outputs = graph.outputs.map(resolve);
  const uses = new Map<string, number>();
  for (const sources of sourcesOf.values()) for (const s of sources) uses.set(s, (uses.get(s) ?? 0) + 1);

  // Linear runs: a layer joins the previous statement when it reads only that statement's
  // result and nothing else reads it.
  const statements: Statement[] = [];
  for (const layer of graph.layers) {
    const sources = sourcesOf.get(layer.name);
    if (!sources) continue;
    const last = statements[statements.length - 1];
    if (last && sources.length === 1 && sources[0] === last.result && uses.get(last.result) === 1 && !outputs.includes(last.result)) {
      last.layers.push(layer.name);
      last.result = layer.name;
    } else {
      statements.push({ sources, layers: [layer.name], result: layer.name });
    }
  }

  const taken = new Set<string>();
  const names = new Map<string, string>();
  const lines = [...header.map((h) => `# ${h}`), `model ${modelName(graph.name)} {`];
  let dims = 0;
  for (const input of graph.inputs) {
    names.set(input.name, identifier(input.name, null, taken));
    const fresh = () => identifier(`size${++dims}`, null, taken);
    lines.push(`  input ${names.get(input.name)}: ${shapeText(input, fresh)}${intInputs.has(input.name) ? ' int' : ''}`);
  }
  // One output made by the last statement is Netspec's default output, "output", unless a
  // Netspec export named it otherwise.
  const single = outputs.length === 1 && statements.length > 0 && statements[statements.length - 1].result === outputs[0] && (outputNames.get(outputs[0]) ?? 'output') === 'output';
  const nodeIds = new Map<string, string>();
  const ids = new NodeIds();
  const nodeId = (op: string): string => ids.next(snakeName(op));
  statements.forEach((st, k) => {
    const calls = st.layers.flatMap((l) => {
      const m = mapped.get(l)!;
      m.calls.forEach((c) => {
        const id = nodeId(c.op);
        if (c.weights.length) nodeIds.set(l, id);
      });
      return m.calls.map((c) => c.text);
    });
    const named = (uses.get(st.result) ?? 0) > 0 || (outputs.includes(st.result) && !single);
    // The current tensor is the first input, then each statement's result.
    const current = k === 0 ? graph.inputs[0]?.name : statements[k - 1].result;
    if (!named && st.sources.length === 1 && st.sources[0] === current) {
      for (const c of calls) lines.push(`  ${c}`);
      return;
    }
    const preferred = single && st.result === outputs[0] ? undefined : outputNames.get(st.result);
    names.set(st.result, identifier(preferred ?? st.result, classOf.get(st.result) ?? null, taken));
    const src = st.sources.map((s) => names.get(s) ?? s);
    const source = src.length === 1 ? src[0] : `(${src.join(', ')})`;
    const pad = ' '.repeat(names.get(st.result)!.length + 5);
    const chain = calls.map((c, i) => (i === 0 ? c : `${pad}${c}`)).join(' ->\n');
    lines.push(`  ${names.get(st.result)} = ${source} -> ${chain}`);
  });
  const written: string[] = [];
  if (single) {
    written.push('output');
  } else {
    for (const o of outputs) {
      lines.push(`  output ${names.get(o) ?? o}`);
      written.push(names.get(o) ?? o);
    }
  }
  lines.push('}', '');
  return { text: lines.join('\n'), nodeIds, outputs: written };
}

function shapeText(input: GraphInput, fresh: () => string): string {
  return `[${input.shape.map((d) => (d === null ? fresh() : String(d))).join(', ')}]`;
}
