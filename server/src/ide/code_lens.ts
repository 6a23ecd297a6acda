// Code lens data: over each model its size ("N params · F FLOPs"), over each train block a
// "▶ Train" lens that runs the client's `netspec.train` command with the model name.

import type { CheckedFile } from '../sema/checked';
import { formatCount, formatFlops } from './describe';
import type { CodeLensData } from './types';

export const TRAIN_COMMAND = 'netspec.train';

export function codeLenses(checked: CheckedFile, uri: string): CodeLensData[] {
  const out: CodeLensData[] = [];
  for (const m of checked.models) {
    const flops = m.flops === null ? '? FLOPs' : `${formatFlops(m.flops)} FLOPs`;
    out.push({ span: m.nameSpan ?? m.span, title: `${formatCount(m.params)} params · ${flops}` });
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
