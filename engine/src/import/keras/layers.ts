// One Keras layer as Netspec layer calls: the inverse of engine/src/export/keras/topology.ts,
// so an exported model imports back to the same calls. Keras's names become Netspec's
// (BatchNormalization → BatchNorm, kernel_size → kernel, use_bias → bias, axes counted
// without the batch axis), arguments at their default are left out as a user would, and a
// weighted call lists the weights it owns, named as in Keras and in the engine alike
// ("kernel", "recurrent_kernel", "moving_mean", "query/kernel"). What Netspec cannot compute
// the same way (another activation, dilation, channels_first, a GRU with reset_after=False,
// masking) is a reason string; what only matters to training in Keras (initialisers,
// regularizers, constraints, recurrent dropout) is dropped with a note.

import { isObject, type GraphLayer, type Json, type JsonObject } from './graph';
import { mapEdgeLayer, mapUpSampling } from './layers_rearrange';

export interface NetspecCall {
  /** The Netspec layer, e.g. "Conv2D". */
  op: string;
  /** The call as written, e.g. "Conv2D(32, 3, activation=relu)". */
  text: string;
  /** The weights it owns, by their name in Keras and in the engine (after "layer/"). */
  weights: string[];
  /**
   * Where Keras names them otherwise, its names in the same order (Bidirectional's scopes
   * carry the wrapped layer's own name, "forward_lstm_1/kernel", where the engine's say "forward_lstm").
   */
  kerasWeights?: string[];
}

export interface MappedLayer {
  /** The calls in order; none for a layer that passes its input on (linear Activation, InputLayer). */
  calls: NetspecCall[];
  /** The rank of one output sample. */
  rank: number;
  /** What was dropped (training-only settings). */
  notes: string[];
}

const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  softmax: 'softmax',
  gelu: 'gelu',
  silu: 'silu',
  swish: 'silu',
  elu: 'elu',
};

/** The layer each activation is when it stands alone (Keras's Activation layer). */
const ACTIVATION_LAYERS: Record<string, string> = {
  relu: 'ReLU()',
  sigmoid: 'Sigmoid()',
  tanh: 'Tanh()',
  softmax: 'Softmax()',
  gelu: 'GELU()',
  silu: 'SiLU()',
  elu: 'ELU()',
};

/** An activation value: a name, or Keras 3's serialised function `{class_name: "function", config: "relu"}`. */
function activationName(v: Json | undefined): string {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v.config === 'string') return v.config;
  if (v === undefined || v === null) return 'linear';
  return JSON.stringify(v);
}

function sizes(v: Json | undefined, n: number): number[] | null {
  if (typeof v === 'number') return Array(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((d) => typeof d === 'number')) return v as number[];
  return null;
}

/** A size argument as a user writes it: `3` for (3, 3), else `(3, 5)`. */
function sizeText(s: number[]): string {
  return s.every((d) => d === s[0]) ? String(s[0]) : `(${s.join(', ')})`;
}

function call(op: string, args: (string | null)[], weights: string[] = []): NetspecCall {
  const present = args.filter((a): a is string => a !== null);
  return { op, text: `${op}(${present.join(', ')})`, weights };
}

/** Settings that only shape training in Keras; a non-default one is dropped with a note. */
const REGULARIZERS = ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'recurrent_regularizer', 'beta_regularizer', 'gamma_regularizer', 'embeddings_regularizer', 'depthwise_regularizer', 'pointwise_regularizer'];
const CONSTRAINTS = ['kernel_constraint', 'bias_constraint', 'recurrent_constraint', 'beta_constraint', 'gamma_constraint', 'embeddings_constraint'];

function droppedNotes(layer: GraphLayer): string[] {
  const c = layer.config;
  const notes: string[] = [];
  const set = (keys: string[]) => keys.filter((k) => c[k] !== undefined && c[k] !== null);
  const regularizers = set(REGULARIZERS);
  if (regularizers.length) notes.push(`${layer.className} ${layer.name}: ${regularizers.join(', ')} dropped (a train block's regularizer applies to every kernel)`);
  const constraints = set(CONSTRAINTS);
  if (constraints.length) notes.push(`${layer.className} ${layer.name}: ${constraints.join(', ')} dropped (Netspec has no weight constraints)`);
  for (const k of ['dropout', 'recurrent_dropout']) {
    if (typeof c[k] === 'number' && c[k] !== 0) notes.push(`${layer.className} ${layer.name}: ${k}=${c[k]} dropped (it acts in training only; Netspec's recurrent and attention layers have none)`);
  }
  if (c.trainable === false) notes.push(`${layer.className} ${layer.name}: trainable=False dropped (Netspec trains every weight)`);
  return notes;
}

type Check = string | null;

/** Every setting of `c` that differs from what Netspec computes, as one reason (null when none). */
function expect(c: JsonObject, wanted: Record<string, (v: Json | undefined) => boolean>, shown: Record<string, string>): Check {
  const bad = Object.entries(wanted)
    .filter(([k, ok]) => !ok(c[k]))
    .map(([k]) => `${k}=${JSON.stringify(c[k])} is not supported (Netspec computes ${shown[k]})`);
  return bad.length ? bad.join('; ') : null;
}

const absentOr = (...values: Json[]) => (v: Json | undefined) => v === undefined || v === null || values.some((x) => JSON.stringify(x) === JSON.stringify(v));
const onesOrAbsent = (v: Json | undefined) => v === undefined || v === null || v === 1 || (Array.isArray(v) && v.every((d) => d === 1));

/** The fused activation argument (or a separate layer after it when it needs one), or a reason. */
function fusedActivation(c: JsonObject): { arg: string | null; after: NetspecCall[] } | string {
  const name = activationName(c.activation);
  // Keras's leaky_relu activation has slope 0.2; Netspec's activation argument uses 0.01.
  if (name === 'leaky_relu') return { arg: null, after: [call('LeakyReLU', ['alpha=0.2'])] };
  const act = ACTIVATIONS[name];
  if (!act) return `activation ${name} is not supported (Netspec has ${Object.keys(ACTIVATIONS).join(', ')}, leaky_relu)`;
  return { arg: act === 'linear' ? null : `activation=${act}`, after: [] };
}

/** Keras's axis (batch counted) as Netspec's, or null when it is the batch axis. */
function sampleAxis(axis: number, rank: number): number | null {
  if (axis < 0) return axis >= -rank ? axis : null;
  return axis >= 1 && axis <= rank ? axis - 1 : null;
}

/** True when a Keras `axis` (a number or a one-element list) is the last axis of a rank-`rank` sample. */
function isLastAxis(v: Json | undefined, rank: number): boolean {
  const a = Array.isArray(v) && v.length === 1 ? v[0] : v === undefined ? -1 : v;
  return a === -1 || a === rank;
}

/**
 * `layer` as Netspec calls given its inputs' ranks, or the reason it cannot be one.
 */
export function mapLayer(layer: GraphLayer, ranks: number[]): MappedLayer | string {
  const c = layer.config;
  const r = ranks[0] ?? 0;
  const notes = droppedNotes(layer);
  const done = (calls: NetspecCall[], rank = r): MappedLayer => ({ calls, rank, notes });
  const bias = c.use_bias === false ? 'bias=false' : null;
  const biasWeights = c.use_bias === false ? [] : ['bias'];
  switch (layer.className) {
    case 'Dense': {
      const act = fusedActivation(c);
      if (typeof act === 'string') return act;
      return done([call('Dense', [String(c.units), act.arg, bias], ['kernel', ...biasWeights]), ...act.after]);
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv1DTranspose':
    case 'Conv2DTranspose': {
      const n = layer.className.startsWith('Conv2D') ? 2 : 1;
      const bad = expect(c, { data_format: absentOr('channels_last'), dilation_rate: onesOrAbsent, groups: absentOr(1), padding: absentOr('valid', 'same'), output_padding: absentOr() }, { data_format: 'channels_last', dilation_rate: '1', groups: '1', padding: 'valid or same', output_padding: 'none' });
      if (bad) return bad;
      const act = fusedActivation(c);
      if (typeof act === 'string') return act;
      const kernel = sizes(c.kernel_size, n);
      const stride = sizes(c.strides ?? 1, n);
      if (!kernel || !stride) return 'its kernel_size or strides are not numbers';
      const strideArg = stride.every((s) => s === 1) ? null : `stride=${sizeText(stride)}`;
      const padding = c.padding === 'same' ? 'padding=same' : null;
      return done([call(layer.className, [String(c.filters), sizeText(kernel), strideArg, padding, act.arg, bias], ['kernel', ...biasWeights]), ...act.after]);
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const bad = expect(c, { data_format: absentOr('channels_last'), dilation_rate: onesOrAbsent, padding: absentOr('valid', 'same') }, { data_format: 'channels_last', dilation_rate: '1', padding: 'valid or same' });
      if (bad) return bad;
      const act = fusedActivation(c);
      if (typeof act === 'string') return act;
      const kernel = sizes(c.kernel_size, 2);
      const stride = sizes(c.strides ?? 1, 2);
      if (!kernel || !stride) return 'its kernel_size or strides are not numbers';
      const separable = layer.className === 'SeparableConv2D';
      const args = [
        separable ? String(c.filters) : null,
        sizeText(kernel),
        stride.every((s) => s === 1) ? null : `stride=${sizeText(stride)}`,
        c.padding === 'same' ? 'padding=same' : null,
        c.depth_multiplier === undefined || c.depth_multiplier === 1 ? null : `depth_multiplier=${c.depth_multiplier}`,
        act.arg,
        bias,
      ];
      const weights = ['depthwise_kernel', ...(separable ? ['pointwise_kernel'] : []), ...biasWeights];
      return done([call(layer.className, args, weights), ...act.after]);
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const n = layer.className.endsWith('2D') ? 2 : 1;
      const bad = expect(c, { data_format: absentOr('channels_last'), padding: absentOr('valid', 'same') }, { data_format: 'channels_last', padding: 'valid or same' });
      if (bad) return bad;
      const pool = sizes(c.pool_size ?? 2, n);
      const stride = c.strides === null || c.strides === undefined ? pool : sizes(c.strides, n);
      if (!pool || !stride) return 'its pool_size or strides are not numbers';
      const op = `${layer.className.startsWith('Max') ? 'Max' : 'Avg'}Pool${n}D`;
      const strideArg = stride.join() === pool.join() ? null : `stride=${sizeText(stride)}`;
      return done([call(op, [pool.every((p) => p === 2) ? null : sizeText(pool), strideArg, c.padding === 'same' ? 'padding=same' : null])]);
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      const bad = expect(c, { data_format: absentOr('channels_last'), keepdims: absentOr(false) }, { data_format: 'channels_last', keepdims: 'False' });
      if (bad) return bad;
      const op = `Global${layer.className.includes('Average') ? 'Avg' : 'Max'}Pool${layer.className.slice(-2)}`;
      return done([call(op, [])], 1);
    }
    case 'Flatten': {
      // channels_first would flatten an image in another order.
      const bad = expect(c, { data_format: absentOr('channels_last') }, { data_format: 'channels_last' });
      return bad ?? done([call('Flatten', [])], 1);
    }
    case 'Reshape': {
      const target = c.target_shape;
      if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) return 'its target_shape is not a list of numbers';
      return done([call('Reshape', [`[${target.join(', ')}]`])], target.length);
    }
    case 'Dropout': {
      const bad = expect(c, { noise_shape: absentOr() }, { noise_shape: 'None' });
      if (bad) return bad;
      return done([call('Dropout', [String(c.rate)])]);
    }
    case 'BatchNormalization': {
      const bad = expect(c, { center: absentOr(true), scale: absentOr(true) }, { center: 'True', scale: 'True' });
      if (bad) return bad;
      if (!isLastAxis(c.axis, r)) return `axis=${JSON.stringify(c.axis)} is not supported (Netspec normalises the last axis)`;
      const momentum = typeof c.momentum === 'number' && c.momentum !== 0.99 ? `momentum=${c.momentum}` : null;
      const eps = typeof c.epsilon === 'number' && c.epsilon !== 0.001 ? `eps=${c.epsilon}` : null;
      return done([call('BatchNorm', [momentum, eps], ['gamma', 'beta', 'moving_mean', 'moving_variance'])]);
    }
    case 'LayerNormalization': {
      const bad = expect(c, { center: absentOr(true), scale: absentOr(true), rms_scaling: absentOr(false) }, { center: 'True', scale: 'True', rms_scaling: 'False' });
      if (bad) return bad;
      if (!isLastAxis(c.axis, r)) return `axis=${JSON.stringify(c.axis)} is not supported (Netspec normalises the last axis)`;
      const eps = typeof c.epsilon === 'number' && c.epsilon !== 0.001 ? `eps=${c.epsilon}` : null;
      return done([call('LayerNorm', [eps], ['gamma', 'beta'])]);
    }
    case 'Activation': {
      const name = activationName(c.activation);
      if (name === 'linear') return done([]);
      if (name === 'leaky_relu') return done([call('LeakyReLU', ['alpha=0.2'])]);
      const act = ACTIVATIONS[name];
      if (!act) return `activation ${name} is not supported (Netspec has ${Object.keys(ACTIVATIONS).join(', ')}, leaky_relu)`;
      return done([{ op: ACTIVATION_LAYERS[act].slice(0, -2), text: ACTIVATION_LAYERS[act], weights: [] }]);
    }
    case 'ReLU': {
      const bad = expect(c, { max_value: absentOr(), negative_slope: absentOr(0), threshold: absentOr(0) }, { max_value: 'None', negative_slope: '0', threshold: '0' });
      return bad ?? done([call('ReLU', [])]);
    }
    case 'ELU':
      return c.alpha === undefined || c.alpha === 1 ? done([call('ELU', [])]) : `alpha=${JSON.stringify(c.alpha)} is not supported (Netspec's ELU has alpha 1)`;
    case 'LeakyReLU': {
      // TF.js and Keras 2 write alpha, Keras 3 negative_slope; both default to 0.3 there.
      const slope = typeof c.negative_slope === 'number' ? c.negative_slope : typeof c.alpha === 'number' ? c.alpha : 0.3;
      return done([call('LeakyReLU', [slope === 0.01 ? null : `alpha=${slope}`])]);
    }
    case 'Softmax': {
      const axis = typeof c.axis === 'number' ? c.axis : Array.isArray(c.axis) && c.axis.length === 1 && typeof c.axis[0] === 'number' ? c.axis[0] : -1;
      const a = sampleAxis(axis, r);
      if (a === null) return `axis=${axis} is not supported (softmax over the batch axis)`;
      return done([call('Softmax', [a === -1 || a === r - 1 ? null : `axis=${a}`])]);
    }
    case 'Embedding': {
      if (c.mask_zero === true) return 'mask_zero=True is not supported (Netspec does not mask padding ids)';
      return done([call('Embedding', [String(c.input_dim), String(c.output_dim)], ['embeddings'])], r + 1);
    }
    case 'PositionEmbedding': {
      // keras_hub's layer names its size sequence_length; Netspec's Keras export writes max_len.
      const size = typeof c.sequence_length === 'number' ? c.sequence_length : c.max_len;
      if (typeof size !== 'number') return 'its sequence_length is not a number';
      return done([call('PositionEmbedding', [String(size)], ['embeddings'])]);
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return mapRecurrent(layer, notes);
    case 'MultiHeadAttention':
      return mapAttention(layer, ranks, notes);
    case 'Bidirectional':
      return mapBidirectional(layer, notes);
    case 'Add':
    case 'Multiply':
    case 'Subtract':
    case 'Average':
    case 'Maximum':
    case 'Minimum':
      return done([call(layer.className, [])]);
    case 'Rescaling': {
      // Keras also takes a list (one factor per channel); Netspec's Rescaling has one number.
      if (typeof c.scale !== 'number') return `scale=${JSON.stringify(c.scale)} is not supported (Netspec's Rescaling takes one number)`;
      if (c.offset !== undefined && c.offset !== null && typeof c.offset !== 'number') return `offset=${JSON.stringify(c.offset)} is not supported (Netspec's Rescaling takes one number)`;
      return done([call('Rescaling', [String(c.scale), typeof c.offset === 'number' && c.offset !== 0 ? `offset=${c.offset}` : null])]);
    }
    case 'Concatenate': {
      const axis = typeof c.axis === 'number' ? c.axis : -1;
      const a = sampleAxis(axis, r);
      if (a === null) return `axis=${axis} is not supported (concatenating on the batch axis)`;
      return done([call('Concat', [a === -1 || a === r - 1 ? null : `axis=${a}`])]);
    }
    case 'ZeroPadding2D': case 'ZeroPadding1D': case 'Cropping2D': case 'Cropping1D': return mapEdgeLayer(layer, r, notes);
    case 'UpSampling2D': case 'UpSampling1D': return mapUpSampling(layer, r, notes);
    case 'RepeatVector': return typeof c.n === 'number' ? done([call('RepeatVector', [String(c.n)])], 2) : 'its n is not a number';
    case 'Permute': {
      const dims = c.dims;
      if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number')) return 'its dims are not a list of numbers';
      return done([call('Permute', [`[${dims.join(', ')}]`])]);
    }
    default:
      return 'Netspec has no such layer';
  }
}

function mapRecurrent(layer: GraphLayer, notes: string[]): MappedLayer | string {
  const c = layer.config;
  const cls = layer.className;
  const wanted: Record<string, (v: Json | undefined) => boolean> = {
    use_bias: absentOr(true),
    return_state: absentOr(false),
    go_backwards: absentOr(false),
    stateful: absentOr(false),
    time_major: absentOr(false),
  };
  const shown: Record<string, string> = { use_bias: 'True', return_state: 'False', go_backwards: 'False', stateful: 'False', time_major: 'False', reset_after: 'True' };
  if (cls !== 'SimpleRNN') {
    wanted.activation = absentOr('tanh');
    wanted.recurrent_activation = absentOr('sigmoid');
    shown.activation = 'tanh';
    shown.recurrent_activation = 'sigmoid';
  }
  // Keras 2 and 3 default reset_after to True; TF.js writes its only choice, False.
  if (cls === 'GRU') wanted.reset_after = absentOr(true);
  const bad = expect(c, wanted, shown);
  if (bad) return cls === 'GRU' && bad.includes('reset_after=') ? `${bad}; TensorFlow.js's GRU always has reset_after=False, so a TF.js GRU cannot be imported` : bad;
  const seq = c.return_sequences === true;
  const args: (string | null)[] = [String(c.units), seq ? 'return_sequences=true' : null];
  if (cls === 'SimpleRNN') {
    const act = activationName(c.activation ?? 'tanh');
    const mapped = ACTIVATIONS[act];
    if (!mapped) return `activation ${act} is not supported`;
    if (mapped !== 'tanh') args.push(`activation=${mapped}`);
  }
  return { calls: [call(cls, args, ['kernel', 'recurrent_kernel', 'bias'])], rank: seq ? 2 : 1, notes };
}

const MERGES = ['concat', 'sum', 'mul', 'ave'];

/**
 * Keras 3 always writes the backward layer too: the forward one's copy with go_backwards=True
 * (and its own name). Only such a copy is what Netspec computes.
 */
function mirrorsForward(forward: JsonObject, backward: JsonObject): boolean {
  if (!isObject(forward.config) || !isObject(backward.config)) return false;
  if ((backward.class_name ?? backward.className) !== (forward.class_name ?? forward.className) || backward.config.go_backwards !== true) return false;
  const settings = (config: JsonObject) => JSON.stringify(Object.entries(config).filter(([k]) => k !== 'name' && k !== 'go_backwards').sort(([a], [b]) => (a < b ? -1 : 1)));
  return settings(forward.config) === settings(backward.config);
}

/** Keras's Bidirectional around SimpleRNN, LSTM or GRU: the wrapped layer's call inside Netspec's. */
function mapBidirectional(layer: GraphLayer, notes: string[]): MappedLayer | string {
  const c = layer.config;
  const wrapped = c.layer;
  if (!isObject(wrapped) || !isObject(wrapped.config)) return 'its wrapped layer has no config';
  const cls = String(wrapped.class_name ?? wrapped.className);
  if (!['SimpleRNN', 'LSTM', 'GRU'].includes(cls)) return `it wraps a ${cls}; Netspec's Bidirectional wraps SimpleRNN, LSTM or GRU`;
  if (isObject(c.backward_layer) && !mirrorsForward(wrapped, c.backward_layer)) {
    return 'a backward_layer other than a copy of the wrapped layer going backwards is not supported (Netspec runs a copy of the wrapped layer backwards)';
  }
  const merge = c.merge_mode ?? 'concat';
  if (typeof merge !== 'string' || !MERGES.includes(merge)) return `merge_mode=${JSON.stringify(merge)} is not supported (Netspec merges by ${MERGES.join(', ')})`;
  const innerName = typeof wrapped.config.name === 'string' ? wrapped.config.name : cls.toLowerCase();
  const inner = mapRecurrent({ ...layer, name: innerName, className: cls, config: wrapped.config }, notes);
  if (typeof inner === 'string') return `its wrapped ${cls}: ${inner}`;
  const [innerCall] = inner.calls;
  const scope = cls === 'SimpleRNN' ? 'simple_rnn' : cls.toLowerCase();
  const directions = ['forward', 'backward'];
  const weights = directions.flatMap((d) => innerCall.weights.map((w) => `${d}_${scope}/${w}`));
  const kerasWeights = directions.flatMap((d) => innerCall.weights.map((w) => `${d}_${innerName}/${w}`));
  const bidirectional = call('Bidirectional', [innerCall.text, merge === 'concat' ? null : `merge=${merge}`], weights);
  return { calls: [{ ...bidirectional, kerasWeights }], rank: inner.rank, notes };
}

const MHA_WEIGHTS = ['query/kernel', 'query/bias', 'key/kernel', 'key/bias', 'value/kernel', 'value/bias', 'attention_output/kernel', 'attention_output/bias'];

function mapAttention(layer: GraphLayer, ranks: number[], notes: string[]): MappedLayer | string {
  const c = layer.config;
  const bad = expect(
    c,
    { use_bias: absentOr(true), output_shape: absentOr(), attention_axes: absentOr(), value_dim: absentOr(c.key_dim ?? null) },
    { use_bias: 'True', output_shape: 'None', attention_axes: 'None', value_dim: 'key_dim' },
  );
  if (bad) return bad;
  if (ranks.some((r) => r !== 2)) return 'Netspec attends over [time, features] sequences only';
  // Keras calls it (query, value) or (query, value, key); Netspec's pair is (query, key_value).
  const distinct = [...new Set(layer.inbound)];
  if (distinct.length > 2 || (layer.inbound.length === 3 && layer.inbound[1] !== layer.inbound[2])) return 'a key other than its value is not supported';
  const causal = layer.callKwargs.use_causal_mask === true;
  if (causal && distinct.length > 1) return 'use_causal_mask applies to self-attention only in Netspec';
  return { calls: [call('MultiHeadAttention', [String(c.num_heads), `key_dim=${c.key_dim}`, causal ? 'causal=true' : null], MHA_WEIGHTS)], rank: 2, notes };
}
