// The state of one walk over a model (and the blocks it uses): tensors, frames, the raw
// graph nodes that lowering turns into IR, and the helpers every statement needs (reporting
// inside a block use, defining and referencing symbols, Keras-style unique node ids).

import type { Dim, DType, Shape } from '../../../../engine/catalog/shape';
import type { IRNode } from '../../../../engine/catalog/ir';
import type { DiagnosticCode } from '../../../../engine/catalog/types';
import type { BlockDecl, Span, Stmt } from '../../syntax/ast';
import type { QuickFixData, RelatedInfo } from '../../syntax/diagnostic';
import type { PVal, ValueEnv } from './args';
import type { CallInfo, StatementInfo } from '../checked';
import { DiagnosticSink, own, SymbolTable } from '../context';
import { LayerCache } from './layer_cache';
import { NodeIds } from '../../../../engine/catalog/names';

/** A value flowing through the model. Shape null means unknown after an error. */
export interface Tensor {
  /** How messages name it: the tensor's name, or "the output of Dense". */
  name: string;
  shape: Shape | null;
  dtype: DType;
  /** The IR id of the node (or model input) that produces it; "" when unknown. */
  id: string;
  /** Where the value was defined, for related information. */
  origin: Span;
  /** The binding that named it, for `unused` tracking. */
  def: Span | null;
  activation: string | null;
  denseOverRank2: Span | null;
}

/** A graph node as lowering puts it in the IR (the walk builds IR nodes directly). */
export type RawNode = IRNode;

export interface Binding {
  tensor: Tensor;
  def: Span;
  isInput: boolean;
}

export interface Frame {
  kind: 'model' | 'block';
  name: string;
  declSpan: Span;
  tensors: Map<string, Binding>;
  params: Map<string, { value: PVal; def: Span }>;
  sizes: Map<string, { dim: Dim; def: Span }>;
  current: Tensor | null;
  /** IR id prefix: "" in a model, "encoder/" inside a use of Encoder. */
  prefix: string;
  /** Related information added to every diagnostic (the chain of block uses). */
  related: RelatedInfo[];
  outputs: { name: string; tensor: Tensor; def: Span }[];
  /** The tensors a block use passes in; null in a model or a standalone block. */
  callerInputs: Tensor[] | null;
  inputIndex: number;
  /** Record statements and calls (false for repeated iterations and later block uses). */
  record: boolean;
  /** How identifiers in argument values resolve in this frame (made once, on first use). */
  env?: ValueEnv;
}

/** How many block uses may nest inside one another (a block using a block using ...). */
export const MAX_BLOCK_DEPTH = 64;

export class Walk {
  readonly sink = new DiagnosticSink();
  readonly symbols = new SymbolTable();
  readonly statements: StatementInfo[] = [];
  private readonly statementSeen = new Set<number>();
  readonly calls: CallInfo[] = [];
  private readonly callSeen = new Set<number>();
  readonly nodes: RawNode[] = [];
  /** Per node (same index): FLOPs per sample, parameters, trainable parameters. */
  readonly nodeFlops: (number | null)[] = [];
  readonly nodeParams: number[] = [];
  readonly nodeTrainable: number[] = [];
  readonly declRefs: { name: string; span: Span }[] = [];
  readonly used = new Set<number>();
  readonly blockStack: string[] = [];
  /**
   * A standalone check of a used block: nothing inside the blocks it uses is kept, so their
   * uses are not expanded (their results are unknown).
   */
  quiet = false;
  readonly recordedBlocks = new Set<string>();
  /** Statements walked so far, and whether the expansion limit was hit. */
  steps = 0;
  exhausted = false;
  /** The most statements and calls this walk may expand to. */
  limit = Number.POSITIVE_INFINITY;
  /** Names suggested for unknown references (not reported as unused). */
  readonly suggested = new Set<string>();
  /** Top-level calls of the model for ModelSummary.layers. */
  readonly topCalls: { line: number; op: string; outputShape: Shape | null; params: number }[] = [];
  private readonly ids = new NodeIds();

  constructor(
    readonly modelName: string,
    readonly blocks: ReadonlyMap<string, BlockDecl>,
    private readonly lineStarts: number[],
    /**
     * Walks a body's statements (walker.ts). A block use walks the block's body with it, so
     * the call resolver (apply.ts) reaches the walker through the walk, not an import: the
     * two recurse into each other, and neither module imports the other for that.
     */
    readonly walkBody: (w: Walk, frame: Frame, body: Stmt[]) => void,
    /** Layer calls already resolved in this check of the file (shared by its declarations). */
    readonly layers: LayerCache = new LayerCache(),
  ) {}

  report(frame: Frame, code: DiagnosticCode, span: Span, message: string, related: RelatedInfo[] = [], fix?: QuickFixData): void {
    this.sink.add(code, span, message, [...related, ...frame.related], fix);
  }

  line(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A Keras-style id unique in its scope: dense, dense_1, ... */
  uniqueId(prefix: string, base: string): string {
    return this.ids.next(prefix === '' ? base : `${prefix}${base}`);
  }

  addNode(node: RawNode, flops: number | null, params: number, trainable: number): void {
    this.nodes.push(node);
    this.nodeFlops.push(flops);
    this.nodeParams.push(params);
    this.nodeTrainable.push(trainable);
  }

  /** Parameters, trainable parameters and FLOPs (null when one is unknown) of nodes [from, end). */
  nodeTotals(from = 0): { params: number; trainable: number; flops: number | null } {
    let params = 0;
    let trainable = 0;
    let flops: number | null = 0;
    for (let i = from; i < this.nodes.length; i++) {
      params += this.nodeParams[i];
      trainable += this.nodeTrainable[i];
      const f = this.nodeFlops[i];
      flops = flops === null || f === null ? null : flops + f;
    }
    return { params, trainable, flops };
  }

  addStatement(frame: Frame, span: Span, shape: Shape | null, dtype: DType): void {
    if (!frame.record || this.statementSeen.has(span.start)) return;
    this.statementSeen.add(span.start);
    this.statements.push({ span: own(span), shape, dtype });
  }

  addCall(frame: Frame, info: CallInfo): void {
    if (!frame.record || this.callSeen.has(info.callSpan.start)) return;
    this.callSeen.add(info.callSpan.start);
    if (frame.kind === 'block') info.viaModel = this.modelName;
    info.span = own(info.span);
    info.callSpan = own(info.callSpan);
    this.calls.push(info);
  }

  markUsed(t: Tensor): void {
    if (t.def) this.used.add(t.def.start);
  }
}

const OUTPUT_NAMES = new Map<string, string>();

/** "the output of Dense": how messages name a call's result (memoised per op). */
export function outputName(op: string): string {
  let out = OUTPUT_NAMES.get(op);
  if (out === undefined) {
    out = `the output of ${op}`;
    if (OUTPUT_NAMES.size > 10_000) OUTPUT_NAMES.clear();
    OUTPUT_NAMES.set(op, out);
  }
  return out;
}

export function unknownTensor(name: string, origin: Span): Tensor {
  return { name, shape: null, dtype: 'float32', id: '', origin, def: null, activation: null, denseOverRank2: null };
}

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
