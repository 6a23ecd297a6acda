// Quick fixes from the checker's `Diagnostic.fix` data: replace a misspelt name with the
// suggestion, insert a Flatten before a layer that needs a flat input, or a Reshape before
// one that needs a spatial input, or set `padding=same` on a window that does not fit.
// Each fix is attached to the diagnostic it answers. A fix that edits another place than
// the diagnostic (the Dense before which a `loss-mismatch` wants a Flatten) is offered
// from that place too.

import type { CheckedFile } from '../sema/checked';
import type { Span } from '../syntax/ast';
import type { Diagnostic } from '../syntax/diagnostic';
import type { CodeActionData, TextEdit } from './types';

/** Fixes for the diagnostics that overlap `range`. */
export function codeActions(checked: CheckedFile, text: string, range: Span): CodeActionData[] {
  const out: CodeActionData[] = [];
  for (const d of checked.diagnostics) {
    if (!d.fix || (!overlaps(d.span, range) && !overlaps(fixSite(d), range))) continue;
    try {
      const action = fixFor(d, text);
      if (action) out.push(action);
    } catch {
      // A fix that cannot be built is left out.
    }
  }
  return out;
}

function overlaps(a: Span | null, b: Span): boolean {
  return a !== null && a.end >= b.start && a.start <= b.end;
}

/** Where a fix edits, when that is away from its diagnostic (insert-flatten from a loss). */
function fixSite(d: Diagnostic): Span | null {
  return d.fix?.kind === 'insert-flatten' && d.code === 'loss-mismatch' ? d.fix.before : null;
}

function fixFor(d: Diagnostic, text: string): CodeActionData | null {
  const fix = d.fix!;
  switch (fix.kind) {
    case 'replace-name':
      return {
        title: `Change to '${fix.replacement}'`,
        diagnostic: d,
        edits: [{ span: d.span, newText: fix.replacement }],
        isPreferred: true,
      };
    case 'insert-flatten':
      return { title: 'Insert Flatten()', diagnostic: d, edits: [insertLayer(text, fix.before, 'Flatten()')], isPreferred: true };
    case 'insert-reshape': {
      const layer = `Reshape([${fix.shape.join(', ')}])`;
      return { title: `Insert ${layer}`, diagnostic: d, edits: [insertLayer(text, fix.before, layer)], isPreferred: false };
    }
    case 'set-padding': {
      const at = { start: fix.at.start, end: fix.at.end };
      const newText = fix.form === 'replace' ? 'same' : fix.form === 'comma' ? ', padding=same' : fix.form === 'first' ? 'padding=same' : '(padding=same)';
      return { title: 'Use padding=same', diagnostic: d, edits: [{ span: at, newText }], isPreferred: true };
    }
  }
  return null;
}

/**
 * Inserts `layer` before the call at `before`. A call that begins its line (a chain
 * statement) gets the layer as a statement line of its own with the same indentation;
 * a call later in a chain gets `layer -> ` in front of it.
 */
export function insertLayer(text: string, before: Span, layer: string): TextEdit {
  const lineStart = text.lastIndexOf('\n', before.start - 1) + 1;
  const prefix = text.slice(lineStart, before.start);
  if (/^[ \t]*$/.test(prefix)) {
    return { span: { start: before.start, end: before.start }, newText: `${layer}\n${prefix}` };
  }
  return { span: { start: before.start, end: before.start }, newText: `${layer} -> ` };
}
