// Folding ranges: declarations, repeat bodies, and runs of two or more comment lines.
// Ranges are offsets; `end` is an offset on the last line that folds away, so the line with
// the closing brace stays visible.

import type { CheckedFile } from '../sema/checked';
import type { Span, Stmt } from '../syntax/ast';
import type { FoldData } from './types';

export function foldingRanges(checked: CheckedFile, text: string): FoldData[] {
  const out: FoldData[] = [];
  try {
    for (const d of checked.file.decls) {
      addRegion(out, text, d.span);
      if (d.kind !== 'Train') addRepeats(out, text, d.body);
    }
    addCommentRuns(out, checked, text);
  } catch {
    // Folding is a convenience; a partial list is fine.
  }
  return out.sort((a, b) => a.start - b.start);
}

function addRepeats(out: FoldData[], text: string, body: readonly Stmt[]): void {
  for (const s of body) {
    if (s.kind !== 'Repeat') continue;
    addRegion(out, text, s.span);
    addRepeats(out, text, s.body);
  }
}

/** A region from the span's first line to the line before its closing brace. */
function addRegion(out: FoldData[], text: string, span: Span): void {
  const firstNewline = text.indexOf('\n', span.start);
  if (firstNewline < 0 || firstNewline >= span.end) return;
  let last = span.end;
  if (text[span.end - 1] === '}') {
    // The newline before the brace's line belongs to the line above it.
    const lineStart = text.lastIndexOf('\n', span.end - 1);
    last = lineStart;
  }
  if (last <= firstNewline) return;
  out.push({ start: span.start, end: last, kind: 'region' });
}

/** Consecutive lines holding only a comment. */
function addCommentRuns(out: FoldData[], checked: CheckedFile, text: string): void {
  let runStart = -1;
  let runEnd = -1;
  let count = 0;
  const flush = () => {
    if (count >= 2) out.push({ start: runStart, end: runEnd, kind: 'comment' });
    count = 0;
  };
  for (const t of checked.file.tokens) {
    if (t.kind !== 'comment') continue;
    const lineStart = text.lastIndexOf('\n', t.start - 1) + 1;
    if (text.slice(lineStart, t.start).trim() !== '') {
      flush();
      continue;
    }
    const between = count > 0 ? text.slice(runEnd, lineStart) : '';
    if (count > 0 && between.split('\n').length - 1 === 1 && between.trim() === '') {
      runEnd = t.end;
      count++;
    } else {
      flush();
      runStart = t.start;
      runEnd = t.end;
      count = 1;
    }
  }
  flush();
}
