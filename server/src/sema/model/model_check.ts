// Checks one `model` declaration (with every block it uses, expanded at each use) or one
// `block` on its own, and packages the result as a DeclResult: diagnostics, statement shapes,
// calls, symbols, the model's summary and, when the model is error-free, its IR.

import type { BlockDecl, ModelDecl } from '../../syntax/ast';
import type { ModelSummary } from '../checked';
import { own, type DeclResult, type ModelFacts } from '../context';
import type { LayerCache } from './layer_cache';
import { buildIR } from '../train/lower';
import { unknownTensor, Walk, type Frame } from './state';
import { reportUnused } from './scope';
import { MAX_STEPS, syntacticSize, walkBody } from './walker';

function newFrame(kind: 'model' | 'block', name: string, decl: ModelDecl | BlockDecl): Frame {
  return {
    kind,
    name,
    declSpan: decl.span,
    tensors: new Map(),
    params: new Map(),
    sizes: new Map(),
    current: null,
    prefix: '',
    related: [],
    outputs: [],
    callerInputs: null,
    inputIndex: 0,
    record: true,
  };
}

export function checkModel(decl: ModelDecl, blocks: ReadonlyMap<string, BlockDecl>, lineStarts: number[], layers?: LayerCache): DeclResult {
  const name = decl.name?.name ?? '?';
  const w = new Walk(name, blocks, lineStarts, walkBody, layers);
  w.limit = MAX_STEPS + 2 * syntacticSize(decl.body);
  const frame = newFrame('model', name, decl);
  walkBody(w, frame, decl.body);
  if (!decl.body.some((s) => s.kind === 'Input')) {
    w.report(frame, 'unknown-name', decl.name?.span ?? decl.span, `model ${name} has no \`input\`; declare one, e.g. \`input x: [784]\``);
  }
  reportUnused(w, frame);
  const inputs = [...frame.tensors.values()]
    .filter((b) => b.isInput)
    .map((b) => ({ name: b.tensor.name, shape: b.tensor.shape ?? [], dtype: b.tensor.dtype }));
  const outs =
    frame.outputs.length > 0
      ? frame.outputs
      : frame.current
        ? [{ name: 'output', tensor: frame.current, def: frame.current.origin }]
        : [{ name: 'output', tensor: unknownTensor('output', decl.span), def: decl.span }];
  const { params, trainable, flops } = w.nodeTotals();
  const hasErrors = w.sink.errors > 0 || outs.some((o) => o.tensor.shape === null);
  const summary: ModelSummary = {
    name,
    span: own(decl.span),
    nameSpan: decl.name ? own(decl.name.span) : null,
    params,
    trainableParams: trainable,
    flops: hasErrors ? null : flops,
    inputs,
    outputs: outs.map((o) => ({ name: o.name, shape: o.tensor.shape })),
    layers: w.topCalls,
    ir: null,
  };
  if (!hasErrors) summary.ir = buildIR(name, inputs, w.nodes, outs.map((o) => ({ name: o.name, tensor: o.tensor.id })), params, trainable);
  const facts: ModelFacts = {
    name,
    inputs,
    hasErrors,
    nodes: summary.ir?.nodes,
    outputs: outs.map((o) => ({
      name: o.name,
      shape: o.tensor.shape,
      activation: o.tensor.activation,
      denseOverRank2: o.tensor.denseOverRank2 ? own(o.tensor.denseOverRank2) : null,
      def: own(o.def),
    })),
  };
  return {
    diagnostics: w.sink.list,
    statements: w.statements,
    calls: w.calls,
    symbols: w.symbols.all(),
    refs: w.symbols.allRefs(),
    declRefs: w.declRefs,
    model: summary,
    facts,
  };
}

/**
 * Checks a block on its own: its parameters stay symbolic (or take their defaults) and its
 * inputs keep their declared sizes. Only name-level diagnostics of an unused block are kept;
 * a used block's diagnostics come from its uses, with their real shapes.
 */
export function checkBlock(decl: BlockDecl, blocks: ReadonlyMap<string, BlockDecl>, lineStarts: number[], used: boolean, layers?: LayerCache): DeclResult {
  const name = decl.name?.name ?? '?';
  const w = new Walk(`(block ${name})`, blocks, lineStarts, walkBody, layers);
  // Only this block's own names are kept when it is used (below), so the blocks it uses are
  // not expanded: in a chain of n blocks each standalone check costs its own body, not the
  // chain below it (n * n in all). Its tensors' shapes come from the walks that use it.
  w.quiet = used;
  w.limit = MAX_STEPS + 2 * syntacticSize(decl.body);
  const frame = newFrame('block', name, decl);
  frame.record = !used;
  const seen = new Map<string, BlockDecl['params'][number]>();
  for (const p of decl.params) {
    const first = seen.get(p.name.name);
    if (first) {
      w.report(frame, 'duplicate-name', p.name.span, `block ${name} already has a parameter \`${p.name.name}\``, [{ span: first.name.span, message: `\`${p.name.name}\` is first defined here` }]);
      continue;
    }
    seen.set(p.name.name, p);
    w.symbols.define(p.name.name, 'param', p.name.span, decl.span);
    frame.params.set(p.name.name, { value: { sym: p.name.name }, def: p.name.span });
  }
  w.blockStack.push(name);
  walkBody(w, frame, decl.body);
  w.blockStack.pop();
  if (frame.outputs.length > 1) {
    w.report(frame, 'shape-mismatch', frame.outputs[1].def, `a block has exactly one output, but ${name} marks ${frame.outputs.length}: ${frame.outputs.map((o) => o.name).join(', ')}`);
  }
  reportUnused(w, frame);
  const keep = new Set(['unknown-name', 'unknown-layer', 'unknown-argument', 'duplicate-name', 'unused']);
  const paramDup = w.sink.list.filter((d) => d.code === 'duplicate-name' && decl.params.some((p) => p.name.span.start === d.span.start));
  const diagnostics = used ? paramDup : w.sink.list.filter((d) => keep.has(d.code));
  return {
    diagnostics,
    statements: used ? [] : w.statements,
    calls: used ? [] : w.calls,
    symbols: w.symbols.all(),
    refs: w.symbols.allRefs(),
    declRefs: w.declRefs,
    model: null,
    facts: null,
  };
}
