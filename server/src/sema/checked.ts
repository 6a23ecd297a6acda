// What the checker knows about a file, as plain data for the IDE features and the CLI:
// diagnostics, every statement's output shape, every layer call's shapes and costs, the
// symbols with their definitions and references, and each model's summary and IR.

import type { ModelIR } from '../../../engine/catalog/ir';
import type { DType, Shape } from '../../../engine/catalog/shape';
import type { File, Span } from '../syntax/ast';
import type { Diagnostic } from '../syntax/diagnostic';

/** The output of one statement (inlay hint). Shape null means unknown after an error. */
export interface StatementInfo {
  /** The statement's span; the hint goes at its end (before any trailing comment). */
  span: Span;
  shape: Shape | null;
  dtype: DType;
}

/** One layer or block call as checked (hover, code lens, summaries). */
export interface CallInfo {
  /** The callee identifier's span. */
  span: Span;
  /** The whole call's span. */
  callSpan: Span;
  /** Catalog layer name (alias resolved) or block name. */
  op: string;
  isBlock: boolean;
  inputShapes: (Shape | null)[];
  outputShape: Shape | null;
  dtype: DType;
  params: number;
  trainableParams: number;
  flops: number | null;
  /** Set when the call sits inside a block: the model whose use of the block produced it. */
  viaModel?: string;
}

export type SymbolKind = 'model' | 'block' | 'tensor' | 'param' | 'size';

export interface SymbolInfo {
  name: string;
  kind: SymbolKind;
  /** The defining identifier's span. */
  def: Span;
  /** Every other identifier referring to it. */
  refs: Span[];
  /** The declaration it belongs to (whole file for models and blocks). */
  scope: Span;
  shape?: Shape | null;
  dtype?: DType;
}

export interface LayerSummary {
  /** 0-based line of the call. */
  line: number;
  op: string;
  outputShape: Shape | null;
  params: number;
}

export interface ModelSummary {
  name: string;
  span: Span;
  nameSpan: Span | null;
  params: number;
  trainableParams: number;
  flops: number | null;
  inputs: { name: string; shape: Shape; dtype: DType }[];
  outputs: { name: string; shape: Shape | null }[];
  layers: LayerSummary[];
  /** Null when the model has errors. */
  ir: ModelIR | null;
}

export interface CheckedFile {
  file: File;
  /** Parser and checker diagnostics together, sorted by position. */
  diagnostics: Diagnostic[];
  statements: StatementInfo[];
  calls: CallInfo[];
  symbols: SymbolInfo[];
  models: ModelSummary[];
}
