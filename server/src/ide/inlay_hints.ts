// Inlay hints: each statement's output shape drawn at the statement's end, e.g.
// `Conv2D(32, 3)  : [batch, 26, 26, 32]`. Input statements already spell their shape, and
// a statement whose shape is unknown (after an error) gets no hint.

import { formatShape } from '../../../engine/catalog/shape';
import type { CheckedFile } from '../sema/checked';
import type { Span } from '../syntax/ast';
import type { InlayHintData } from './types';

/** Hints for the statements that end inside `range` (the whole file when omitted). */
export function inlayHints(checked: CheckedFile, text: string, range?: Span): InlayHintData[] {
  const out: InlayHintData[] = [];
  const seen = new Set<number>();
  for (const st of checked.statements) {
    if (st.shape === null) continue;
    if (range && (st.span.end < range.start || st.span.end > range.end)) continue;
    if (/^input\b/.test(text.slice(st.span.start, st.span.start + 6))) continue;
    const offset = hintOffset(text, st.span);
    if (seen.has(offset)) continue;
    seen.add(offset);
    const dtype = st.dtype === 'int32' ? ' int' : '';
    out.push({ offset, label: `: ${formatShape(st.shape)}${dtype}`, tooltip: `Output shape ${formatShape(st.shape)} (${st.dtype})` });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The statement's end without trailing spaces (the span may stop before a comment). */
function hintOffset(text: string, span: Span): number {
  let end = span.end;
  while (end > span.start && /[ \t\r\n]/.test(text[end - 1])) end--;
  return end;
}
