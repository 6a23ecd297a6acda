// The vocabulary of the layer catalog: how a layer declares its arguments, and what its
// shape rule returns. The checker validates and binds arguments generically from ArgSpec,
// then calls the layer's `infer`; the engine builds weights from the same WeightSpec list,
// so the parameter count the editor shows is the one training uses.

import type { DType, Shape } from './shape';

/** Stable diagnostic codes of spec §6 (plus `syntax`). */
export type DiagnosticCode =
  | 'syntax'
  | 'unknown-layer'
  | 'unknown-argument'
  | 'missing-argument'
  | 'bad-argument'
  | 'unknown-name'
  | 'duplicate-name'
  | 'rank-mismatch'
  | 'shape-mismatch'
  | 'empty-dimension'
  | 'size-mismatch'
  | 'symbolic-size'
  | 'dtype-mismatch'
  | 'loss-mismatch'
  | 'data-mismatch'
  | 'data-error'
  | 'unused';

/**
 * Argument kinds. `size2` is an integer k meaning (k, k) or a pair (a, b); `ints` is a
 * list of integers (Reshape's target, where one -1 is allowed); `enum` takes one of
 * `values` written as a bare identifier. `pad2` is the amount taken from (or added to) both
 * ends of two axes, as Keras writes ZeroPadding2D's and Cropping2D's argument: k for k
 * everywhere, (a, b) for a on both ends of the first axis and b on both ends of the second,
 * or ((top, bottom), (left, right)); it is normalised to [top, bottom, left, right]. `layer`
 * takes a call of one of the layers named in `values` (Bidirectional's `LSTM(64)`), its own
 * arguments checked against that layer.
 */
export type ArgType = 'int' | 'float' | 'bool' | 'enum' | 'size2' | 'ints' | 'string' | 'pad2' | 'layer';

/** A layer call given as an argument value: the layer's catalog name and its resolved arguments. */
export interface LayerCallValue {
  op: string;
  args: ResolvedArgs;
}

/** A bound argument value after defaults are applied. size2 is always normalised to a pair, pad2 to four sizes. */
export type ArgValue = number | boolean | string | number[] | LayerCallValue;

/** Whether an argument value is a layer call (the one kind of value that is an object). */
export function isLayerCall(v: unknown): v is LayerCallValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { op?: unknown }).op === 'string';
}
export type ResolvedArgs = Record<string, ArgValue | undefined>;

export interface ArgSpec {
  name: string;
  type: ArgType;
  /** Required arguments have no default. */
  required: boolean;
  /**
   * The default, applied by the checker. Undefined for a required argument, and for a
   * default computed from other values (then `defaultText` says how, e.g. "pool").
   */
  default?: ArgValue;
  defaultText?: string;
  /** Inclusive numeric bounds; `minExclusive`/`maxExclusive` make a bound strict. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  values?: readonly string[];
  doc: string;
}

/** One input tensor as the shape rule sees it. `name` is how messages refer to it. */
export interface LayerInput {
  name: string;
  shape: Shape;
  dtype: DType;
}

/**
 * Keras initializers. `uniform` is Embedding's uniform(-0.05, 0.05); `unit_forget_bias` is
 * the LSTM bias: zeros except ones on the forget gate's quarter (Keras unit_forget_bias=True).
 */
export type Initializer = 'glorot_uniform' | 'orthogonal' | 'zeros' | 'ones' | 'uniform' | 'unit_forget_bias';

/** A weight tensor of a layer, in Keras order and naming (kernel, recurrent_kernel, bias, ...). */
export interface WeightSpec {
  name: string;
  shape: number[];
  trainable: boolean;
  init: Initializer;
  /** Regularizers apply to kernels only, never to biases or norm parameters. */
  regularized: boolean;
}

/** What a shape rule reports when the layer cannot apply. */
export interface LayerIssue {
  code: DiagnosticCode;
  message: string;
  /** Point the diagnostic at this argument's value rather than the whole call. */
  arg?: string;
  /** Point the related information at this input (index into the inputs array). */
  input?: number;
}

export interface LayerOutput {
  ok: true;
  shape: Shape;
  dtype: DType;
  weights: WeightSpec[];
  /** Multiply-adds count twice; null when a size is symbolic. */
  flops: number | null;
}

export type LayerResult = LayerOutput | { ok: false; issue: LayerIssue };

/** How many input tensors a layer takes: one, a tuple of two or more, or one-or-two (attention). */
export type Arity = 'one' | 'many' | 'one-or-two';

/** A layer of the catalog; `N` is its name, so the catalog's names form a type (LayerName). */
export interface LayerSpec<N extends string = string> {
  name: N;
  /** Other names that resolve to this layer (SelfAttention -> MultiHeadAttention). */
  aliases?: readonly string[];
  category: 'core' | 'conv' | 'pool' | 'norm' | 'activation' | 'recurrent' | 'attention' | 'merge' | 'embedding' | 'reshape';
  /** Positional arguments bind in this order. */
  args: readonly ArgSpec[];
  arity: Arity;
  /** Input description for messages and hover, e.g. "[height, width, channels]". */
  inputDoc: string;
  outputDoc: string;
  /** The parameter formula as spec §4 writes it, for hover. */
  paramsDoc: string;
  /** One or two sentences for hover and completion. */
  summary: string;
  /**
   * An activation layer's function, spelled as the `activation` argument spells it
   * (ReLU: 'relu'): the engine applies it, and the checker follows it to the loss.
   */
  activation?: string;
  /** Takes images [height, width, channels], so a flat [n] input is offered a reshape into one. */
  imageInput?: boolean;
  /** Applies the layer to inputs with fully resolved arguments. Never throws. */
  infer(inputs: LayerInput[], args: ResolvedArgs): LayerResult;
}
