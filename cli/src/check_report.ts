// The two output forms of `netspec check` (spec §7), kept apart from the command so they
// are pure functions of a checked file. Text: `path:line:col: severity[code]: message`
// with 1-based positions, one line per diagnostic. JSON: LSP's 0-based positions, shapes
// as arrays that start with "batch", and each model's summary.

import { modelsJson, type ModelJson } from '../../server/src/ide/summary';
import type { CheckedFile } from '../../server/src/sema/checked';
import type { Diagnostic, Severity } from '../../server/src/syntax/diagnostic';
import { LineIndex } from '../../server/src/syntax/positions';

export interface JsonPosition {
  line: number;
  character: number;
}

export interface JsonDiagnostic {
  range: { start: JsonPosition; end: JsonPosition };
  severity: Severity;
  code: string;
  message: string;
}

export interface JsonFile {
  path: string;
  diagnostics: JsonDiagnostic[];
  models: ModelJson[];
  /** Set only when the file could not be read or checked (an addition to spec §7). */
  error?: string;
}

/** The result of checking one path: either a checked file or why there is none. */
export type FileOutcome =
  | { path: string; text: string; checked: CheckedFile }
  | { path: string; failure: string };

function sortedDiagnostics(diags: Diagnostic[]): Diagnostic[] {
  return [...diags].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

/** One line per diagnostic, 1-based line and column (UTF-16 code units, as editors count). */
export function formatText(path: string, text: string, checked: CheckedFile): string[] {
  const index = new LineIndex(text);
  return sortedDiagnostics(checked.diagnostics).map((d) => {
    const p = index.positionAt(d.span.start);
    const message = d.message.replace(/\r?\n/g, ' ');
    return `${path}:${p.line + 1}:${p.character + 1}: ${d.severity}[${d.code}]: ${message}`;
  });
}

/** The JSON entry of one file, with 0-based LSP positions. */
export function fileToJson(outcome: FileOutcome): JsonFile {
  if ('failure' in outcome) return { path: outcome.path, diagnostics: [], models: [], error: outcome.failure };
  const index = new LineIndex(outcome.text);
  const diagnostics = sortedDiagnostics(outcome.checked.diagnostics).map((d) => ({
    range: { start: index.positionAt(d.span.start), end: index.positionAt(d.span.end) },
    severity: d.severity,
    code: d.code,
    message: d.message,
  }));
  return { path: outcome.path, diagnostics, models: modelsJson(outcome.checked) };
}

/** "2 errors, 1 warning": the per-file summary that goes to standard error. */
export function summarize(checked: CheckedFile): string {
  const count = (s: Severity) => checked.diagnostics.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}`;
}
