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
  | { kind: 'insert-reshape'; before: Span; shape: number[] };
