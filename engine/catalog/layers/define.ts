// Turns a layer's declaration into a `LayerSpec` whose `infer` is total. The checker
// validates arguments from the ArgSpecs before it calls `infer`, but the engine and tests call
// `infer` directly, so the wrapper checks again what every layer would otherwise repeat: the
// number of inputs, their dtype, each argument's type and range (normalising size2 values to
// pairs), and it turns any exception from a rule into an issue instead of letting it escape.

import { formatShape } from '../shape';
import { isLayerCall, type ArgSpec, type ArgValue, type LayerInput, type LayerResult, type LayerSpec, type ResolvedArgs } from '../types';
import { fail, formatPair } from './common';

/** Which input dtype a layer accepts: float32 (most), int32 ids (Embedding), or either. */
export type Accepts = 'float' | 'int' | 'any';

export interface LayerDecl<N extends string> extends Omit<LayerSpec<N>, 'infer'> {
  accepts?: Accepts;
  /** The shape rule, called with validated inputs and arguments. */
  rule(inputs: LayerInput[], args: ResolvedArgs): LayerResult;
}

export function defineLayer<N extends string>(decl: LayerDecl<N>): LayerSpec<N> {
  const { rule, accepts = 'float', ...spec } = decl;
  return {
    ...spec,
    infer(inputs: LayerInput[], args: ResolvedArgs): LayerResult {
      try {
        const arity = checkArity(spec, inputs);
        if (arity) return arity;
        const dtype = checkDtype(spec.name, accepts, inputs);
        if (dtype) return dtype;
        const bound = checkArgs(spec.name, spec.args, args ?? {});
        if ('issue' in bound) return bound.issue;
        return rule(inputs, bound.args);
      } catch (e) {
        // A rule should never throw; if one does, the user still gets a diagnostic.
        const why = e instanceof Error ? e.message : String(e);
        return fail('bad-argument', `${spec.name} could not infer its output shape (${why})`);
      }
    },
  };
}

function checkArity(spec: Omit<LayerSpec, 'infer'>, inputs: LayerInput[]): LayerResult | null {
  const n = inputs.length;
  const names = inputs.map((i) => i.name).join(', ');
  if (spec.arity === 'one' && n !== 1) {
    return fail('shape-mismatch', n === 0 ? `${spec.name} expects one input, but got none` : `${spec.name} expects one input, but got a tuple of ${n}: (${names})`);
  }
  if (spec.arity === 'many' && n < 2) {
    const found = n === 0 ? 'none' : `only ${names} ${formatShape(inputs[0].shape)}`;
    return fail('shape-mismatch', `${spec.name} expects a tuple of two or more inputs (a, b, ...), but got ${found}`);
  }
  if (spec.arity === 'one-or-two' && (n < 1 || n > 2)) {
    return fail('shape-mismatch', `${spec.name} expects one input (self-attention) or a pair (query, key_value), but got ${n === 0 ? 'none' : `a tuple of ${n}: (${names})`}`);
  }
  return null;
}

function checkDtype(layer: string, accepts: Accepts, inputs: LayerInput[]): LayerResult | null {
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (accepts === 'float' && input.dtype === 'int32') {
      return fail(
        'dtype-mismatch',
        `${layer} expects float32 values, but ${input.name} is int32 ids ${formatShape(input.shape)}; pass the ids through Embedding first`,
        { input: i },
      );
    }
    if (accepts === 'int' && input.dtype === 'float32') {
      return fail(
        'dtype-mismatch',
        `${layer} expects int32 ids, but ${input.name} is float32 ${formatShape(input.shape)}; declare the input with \`int\`, e.g. \`input ${input.name}: ${formatShape(input.shape, false)} int\``,
        { input: i },
      );
    }
  }
  return null;
}

type Bound = { args: ResolvedArgs } | { issue: LayerResult };

/** Validates every argument against its ArgSpec and fills literal defaults. */
export function checkArgs(layer: string, specs: readonly ArgSpec[], args: ResolvedArgs): Bound {
  const out: ResolvedArgs = { ...args };
  for (const spec of specs) {
    let v = args[spec.name];
    if (v === undefined) {
      if (spec.required) {
        return { issue: fail('missing-argument', `${layer} needs the argument \`${spec.name}\`: ${spec.doc}`, { arg: spec.name }) };
      }
      if (spec.default !== undefined) v = spec.default;
      else continue;
    }
    const checked = checkValue(layer, spec, v);
    if (typeof checked === 'string') return { issue: fail('bad-argument', checked, { arg: spec.name }) };
    out[spec.name] = checked.value;
  }
  return { args: out };
}

/**
 * The arguments a layer runs with: checked, literal defaults filled, and a default that
 * names another argument ("stride defaults to pool") taken from it. Defaults computed from
 * shapes (attention's key_dim) stay unset; the layer reads those from its weights.
 */
export function resolveArgs(spec: LayerSpec, args: ResolvedArgs): Bound {
  const bound = checkArgs(spec.name, spec.args, args);
  if ('issue' in bound) return bound;
  for (const a of spec.args) {
    const source = a.defaultText === undefined ? undefined : bound.args[a.defaultText];
    if (bound.args[a.name] === undefined && source !== undefined) bound.args[a.name] = source;
  }
  return bound;
}

function show(v: ArgValue): string {
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  if (isLayerCall(v)) return `${v.op}(...)`;
  return typeof v === 'string' ? v : String(v);
}

/** Returns the normalised value, or a message saying what is wrong with it. */
function checkValue(layer: string, spec: ArgSpec, v: ArgValue): { value: ArgValue } | string {
  const where = `${layer}'s \`${spec.name}\``;
  switch (spec.type) {
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) return `${where} must be an integer, but is ${show(v)}`;
      return rangeMessage(where, spec, v) ?? { value: v };
    case 'float':
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${where} must be a number, but is ${show(v)}`;
      return rangeMessage(where, spec, v) ?? { value: v };
    case 'bool':
      if (typeof v !== 'boolean') return `${where} must be true or false, but is ${show(v)}`;
      return { value: v };
    case 'enum':
      if (typeof v !== 'string' || !(spec.values ?? []).includes(v)) {
        return `${where} must be one of ${(spec.values ?? []).join(', ')}, but is ${show(v)}`;
      }
      return { value: v };
    case 'string':
      if (typeof v !== 'string') return `${where} must be a string, but is ${show(v)}`;
      return { value: v };
    case 'size2': {
      const pair = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? v : null;
      if (!pair || !pair.every((x) => Number.isInteger(x))) {
        return `${where} must be an integer k or a pair (a, b) of integers, but is ${show(v)}`;
      }
      for (const x of pair) {
        const m = rangeMessage(where, spec, x);
        if (m) return `${m.replace(/, but is .*$/, '')}, but is ${formatPair(pair)}`;
      }
      return { value: [pair[0], pair[1]] };
    }
    case 'pad2': {
      const four = typeof v === 'number' ? [v, v, v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[0], v[1], v[1]] : Array.isArray(v) && v.length === 4 ? v : null;
      if (!four || !four.every((x) => Number.isInteger(x))) {
        return `${where} must be an integer k, a pair (a, b) or ((top, bottom), (left, right)), but is ${show(v)}`;
      }
      for (const x of four) {
        const m = rangeMessage(where, spec, x);
        if (m) return m;
      }
      return { value: [...four] };
    }
    case 'ints':
      if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) return `${where} must be a list of integers, but is ${show(v)}`;
      return { value: v };
    case 'layer': {
      // The inner call's own arguments are checked by the layer that takes it (it knows the
      // inner layer's spec); here only the kind of layer is.
      const allowed = (spec.values ?? []).join(', ');
      if (!isLayerCall(v)) return `${where} must be a layer call (${allowed}), but is ${show(v)}`;
      if (!(spec.values ?? []).includes(v.op)) return `${where} must be a call of ${allowed}, but is ${v.op}(...)`;
      return { value: v };
    }
  }
}

function rangeMessage(where: string, spec: ArgSpec, v: number): string | null {
  const lowOk = spec.min === undefined || (spec.minExclusive ? v > spec.min : v >= spec.min);
  const highOk = spec.max === undefined || (spec.maxExclusive ? v < spec.max : v <= spec.max);
  if (lowOk && highOk) return null;
  return `${where} must be ${rangeText(spec)}, but is ${v}`;
}

/** "at least 1", "greater than 0", "from 0 up to but not including 1". */
export function rangeText(spec: ArgSpec): string {
  const { min, max, minExclusive, maxExclusive } = spec;
  if (min !== undefined && max !== undefined) {
    const lo = minExclusive ? `greater than ${min}` : `at least ${min}`;
    const hi = maxExclusive ? `less than ${max}` : `at most ${max}`;
    return `${lo} and ${hi}`;
  }
  if (min !== undefined) return minExclusive ? `greater than ${min}` : `at least ${min}`;
  if (max !== undefined) return maxExclusive ? `less than ${max}` : `at most ${max}`;
  return 'in range';
}
