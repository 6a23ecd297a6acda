// Walks the statements of a model or block body with the current-tensor semantics of spec
// §3: inputs, chains, bindings, aliases, outputs and `repeat`. It owns scopes (tensor names,
// block parameters, symbolic sizes) and leaves each layer or block call to apply.ts.

import { formatShape, shapeEquals, type Dim, type Shape } from '../../../../engine/catalog/shape';
import { suggest } from '../suggest';
import type { BindStmt, Call, Expr, Ident, InputStmt, ListExpr, OutputStmt, RepeatStmt, Span, Stmt } from '../../syntax/ast';
import { findLayer, layerNames } from '../../../../engine/catalog/index';
import { evalValue, isSym } from './args';
import { applyChain } from './apply';
import { valueEnv } from './scope';
import { unknownTensor, type Frame, type Tensor, type Walk } from './state';

/**
 * How far past its own text a model may expand (blocks inlined, repeats unrolled), in
 * statements and calls. Nested repeats and blocks multiply, so a few characters could
 * otherwise ask for billions; a model's own statements always count in full on top.
 */
export const MAX_STEPS = 10_000;

/** Statements and calls written in a body, each once. */
export function syntacticSize(body: Stmt[]): number {
  let n = 0;
  for (const s of body) {
    n++;
    if (s.kind === 'Repeat') n += syntacticSize(s.body);
    else if (s.kind !== 'Input') n += s.layers.length;
  }
  return n;
}

export function walkBody(w: Walk, frame: Frame, body: Stmt[]): void {
  for (const stmt of body) {
    if (w.exhausted) return;
    if (++w.steps > w.limit) {
      w.exhausted = true;
      w.report(frame, 'bad-argument', stmt.span, `model ${w.modelName} expands to more than ${w.limit} statements and calls (repeat counts and block uses multiply); the rest is not checked`);
      frame.current = unknownTensor('?', stmt.span);
      return;
    }
    try {
      walkStatement(w, frame, stmt);
    } catch (e) {
      // A checker bug must not take the editor down; the statement's result is unknown.
      frame.current = unknownTensor('?', stmt.span);
    }
  }
}

function walkStatement(w: Walk, frame: Frame, stmt: Stmt): void {
  switch (stmt.kind) {
    case 'Input':
      return walkInput(w, frame, stmt);
    case 'Chain': {
      if (stmt.layers.length === 0) return;
      const head = stmt.layers[0];
      const named = chainHeadTensor(w, frame, head, stmt.layers.length > 1);
      if (named === 'reported') {
        frame.current = unknownTensor(head.callee.name, stmt.span);
        return;
      }
      const from = named ?? currentOrReport(w, frame, head, stmt.span);
      const t = applyChain(w, frame, named ? stmt.layers.slice(1) : stmt.layers, [from]);
      frame.current = t;
      w.addStatement(frame, stmt.span, t.shape, t.dtype);
      return;
    }
    case 'Bind': {
      const t = bindTo(w, frame, stmt.name, stmt, stmt.span);
      w.addStatement(frame, stmt.span, t.shape, t.dtype);
      return;
    }
    case 'Output': {
      if (!stmt.name) return;
      if (stmt.binds) {
        const t = bindTo(w, frame, stmt.name, stmt, stmt.span);
        frame.outputs.push({ name: stmt.name.name, tensor: t, def: stmt.name.span });
        w.addStatement(frame, stmt.span, t.shape, t.dtype);
      } else {
        const t = lookupTensor(w, frame, stmt.name);
        frame.outputs.push({ name: stmt.name.name, tensor: t, def: stmt.name.span });
        w.addStatement(frame, stmt.span, t.shape, t.dtype);
      }
      return;
    }
    case 'Repeat':
      return walkRepeat(w, frame, stmt);
  }
}

/** Defines a tensor name in the frame's scope; a second definition is `duplicate-name`. */
export function defineTensor(w: Walk, frame: Frame, name: Ident, t: Tensor, isInput: boolean): void {
  const prev = frame.tensors.get(name.name);
  if (prev && prev.def.start !== name.span.start) {
    w.report(frame, 'duplicate-name', name.span, `the tensor \`${name.name}\` is already defined in ${frame.kind} ${frame.name}`, [
      { span: prev.def, message: `\`${name.name}\` is first defined here` },
    ]);
  }
  t.def = name.span;
  w.symbols.define(name.name, 'tensor', name.span, frame.declSpan, t.shape, t.dtype);
  frame.tensors.set(name.name, { tensor: t, def: name.span, isInput });
}

export function lookupTensor(w: Walk, frame: Frame, id: Ident): Tensor {
  const b = frame.tensors.get(id.name);
  if (!b) {
    const hint = suggest(id.name, frame.tensors.keys());
    if (hint) w.suggested.add(hint);
    const known = [...frame.tensors.keys()];
    w.report(
      frame,
      'unknown-name',
      id.span,
      `no tensor named \`${id.name}\` in ${frame.kind} ${frame.name}${hint ? `; did you mean \`${hint}\`?` : known.length ? ` (defined: ${known.join(', ')})` : ''}`,
      [],
      hint ? { kind: 'replace-name', replacement: hint } : undefined,
    );
    return unknownTensor(id.name, id.span);
  }
  w.symbols.ref(b.def, id.span);
  w.used.add(b.def.start);
  return b.tensor;
}

/** The current tensor, or an unknown one after reporting that no `input` came first. */
function currentOrReport(w: Walk, frame: Frame, first: Call, at: Span): Tensor {
  if (frame.current) return frame.current;
  w.report(frame, 'unknown-name', first.callee.span, `${first.callee.name} has no input: declare an \`input\` first`);
  return unknownTensor('?', at);
}

/** True when `name` is a catalog layer or a block of this file. */
function isLayerName(w: Walk, name: string): boolean {
  return w.blocks.has(name) || findLayer(name) !== undefined;
}

/**
 * A chain statement may start from a named tensor: `skip -> Conv2D(...)`, or just `skip` to
 * make it the current tensor. The head is read as a tensor when it is a bare word (no
 * parentheses) that names a tensor and no layer or block. Returns the tensor, null when the
 * head is a layer, or 'reported' for a bare word before '->' that names nothing.
 */
function chainHeadTensor(w: Walk, frame: Frame, head: Call, hasMore: boolean): Tensor | null | 'reported' {
  if (head.hasParens || head.args.length > 0) return null;
  const name = head.callee.name;
  if (isLayerName(w, name)) return null;
  if (frame.tensors.has(name)) return lookupTensor(w, frame, head.callee);
  // A lone unknown word is most likely a misspelt layer; the layer check says so.
  if (!hasMore) return null;
  const tensors = [...frame.tensors.keys()];
  const hint = suggest(name, [...tensors, ...layerNames(), ...w.blocks.keys()]);
  const isTensor = hint !== undefined && frame.tensors.has(hint);
  if (isTensor) w.suggested.add(hint);
  w.report(
    frame,
    isTensor ? 'unknown-name' : 'unknown-layer',
    head.callee.span,
    `no tensor, layer or block named \`${name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
    [],
    hint ? { kind: 'replace-name', replacement: hint } : undefined,
  );
  return 'reported';
}

function sources(w: Walk, frame: Frame, source: Expr | null, at: Span): Tensor[] {
  if (!source) return [unknownTensor('?', at)];
  if (source.kind === 'Ident') return [lookupTensor(w, frame, source)];
  if (source.kind === 'Tuple') {
    return source.items.map((item) => (item.kind === 'Ident' ? lookupTensor(w, frame, item) : unknownTensor('?', item.span)));
  }
  return [unknownTensor('?', source.span)];
}

/** A bare word as a call without arguments, for `NAME = Flatten` read as a layer. */
function bareCall(id: Ident): Call {
  return { kind: 'Call', callee: id, args: [], hasParens: false, argsSpan: null, span: id.span };
}

/** The right-hand side of a binding: its input tensors and the layers applied to them. */
function bindingInputs(w: Walk, frame: Frame, stmt: BindStmt | OutputStmt, span: Span): { inputs: Tensor[]; layers: Call[] } {
  const { source, layers } = stmt;
  if (stmt.fromCurrent && layers.length > 0) return { inputs: [currentOrReport(w, frame, layers[0], span)], layers };
  // `h = Flatten`: a word that names no tensor but a layer or block applies it to the current tensor.
  if (source?.kind === 'Ident' && !frame.tensors.has(source.name) && isLayerName(w, source.name)) {
    const first = bareCall(source);
    return { inputs: [currentOrReport(w, frame, first, span)], layers: [first, ...layers] };
  }
  return { inputs: sources(w, frame, source, span), layers };
}

function bindTo(w: Walk, frame: Frame, name: Ident, stmt: BindStmt | OutputStmt, span: Span): Tensor {
  const { inputs, layers } = bindingInputs(w, frame, stmt, span);
  const source = stmt.source;
  let t: Tensor;
  if (layers.length > 0) {
    // A call always returns a tensor of its own, so it can take the name in place.
    t = applyChain(w, frame, layers, inputs);
    t.name = name.name;
  } else if (inputs.length === 1) {
    t = { ...inputs[0], name: name.name };
  } else {
    w.report(frame, 'shape-mismatch', source?.span ?? span, `a tuple of ${inputs.length} tensors must be passed to a layer that takes several inputs, e.g. \`${name.name} = (a, b) -> Concat()\``);
    t = unknownTensor(name.name, span);
  }
  defineTensor(w, frame, name, t, false);
  frame.current = t;
  return t;
}

function walkInput(w: Walk, frame: Frame, stmt: InputStmt): void {
  const declared = stmt.shape ? evalShape(w, frame, stmt.shape) : null;
  let shape: Shape | null = declared;
  let dtype = stmt.dtype;
  let id = stmt.name?.name ?? '';
  let origin = stmt.name?.span ?? stmt.span;
  if (frame.callerInputs) {
    // A block input takes the call's tensor; its declared sizes must agree with it.
    const given = frame.callerInputs[frame.inputIndex++];
    if (!given) {
      shape = null;
    } else {
      id = given.id;
      origin = given.origin;
      shape = given.shape;
      // After a mismatch the input is unknown, so the block's own lines do not cascade.
      if (given.shape && declared && stmt.shape && !unifyBlockInput(w, frame, stmt, stmt.shape, declared, given)) shape = null;
      if (given.shape && given.dtype !== stmt.dtype) {
        w.report(frame, 'dtype-mismatch', stmt.dtypeSpan ?? stmt.span, `block ${frame.name}'s input ${stmt.name?.name ?? ''} is declared ${stmt.dtype}, but the call passes ${given.name}, which is ${given.dtype}`, [
          { span: given.origin, message: `${given.name} is ${given.dtype} ${formatShape(given.shape)} here` },
        ]);
      }
      dtype = given.dtype;
    }
  }
  const t: Tensor = { name: stmt.name?.name ?? 'input', shape, dtype, id, origin, def: null, activation: null, denseOverRank2: null };
  if (stmt.name) defineTensor(w, frame, stmt.name, t, true);
  if (!frame.current) frame.current = t;
  w.addStatement(frame, stmt.span, shape, dtype);
}

/** Binds the block input's symbolic sizes to the caller's and checks literal sizes. */
function unifyBlockInput(w: Walk, frame: Frame, stmt: InputStmt, list: ListExpr, declared: Shape, given: Tensor): boolean {
  const actual = given.shape!;
  const related = [{ span: given.origin, message: `${given.name} is ${formatShape(actual)} here` }];
  if (declared.length !== actual.length) {
    w.report(frame, 'rank-mismatch', list.span, `block ${frame.name}'s input ${stmt.name?.name ?? ''} expects ${formatShape(declared)}, but the call passes ${given.name} ${formatShape(actual)}`, related);
    return false;
  }
  let ok = true;
  for (let i = 0; i < declared.length; i++) {
    const item = list.items[i];
    if (item.kind === 'Ident' && !frame.params.has(item.name)) {
      const bound = frame.sizes.get(item.name);
      if (bound && bound.def.start === item.span.start) {
        bound.dim = actual[i];
        continue;
      }
      if (bound && bound.dim !== actual[i]) {
        w.report(frame, 'shape-mismatch', item.span, `${item.name} is ${bound.dim} in block ${frame.name}, but the call passes ${given.name} ${formatShape(actual)} with ${actual[i]} here`, related);
        ok = false;
      }
      continue;
    }
    if (declared[i] !== actual[i]) {
      w.report(frame, 'shape-mismatch', item.span, `block ${frame.name}'s input ${stmt.name?.name ?? ''} expects size ${declared[i]} on axis ${i}, but the call passes ${given.name} ${formatShape(actual)}`, related);
      ok = false;
    }
  }
  return ok;
}

/** The sizes of an input shape: literals, block parameters, or symbolic names. */
function evalShape(w: Walk, frame: Frame, list: ListExpr): Shape | null {
  const out: Dim[] = [];
  let ok = true;
  for (const item of list.items) {
    if (item.kind === 'Number') {
      if (!item.isInt) {
        w.report(frame, 'bad-argument', item.span, `a size must be a positive integer, but is ${item.value}`);
        ok = false;
      } else if (item.value < 1) {
        w.report(frame, 'empty-dimension', item.span, `a size must be at least 1, but is ${item.value}`);
        ok = false;
      } else out.push(item.value);
    } else if (item.kind === 'Ident') {
      const param = frame.params.get(item.name);
      if (param) {
        w.symbols.ref(param.def, item.span);
        const v = param.value;
        if (isSym(v)) out.push(v.sym);
        else if (typeof v === 'number' && Number.isInteger(v) && v >= 1) out.push(v);
        else {
          w.report(frame, 'bad-argument', item.span, `the size ${item.name} must be a positive integer, but is ${String(v)}`);
          ok = false;
        }
        continue;
      }
      const size = frame.sizes.get(item.name);
      if (size) {
        w.symbols.ref(size.def, item.span);
        out.push(size.dim);
      } else {
        frame.sizes.set(item.name, { dim: item.name, def: item.span });
        w.symbols.define(item.name, 'size', item.span, frame.declSpan);
        out.push(item.name);
      }
    } else if (item.kind !== 'Error') {
      w.report(frame, 'bad-argument', item.span, 'a size must be a positive integer or a name such as `seq`');
      ok = false;
    } else ok = false;
  }
  return ok ? out : null;
}

/** Unrolling is real work (each iteration is checked and lowered), so counts are bounded. */
const MAX_REPEAT = 1000;

function walkRepeat(w: Walk, frame: Frame, stmt: RepeatStmt): void {
  let n = 0;
  if (stmt.count) {
    const v = evalValue(stmt.count, valueEnv(w, frame));
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_REPEAT) n = v;
    else if (typeof v === 'number' && Number.isInteger(v) && v > MAX_REPEAT) w.report(frame, 'bad-argument', stmt.count.span, `repeat unrolls at most ${MAX_REPEAT} times, but the count is ${v}`);
    else if (isSym(v)) w.report(frame, 'symbolic-size', stmt.count.span, `repeat needs a known count, but ${v.sym} is symbolic`);
    else if (typeof v === 'number' && Number.isInteger(v)) {
      // `repeat 0` (or less) repeats nothing: the body is absent, so the shapes after it
      // are those before it, not unknown.
      w.report(frame, 'bad-argument', stmt.count.span, `repeat needs a count that is an integer of at least 1, but got ${v}; its body is left out`);
      return;
    } else w.report(frame, 'bad-argument', stmt.count.span, `repeat needs a count that is an integer of at least 1, but got ${v === null ? 'no number' : String(v)}`);
  }
  const start = frame.current;
  const record = frame.record;
  for (let i = 0; i < Math.max(n, 1) && !w.exhausted; i++) {
    const before = frame.current;
    walkBody(w, frame, stmt.body);
    frame.record = false;
    const after = frame.current;
    if (i === 0 && before?.shape && after?.shape && !shapeEquals(before.shape, after.shape)) {
      w.report(frame, 'shape-mismatch', stmt.count?.span ?? stmt.span, `repeat needs its statements to keep the shape, but they map ${formatShape(before.shape)} to ${formatShape(after.shape)}`, [
        { span: after.origin, message: `the shape becomes ${formatShape(after.shape)} here` },
      ]);
      frame.current = unknownTensor('?', stmt.span);
      break;
    }
    if (n === 0) frame.current = unknownTensor('?', stmt.span);
  }
  frame.record = record;
  if (start && frame.current === start) return;
  const t = frame.current;
  w.addStatement(frame, stmt.span, t?.shape ?? null, t?.dtype ?? 'float32');
}
