// The Keras functional graph of a Model IR, shared by the TF.js Layers exporter (model.json)
// and the Keras script: one Keras layer per IR node with its class name and arguments, the
// layers it reads, and which engine weights it owns in Keras's order. Netspec follows Keras
// (names, layouts, defaults), so most nodes map one to one; the differences are settled here:
// - layer names: Keras forbids "/" in names, so the ids of nodes inlined from blocks
//   ("encoder/dense") become "encoder_dense" (made unique when that name is taken);
// - axes: Netspec counts the axes of one sample, Keras counts the batch axis too;
// - `leaky_relu` as an activation argument has slope 0.01 in Netspec but 0.2 in Keras, so
//   TF.js gets a separate LeakyReLU layer after the node (named "<layer>_leaky_relu") and the
//   Keras script a function with slope 0.01;
// - TF.js 4.22's softmax works on the last axis only, so a Softmax on another axis is
//   Permute → Softmax → Permute there, and its Flatten needs two axes, so a Flatten of one
//   axis is a Reshape;
// - TF.js 4.22 has no Subtract layer, so a - b is Add(a, Rescaling(-1)(b)) there, which is
//   exact: negation is, and a + (-b) rounds as a - b does;
// - what a target lacks (TF.js 4.22: MultiHeadAttention, PositionEmbedding, GRU with
//   reset_after=True) is an error value naming the node and its line.

import type { IRNode, ModelIR } from '../../../catalog/ir';
import type { Dim } from '../../../catalog/shape';
import { isLayerCall, type ArgValue } from '../../../catalog/types';
import { snakeName } from '../../../catalog/names';
import type { ExportError } from '../types';
import { edgeLayer, upSamplingLayer } from './topology_rearrange';

export type KerasTarget = 'tfjs' | 'keras';

/** A Python-side value the Keras script writes as code rather than as a literal. */
export interface PyCode {
  py: string;
}

export type KerasValue = ArgValue | null | PyCode | KerasValue[] | { [key: string]: KerasValue };

export interface KerasWeight {
  /** The engine's name, "node_id/kernel". */
  engine: string;
  /** The name in the Keras model, "layer_name/kernel". */
  keras: string;
  shape: number[];
}

export interface KerasLayer {
  name: string;
  className: string;
  /**
   * For TF.js: the layer's Keras config (snake_case, as `model.json` stores it, without
   * `name`). For the Keras script: the constructor's keyword arguments (without `name`).
   */
  config: Record<string, KerasValue>;
  /** The layer names (or input names) it is called on, in order. */
  inbound: string[];
  /** Keyword arguments of the call (the Keras script only: `use_causal_mask`). */
  callKwargs: Record<string, KerasValue>;
  /** The engine weights in the order Keras's `layer.weights` lists them. */
  weights: KerasWeight[];
  /** The IR node it comes from (an added activation layer shares its node's). */
  node: string;
  /** True for a layer the exporter added after its node (TF.js leaky_relu). */
  added?: boolean;
  line: number;
}

export interface KerasInput {
  name: string;
  /** The shape of one sample; null for a symbolic size. */
  shape: (number | null)[];
  dtype: 'float32' | 'int32';
}

export interface KerasGraph {
  name: string;
  inputs: KerasInput[];
  layers: KerasLayer[];
  /** The model's outputs in order: the output's Netspec name and the layer producing it. */
  outputs: { name: string; layer: string }[];
}

export type GraphResult = { ok: true; graph: KerasGraph } | { ok: false; error: ExportError };

/** Layers (and activation arguments) TF.js 4.22 cannot express, with the reason. */
const TFJS_MISSING: Record<string, string> = {
  MultiHeadAttention: 'TensorFlow.js 4.22 has no MultiHeadAttention layer',
  PositionEmbedding: 'TensorFlow.js 4.22 has no PositionEmbedding layer',
  Conv1DTranspose: 'TensorFlow.js 4.22 has no Conv1DTranspose layer',
  GRU: "TensorFlow.js 4.22's GRU does not support reset_after=True (Keras's default, which Netspec's GRU computes)",
};

export const KERAS_TARGET_NAMES: Record<KerasTarget, string> = { tfjs: 'tfjs (TensorFlow.js Layers)', keras: 'keras' };

/** A Python literal (or code) for a value. */
export function toPy(v: KerasValue): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? 'float("inf")' : v < 0 ? 'float("-inf")' : 'float("nan")';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(toPy).join(', ')}]`;
  if ('py' in v && typeof v.py === 'string') return v.py;
  return `{${Object.entries(v as Record<string, KerasValue>).map(([k, x]) => `${JSON.stringify(k)}: ${toPy(x)}`).join(', ')}}`;
}

/** Keras's axis for a Netspec axis of one sample. */
function kerasAxis(axis: number): number {
  return axis < 0 ? axis : axis + 1;
}

const num = (v: ArgValue | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);
const str = (v: ArgValue | undefined, fallback: string): string => (typeof v === 'string' ? v : fallback);
const bool = (v: ArgValue | undefined, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
function pair(v: ArgValue | undefined, fallback: [number, number]): [number, number] {
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  if (typeof v === 'number') return [v, v];
  return fallback;
}

/** A name Keras accepts ("/" is reserved for weight paths), unique among `taken`. */
function kerasName(id: string, taken: Set<string>): string {
  const base = id.replace(/[^A-Za-z0-9_]/g, '_');
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}_${i}`;
  taken.add(name);
  return name;
}

const dim = (d: Dim): number | null => (typeof d === 'number' ? d : null);

/** The TF.js / Keras 2 initialiser configs every weighted layer carries (values are loaded anyway). */
const GLOROT = { class_name: 'GlorotUniform', config: { seed: null } };
const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };

/**
 * The value of a fused activation argument: TF.js spells `silu` as `swish`; the Keras script
 * calls its own slope-0.01 function for `leaky_relu` (TF.js's is a separate layer, added by
 * the caller).
 */
function activationValue(act: string, target: KerasTarget): KerasValue {
  if (target === 'tfjs' && act === 'silu') return 'swish';
  if (target === 'keras' && act === 'leaky_relu') return { py: 'leaky_relu_001' };
  return act;
}

export interface Mapped {
  className: string;
  config: Record<string, KerasValue>;
  callKwargs?: Record<string, KerasValue>;
  /** Layers added before and after it (TF.js: leaky_relu, Softmax on another axis). */
  before?: Added[];
  after?: Added[];
  /** A layer added on the second input only (TF.js's Subtract: its negation). */
  second?: Added;
}

/** A weightless layer the exporter adds around a node, named "<layer>_<suffix>". */
export interface Added {
  suffix: string;
  className: string;
  config: Record<string, KerasValue>;
}

/** One node as a Keras layer for `target`, or the reason it cannot be one. */
function mapNode(node: IRNode, inputRank: number, target: KerasTarget): Mapped | string {
  const a = node.args;
  const tfjs = target === 'tfjs';
  // A fused activation: TF.js gets leaky_relu as its own layer after the node.
  const fused = (act: string): { activation: KerasValue; after?: Added[] } => {
    if (tfjs && act === 'leaky_relu') return { activation: 'linear', after: [{ suffix: 'leaky_relu', className: 'LeakyReLU', config: { alpha: 0.01 } }] };
    return { activation: activationValue(act, target) };
  };
  const weighted = (extra: Record<string, KerasValue>): Record<string, KerasValue> =>
    tfjs ? { ...extra, kernel_initializer: GLOROT, bias_initializer: ZEROS, kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null } : extra;
  switch (node.op) {
    case 'Dense': {
      const f = fused(str(a.activation, 'linear'));
      return { className: 'Dense', config: weighted({ units: num(a.units, 1), activation: f.activation, use_bias: bool(a.bias, true) }), after: f.after };
    }
    case 'Conv2D':
    case 'Conv1D':
    case 'Conv2DTranspose':
    case 'Conv1DTranspose': {
      const f = fused(str(a.activation, 'linear'));
      const two = node.op.startsWith('Conv2D');
      const kernel = two ? pair(a.kernel, [1, 1]) : [num(a.kernel, 1)];
      const stride = two ? pair(a.stride, [1, 1]) : [num(a.stride, 1)];
      const conv: Record<string, KerasValue> = {
        filters: num(a.filters, 1),
        kernel_size: two || tfjs ? kernel : kernel[0],
        strides: two || tfjs ? stride : stride[0],
        padding: str(a.padding, 'valid'),
        data_format: 'channels_last',
        dilation_rate: two ? [1, 1] : tfjs ? [1] : 1,
        activation: f.activation,
        use_bias: bool(a.bias, true),
      };
      return { className: node.op, config: weighted(conv), after: f.after };
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const f = fused(str(a.activation, 'linear'));
      const conv: Record<string, KerasValue> = {
        ...(node.op === 'SeparableConv2D' ? { filters: num(a.filters, 1) } : {}),
        kernel_size: pair(a.kernel, [1, 1]),
        strides: pair(a.stride, [1, 1]),
        padding: str(a.padding, 'valid'),
        depth_multiplier: num(a.depth_multiplier, 1),
        data_format: 'channels_last',
        dilation_rate: [1, 1],
        activation: f.activation,
        use_bias: bool(a.bias, true),
      };
      if (tfjs) {
        Object.assign(conv, { depthwise_initializer: GLOROT, bias_initializer: ZEROS, depthwise_regularizer: null, bias_regularizer: null, activity_regularizer: null, depthwise_constraint: null, bias_constraint: null });
        if (node.op === 'SeparableConv2D') Object.assign(conv, { pointwise_initializer: GLOROT, pointwise_regularizer: null, pointwise_constraint: null });
      }
      return { className: node.op, config: conv, after: f.after };
    }
    case 'MaxPool2D':
    case 'AvgPool2D': {
      const pool = pair(a.pool, [2, 2]);
      const cls = node.op === 'MaxPool2D' ? 'MaxPooling2D' : 'AveragePooling2D';
      return { className: cls, config: { pool_size: pool, strides: pair(a.stride, pool), padding: str(a.padding, 'valid'), data_format: 'channels_last' } };
    }
    case 'MaxPool1D':
    case 'AvgPool1D': {
      const pool = num(a.pool, 2);
      const cls = node.op === 'MaxPool1D' ? 'MaxPooling1D' : 'AveragePooling1D';
      const stride = num(a.stride, pool);
      return { className: cls, config: { pool_size: tfjs ? [pool] : pool, strides: tfjs ? [stride] : stride, padding: str(a.padding, 'valid') } };
    }
    case 'GlobalAvgPool2D':
      return { className: 'GlobalAveragePooling2D', config: { data_format: 'channels_last' } };
    case 'GlobalMaxPool2D':
      return { className: 'GlobalMaxPooling2D', config: { data_format: 'channels_last' } };
    case 'GlobalAvgPool1D':
      return { className: 'GlobalAveragePooling1D', config: tfjs ? {} : { data_format: 'channels_last' } };
    case 'GlobalMaxPool1D':
      return { className: 'GlobalMaxPooling1D', config: tfjs ? {} : { data_format: 'channels_last' } };
    case 'Flatten':
      // TF.js's Flatten wants two axes or more after the batch; over one it is the identity.
      if (tfjs && node.shape.length === 1 && inputRank <= 1) return { className: 'Reshape', config: { target_shape: [dim(node.shape[0]) ?? -1] } };
      return { className: 'Flatten', config: tfjs ? {} : { data_format: 'channels_last' } };
    case 'Reshape':
      return { className: 'Reshape', config: { target_shape: Array.isArray(a.target) ? a.target : [-1] } };
    case 'Dropout':
      return { className: 'Dropout', config: { rate: num(a.rate, 0) } };
    case 'BatchNorm': {
      const bn: Record<string, KerasValue> = { axis: -1, momentum: num(a.momentum, 0.99), epsilon: num(a.eps, 1e-3), center: true, scale: true };
      if (tfjs) {
        Object.assign(bn, {
          beta_initializer: ZEROS, gamma_initializer: ONES, moving_mean_initializer: ZEROS, moving_variance_initializer: ONES,
          beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
        });
      }
      return { className: 'BatchNormalization', config: bn };
    }
    case 'LayerNorm': {
      const ln: Record<string, KerasValue> = { axis: -1, epsilon: num(a.eps, 1e-3), center: true, scale: true };
      if (tfjs) Object.assign(ln, { beta_initializer: ZEROS, gamma_initializer: ONES, beta_regularizer: null, gamma_regularizer: null });
      return { className: 'LayerNormalization', config: ln };
    }
    case 'ReLU':
      return tfjs ? { className: 'ReLU', config: { max_value: null } } : { className: 'ReLU', config: {} };
    case 'ELU':
      return { className: 'ELU', config: { alpha: 1.0 } };
    case 'LeakyReLU':
      return { className: 'LeakyReLU', config: tfjs ? { alpha: num(a.alpha, 0.01) } : { negative_slope: num(a.alpha, 0.01) } };
    case 'Softmax': {
      const rank = node.shape.length;
      const axis = num(a.axis, -1) < 0 ? num(a.axis, -1) + rank : num(a.axis, -1);
      if (!tfjs || axis === rank - 1) return { className: 'Softmax', config: { axis: kerasAxis(num(a.axis, -1)) } };
      // TF.js 4.22 computes softmax on the last axis only: swap the axis to the end and back.
      const dims = Array.from({ length: rank }, (_v, i) => i + 1);
      [dims[axis], dims[rank - 1]] = [dims[rank - 1], dims[axis]];
      return {
        className: 'Softmax',
        config: { axis: -1 },
        before: [{ suffix: 'to_last', className: 'Permute', config: { dims } }],
        after: [{ suffix: 'from_last', className: 'Permute', config: { dims } }],
      };
    }
    case 'Sigmoid':
    case 'Tanh':
    case 'GELU':
    case 'SiLU':
      return { className: 'Activation', config: { activation: activationValue(node.op.toLowerCase(), target) } };
    case 'Embedding': {
      const emb: Record<string, KerasValue> = { input_dim: num(a.vocab, 1), output_dim: num(a.dim, 1) };
      if (tfjs) Object.assign(emb, { embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } }, embeddings_regularizer: null, activity_regularizer: null, embeddings_constraint: null, mask_zero: false });
      return { className: 'Embedding', config: emb };
    }
    case 'PositionEmbedding':
      return { className: 'PositionEmbedding', config: { max_len: num(a.max_len, 1) } };
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const rnn: Record<string, KerasValue> = { units: num(a.units, 1), return_sequences: bool(a.return_sequences, false) };
      if (node.op === 'SimpleRNN') {
        const act = str(a.activation, 'tanh');
        if (tfjs && act === 'leaky_relu') return `TensorFlow.js has no leaky_relu activation inside a SimpleRNN (slope 0.01)`;
        rnn.activation = activationValue(act, target);
      } else {
        rnn.activation = 'tanh';
        rnn.recurrent_activation = 'sigmoid';
      }
      if (node.op === 'GRU') rnn.reset_after = true;
      if (node.op === 'LSTM') rnn.unit_forget_bias = true;
      rnn.use_bias = true;
      if (tfjs) {
        Object.assign(rnn, {
          kernel_initializer: GLOROT, recurrent_initializer: { class_name: 'Orthogonal', config: { gain: 1, seed: null } }, bias_initializer: ZEROS,
          kernel_regularizer: null, recurrent_regularizer: null, bias_regularizer: null, activity_regularizer: null,
          kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
          dropout: 0, recurrent_dropout: 0, return_state: false, go_backwards: false, stateful: false, unroll: false,
        });
      }
      return { className: node.op, config: rnn };
    }
    case 'Bidirectional':
      return bidirectional(node, inputRank, target);
    case 'MultiHeadAttention': {
      const heads = num(a.heads, 1);
      const d = dim(node.shape[node.shape.length - 1]) ?? 0;
      const keyDim = num(a.key_dim, Math.floor(d / heads));
      return { className: 'MultiHeadAttention', config: { num_heads: heads, key_dim: keyDim }, callKwargs: bool(a.causal, false) ? { use_causal_mask: true } : {} };
    }
    case 'Add':
      return { className: 'Add', config: {} };
    case 'Multiply':
      return { className: 'Multiply', config: {} };
    case 'Concat':
      return { className: 'Concatenate', config: { axis: kerasAxis(num(a.axis, -1)) } };
    case 'Subtract':
      if (tfjs) return { className: 'Add', config: {}, second: { suffix: 'negated', className: 'Rescaling', config: { scale: -1, offset: 0 } } };
      return { className: 'Subtract', config: {} };
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return { className: node.op, config: {} };
    case 'Rescaling':
      return { className: 'Rescaling', config: { scale: num(a.scale, 1), offset: num(a.offset, 0) } };
    case 'Activation': {
      // The same spellings as a fused activation; TF.js's leaky_relu is a LeakyReLU layer.
      const act = str(a.activation, 'linear');
      if (tfjs && act === 'leaky_relu') return { className: 'LeakyReLU', config: { alpha: 0.01 } };
      return { className: 'Activation', config: { activation: activationValue(act, target) } };
    }
    case 'ZeroPadding2D': case 'ZeroPadding1D': case 'Cropping2D': case 'Cropping1D': return edgeLayer(node, target);
    case 'UpSampling2D': case 'UpSampling1D': return upSamplingLayer(node, target);
    case 'RepeatVector': return { className: 'RepeatVector', config: { n: num(a.n, 1) } };
    case 'Permute': return { className: 'Permute', config: { dims: Array.isArray(a.axes) ? a.axes : [] } };
    default:
      return `Netspec's exporter has no Keras mapping for ${node.op}`;
  }
}

/**
 * Keras's Bidirectional wrapper: the inner layer's own mapping, named as Keras names it
 * ("lstm"), so Keras and TF.js name the weights "<layer>/forward_lstm/kernel", as the engine
 * does. TF.js nests the inner layer's config; the Keras script constructs the inner layer.
 */
function bidirectional(node: IRNode, inputRank: number, target: KerasTarget): Mapped | string {
  const inner = node.args.layer;
  if (!isLayerCall(inner)) return 'its wrapped layer is not a resolved layer call';
  if (target === 'tfjs' && TFJS_MISSING[inner.op]) return `it wraps a ${inner.op}, and ${TFJS_MISSING[inner.op]}`;
  const mapped = mapNode({ ...node, op: inner.op, args: inner.args }, inputRank, target);
  if (typeof mapped === 'string') return mapped;
  if (mapped.before || mapped.after) return `its wrapped ${inner.op} needs layers around it`;
  const name = snakeName(inner.op);
  const layer: KerasValue =
    target === 'tfjs'
      ? { class_name: mapped.className, config: { name, trainable: true, ...mapped.config } }
      : { py: `keras.layers.${mapped.className}(${[...Object.entries(mapped.config).map(([k, v]) => `${k}=${toPy(v)}`), `name=${JSON.stringify(name)}`].join(', ')})` };
  return { className: 'Bidirectional', config: { layer, merge_mode: str(node.args.merge, 'concat') } };
}

/** The Keras functional graph of `model` for `target`, or the first node it cannot express. */
export function kerasGraph(model: ModelIR, target: KerasTarget): GraphResult {
  const taken = new Set<string>();
  const nameOf = new Map<string, string>();
  const rankOf = new Map<string, number>(model.inputs.map((i) => [i.name, i.shape.length]));
  const inputs: KerasInput[] = model.inputs.map((i) => {
    const name = kerasName(i.name, taken);
    nameOf.set(i.name, name);
    return { name, shape: i.shape.map(dim), dtype: i.dtype };
  });
  // Node names first, so an added activation layer never takes a node's own name; ids Keras
  // accepts as they are keep them, the others are rewritten around them.
  const valid = (id: string) => /^[A-Za-z0-9_]+$/.test(id);
  for (const node of model.nodes) if (valid(node.id)) nameOf.set(node.id, kerasName(node.id, taken));
  for (const node of model.nodes) if (!valid(node.id)) nameOf.set(node.id, kerasName(node.id, taken));
  const layers: KerasLayer[] = [];
  for (const node of model.nodes) {
    const fail = (why: string): GraphResult => ({
      ok: false,
      error: { message: `${node.op} (${node.id}) cannot be exported to ${KERAS_TARGET_NAMES[target]}: ${why}`, node: node.id, line: node.line },
    });
    if (target === 'tfjs' && TFJS_MISSING[node.op]) {
      return fail(`${TFJS_MISSING[node.op]}; the keras and onnx formats can express it`);
    }
    const mapped = mapNode(node, rankOf.get(node.inputs[0]) ?? 0, target);
    rankOf.set(node.id, node.shape.length);
    if (typeof mapped === 'string') return fail(mapped);
    const name = nameOf.get(node.id)!;
    let inbound = node.inputs.map((t) => nameOf.get(t) ?? t);
    const add = (extra: Added) => {
      const addedName = kerasName(`${name}_${extra.suffix}`, taken);
      layers.push({ name: addedName, className: extra.className, config: extra.config, inbound, callKwargs: {}, weights: [], node: node.id, line: node.line, added: true });
      inbound = [addedName];
    };
    for (const extra of mapped.before ?? []) add(extra);
    if (mapped.second) {
      const [first, second] = inbound;
      inbound = [second];
      add(mapped.second);
      inbound = [first, inbound[0]];
    }
    const weights = node.weights.map((w) => ({ engine: `${node.id}/${w.name}`, keras: `${name}/${w.name}`, shape: w.shape }));
    layers.push({ name, className: mapped.className, config: mapped.config, inbound, callKwargs: mapped.callKwargs ?? {}, weights, node: node.id, line: node.line });
    inbound = [name];
    for (const extra of mapped.after ?? []) add(extra);
    // Later readers of the node read the last layer of its chain.
    nameOf.set(node.id, inbound[0]);
  }
  const outputs = model.outputs.map((o) => ({ name: o.name, layer: nameOf.get(o.tensor) ?? o.tensor }));
  return { ok: true, graph: { name: model.name, inputs, layers, outputs } };
}
