// Small building blocks shared by every layer family: argument declarations, the success
// and failure values a shape rule returns, the checks many layers repeat (rank, known last
// axis), weight declarations in Keras naming, and FLOP arithmetic that turns null as soon as
// a size is symbolic. Keeping them here makes each layer file read like its spec row.

import { elementCount, formatShape, isKnown, type Dim, type DType, type Shape } from '../shape';
import type {
  ArgSpec,
  ArgValue,
  DiagnosticCode,
  Initializer,
  LayerInput,
  LayerIssue,
  LayerResult,
  ResolvedArgs,
  WeightSpec,
} from '../types';

/** The activation enumeration of spec §4, in the order the spec lists it. */
export const ACTIVATIONS: readonly string[] = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'gelu',
  'silu',
  'elu',
  'leaky_relu',
];

export const PADDINGS: readonly string[] = ['valid', 'same'];

type ArgExtras = Partial<Omit<ArgSpec, 'name' | 'type' | 'doc' | 'required' | 'default'>>;

/** A required argument (no default). */
export function required(name: string, type: ArgSpec['type'], doc: string, extras: ArgExtras = {}): ArgSpec {
  return { name, type, required: true, doc, ...extras };
}

/** An optional argument with a literal default. */
export function optional(
  name: string,
  type: ArgSpec['type'],
  def: ArgValue,
  doc: string,
  extras: ArgExtras = {},
): ArgSpec {
  return { name, type, required: false, default: def, doc, ...extras };
}

/** An optional argument whose default is computed from other values inside `infer`. */
export function computed(name: string, type: ArgSpec['type'], defaultText: string, doc: string, extras: ArgExtras = {}): ArgSpec {
  return { name, type, required: false, defaultText, doc, ...extras };
}

export function activationArg(def = 'linear'): ArgSpec {
  return optional('activation', 'enum', def, 'The activation applied to the output.', { values: ACTIVATIONS });
}

export function biasArg(): ArgSpec {
  return optional('bias', 'bool', true, 'Whether the layer adds a learned bias.');
}

export function paddingArg(): ArgSpec {
  return optional('padding', 'enum', 'valid', '`valid` uses no padding; `same` pads so that the output size is ceil(input / stride).', {
    values: PADDINGS,
  });
}

export function ok(shape: Shape, dtype: DType, weights: WeightSpec[], flops: number | null): LayerResult {
  return { ok: true, shape, dtype, weights, flops };
}

export function fail(code: DiagnosticCode, message: string, extra: { arg?: string; input?: number } = {}): LayerResult {
  const issue: LayerIssue = { code, message, ...extra };
  return { ok: false, issue };
}

/** "x [batch, 28, 28, 1]": how a message names an input. */
export function describe(input: LayerInput): string {
  return `${input.name} ${formatShape(input.shape)}`;
}

/** Requires an exact rank; the message shows what the layer expects and what it found. */
export function expectRank(layer: string, inputDoc: string, input: LayerInput, rank: number, index = 0): LayerResult | null {
  if (input.shape.length === rank) return null;
  return fail('rank-mismatch', `${layer} expects an input ${inputDoc}, but ${input.name} is ${formatShape(input.shape)}`, { input: index });
}

/** Requires at least `rank` axes. */
export function expectMinRank(layer: string, inputDoc: string, input: LayerInput, rank: number, index = 0): LayerResult | null {
  if (input.shape.length >= rank) return null;
  return fail('rank-mismatch', `${layer} expects an input ${inputDoc}, but ${input.name} is ${formatShape(input.shape)}`, { input: index });
}

/**
 * Requires a known size at `axis` (negative counts from the end) because the parameter
 * count depends on it; `what` names the axis in the message ("last axis", "channel count").
 */
export function expectKnown(layer: string, input: LayerInput, axis: number, what: string, index = 0): LayerResult | null {
  const i = axis < 0 ? input.shape.length + axis : axis;
  const d = input.shape[i];
  if (d === undefined || isKnown(d)) return null;
  return fail(
    'symbolic-size',
    `${layer} needs the ${what} of ${input.name} to be a known size, because its weights depend on it, but ${input.name} is ${formatShape(input.shape)} with ${what} ${d}`,
    { input: index },
  );
}

/** The size of the last axis, known by the time a caller uses it. */
export function lastDim(input: LayerInput): number {
  const d = input.shape[input.shape.length - 1];
  return typeof d === 'number' ? d : 0;
}

export function weight(name: string, shape: number[], init: Initializer, opts: { trainable?: boolean; regularized?: boolean } = {}): WeightSpec {
  return { name, shape, init, trainable: opts.trainable ?? true, regularized: opts.regularized ?? false };
}

/** A kernel: glorot_uniform and subject to the train block's regularizer. */
export function kernel(shape: number[], name = 'kernel', init: Initializer = 'glorot_uniform'): WeightSpec {
  return weight(name, shape, init, { regularized: true });
}

export function bias(shape: number[], name = 'bias'): WeightSpec {
  return weight(name, shape, 'zeros');
}

/** Product of factors, or null when one is null or a symbolic size. */
export function product(...factors: (number | Dim | null)[]): number | null {
  let n = 1;
  for (const f of factors) {
    if (f === null || typeof f !== 'number') return null;
    n *= f;
  }
  return n;
}

/** Elements per sample, null when symbolic. */
export function elements(shape: Shape): number | null {
  return elementCount(shape);
}

export function argInt(args: ResolvedArgs, name: string, fallback: number): number {
  const v = args[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function argNum(args: ResolvedArgs, name: string, fallback: number): number {
  return argInt(args, name, fallback);
}

export function argBool(args: ResolvedArgs, name: string, fallback: boolean): boolean {
  const v = args[name];
  return typeof v === 'boolean' ? v : fallback;
}

export function argEnum(args: ResolvedArgs, name: string, fallback: string): string {
  const v = args[name];
  return typeof v === 'string' ? v : fallback;
}

/** A size2 argument as a pair; a single number k means (k, k). Undefined when absent. */
export function argPair(args: ResolvedArgs, name: string): [number, number] | undefined {
  const v = args[name];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0], v[1]];
  return undefined;
}

/** "3" for a square window, "(3, 5)" otherwise: how messages write a size2 value. */
export function formatPair(p: readonly number[]): string {
  return p.length === 2 && p[0] === p[1] ? String(p[0]) : `(${p.join(', ')})`;
}
