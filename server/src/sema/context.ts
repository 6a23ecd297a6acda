// The shared state of one declaration's check: the diagnostics sink (which drops identical
// diagnostics that several uses of a block would otherwise repeat), the symbol table keyed by
// each definition's span, and the per-declaration result that check.ts merges into a
// CheckedFile. Keeping the result per declaration lets incremental.ts reuse it unchanged.

import type { DType, Shape } from '../../../engine/catalog/shape';
import type { IRNode } from '../../../engine/catalog/ir';
import type { Span } from '../syntax/ast';
import type { Diagnostic, RelatedInfo, QuickFixData, Severity } from '../syntax/diagnostic';
import type { DiagnosticCode } from '../../../engine/catalog/types';
import type { CallInfo, ModelSummary, StatementInfo, SymbolInfo, SymbolKind } from './checked';

/** What the train check needs to know about one model output, beyond its shape. */
export interface OutputFacts {
  name: string;
  shape: Shape | null;
  /** The activation that ends the output ("softmax", "sigmoid", ...), when one does. */
  activation: string | null;
  /** A Dense that received a rank >= 2 tensor and produced this output (insert-flatten). */
  denseOverRank2: Span | null;
  /** Where the output is defined, for related information. */
  def: Span;
}

/** The internal summary of a checked model, for train checks and lowering of train blocks. */
export interface ModelFacts {
  name: string;
  outputs: OutputFacts[];
  inputs: { name: string; shape: Shape; dtype: DType }[];
  hasErrors: boolean;
  /** The lowered layers (the IR's, shared with the summary) when the model has no errors, for data checks that look at layers. */
  nodes?: readonly IRNode[];
}

/** Everything checking one declaration produced, with spans in file offsets. */
export interface DeclResult {
  diagnostics: Diagnostic[];
  statements: StatementInfo[];
  calls: CallInfo[];
  /** Tensors, block params and sizes defined inside the declaration (refs left empty). */
  symbols: SymbolInfo[];
  /**
   * References, joined with symbols by check.ts, as flat numbers: for each reference its
   * definition's start and end, then its own start and end. Four numbers instead of three
   * objects per reference keep a big file's cached results small.
   */
  refs: number[];
  /** References to models and blocks by name (block calls, train targets). */
  declRefs: { name: string; span: Span }[];
  model: ModelSummary | null;
  facts: ModelFacts | null;
}

/** Collects diagnostics, keeping only the first of identical ones. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  errors = 0;

  add(
    code: DiagnosticCode,
    span: Span,
    message: string,
    related: RelatedInfo[] = [],
    fix?: QuickFixData,
    severity: Severity = code === 'unused' || code === 'data-error' ? 'warning' : 'error',
  ): void {
    const key = `${code}|${span.start}|${span.end}|${message}`;
    if (severity === 'error') this.errors++;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = { code, severity, message, span: own(span), related: related.map((r) => ({ span: own(r.span), message: r.message })) };
    if (fix) d.fix = fix.kind === 'replace-name' ? fix : fix.kind === 'set-padding' ? { ...fix, at: own(fix.at) } : { ...fix, before: own(fix.before) };
    this.list.push(d);
  }
}

/**
 * Symbols defined in one declaration, keyed by the start of the defining identifier.
 * References are kept apart from definitions because a block use records references to
 * parameters that the block's own check defines; check.ts joins them by definition start.
 */
export class SymbolTable {
  private readonly byDef = new Map<number, SymbolInfo>();
  /** Per definition start: its end and the references (start -> end). */
  private readonly refs = new Map<number, { defEnd: number; spans: Map<number, number> }>();

  define(name: string, kind: SymbolKind, def: Span, scope: Span, shape?: Shape | null, dtype?: DType): void {
    if (this.byDef.has(def.start)) return;
    const s: SymbolInfo = { name, kind, def: own(def), refs: [], scope: own(scope) };
    if (shape !== undefined) s.shape = shape;
    if (dtype !== undefined) s.dtype = dtype;
    this.byDef.set(def.start, s);
  }

  ref(def: Span, span: Span): void {
    if (span.start === def.start) return;
    let m = this.refs.get(def.start);
    if (!m) this.refs.set(def.start, (m = { defEnd: def.end, spans: new Map() }));
    m.spans.set(span.start, span.end);
  }

  all(): SymbolInfo[] {
    return [...this.byDef.values()];
  }

  /** Every reference as DeclResult.refs holds them (def start, def end, start, end). */
  allRefs(): number[] {
    const out: number[] = [];
    for (const [defStart, m] of this.refs) for (const [start, end] of m.spans) out.push(defStart, m.defEnd, start, end);
    return out;
  }
}

export function spanOf(start: number, end: number): Span {
  return { start, end };
}

/**
 * A copy of a span. Results keep their own span objects, never the syntax tree's, so that
 * incremental.ts can move a cached result without touching a tree that is still in use.
 */
export function own(span: Span): Span {
  return { start: span.start, end: span.end };
}

export function contains(outer: Span, inner: Span): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
