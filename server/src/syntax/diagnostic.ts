// The one diagnostic shape used by the parser, the checker and every consumer (LSP, CLI).
// Ranges are UTF-16 offsets; only server/src/lsp converts them to LSP positions.

import type { DiagnosticCode } from '../../../engine/catalog/types';
import type { Span } from './ast';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInfo {
  span: Span;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  span: Span;
  related: RelatedInfo[];
  /** Data for quick fixes, e.g. the suggested replacement name for `unknown-layer`. */
  fix?: QuickFixData;
}

export type QuickFixData =
  | { kind: 'replace-name'; replacement: string }
  | { kind: 'insert-flatten'; before: Span }
  | { kind: 'insert-reshape'; before: Span; shape: number[] }
  /**
   * `empty-dimension`: make the call use `padding=same`. `at` is the existing padding value
   * (form `replace`), or the empty span where `, padding=same` (`comma`), `padding=same` in
   * empty parentheses (`first`) or `(padding=same)` after a bare name (`parens`) goes.
   */
  | { kind: 'set-padding'; at: Span; form: 'replace' | 'comma' | 'first' | 'parens' };
