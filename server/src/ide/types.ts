// Plain-data results of the IDE features. Every position is a UTF-16 offset (a Span), so
// the features can be tested without an editor; server/src/lsp converts these values to
// LSP positions and protocol objects.

import type { Span } from '../syntax/ast';
import type { Diagnostic } from '../syntax/diagnostic';

export interface TextEdit {
  span: Span;
  newText: string;
}

export interface HoverData {
  /** Markdown shown in the hover. */
  markdown: string;
  /** The range the hover belongs to (the identifier under the cursor). */
  span: Span;
}

export interface InlayHintData {
  /** Where the hint is drawn: the end of the statement. */
  offset: number;
  label: string;
  tooltip?: string;
}

export type CompletionKind =
  | 'layer'
  | 'block'
  | 'argument'
  | 'value'
  | 'tensor'
  | 'keyword'
  | 'setting'
  | 'function'
  | 'model';

export interface CompletionData {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Shown right after the label (LSP labelDetails.detail), e.g. a layer's parameters. */
  labelDetail?: string;
  /** Shown apart from the label (LSP labelDetails.description), e.g. the output shape here. */
  labelDescription?: string;
  /** Markdown documentation. */
  documentation?: string;
  /** Text to insert; a snippet (with ${1:...} placeholders) when `snippet` is true. */
  insertText?: string;
  snippet?: boolean;
  sortText?: string;
}

export interface SignatureData {
  label: string;
  documentation: string;
  /** Each parameter as [start, end) offsets into `label`. */
  parameters: { label: [number, number]; documentation: string }[];
  activeParameter: number;
}

export type OutlineKind = 'model' | 'block' | 'train' | 'input' | 'output' | 'tensor' | 'layer' | 'repeat' | 'setting';

export interface OutlineSymbol {
  name: string;
  kind: OutlineKind;
  detail?: string;
  span: Span;
  selectionSpan: Span;
  children: OutlineSymbol[];
}

export interface FoldData {
  /** An offset on the first line of the fold. */
  start: number;
  /** An offset on the last line that folds away. */
  end: number;
  kind: 'region' | 'comment';
}

export interface SemanticTokenData {
  start: number;
  length: number;
  /** Index into SEMANTIC_TOKEN_TYPES. */
  type: number;
  /** Bit set over SEMANTIC_TOKEN_MODIFIERS. */
  modifiers: number;
}

export interface CodeActionData {
  title: string;
  /** The diagnostic the fix belongs to. */
  diagnostic: Diagnostic;
  edits: TextEdit[];
  isPreferred: boolean;
}

export interface CodeLensData {
  span: Span;
  title: string;
  command?: { command: string; arguments: unknown[] };
}
