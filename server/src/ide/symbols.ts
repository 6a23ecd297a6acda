// Document symbols for the outline and breadcrumbs: models and blocks with their statements
// as children (repeat bodies nested), and train blocks with their settings.

import { formatShape } from '../../../engine/catalog/shape';
import type { CheckedFile } from '../sema/checked';
import type { Call, Stmt } from '../syntax/ast';
import { fileIndex } from './locate';
import type { OutlineSymbol } from './types';

export function documentSymbols(checked: CheckedFile, text: string): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  try {
    for (const d of checked.file.decls) {
      if (d.kind === 'Train') {
        const sel = d.model?.span ?? d.span;
        out.push({
          name: `train ${d.model?.name ?? '?'}`,
          kind: 'train',
          span: d.span,
          selectionSpan: sel,
          children: d.settings.map((s) => ({
            name: s.name.name,
            kind: 'setting' as const,
            detail: s.value ? text.slice(s.value.span.start, s.value.span.end) : undefined,
            span: s.span,
            selectionSpan: s.name.span,
            children: [],
          })),
        });
        continue;
      }
      const name = d.name?.name ?? '?';
      const model = d.kind === 'Model' ? checked.models.find((m) => m.name === name) : undefined;
      out.push({
        name,
        kind: d.kind === 'Model' ? 'model' : 'block',
        detail: model ? `${model.params.toLocaleString('en-US')} params` : undefined,
        span: d.span,
        selectionSpan: d.name?.span ?? d.span,
        children: d.body.map((s) => statementSymbol(checked, s)).filter((s): s is OutlineSymbol => s !== null),
      });
    }
  } catch {
    // A partial outline is better than none.
  }
  return out;
}

function chainText(layers: Call[]): string {
  return layers.map((c) => c.callee.name).join(' -> ');
}

function statementSymbol(checked: CheckedFile, s: Stmt): OutlineSymbol | null {
  const info = fileIndex(checked).statementStartingAt(s.span.start);
  const detail = info?.shape ? formatShape(info.shape) : undefined;
  const base = { span: s.span, detail, children: [] as OutlineSymbol[] };
  switch (s.kind) {
    case 'Input':
      if (!s.name) return null;
      return { ...base, name: s.name.name, kind: 'input', selectionSpan: s.name.span, detail: s.shape ? `input ${formatShape(shapeOf(s))}` : undefined };
    case 'Chain':
      if (s.layers.length === 0) return null;
      return { ...base, name: chainText(s.layers), kind: 'layer', selectionSpan: s.layers[0].callee.span };
    case 'Bind':
      return { ...base, name: s.name.name, kind: 'tensor', selectionSpan: s.name.span };
    case 'Output':
      if (!s.name) return null;
      return { ...base, name: s.name.name, kind: 'output', selectionSpan: s.name.span };
    case 'Repeat':
      return {
        ...base,
        name: 'repeat',
        kind: 'repeat',
        selectionSpan: s.span,
        children: s.body.map((b) => statementSymbol(checked, b)).filter((b): b is OutlineSymbol => b !== null),
      };
  }
}

/** The written dims of an input shape (for the outline only). */
function shapeOf(s: Extract<Stmt, { kind: 'Input' }>): (number | string)[] {
  return (s.shape?.items ?? []).map((e) => (e.kind === 'Number' ? e.value : e.kind === 'Ident' ? e.name : '?'));
}
