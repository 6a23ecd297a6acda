// Code lens data: over each model its size ("N params · F FLOPs"), over each train block a
// "▶ Train" lens that runs the client's `netspec.train` command with the model name. A
// model with an error counts only the layers checked before it, so its lens says so
// ("≥ N params (incomplete: error on line L)") instead of showing a total.

import type { CheckedFile, ModelSummary } from '../sema/checked';
import type { Span } from '../syntax/ast';
import { formatCount, formatFlops } from './describe';
import type { CodeLensData } from './types';

export const TRAIN_COMMAND = 'netspec.train';

/** `text` is the checked source (rebuilt from the tokens when left out). */
export function codeLenses(checked: CheckedFile, uri: string, text?: string): CodeLensData[] {
  const out: CodeLensData[] = [];
  let source = text;
  for (const m of checked.models) {
    out.push({ span: m.nameSpan ?? m.span, title: modelTitle(checked, m, () => (source ??= checked.file.tokens.map((t) => t.text).join(''))) });
  }
  for (const d of checked.file.decls) {
    if (d.kind !== 'Train' || !d.model) continue;
    out.push({
      span: d.model.span,
      title: '▶ Train',
      command: { command: TRAIN_COMMAND, arguments: [{ uri, model: d.model.name }] },
    });
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

function modelTitle(checked: CheckedFile, m: ModelSummary, text: () => string): string {
  if (m.ir === null) {
    const at = firstError(checked, m.span);
    const where = at === null ? 'the model has errors' : `error on line ${lineOf(text(), at) + 1}`;
    return `≥ ${formatCount(m.params)} params (incomplete: ${where})`;
  }
  const flops = m.flops === null ? '? FLOPs' : `${formatFlops(m.flops)} FLOPs`;
  return `${formatCount(m.params)} params · ${flops}`;
}

/**
 * The offset of the model's first error: an error inside the model, or the call inside it
 * that an error elsewhere (inside a used block) points at.
 */
function firstError(checked: CheckedFile, model: Span): number | null {
  const inside = (s: Span) => s.start >= model.start && s.end <= model.end;
  let best: number | null = null;
  for (const d of checked.diagnostics) {
    if (d.severity !== 'error') continue;
    // The use of a block comes last among the related places (after the shapes' origins).
    let at: Span | undefined = inside(d.span) ? d.span : undefined;
    for (const r of d.related) if (!inside(d.span) && inside(r.span)) at = r.span;
    if (at && (best === null || at.start < best)) best = at.start;
  }
  return best;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
