// model.py of the PyTorch export: a fixed part (layers with the engine's semantics on
// channels-last tensors, a safetensors reader and writer) and a generated part, one
// nn.Module for the model whose __init__ names every layer with its explicit sizes (read
// from the IR's weight shapes) and whose forward walks the IR's nodes in order.

import type { IRNode, ModelIR } from '../../../catalog/ir';
import { isLayerCall, type LayerCallValue } from '../../../catalog/types';
import { directionScope } from '../../../catalog/layers/bidirectional';
import type { ExportError } from '../types';
import { MODEL_LIBRARY_PY } from './library_py';
import { pointwiseExpression } from './pointwise_py';
import { rearrangeExpression } from './model_py_rearrange';
import { CONV_TRANSPOSE_LIBRARY_PY, CONV_TRANSPOSE_OPS, convTransposeConstructor } from './conv_transpose_py';
import { DEPTHWISE_LIBRARY_PY, DEPTHWISE_OPS, depthwiseConstructor } from './depthwise_py';

/** Python string literal (JSON's escapes are Python's too for the characters it emits). */
export function pyStr(s: string): string {
  return JSON.stringify(s);
}

/** A Python literal for JSON-like values (lists, numbers, strings, booleans, null). */
export function pyLit(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'float("inf")' : 'float("-inf")';
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyLit).join(', ')}]`;
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStr(k)}: ${pyLit(x)}`).join(', ')}}`;
}

// Names an attribute of an nn.Module must not take.
const RESERVED = new Set([
  'training', 'forward', 'train', 'eval', 'to', 'cuda', 'cpu', 'type', 'float', 'double', 'half', 'apply',
  'parameters', 'buffers', 'children', 'modules', 'state_dict', 'load_state_dict', 'zero_grad', 'input_names',
  'output_names', 'input_shapes', 'input_dtypes', 'dump_patches', 'call_super_init', 'compile', 'get_submodule',
]);

/** Python identifiers for the IR's node ids ("encoder/dense_1" -> "encoder__dense_1"), unique. */
export function moduleNames(ir: ModelIR): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const n of ir.nodes) {
    let base = n.id.replace(/\//g, '__').replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base)) base = `n_${base}`;
    if (RESERVED.has(base) || base.startsWith('_')) base = `${base}_`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(n.id, name);
  }
  return names;
}

function num(n: IRNode, key: string, fallback: number): number {
  const v = n.args[key];
  return typeof v === 'number' ? v : fallback;
}

function str(n: IRNode, key: string, fallback: string): string {
  const v = n.args[key];
  return typeof v === 'string' ? v : fallback;
}

function bool(n: IRNode, key: string, fallback: boolean): boolean {
  const v = n.args[key];
  return typeof v === 'boolean' ? v : fallback;
}

function pair(n: IRNode, key: string, fallback: [number, number]): [number, number] {
  const v = n.args[key];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number') return [v[0], v[1]];
  return fallback;
}

function wshape(n: IRNode, name: string): number[] {
  return n.weights.find((w) => w.name === name)?.shape ?? [];
}

const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'gelu', 'silu', 'elu', 'leaky_relu']);
const ACTIVATION_LAYERS: Record<string, string> = {
  ReLU: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', GELU: 'gelu', SiLU: 'silu', ELU: 'elu', LeakyReLU: 'leaky_relu',
};

/**
 * One direction of a Bidirectional node as a node of its wrapped layer, with that direction's
 * weights under their own names ("forward_lstm/kernel" -> "kernel").
 */
export function directionNode(n: IRNode, inner: LayerCallValue, direction: 'forward' | 'backward'): IRNode {
  const prefix = `${directionScope(direction, inner.op)}/`;
  const weights = n.weights.filter((w) => w.name.startsWith(prefix)).map((w) => ({ ...w, name: w.name.slice(prefix.length) }));
  return { ...n, op: inner.op, args: inner.args, weights };
}

/** The layers with weights: the Python constructor call of a node. */
function constructorOf(n: IRNode): string | ExportError {
  const act = str(n, 'activation', 'linear');
  if (n.args.activation !== undefined && !ACTIVATIONS.has(act)) return { message: `${n.op}'s activation ${act} has no PyTorch mapping`, node: n.id, line: n.line };
  const hasBias = n.weights.some((w) => w.name === 'bias');
  if (CONV_TRANSPOSE_OPS.has(n.op)) return convTransposeConstructor(n);
  if (DEPTHWISE_OPS.has(n.op)) return depthwiseConstructor(n);
  switch (n.op) {
    case 'Dense': {
      const [f, u] = wshape(n, 'kernel');
      return `Dense(in_features=${f}, out_features=${u}, bias=${pyLit(hasBias)}, activation=${pyStr(act)})`;
    }
    case 'Conv2D': {
      const [kh, kw, c, f] = wshape(n, 'kernel');
      const s = pair(n, 'stride', [1, 1]);
      return `Conv2D(in_channels=${c}, out_channels=${f}, kernel_size=(${kh}, ${kw}), stride=(${s[0]}, ${s[1]}), padding=${pyStr(str(n, 'padding', 'valid'))}, bias=${pyLit(hasBias)}, activation=${pyStr(act)})`;
    }
    case 'Conv1D': {
      const [k, c, f] = wshape(n, 'kernel');
      return `Conv1D(in_channels=${c}, out_channels=${f}, kernel_size=${k}, stride=${num(n, 'stride', 1)}, padding=${pyStr(str(n, 'padding', 'valid'))}, bias=${pyLit(hasBias)}, activation=${pyStr(act)})`;
    }
    case 'BatchNorm':
      return `BatchNorm(num_features=${wshape(n, 'gamma')[0]}, momentum=${num(n, 'momentum', 0.99)}, eps=${num(n, 'eps', 1e-3)})`;
    case 'LayerNorm':
      return `LayerNorm(${wshape(n, 'gamma')[0]}, eps=${num(n, 'eps', 1e-3)})`;
    case 'Embedding': {
      const [v, d] = wshape(n, 'embeddings');
      return `Embedding(num_embeddings=${v}, embedding_dim=${d})`;
    }
    case 'PositionEmbedding': {
      const [m, d] = wshape(n, 'embeddings');
      return `PositionEmbedding(max_len=${m}, dim=${d})`;
    }
    case 'SimpleRNN': {
      const [f, u] = wshape(n, 'kernel');
      if (!ACTIVATIONS.has(act)) return { message: `SimpleRNN's activation ${act} has no PyTorch mapping`, node: n.id, line: n.line };
      return `SimpleRNN(input_size=${f}, units=${u}, activation=${pyStr(str(n, 'activation', 'tanh'))}, return_sequences=${pyLit(bool(n, 'return_sequences', false))})`;
    }
    case 'LSTM':
    case 'GRU': {
      const [f] = wshape(n, 'kernel');
      const [u] = wshape(n, 'recurrent_kernel');
      return `${n.op}(input_size=${f}, units=${u}, return_sequences=${pyLit(bool(n, 'return_sequences', false))})`;
    }
    case 'Bidirectional': {
      const inner = n.args.layer;
      if (!isLayerCall(inner)) return { message: 'Bidirectional has no resolved layer call', node: n.id, line: n.line };
      const ctor = constructorOf(directionNode(n, inner, 'forward'));
      if (typeof ctor !== 'string') return ctor;
      const sequences = pyLit(inner.args.return_sequences === true);
      return `Bidirectional(${ctor}, ${ctor}, merge=${pyStr(str(n, 'merge', 'concat'))}, return_sequences=${sequences})`;
    }
    case 'MultiHeadAttention': {
      const [d, h, k] = wshape(n, 'query/kernel');
      const [dk] = wshape(n, 'key/kernel');
      return `MultiHeadAttention(query_dim=${d}, key_value_dim=${dk}, heads=${h}, key_dim=${k}, causal=${pyLit(bool(n, 'causal', false))})`;
    }
  }
  return { message: `${n.op} has no PyTorch mapping`, node: n.id, line: n.line };
}

const WEIGHTED = new Set(['Dense', 'Conv2D', 'Conv1D', 'BatchNorm', 'LayerNorm', 'Embedding', 'PositionEmbedding', 'SimpleRNN', 'LSTM', 'GRU', 'MultiHeadAttention', 'Bidirectional', ...CONV_TRANSPOSE_OPS, ...DEPTHWISE_OPS]);

/** A sample axis (0 = the first after batch, negative from the end) as a batched tensor axis. */
function batchedAxis(axis: number): number {
  return axis < 0 ? axis : axis + 1;
}

/** The Python expression of a node without weights, over its input variables. */
function expressionOf(n: IRNode, xs: string[]): string | ExportError {
  const x = xs[0];
  const pool = (dims: 1 | 2, kind: 'max' | 'avg') => {
    if (dims === 2) {
      const p = pair(n, 'pool', [2, 2]);
      const s = pair(n, 'stride', p);
      return `pool2d(${x}, ${pyStr(kind)}, (${p[0]}, ${p[1]}), (${s[0]}, ${s[1]}), ${pyStr(str(n, 'padding', 'valid'))})`;
    }
    const p = num(n, 'pool', 2);
    return `pool1d(${x}, ${pyStr(kind)}, ${p}, ${num(n, 'stride', p)}, ${pyStr(str(n, 'padding', 'valid'))})`;
  };
  switch (n.op) {
    case 'MaxPool2D': return pool(2, 'max');
    case 'AvgPool2D': return pool(2, 'avg');
    case 'MaxPool1D': return pool(1, 'max');
    case 'AvgPool1D': return pool(1, 'avg');
    case 'GlobalMaxPool2D':
    case 'GlobalMaxPool1D':
      return `global_pool(${x}, "max")`;
    case 'GlobalAvgPool2D':
    case 'GlobalAvgPool1D':
      return `global_pool(${x}, "avg")`;
    case 'Flatten': return `${x}.reshape(${x}.shape[0], -1)`;
    case 'Reshape': {
      const t = Array.isArray(n.args.target) ? (n.args.target as number[]) : [-1];
      return `${x}.reshape(${x}.shape[0], ${t.join(', ')})`;
    }
    case 'Dropout': return `F.dropout(${x}, p=${num(n, 'rate', 0)}, training=self.training)`;
    case 'Softmax': return `torch.softmax(${x}, dim=${batchedAxis(num(n, 'axis', -1))})`;
    case 'LeakyReLU': return `activation(${x}, "leaky_relu", ${num(n, 'alpha', 0.01)})`;
    case 'Add': return xs.join(' + ');
    case 'Multiply': return xs.join(' * ');
    case 'Concat': return `torch.cat([${xs.join(', ')}], dim=${batchedAxis(num(n, 'axis', -1))})`;
    default: {
      const pointwise = pointwiseExpression(n, xs);
      if (pointwise !== null) return pointwise;
    }
  }
  const act = ACTIVATION_LAYERS[n.op];
  if (act) return `activation(${x}, ${pyStr(act)})`;
  const rearranged = rearrangeExpression(n, x);
  if (rearranged) return rearranged;
  return { message: `${n.op} has no PyTorch mapping`, node: n.id, line: n.line };
}

const PY_TAKEN = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'self', 'args', 'kwargs', 'torch', 'F', 'nn', 'np', 'math',
  'os', 'json', 'activation', 'pool1d', 'pool2d', 'global_pool', 'take_inputs',
]);

/** The forward's variable for an input: its own name where Python allows it. */
function inputVariable(name: string, index: number): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !PY_TAKEN.has(name) && !name.startsWith('t_') && !name.startsWith('_') ? name : `x${index}`;
}

function className(name: string): string {
  const c = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(c) && !['Dense', 'Conv1D', 'Conv2D', 'BatchNorm', 'LayerNorm', 'Embedding', 'PositionEmbedding', 'SimpleRNN', 'LSTM', 'GRU', 'MultiHeadAttention', 'Bidirectional', ...CONV_TRANSPOSE_OPS, ...DEPTHWISE_OPS].includes(c) ? c : `Model_${c}`;
}

export interface ModelPy {
  text: string;
  className: string;
}

/** model.py for `ir`, or the error naming the first node PyTorch cannot express. */
export function modelPy(ir: ModelIR, header: string): ModelPy | ExportError {
  const names = moduleNames(ir);
  const vars = new Map<string, string>();
  ir.inputs.forEach((inp, i) => vars.set(inp.name, inputVariable(inp.name, i)));
  const init: string[] = [];
  const body: string[] = [];
  for (const n of ir.nodes) {
    const xs = n.inputs.map((t) => vars.get(t) ?? 'None');
    const v = `t_${names.get(n.id)!}`;
    if (WEIGHTED.has(n.op)) {
      const ctor = constructorOf(n);
      if (typeof ctor !== 'string') return ctor;
      init.push(`        self.${names.get(n.id)} = ${ctor}  # ${n.id}, line ${n.line + 1}`);
      body.push(`        ${v} = self.${names.get(n.id)}(${xs.join(', ')})  # ${n.op} -> [batch, ${n.shape.join(', ')}]`);
    } else {
      const expr = expressionOf(n, xs);
      if (typeof expr !== 'string') return expr;
      body.push(`        ${v} = ${expr}  # ${n.id}: ${n.op} -> [batch, ${n.shape.join(', ')}]`);
    }
    vars.set(n.id, v);
  }
  const cls = className(ir.name);
  const shapes = Object.fromEntries(ir.inputs.map((i) => [i.name, i.shape.map((d) => (typeof d === 'number' ? d : null))]));
  const dtypes = Object.fromEntries(ir.inputs.map((i) => [i.name, i.dtype]));
  const args = ir.inputs.map((inp) => vars.get(inp.name)!).join(', ');
  const outputs = ir.outputs.map((o) => `${pyStr(o.name)}: ${vars.get(o.tensor)}`).join(', ');
  const lines = [
    header,
    MODEL_LIBRARY_PY,
    CONV_TRANSPOSE_LIBRARY_PY,
    DEPTHWISE_LIBRARY_PY,
    '',
    `class ${cls}(nn.Module):`,
    `    """The netspec model ${ir.name}: inputs channels-last as declared (batch first), outputs a dict by name."""`,
    '',
    `    input_names = ${pyLit(ir.inputs.map((i) => i.name))}`,
    `    output_names = ${pyLit(ir.outputs.map((o) => o.name))}`,
    `    input_shapes = ${pyLit(shapes)}  # one sample; None is a symbolic size`,
    `    input_dtypes = ${pyLit(dtypes)}`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(init.length ? init : ['        pass']),
    '',
    '    def forward(self, *args, **kwargs):',
    `        ${args}${ir.inputs.length === 1 ? ',' : ''} = take_inputs(self.input_names, self.input_dtypes, args, kwargs)`,
    ...body,
    `        return {${outputs}}`,
    '',
    '',
    `MODEL_CLASS = ${cls}`,
    '',
    '',
    'def build_model(weights=None, device="cpu"):',
    '    """The model with the weights of a safetensors file (default: weights.safetensors beside this file)."""',
    `    model = ${cls}()`,
    '    path = weights or os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.safetensors")',
    '    tensors, _ = load_safetensors(path)',
    '    model.load_state_dict({k: torch.from_numpy(v) for k, v in tensors.items()})',
    '    return model.to(device)',
    '',
  ];
  return { text: lines.join('\n'), className: cls };
}
