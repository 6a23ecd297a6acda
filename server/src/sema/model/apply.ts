// Applies one call to its input tensors: a catalog layer (arguments bound and checked, then
// the layer's own shape rule) or a block (parameters bound from the call, its body walked in
// a fresh frame whose diagnostics point back at the call). A call whose input is unknown
// yields an unknown result without any diagnostic, so one error never cascades.

import { findLayer, kerasLayerNames, layerNames, netspecLayerFor, type ArgSpec, type LayerSpec, type ResolvedArgs, type WeightSpec } from '../../../../engine/catalog/index';
import { suggest } from '../suggest';
import { formatShape } from '../../../../engine/catalog/shape';
import type { BlockDecl, Call, Span } from '../../syntax/ast';
import { boundSpan, boundValue, evalValue, matchArgs, resolveLayerArgs, type BoundCall } from './args';
import { layerKey, type LayerKey, type ResolvedLayer } from './layer_cache';
import { MAX_BLOCK_DEPTH, outputName, unknownTensor, type Frame, type Tensor, type Walk } from './state';
import { snakeName } from '../../../../engine/catalog/names';
import { reportUnused, valueEnv } from './scope';

export function applyChain(w: Walk, frame: Frame, layers: Call[], inputs: Tensor[]): Tensor {
  let ins = inputs;
  let t = inputs[0];
  for (const call of layers) {
    t = applyCall(w, frame, call, ins);
    ins = [t];
  }
  return t;
}

export function applyCall(w: Walk, frame: Frame, call: Call, inputs: Tensor[]): Tensor {
  for (const t of inputs) w.markUsed(t);
  // Calls count towards the expansion limit too (a chain may hold thousands).
  if (w.exhausted || ++w.steps > w.limit) {
    if (!w.exhausted) w.report(frame, 'bad-argument', call.span, `model ${w.modelName} expands to more than ${w.limit} statements and calls (repeat counts and block uses multiply); the rest is not checked`);
    w.exhausted = true;
    return unknownTensor(outputName(call.callee.name), call.span);
  }
  const name = call.callee.name;
  const block = w.blocks.get(name);
  if (block) return applyBlock(w, frame, call, block, inputs);
  const spec = findLayer(name);
  if (!spec) {
    const netspecName = netspecLayerFor(name);
    const meant = netspecName === undefined ? undefined : findLayer(netspecName);
    if (meant) {
      // A Keras class name: say what Netspec calls it, then check the call as that layer so
      // the shapes after it are still known.
      w.report(frame, 'unknown-layer', call.callee.span, `\`${name}\` is Keras's name; Netspec calls this layer \`${meant.name}\``, [], { kind: 'replace-name', replacement: meant.name });
      return applyLayer(w, frame, call, meant, inputs);
    }
    // A misspelt Keras name (`BatchNormalisation`) suggests the Netspec layer it means.
    const near = suggest(name, [...layerNames(), ...w.blocks.keys(), ...kerasLayerNames()]);
    const hint = near === undefined ? undefined : (netspecLayerFor(near) ?? near);
    w.report(frame, 'unknown-layer', call.callee.span, `no layer or block named \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`, [], hint ? { kind: 'replace-name', replacement: hint } : undefined);
    return unknownTensor(outputName(name), call.span);
  }
  return applyLayer(w, frame, call, spec, inputs);
}

function applyLayer(w: Walk, frame: Frame, call: Call, spec: LayerSpec, inputs: Tensor[]): Tensor {
  const bound = matchArgs(call, spec.name, spec.args, valueEnv(w, frame), w.sink, frame.related);
  const key = bound.ok ? layerKey(spec.name, bound, inputs) : null;
  const resolved = (key !== null && w.layers.get(key)) || resolveLayer(w, frame, call, spec, inputs, bound, key);
  let result = unknownTensor(outputName(spec.name), call.span);
  const params = resolved?.params ?? 0;
  const line = w.line(call.span.start);
  if (resolved) {
    const args = resolved.args;
    const id = w.uniqueId(frame.prefix, snakeName(spec.name));
    const ids: string[] = [];
    for (const t of inputs) ids.push(t.id);
    w.addNode(
      { id, op: spec.name, args: resolved.irArgs, inputs: ids, shape: resolved.shape, dtype: resolved.dtype, weights: resolved.weights, line },
      resolved.flops,
      resolved.params,
      resolved.trainableParams,
    );
    const x = inputs[0];
    let activation: string | null = null;
    let dense = null;
    if (spec.name === 'Dense') {
      activation = typeof args.activation === 'string' && args.activation !== 'linear' ? args.activation : null;
      if (x.shape && x.shape.length >= 2) dense = call.span;
    } else if (spec.activation) {
      activation = spec.activation;
      dense = x.denseOverRank2;
    } else if (spec.name === 'Dropout') {
      activation = x.activation;
      dense = x.denseOverRank2;
    } else if (typeof args.activation === 'string' && args.activation !== 'linear') {
      activation = args.activation;
    }
    result = { name: outputName(spec.name), shape: resolved.shape, dtype: resolved.dtype, id, origin: call.span, def: null, activation, denseOverRank2: dense };
  }
  if (frame.record) {
    w.addCall(frame, {
      span: call.callee.span,
      callSpan: call.span,
      op: spec.name,
      isBlock: false,
      inputShapes: inputs.map((t) => t.shape),
      outputShape: result.shape,
      dtype: result.dtype,
      params,
      trainableParams: resolved?.trainableParams ?? 0,
      flops: resolved?.flops ?? null,
    });
  }
  if (frame.kind === 'model') w.topCalls.push({ line, op: spec.name, outputShape: result.shape, params });
  return result;
}

/**
 * Validates a layer call's arguments and runs its shape rule, reporting what is wrong.
 * Returns null after an error (or when an input is unknown); a success is cached under `key`.
 */
function resolveLayer(w: Walk, frame: Frame, call: Call, spec: LayerSpec, inputs: Tensor[], bound: BoundCall, key: LayerKey | null): ResolvedLayer | null {
  const args = resolveLayerArgs(spec.name, spec.args, bound, call.span, w.sink, frame.related);
  if (!args || !inputs.every((t) => t.shape !== null)) return null;
  const r = spec.infer(
    inputs.map((t) => ({ name: t.name, shape: t.shape!, dtype: t.dtype })),
    args,
  );
  if (!r.ok) {
    const issue = r.issue;
    const span = (issue.arg && boundSpan(bound, issue.arg)) || call.span;
    const culprit = inputs[issue.input ?? 0] ?? inputs[0];
    const related = culprit?.shape ? [{ span: culprit.origin, message: `${culprit.name} is ${formatShape(culprit.shape)} here` }] : [];
    let fix;
    const shape = culprit?.shape;
    if (issue.code === 'rank-mismatch' && spec.imageInput && shape && shape.length === 1 && typeof shape[0] === 'number') {
      fix = reshapeFix(shape[0], call);
    } else if (issue.code === 'empty-dimension' && spec.args.some((a) => a.name === 'padding')) {
      fix = paddingFix(call, boundSpan(bound, 'padding'));
    }
    w.report(frame, issue.code, span, issue.message, related, fix);
    return null;
  }
  let params = 0;
  let trainableParams = 0;
  for (const wt of r.weights) {
    const size = wt.shape.reduce((a, b) => a * b, 1);
    params += size;
    if (wt.trainable) trainableParams += size;
  }
  const resolved: ResolvedLayer = { args, irArgs: fillComputed(spec, args, r.weights), shape: r.shape, dtype: r.dtype, weights: r.weights, flops: r.flops, params, trainableParams };
  if (key !== null) w.layers.set(key, resolved);
  return resolved;
}

/** Walks a block use's body in its frame; returns the use's output (null when there is none). */
function expand(w: Walk, sub: Frame, decl: BlockDecl): Tensor | null {
  w.blockStack.push(sub.name);
  w.walkBody(w, sub, decl.body);
  w.blockStack.pop();
  if (sub.outputs.length > 1) {
    w.report(sub, 'shape-mismatch', sub.outputs[1].def, `a block has exactly one output, but ${sub.name} marks ${sub.outputs.length}: ${sub.outputs.map((o) => o.name).join(', ')}`);
  }
  reportUnused(w, sub);
  return sub.outputs[0]?.tensor ?? sub.current;
}

/**
 * Computed defaults are filled in so the IR is explicit: one that names another argument
 * ("stride defaults to pool") takes its value; attention's key_dim (D/heads) is read from the
 * query kernel [D, heads, key_dim] the catalog produced.
 */
function fillComputed(spec: LayerSpec, args: ResolvedArgs, weights: WeightSpec[]): ResolvedArgs {
  const out: ResolvedArgs = { ...args };
  for (const a of spec.args) {
    if (out[a.name] !== undefined || !a.defaultText) continue;
    if (args[a.defaultText] !== undefined) out[a.name] = args[a.defaultText];
    else if (a.name === 'key_dim') {
      const q = weights.find((w) => w.name === 'query/kernel');
      if (q && q.shape.length === 3) out.key_dim = q.shape[2];
    }
  }
  return out;
}

/** A flat [n] with n = s*s*c (c = 1, then 3) can be reshaped into an image. */
function reshapeFix(n: number, call: Call) {
  for (const c of [1, 3]) {
    if (n % c !== 0) continue;
    const s = Math.round(Math.sqrt(n / c));
    if (s * s * c === n) return { kind: 'insert-reshape' as const, before: call.span, shape: [s, s, c] };
  }
  return undefined;
}

/** Data for the "use padding=same" fix: replace the padding value or add the argument. */
function paddingFix(call: Call, given: Span | undefined) {
  const fix = (start: number, end: number, form: 'replace' | 'comma' | 'first' | 'parens') => ({ kind: 'set-padding' as const, at: { start, end }, form });
  if (given) return fix(given.start, given.end, 'replace');
  if (call.args.some((a) => a.name?.name === 'padding')) return undefined;
  if (!call.hasParens || !call.argsSpan) return fix(call.callee.span.end, call.callee.span.end, 'parens');
  const last = call.args[call.args.length - 1];
  if (!last) return fix(call.argsSpan.start + 1, call.argsSpan.start + 1, 'first');
  const end = Math.min(last.span.end, call.argsSpan.end - 1);
  return fix(end, end, 'comma');
}

function applyBlock(w: Walk, frame: Frame, call: Call, decl: BlockDecl, inputs: Tensor[]): Tensor {
  const name = decl.name!.name;
  w.declRefs.push({ name, span: { start: call.callee.span.start, end: call.callee.span.end } });
  const unknown = unknownTensor(`the output of ${name}`, call.span);
  if (w.blockStack.includes(name)) {
    w.report(frame, 'unknown-layer', call.callee.span, `block ${name} uses itself, so it cannot be expanded`);
    return unknown;
  }
  if (w.blockStack.length >= MAX_BLOCK_DEPTH) {
    // The stack, the chain of related information and the walk's recursion all grow with
    // the nesting, so it is bounded; the use is reported once, at the call that goes too deep.
    w.report(frame, 'bad-argument', call.callee.span, `blocks nest more than ${MAX_BLOCK_DEPTH} uses deep here (${w.blockStack[0]} uses ... uses ${w.blockStack[w.blockStack.length - 1]}, which uses ${name}); this use is not checked`);
    return unknown;
  }
  const specs: ArgSpec[] = decl.params.map((p) => ({ name: p.name.name, type: 'string', required: p.default === null, doc: '' }));
  const bound = matchArgs(call, name, specs, valueEnv(w, frame), w.sink, frame.related);
  const params = new Map<string, { value: NonNullable<ReturnType<typeof evalValue>>; def: typeof call.span }>();
  for (const p of decl.params) {
    let v = boundValue(bound, p.name.name) ?? null;
    if (v === null && p.default) v = evalValue(p.default, { lookup: () => undefined });
    if (v !== null) params.set(p.name.name, { value: v, def: p.name.span });
  }
  const inputCount = decl.body.filter((s) => s.kind === 'Input').length;
  if (bound.ok && inputCount !== inputs.length) {
    w.report(frame, 'shape-mismatch', call.span, `block ${name} takes ${inputCount} input${inputCount === 1 ? '' : 's'}, but the call passes ${inputs.length}`);
  }
  let result = unknown;
  let total = 0;
  let trainable = 0;
  let flops: number | null = 0;
  if (bound.ok && inputCount === inputs.length) {
    const scope = w.uniqueId(frame.prefix, snakeName(name));
    const record = frame.record && !w.recordedBlocks.has(name);
    w.recordedBlocks.add(name);
    const sub: Frame = {
      kind: 'block',
      name,
      declSpan: decl.span,
      tensors: new Map(),
      params,
      sizes: new Map(),
      current: null,
      prefix: `${scope}/`,
      related: [{ span: call.span, message: `in this use of ${name} (model ${w.modelName})` }, ...frame.related],
      outputs: [],
      callerInputs: inputs,
      inputIndex: 0,
      record,
    };
    const before = w.nodes.length;
    // A standalone check of a used block keeps nothing from inside the blocks it uses (see
    // checkBlock), so it does not expand them: its cost is its own body, not the chain below.
    const out = w.quiet ? null : expand(w, sub, decl);
    ({ params: total, trainable, flops } = w.nodeTotals(before));
    if (out && out.shape) result = { ...out, name: `the output of ${name}`, origin: call.span, def: null };
  }
  w.addCall(frame, {
    span: call.callee.span,
    callSpan: call.span,
    op: name,
    isBlock: true,
    inputShapes: inputs.map((t) => t.shape),
    outputShape: result.shape,
    dtype: result.dtype,
    params: total,
    trainableParams: trainable,
    flops: result.shape ? flops : null,
  });
  if (frame.kind === 'model') w.topCalls.push({ line: w.line(call.span.start), op: name, outputShape: result.shape, params: total });
  return result;
}
