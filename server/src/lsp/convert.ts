// Offsets to LSP positions and back, and the conversions of plain IDE data to protocol
// objects. This and its siblings are the only code that knows about LSP positions.

import {
  DiagnosticSeverity,
  DiagnosticTag,
  type Diagnostic as LspDiagnostic,
  type Position,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver/node';
import type { Span } from '../syntax/ast';
import type { Diagnostic, Severity } from '../syntax/diagnostic';
import type { TextEdit } from '../ide/types';

/** What LineIndex provides; kept structural so the converters stay easy to test. */
export interface Positions {
  positionAt(offset: number): Position;
  offsetAt(pos: Position): number;
}

export function toRange(lines: Positions, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toSpan(lines: Positions, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(uri: string, lines: Positions, d: Diagnostic): LspDiagnostic {
  const out: LspDiagnostic = {
    range: toRange(lines, d.span),
    severity: SEVERITY[d.severity] ?? DiagnosticSeverity.Error,
    code: d.code,
    source: 'netspec',
    message: d.message,
  };
  if (d.related.length > 0) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: toRange(lines, r.span) }, message: r.message }));
  }
  if (d.code === 'unused') out.tags = [DiagnosticTag.Unnecessary];
  return out;
}

export function toTextEdit(lines: Positions, e: TextEdit): LspTextEdit {
  return { range: toRange(lines, e.span), newText: e.newText };
}
