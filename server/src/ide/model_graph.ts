// Builds the model view's graphs (model_graph_types.ts) from a checked file: a pure function
// of the tree and the checker's results. It follows the statements of each model with the
// current-tensor rules of spec §3, as the checker does, but draws the source's structure: a
// block use becomes a group holding its body's nodes, a `repeat` a group holding its body
// once (labelled with the count), so every node is a place in the text to jump to. Shapes,
// parameters and FLOPs are the checker's (CallInfo); nothing is re-inferred here, so after
// an error the graph still shows every call, with unknown shapes past it.

import { elementCount, type Shape } from '../../../engine/catalog/shape';
import type { CallInfo, CheckedFile, ModelSummary } from '../sema/checked';
import { snakeName } from '../../../engine/catalog/names';
import type { BlockDecl, Call, Expr, ModelDecl, Span, Stmt } from '../syntax/ast';
import type { GraphEdge, GraphNode, GraphNodeKind, GraphProblem, JsonShape, ModelGraph } from './model_graph_types';

/** Past this many nodes a graph is cut (blocks nested in blocks multiply). */
export const MAX_GRAPH_NODES = 2000;
/** As in the checker: deeper block uses are not expanded. */
const MAX_DEPTH = 64;
const DETAIL_CHARS = 48;
const BYTES_PER_ELEMENT = 4;

/** A tensor while walking: the node that produces it and its shape. */
interface TensorRef {
  node: string;
  shape: JsonShape;
}

interface Scope {
  tensors: Map<string, TensorRef>;
  current: TensorRef | null;
  /** A block use's inputs, taken by its `input` statements in order. */
  callerInputs: TensorRef[] | null;
  inputIndex: number;
  outputs: TensorRef[];
  parent: string | null;
  /** Id prefix of the nodes inside ("encoder/"). */
  prefix: string;
}

function json(shape: Shape | null | undefined): JsonShape {
  return shape ? ['batch', ...shape] : null;
}

function activationBytes(shape: Shape | null | undefined): number | null {
  const n = shape ? elementCount(shape) : null;
  return n === null ? null : n * BYTES_PER_ELEMENT;
}

function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  truncated = false;
  private readonly used = new Set<string>();
  private readonly stack: string[] = [];

  constructor(
    private readonly model: ModelSummary | undefined,
    private readonly calls: Map<number, CallInfo>,
    private readonly blocks: ReadonlyMap<string, BlockDecl>,
    private readonly text: string,
    private readonly starts: number[],
  ) {}

  private uniqueId(prefix: string, base: string): string {
    let id = `${prefix}${base}`;
    for (let k = 1; this.used.has(id); k++) id = `${prefix}${base}_${k}`;
    this.used.add(id);
    return id;
  }

  private detail(span: Span): string {
    const s = this.text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
    return s.length > DETAIL_CHARS ? `${s.slice(0, DETAIL_CHARS - 1)}…` : s;
  }

  private add(scope: Scope, kind: GraphNodeKind, label: string, base: string, span: Span, shape: Shape | null | undefined, info?: CallInfo): GraphNode | null {
    if (this.nodes.length >= MAX_GRAPH_NODES) {
      this.truncated = true;
      return null;
    }
    const node: GraphNode = {
      id: this.uniqueId(scope.prefix, base),
      kind,
      label,
      detail: kind === 'layer' || kind === 'block' ? this.detail(span) : '',
      parent: scope.parent,
      span: { start: span.start, end: span.end },
      line: lineOf(this.starts, span.start),
      shape: json(shape),
      params: info?.params ?? 0,
      trainableParams: info?.trainableParams ?? 0,
      flops: info ? info.flops : kind === 'layer' ? null : 0,
      activationBytes: kind === 'output' ? 0 : activationBytes(shape),
      problems: [],
    };
    this.nodes.push(node);
    return node;
  }

  private connect(inputs: TensorRef[], to: string): void {
    for (const t of inputs) this.edges.push({ from: t.node, to, shape: t.shape });
  }

  walkBody(scope: Scope, body: Stmt[]): void {
    for (const stmt of body) {
      if (this.truncated) return;
      this.walkStatement(scope, stmt);
    }
  }

  private walkStatement(scope: Scope, stmt: Stmt): void {
    switch (stmt.kind) {
      case 'Input': {
        if (!stmt.name) return;
        let t: TensorRef | null;
        if (scope.callerInputs) t = scope.callerInputs[scope.inputIndex++] ?? null;
        else {
          const declared = this.model?.inputs.find((i) => i.name === stmt.name!.name)?.shape;
          const node = this.add(scope, 'input', stmt.name.name, stmt.name.name, stmt.span, declared);
          t = node && { node: node.id, shape: node.shape };
        }
        if (!t) return;
        scope.tensors.set(stmt.name.name, t);
        scope.current ??= t;
        return;
      }
      case 'Chain':
        if (stmt.layers.length > 0 && scope.current) scope.current = this.chain(scope, stmt.layers, [scope.current]);
        return;
      case 'Bind':
        this.bind(scope, stmt.name.name, stmt.source, stmt.layers);
        return;
      case 'Output': {
        if (!stmt.name) return;
        const t = stmt.binds ? this.bind(scope, stmt.name.name, stmt.source, stmt.layers) : (scope.tensors.get(stmt.name.name) ?? null);
        if (t) scope.outputs.push(t);
        if (t && !scope.callerInputs) this.output(scope, stmt.name.name, stmt.span, t);
        return;
      }
      case 'Repeat': {
        const count = stmt.count ? this.text.slice(stmt.count.span.start, stmt.count.span.end).trim() : '?';
        const group = this.add(scope, 'repeat', `repeat ${count}`, 'repeat', stmt.span, null);
        if (!group) return;
        const inner: Scope = { ...scope, parent: group.id, prefix: `${group.id}/` };
        this.walkBody(inner, stmt.body);
        scope.current = inner.current;
        group.shape = inner.current?.shape ?? null;
        group.activationBytes = inner.current ? (this.nodes.find((n) => n.id === inner.current!.node)?.activationBytes ?? null) : null;
        this.sumChildren(group);
        // The body is drawn once but runs `count` times; a count that is not a literal
        // (a block parameter) leaves the costs of one pass.
        if (/^\d+$/.test(count)) {
          const times = Number(count);
          group.params *= times;
          group.trainableParams *= times;
          if (group.flops !== null) group.flops *= times;
        }
        return;
      }
    }
  }

  output(scope: Scope, name: string, span: Span, t: TensorRef): void {
    const node = this.add(scope, 'output', name, name === 'output' ? 'output' : `output_${name}`, span, null);
    if (!node) return;
    node.shape = t.shape;
    this.connect([t], node.id);
  }

  private bind(scope: Scope, name: string, source: Expr | null, layers: Call[]): TensorRef | null {
    const inputs: TensorRef[] = [];
    const items = source?.kind === 'Tuple' ? source.items : source ? [source] : [];
    for (const item of items) {
      const t = item.kind === 'Ident' ? scope.tensors.get(item.name) : undefined;
      if (t) inputs.push(t);
    }
    let t: TensorRef | null = null;
    if (layers.length > 0) t = this.chain(scope, layers, inputs);
    else if (inputs.length === 1 && items.length === 1) t = inputs[0];
    if (t) {
      scope.tensors.set(name, t);
      scope.current = t;
    }
    return t;
  }

  private chain(scope: Scope, layers: Call[], inputs: TensorRef[]): TensorRef | null {
    let ins = inputs;
    let t: TensorRef | null = null;
    for (const call of layers) {
      t = this.call(scope, call, ins);
      if (!t) return null;
      ins = [t];
    }
    return t;
  }

  private call(scope: Scope, call: Call, inputs: TensorRef[]): TensorRef | null {
    const name = call.callee.name;
    const info = this.calls.get(call.span.start);
    const block = this.blocks.get(name);
    if (block && !this.stack.includes(name) && this.stack.length < MAX_DEPTH) return this.blockUse(scope, call, block, inputs, info);
    const node = this.add(scope, block ? 'block' : 'layer', name, snakeName(name), call.span, info?.outputShape, info);
    if (!node) return null;
    this.connect(inputs, node.id);
    return { node: node.id, shape: node.shape };
  }

  /** A block use: a group holding the block's body, walked with the call's inputs. */
  private blockUse(scope: Scope, call: Call, decl: BlockDecl, inputs: TensorRef[], info: CallInfo | undefined): TensorRef | null {
    const group = this.add(scope, 'block', decl.name!.name, snakeName(decl.name!.name), call.span, info?.outputShape, info);
    if (!group) return null;
    const inner: Scope = { tensors: new Map(), current: null, callerInputs: inputs, inputIndex: 0, outputs: [], parent: group.id, prefix: `${group.id}/` };
    this.stack.push(decl.name!.name);
    this.walkBody(inner, decl.body);
    this.stack.pop();
    const out = inner.outputs[0] ?? inner.current;
    // A body that draws nothing (or failed) leaves the group as a node of its own.
    if (!this.nodes.some((n) => n.parent === group.id)) {
      this.connect(inputs, group.id);
      return { node: group.id, shape: group.shape };
    }
    if (!info) this.sumChildren(group);
    return out ? { node: out.node, shape: info ? group.shape : out.shape } : null;
  }

  /** A group's costs when the checker reported none for it: its children's sums. */
  private sumChildren(group: GraphNode): void {
    let params = 0;
    let trainable = 0;
    let flops: number | null = 0;
    for (const n of this.nodes) {
      if (n.parent !== group.id) continue;
      params += n.params;
      trainable += n.trainableParams;
      flops = flops === null || n.flops === null ? null : flops + n.flops;
    }
    Object.assign(group, { params, trainableParams: trainable, flops });
  }
}

function problem(d: CheckedFile['diagnostics'][number]): GraphProblem {
  return { severity: d.severity, code: d.code, message: d.message };
}

/** Puts each diagnostic on the innermost node whose span holds it; the rest stay the model's. */
function attachProblems(graph: ModelGraph, checked: CheckedFile, decl: ModelDecl, blockSpans: Span[]): void {
  const scopes = [decl.span, ...blockSpans];
  for (const d of checked.diagnostics) {
    if (!scopes.some((s) => contains(s, d.span))) continue;
    let best: GraphNode[] = [];
    let width = Infinity;
    for (const n of graph.nodes) {
      if (!contains(n.span, d.span)) continue;
      const w = n.span.end - n.span.start;
      if (w < width) {
        best = [n];
        width = w;
      } else if (w === width && !best.includes(n)) best.push(n);
    }
    if (best.length === 0) {
      if (contains(decl.span, d.span)) graph.problems.push(problem(d));
      continue;
    }
    // A block used twice draws its body twice: the message goes on both copies.
    for (const n of best) n.problems.push(problem(d));
  }
}

/** The blocks a model reaches through its calls, transitively. */
function reachedBlocks(body: Stmt[], blocks: ReadonlyMap<string, BlockDecl>, out = new Set<BlockDecl>()): Set<BlockDecl> {
  for (const s of body) {
    if (s.kind === 'Repeat') reachedBlocks(s.body, blocks, out);
    else if (s.kind !== 'Input') {
      for (const c of s.layers) {
        const b = blocks.get(c.callee.name);
        if (b && !out.has(b)) {
          out.add(b);
          reachedBlocks(b.body, blocks, out);
        }
      }
    }
  }
  return out;
}

/** The graphs of every model in the file (`text` is the checked source). */
export function modelGraphs(checked: CheckedFile, text: string): ModelGraph[] {
  const blocks = new Map<string, BlockDecl>();
  for (const d of checked.file.decls) if (d.kind === 'Block' && d.name && !blocks.has(d.name.name)) blocks.set(d.name.name, d);
  const starts = lineStarts(text);
  const out: ModelGraph[] = [];
  for (const decl of checked.file.decls) {
    if (decl.kind !== 'Model' || !decl.name) continue;
    const name = decl.name.name;
    const model = checked.models.find((m) => m.name === name && m.span.start === decl.span.start) ?? checked.models.find((m) => m.name === name);
    const calls = new Map<number, CallInfo>();
    for (const c of checked.calls) {
      if (c.viaModel === name || (c.viaModel === undefined && contains(decl.span, c.callSpan))) calls.set(c.callSpan.start, c);
    }
    const b = new GraphBuilder(model, calls, blocks, text, starts);
    const scope: Scope = { tensors: new Map(), current: null, callerInputs: null, inputIndex: 0, outputs: [], parent: null, prefix: '' };
    b.walkBody(scope, decl.body);
    // Without `output` statements the final tensor is the model's output.
    const hasOutput = decl.body.some((s) => s.kind === 'Output');
    const last = decl.body[decl.body.length - 1];
    if (!hasOutput && last && scope.current && !b.truncated) b.output(scope, 'output', last.span, scope.current);
    const graph: ModelGraph = {
      name,
      span: { start: decl.span.start, end: decl.span.end },
      line: lineOf(starts, decl.span.start),
      nodes: b.nodes,
      edges: b.edges,
      params: model?.params ?? 0,
      trainableParams: model?.trainableParams ?? 0,
      flops: model?.flops ?? null,
      problems: [],
      truncated: b.truncated,
    };
    attachProblems(graph, checked, decl, [...reachedBlocks(decl.body, blocks)].map((d) => d.span));
    out.push(graph);
  }
  return out;
}
